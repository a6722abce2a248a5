/** Finding the subject in the register and gathering their data, one source system at a time. */
import { findPersonIdByHetu, gatherCategoryTables, readConsultations } from '../db/repositories/register-data';
import { storeReportPart } from '../db/repositories/documents';
import { updateRequest } from '../db/repositories/requests';
import type { ActivityDeps } from './deps';
import { loadSubject } from './load-request';

export function gatherActivities(deps: ActivityDeps) {
  const subjectOf = (requestId: string) => loadSubject(deps.db, requestId);

  return {
    /** Matches the verified subject to a register person by henkilötunnus; returns only whether one was found. */
    async matchSubject({ requestId }: { requestId: string }): Promise<{ found: boolean }> {
      const subject = await subjectOf(requestId);
      const personId = subject.hetu ? await findPersonIdByHetu(deps.db, subject.hetu) : null;
      await updateRequest(deps.db, requestId, { personId });
      return { found: personId !== null };
    },

    /**
     * Gathers the subject's rows from one system's tables, and the system's usage log entries about
     * them (CJEU C-579/21: access includes who consulted the data, when and why), into the request's
     * report; returns counts only.
     */
    async gatherFromSystem({ requestId, system }: { requestId: string; system: string }): Promise<{ rowCount: number; redactions: number }> {
      const subject = await subjectOf(requestId);
      const tables = await gatherCategoryTables(deps.db, deps.description, { personId: subject.personId, email: subject.email }, system);
      const consultations = await readConsultations(deps.db, subject.personId, system);
      const rowCount = tables.reduce((sum, t) => sum + t.rows.length, 0);
      const redactions = tables.reduce((sum, t) => sum + t.redactions, 0);
      await storeReportPart(deps.db, requestId, { system, tables, rowCount, redactions, consultations });
      return { rowCount, redactions };
    },
  };
}
