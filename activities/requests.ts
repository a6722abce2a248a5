/** Activities that read and move the request projection (dsr.requests, dsr.events, audit). */
import { recordTransition, recordTransitionIn, type TransitionInput } from '../db/repositories/events';
import { markDocumentApproved } from '../db/repositories/documents';
import type { ActivityDeps } from './deps';
import { loadSummary } from './load-request';
import type { LoadedRequest, TransitionRequest } from '../workflows/contracts';
import type { StateChange } from '../db/repositories/requests';
import { systemsWithTables } from './register-view';

export function requestActivities(deps: ActivityDeps) {
  const now = deps.now ?? (() => new Date());

  return {
    /** The request's workflow-safe summary, the alarm policy and the source systems to gather from. */
    async loadRequest({ requestId }: { requestId: string }): Promise<LoadedRequest> {
      const summary = await loadSummary(deps.db, requestId);
      return {
        summary,
        policy: {
          reminderDaysBefore: deps.settings.reminderDaysBefore,
          overdueRepeatDays: deps.settings.overdueRepeatDays,
          pauseWhileAwaitingIdentity: deps.settings.pauseWhileAwaitingIdentity,
          identityReminderDays: deps.settings.identityReminderDays,
          identityCloseDays: deps.settings.identityCloseDays,
          ...(deps.settings.activityRetry ? { retry: deps.settings.activityRetry } : {}),
        },
        systems: systemsWithTables(deps.description),
      };
    },

    /** Records one transition exactly once (by business key), with its audit link. */
    async recordTransition(t: TransitionRequest): Promise<boolean> {
      return recordTransition(deps.db, transitionAt(t, now()));
    },

    /** Records transitions in order in one transaction (one commit, one turn at the audit chain), each once by its business key. */
    async recordTransitions(ts: TransitionRequest[]): Promise<void> {
      const at = now();
      await deps.db.transaction().execute(async (trx) => {
        for (const t of ts) await recordTransitionIn(trx, transitionAt(t, at));
      });
    },

    /**
     * Marks the draft approved by a handler (who and when are also in the event and audit chain).
     * With `record` (PATCHES['local-short-steps']) the approval's event goes in the same transaction,
     * once by its business key, and the request moves to 'delivering': one step instead of two.
     */
    async approveDocument(input: { requestId: string; documentId: string; actor: string; note: string | null; record?: boolean }): Promise<void> {
      const at = now();
      if (!input.record) {
        await markDocumentApproved(deps.db, input.documentId, input.actor, at);
        return;
      }
      await deps.db.transaction().execute(async (trx) => {
        await markDocumentApproved(trx, input.documentId, input.actor, at);
        await recordTransitionIn(trx, {
          requestId: input.requestId,
          businessKey: `approved:${input.documentId}`,
          type: 'answer_approved',
          actor: input.actor,
          at,
          reason: input.note,
          data: { documentId: input.documentId },
          change: { state: 'delivering' },
        });
      });
    },
  };
}

/** The transition as the repository takes it: the 'now' timestamps of its change taken at `at`. */
function transitionAt(t: TransitionRequest, at: Date): TransitionInput {
  const change: StateChange | undefined = t.change
    ? {
        state: t.change.state,
        outcome: t.change.outcome,
        identityMethod: t.change.identityMethod,
        closedAt: t.change.closedAt ? at : undefined,
        extendedAt: t.change.extendedAt ? at : undefined,
        identityVerifiedAt: t.change.identityVerifiedAt ? at : undefined,
      }
    : undefined;
  return { ...t, at, change };
}
