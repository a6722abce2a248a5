/**
 * Records the replay corpus: drives every scenario on the time-skipping test server with the
 * recording fake activities and writes each workflow's history (no codec: the fakes carry no
 * personal data) to test/replay/histories/<scenario>.json. Run by `npm run record-histories`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker, bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { statusQuery, type RequestStatus } from '../../workflows/messages';
import { createTimeSkippingEnv } from '../helpers/time-skipping';
import { fakeActivities, summaryDueIn } from '../workflow/fake-activities';
import { REQUEST_SCENARIOS, type RequestScenario } from './scenarios';
import { LIFT_SCENARIOS, type LiftScenario } from './lift-scenarios';

export const HISTORIES_DIR = path.join(__dirname, 'histories');

const silent = { log: () => undefined, trace: () => undefined, debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

async function waitFor(handle: WorkflowHandle, pred: (s: RequestStatus) => boolean): Promise<RequestStatus> {
  for (let i = 0; i < 400; i++) {
    const status = await handle.query(statusQuery);
    if (pred(status)) return status;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('workflow did not reach the expected state');
}

async function recordRequest(env: TestWorkflowEnvironment, bundle: WorkflowBundleWithSourceMap, s: RequestScenario): Promise<string> {
  const summary = summaryDueIn(Number(await env.currentTimeMs()), { id: `req-${s.name}`, ...s.overrides });
  const { activities } = fakeActivities(summary, s.options);
  const taskQueue = `record-${s.name}`;
  const worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle: bundle, activities });
  const handle = await worker.runUntil(async () => {
    const h = await env.client.workflow.start('dsrRequestWorkflow', { taskQueue, workflowId: `replay-${s.name}`, args: [{ requestId: summary.id }] });
    await s.drive({ handle: h, env, waitForState: (pred) => waitFor(h, pred) });
    if (!s.open) await h.result();
    return h;
  });
  return historyOf(handle);
}

/**
 * The history as it stands; an open workflow is then terminated, because the test server does not
 * skip time past workflow tasks no worker will take, and later scenarios need time to move.
 */
async function historyOf(handle: WorkflowHandle): Promise<string> {
  const json = historyJson(await handle.fetchHistory());
  const { status } = await handle.describe();
  if (status.name === 'RUNNING') await handle.terminate('recorded while open');
  return json;
}

async function recordLift(env: TestWorkflowEnvironment, bundle: WorkflowBundleWithSourceMap, s: LiftScenario): Promise<string> {
  const liftAtMs = Number(await env.currentTimeMs()) + s.liftInDays * 24 * 60 * 60 * 1000;
  const taskQueue = `record-${s.name}`;
  const worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle: bundle, activities: s.activities(liftAtMs) });
  const handle = await worker.runUntil(async () => {
    const h = await env.client.workflow.start('restrictionLiftWorkflow', { taskQueue, workflowId: `replay-${s.name}`, args: [{ requestId: `req-${s.name}`, liftKey: `lift:${s.name}` }] });
    await s.drive({ handle: h, env });
    return h;
  });
  return historyOf(handle);
}

/**
 * A history as JSON through the proto package's own type (bytes as base64, 64-bit numbers as
 * strings, enums by name). The SDK's historyToJSON fails here: @temporalio/common carries its own
 * copy of protobufjs, which does not recognise the proto package's types.
 */
export function historyJson(history: temporal.api.history.v1.IHistory): string {
  const type = temporal.api.history.v1.History;
  return JSON.stringify(type.toObject(type.fromObject(history), { longs: String, enums: String, bytes: String }), null, 1);
}

/** Reads a history written by historyJson. */
export function historyFromFile(json: string): temporal.api.history.v1.History {
  return temporal.api.history.v1.History.fromObject(JSON.parse(json));
}

/** Records the scenarios whose names are given (all when none) into `dir`. */
export async function recordHistories(dir = HISTORIES_DIR, only: string[] = []): Promise<string[]> {
  mkdirSync(dir, { recursive: true });
  const wanted = (name: string) => only.length === 0 || only.includes(name);
  const env = await createTimeSkippingEnv();
  const written: string[] = [];
  try {
    const bundle = await bundleWorkflowCode({ workflowsPath: require.resolve('../../workflows'), logger: silent });
    const write = (name: string, json: string) => {
      const file = path.join(dir, `${name}.json`);
      writeFileSync(file, `${json}\n`);
      written.push(file);
    };
    for (const s of REQUEST_SCENARIOS.filter((x) => wanted(x.name))) write(s.name, await recordRequest(env, bundle, s));
    for (const s of LIFT_SCENARIOS.filter((x) => wanted(x.name))) write(s.name, await recordLift(env, bundle, s));
  } finally {
    await env.teardown();
  }
  return written;
}
