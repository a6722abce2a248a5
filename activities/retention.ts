/** The purge of the engine's own data past its retention periods (GDPR 5(1)(e)), run by the purge schedule. */
import { purgeExpiredData, type PurgeCounts } from '../db/repositories/retention';
import type { ActivityDeps } from './deps';

export function retentionActivities(deps: ActivityDeps) {
  const now = deps.now ?? (() => new Date());
  return {
    /** Deletes and anonymises what is due; idempotent, returns counts only. */
    async purgeExpiredData(): Promise<PurgeCounts> {
      return purgeExpiredData(deps.db, {
        now: now(),
        documentDays: deps.settings.documentRetentionDays,
        requestRecordYears: deps.description.requestRecords.retentionYears,
      });
    },
  };
}
