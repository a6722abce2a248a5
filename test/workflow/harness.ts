/** Runs request workflows on the time-skipping test server with recording activities. */
import { randomUUID } from 'node:crypto';
import type { Duration } from '@temporalio/common';
import type { temporal } from '@temporalio/proto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker, bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import type { RequestSummary } from '../../domain/request';
import { statusQuery, type RequestStatus } from '../../workflows/messages';
import { createTimeSkippingEnv } from '../helpers/time-skipping';
import { fakeActivities, summaryDueIn, type Recorded } from './fake-activities';
import { replayCuts } from './task-splits';

const silent = { log: () => undefined, trace: () => undefined, debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

export interface Harness {
  env: TestWorkflowEnvironment;
  teardown(): Promise<void>;
  withRequest(
    overrides: Partial<RequestSummary>,
    body: (h: RunningRequest) => Promise<void>,
    options?: RequestOptions,
  ): Promise<void>;
  /** Runs any workflow of the bundle with the given activities while `body` drives it. */
  run<T>(workflowType: string, args: unknown[], activities: object, body: (handle: RunningRequest['handle']) => Promise<T>): Promise<T>;
}

/** The fake activities' options, and the workflow task timeout the request starts with (the server's default: 10 s). */
export type RequestOptions = Parameters<typeof fakeActivities>[1] & { workflowTaskTimeout?: Duration };

export interface RunningRequest {
  handle: Awaited<ReturnType<TestWorkflowEnvironment['client']['workflow']['start']>>;
  recorded: Recorded;
  summary: RequestSummary;
  waitForState(pred: (s: RequestStatus) => boolean): Promise<RequestStatus>;
  /**
   * Replays the history so far (or `history`, one made from it) on the workflow code, as a worker
   * that lost its cache would; throws on a nondeterminism. Gives the history it replayed.
   */
  replay(history?: temporal.api.history.v1.IHistory): Promise<temporal.api.history.v1.IHistory>;
  /**
   * Replays the history so far and every variant of it with a workflow task cut after a local
   * step (task-splits.ts), but for cuts beside an update's completion (a known limit, see
   * splitPoints); throws naming each variant that does not replay. Gives the variants' count.
   */
  replayWithCuts(): Promise<number>;
}

export async function startHarness(): Promise<Harness> {
  const env = await createTimeSkippingEnv();
  const bundle: WorkflowBundleWithSourceMap = await bundleWorkflowCode({ workflowsPath: require.resolve('../../workflows'), logger: silent });
  return {
    env,
    teardown: () => env.teardown(),
    async run(workflowType, args, activities, body) {
      const taskQueue = `test-${randomUUID()}`;
      const worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle: bundle, activities });
      return worker.runUntil(async () => body(await env.client.workflow.start(workflowType, { taskQueue, workflowId: randomUUID(), args })));
    },
    async withRequest(overrides, body, options) {
      const now = Number(await env.currentTimeMs());
      const summary = summaryDueIn(now, overrides);
      const { activities, recorded } = fakeActivities(summary, options);
      const taskQueue = `test-${randomUUID()}`;
      const worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle: bundle, activities });
      await worker.runUntil(async () => {
        const handle = await env.client.workflow.start('dsrRequestWorkflow', {
          taskQueue,
          workflowId: randomUUID(),
          args: [{ requestId: summary.id }],
          ...(options?.workflowTaskTimeout ? { workflowTaskTimeout: options.workflowTaskTimeout } : {}),
        });
        const waitForState = async (pred: (s: RequestStatus) => boolean) => {
          for (let i = 0; i < 200; i++) {
            const status = await handle.query(statusQuery);
            if (pred(status)) return status;
            await new Promise((r) => setTimeout(r, 50));
          }
          throw new Error('workflow did not reach the expected state');
        };
        const replay = async (given?: temporal.api.history.v1.IHistory) => {
          const history = given ?? (await handle.fetchHistory());
          await Worker.runReplayHistory({ workflowBundle: bundle, replayName: 'harness' }, history);
          return history;
        };
        const replayWithCuts = async () => {
          const history = await replay();
          const { variants, failed } = await replayCuts(bundle, [{ name: handle.workflowId, history }], { besideUpdates: false });
          if (failed.length > 0) throw new Error(`histories with a task cut after a local step do not replay:\n${failed.join('\n')}`);
          return variants;
        };
        try {
          await body({ handle, recorded, summary, waitForState, replay, replayWithCuts });
        } finally {
          // A workflow left open would hold the shared test server's clock: its alarms' activities find no worker.
          await handle.terminate('test finished').catch(() => undefined);
        }
      });
    },
  };
}
