/**
 * Lifting a restriction (GDPR 18(3)): the subject is told before it is lifted. The lift refuses to
 * run unless the notice is on record, whatever calls it.
 */
import { ApplicationFailure } from '@temporalio/activity';
import { findEvent, recordTransitionIn } from '../db/repositories/events';
import { liftRestriction } from '../db/repositories/register-changes';
import { appendAudit } from '../db/repositories/audit';
import { startOfHelsinkiDay } from '../domain/deadline';
import type { ActivityDeps } from './deps';
import { loadSubject, loadSummary } from './load-request';

export interface LiftPlan {
  categories: string[];
  liftOn: string;
  /** When the lift may happen: the start of the announced day, Helsinki time (ms). */
  liftAtMs: number;
}

export function restrictionLiftActivities(deps: ActivityDeps) {
  const now = deps.now ?? (() => new Date());

  async function plan(requestId: string, liftKey: string): Promise<LiftPlan> {
    const event = await findEvent(deps.db, requestId, `${liftKey}:planned`);
    if (!event) throw ApplicationFailure.create({ type: 'WrongStateError', message: `no planned restriction lift ${liftKey}`, nonRetryable: true });
    const liftOn = String(event.data.liftOn);
    return { categories: event.data.categories as string[], liftOn, liftAtMs: startOfHelsinkiDay(liftOn).getTime() };
  }

  return {
    async loadLiftPlan({ requestId, liftKey }: { requestId: string; liftKey: string }): Promise<LiftPlan> {
      return plan(requestId, liftKey);
    },

    /** Lifts the restriction only when the GDPR 18(3) notice was delivered and recorded first. */
    async liftRestriction({ requestId, liftKey }: { requestId: string; liftKey: string }): Promise<{ rows: number }> {
      const summary = await loadSummary(deps.db, requestId);
      const subject = await loadSubject(deps.db, requestId);
      if (!(await findEvent(deps.db, requestId, `${liftKey}:notified`))) {
        throw ApplicationFailure.create({
          type: 'RestrictionLiftRefusedError',
          message: 'GDPR 18(3): the subject has not been told of the lift; the restriction stays',
          nonRetryable: true,
        });
      }
      const { categories, liftAtMs } = await plan(requestId, liftKey);
      if (now().getTime() < liftAtMs) {
        throw ApplicationFailure.create({ type: 'RestrictionLiftRefusedError', message: 'the announced lift date has not come yet', nonRetryable: true });
      }
      const ground = summary.right === 'objection' ? 'gdpr_21' : 'gdpr_18';
      const at = now();
      return deps.db.transaction().execute(async (trx) => {
        const changes = await liftRestriction(trx, deps.description, { personId: subject.personId, email: subject.email }, categories, ground);
        const rows = changes.reduce((sum, c) => sum + c.rows, 0);
        const recorded = await recordTransitionIn(trx, { requestId, businessKey: `${liftKey}:lifted`, type: 'restriction_lifted', actor: 'system', at, data: { liftKey, categories, rows } });
        if (recorded) await appendAudit(trx, { actor: 'system', action: 'register_change_digests', requestId, at, details: { changes } });
        return { rows };
      });
    },
  };
}
