/**
 * A restriction lift sleeps for months or years (GDPR 18(3): lifted on the announced day). It must
 * survive what happens to the engine meanwhile: here it is started under payload key 1 by the old
 * code, the worker goes away, the engine comes back with the ring [2, 1] and a changed workflow
 * (behind patched()), and the lift still fires on its day, not before.
 */
import { randomUUID } from 'node:crypto';
import { WorkflowClient } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker, bundleWorkflowCode } from '@temporalio/worker';
import { aes256Key, parseKeyRing } from '../../config/key-ring';
import { dataConverterFor } from '../../worker/payload-codec';
import type { restrictionLiftWorkflow } from '../../workflows/restriction-lift';
import { createTimeSkippingEnv } from '../helpers/time-skipping';
import { liftActivities } from '../replay/lift-scenarios';

jest.setTimeout(180_000);

const DAY_MS = 24 * 60 * 60 * 1000;
const key1 = Buffer.alloc(32, 1).toString('base64');
const key2 = Buffer.alloc(32, 2).toString('base64');
const silent = { log: () => undefined, trace: () => undefined, debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await createTimeSkippingEnv();
});
afterAll(async () => {
  await env?.teardown();
});

async function waitForTimer(workflowId: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const { events } = await env.client.workflow.getHandle(workflowId).fetchHistory();
    if (events?.some((e) => e.timerStartedEventAttributes)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('the lift workflow never started its timer');
}

it('a lift started under key 1 and the old code fires on its day after a key rotation and a code change', async () => {
  const oldCode = await bundleWorkflowCode({ workflowsPath: require.resolve('../../workflows'), logger: silent });
  const newCode = await bundleWorkflowCode({ workflowsPath: require.resolve('../replay/fixtures/lift-patched'), logger: silent });
  const ring1 = dataConverterFor(parseKeyRing(`k1:${key1}`, aes256Key));
  const ring21 = dataConverterFor(parseKeyRing(`k2:${key2},k1:${key1}`, aes256Key));
  const taskQueue = `lift-${randomUUID()}`;
  const workflowId = `lift-${randomUUID()}`;
  const liftAtMs = Number(await env.currentTimeMs()) + 400 * DAY_MS;
  const calls: string[] = [];

  // Before: the old code, payload key 1. The notice goes out and the workflow sleeps.
  const before = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle: oldCode, activities: liftActivities(liftAtMs, calls), dataConverter: ring1, maxCachedWorkflows: 0 });
  await before.runUntil(async () => {
    await new WorkflowClient({ connection: env.connection, dataConverter: ring1 }).start<typeof restrictionLiftWorkflow>('restrictionLiftWorkflow', {
      taskQueue,
      workflowId,
      args: [{ requestId: 'req-1', liftKey: 'lift:case_notes' }],
    });
    // The old worker stops once the workflow sleeps on its timer (no task left half-done).
    await waitForTimer(workflowId);
  });
  expect(calls).toEqual(['render:restriction_lift_notice', 'deliver', 'event:restriction_lift_notified']);

  // After: the ring [2, 1] (key 1 stays in the ring while anything it wrote is open) and the changed code.
  const handle = new WorkflowClient({ connection: env.connection, dataConverter: ring21 }).getHandle<typeof restrictionLiftWorkflow>(workflowId);
  const after = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle: newCode, activities: liftActivities(liftAtMs, calls), dataConverter: ring21 });
  await after.runUntil(async () => {
    await env.sleep(`${399 * DAY_MS}ms`);
    expect(calls).not.toContain('lift');
    await env.sleep(`${2 * DAY_MS}ms`);
    expect(await handle.result()).toEqual({ rows: 4 });
  });
  expect(calls.filter((c) => c === 'lift')).toHaveLength(1);
  // The patched path is for new lifts only: this one did not record the new start event.
  expect(calls.filter((c) => c === 'event:restriction_lift_notified')).toHaveLength(1);
});
