/**
 * The retention purge's Temporal Schedule: one per task queue, created at start-up when missing and
 * brought in line with the configured interval when it exists, so starting any number of workers
 * (or restarting them) leaves exactly one schedule. Overlapping runs are skipped.
 */
import { Client, ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Connection } from '@temporalio/client';
import type { Config } from '../config/settings';
import { retentionPurgeWorkflow } from '../workflows/retention-purge';
import { dataConverterFor } from './payload-codec';

/** The schedule's id: the task queue's, so test engines on their own queues do not share one. */
export function purgeScheduleId(taskQueue: string): string {
  return `retention-purge-${taskQueue}`;
}

/** Creates the purge schedule, or updates its interval; returns which. */
export async function ensurePurgeSchedule(connection: Connection, config: Pick<Config, 'temporal' | 'retention' | 'payloadCodecKeys'>): Promise<'created' | 'updated'> {
  const client = new Client({ connection, namespace: config.temporal.namespace, dataConverter: dataConverterFor(config.payloadCodecKeys) });
  const scheduleId = purgeScheduleId(config.temporal.taskQueue);
  const spec = { intervals: [{ every: `${config.retention.purgeEveryHours}h` as const }] };
  const action = { type: 'startWorkflow' as const, workflowType: retentionPurgeWorkflow, args: [] as [], taskQueue: config.temporal.taskQueue, workflowId: `retention-purge-${config.temporal.taskQueue}` };
  try {
    await client.schedule.create({ scheduleId, spec, action, policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 day' } });
    return 'created';
  } catch (error) {
    if (!(error instanceof ScheduleAlreadyRunning)) throw error;
    await client.schedule.getHandle(scheduleId).update((previous) => ({ ...previous, spec, action }));
    return 'updated';
  }
}
