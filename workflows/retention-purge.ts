/**
 * One run of the retention purge (GDPR 5(1)(e)), started by the purge schedule. All the work is in
 * one idempotent activity: a run repeated or overlapping another deletes nothing twice.
 */
import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';

const { purgeExpiredData } = proxyActivities<Activities>({
  startToCloseTimeout: '30 minutes',
  // Bounded: a purge that keeps failing is left to the next scheduled run, and the failure shows in Temporal.
  retry: { initialInterval: '1 minute', maximumInterval: '30 minutes', maximumAttempts: 10 },
});

export async function retentionPurgeWorkflow(): Promise<{ documentsPurged: number; reportPartsDeleted: number; requestsAnonymised: number }> {
  return purgeExpiredData();
}
