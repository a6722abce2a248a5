/**
 * GDPR 19: a handler's recorded decision that telling one recipient is impossible or would involve
 * disproportionate effort (LEGAL-RULES.md 3: a person's judgement, per recipient, with reasons; the
 * engine never takes it). The JSON API and the request page both call this.
 */
import { z } from 'zod';
import { recordTransition } from '../db/repositories/events';
import { decideNotNotified, disclosedCategoriesByRecipient, ensureNotification } from '../db/repositories/recipient-notifications';
import { getRequestSubject } from '../db/repositories/requests';
import { MIN_REASON_LENGTH, type RequestSummary } from '../domain/request';
import type { ServiceContext } from './context';
import { ApiError } from './errors';
import type { StaffUser } from './staff-auth';
import { multiLine } from './text';

const NOTIFIED_RIGHTS = ['rectification', 'erasure', 'restriction'] as const;

export const notNotifiedSchema = z
  .object({ reason: multiLine(z.string().trim().min(MIN_REASON_LENGTH, `must state why notifying is impossible or disproportionate (at least ${MIN_REASON_LENGTH} characters)`).max(4000)) })
  .strict();

/** Records the decision for one recipient of the request's subject; a recipient already told is refused. */
export async function decideRecipientNotNotified(ctx: ServiceContext, user: StaffUser, summary: RequestSummary, recipient: string, reason: string): Promise<void> {
  const id = summary.id;
  const right = summary.right as (typeof NOTIFIED_RIGHTS)[number];
  if (!NOTIFIED_RIGHTS.includes(right)) throw new ApiError(409, 'wrong_state', 'id: only a rectification, erasure or restriction is told to recipients');
  const subject = await getRequestSubject(ctx.db, id);
  const categories = subject?.personId ? (await disclosedCategoriesByRecipient(ctx.db, subject.personId)).get(recipient) : undefined;
  if (!categories) throw new ApiError(400, 'validation_failed', "recipient: is not in the subject's disclosure log", [{ field: 'recipient', message: "is not in the subject's disclosure log" }]);
  const described = ctx.description.recipients.find((r) => r.key === recipient);
  const decision = { reason, decidedBy: user.id, at: new Date() };
  const notification = await ensureNotification(ctx.db, {
    requestId: id,
    businessKey: `notify:${id}:${right}:${recipient}`,
    recipientKey: recipient,
    channel: described?.notification?.type ?? 'none',
    changeKind: right,
    categories,
    decision,
  });
  if (notification.status === 'delivered') throw new ApiError(409, 'wrong_state', `recipient: ${recipient} has already been told`);
  await decideNotNotified(ctx.db, notification.id, decision);
  await recordTransition(ctx.db, {
    requestId: id,
    businessKey: `not_notified:${recipient}:${decision.decidedBy}:${decision.at.getTime()}`,
    type: 'recipient_not_notified',
    actor: decision.decidedBy,
    reason,
    data: { recipient, status: 'not_notified' },
  });
}
