/**
 * `needs_attention` in the database and the alarm to the handlers and the DPO (tietosuojavastaava):
 * a step that failed for good is recorded once per episode (event, audit link, projection) and
 * alarmed once; a person's retry is recorded with who retried and returns the request to its state.
 */
import { recordTransitionIn } from '../db/repositories/events';
import { clearNeedsAttention, getRequestSummary, markNeedsAttention } from '../db/repositories/requests';
import { helsinkiDate } from '../domain/deadline';
import type { RequestState } from '../domain/request';
import { renderEmail } from '../templates';
import type { ActivityDeps } from './deps';
import { sendOnce } from './mail';

/** Staff alarms are written in the controller's working language. */
const STAFF_LANGUAGE = 'fi' as const;

export interface AttentionRecord {
  requestId: string;
  /** A number per episode of the request workflow; a lift's key for a failed restriction lift. */
  episode: number | string;
  step: string;
  errorType: string;
  message: string;
  since: string;
  resumeState: RequestState;
  /** Tell people, but leave the request's state alone (a side workflow, such as a restriction lift, failed). */
  keepState?: boolean;
}

export function attentionActivities(deps: ActivityDeps) {
  const now = deps.now ?? (() => new Date());

  return {
    /** Records that a step failed for good and alarms the handlers and the DPO, once per episode. */
    async recordAttention(a: AttentionRecord): Promise<void> {
      const summary = await getRequestSummary(deps.db, a.requestId);
      // A workflow started for a request that is not there has nobody to tell; its own failure says so.
      if (!summary) return;
      const since = new Date(a.since);
      await deps.db.transaction().execute(async (trx) => {
        const recorded = await recordTransitionIn(trx, {
          requestId: a.requestId,
          businessKey: `attention:${a.episode}`,
          type: 'needs_attention',
          actor: 'system',
          at: now(),
          reason: a.message,
          data: { step: a.step, errorType: a.errorType, resumeState: a.resumeState },
        });
        if (recorded && !a.keepState) await markNeedsAttention(trx, a.requestId, { step: a.step, errorType: a.errorType, message: a.message, since, resumeState: a.resumeState });
      });
      const email = renderEmail({
        kind: 'step_failed',
        language: STAFF_LANGUAGE,
        reference: summary.reference,
        step: a.step,
        errorType: a.errorType,
        since: helsinkiDate(since),
        consoleUrl: `${deps.settings.publicBaseUrl}/staff/requests/${summary.id}`,
      });
      await sendOnce(deps, {
        businessKey: `mail:${a.requestId}:attention:${a.episode}`,
        requestId: a.requestId,
        kind: 'step_failed',
        recipient: deps.settings.staffNotifyEmail,
        subject: email.subject,
        textBody: email.text,
        htmlBody: email.html,
      });
    },

    /** Records a person's retry of the failed step; the request returns to the state it was in. */
    async resolveAttention(input: { requestId: string; episode: number; step: string; resumeState: RequestState; actor: string; note: string | null }): Promise<void> {
      await deps.db.transaction().execute(async (trx) => {
        const recorded = await recordTransitionIn(trx, {
          requestId: input.requestId,
          businessKey: `attention:${input.episode}:retried`,
          type: 'step_retried',
          actor: input.actor,
          at: now(),
          reason: input.note,
          data: { step: input.step, resumeState: input.resumeState },
        });
        if (recorded) await clearNeedsAttention(trx, input.requestId, input.resumeState);
      });
    },
  };
}
