/**
 * GDPR 19: a handler's recorded decision that telling one recipient is impossible or would involve
 * disproportionate effort. The notification activity then leaves that recipient alone.
 */
import { Router } from 'express';
import { z } from 'zod';
import { recordTransition } from '../../db/repositories/events';
import { decideNotNotified, disclosedCategoriesByRecipient, ensureNotification } from '../../db/repositories/recipient-notifications';
import { getRequestSubject } from '../../db/repositories/requests';
import { requireRole } from '../../services/staff-auth';
import type { ServiceContext } from '../../services/context';
import { ApiError, parseOrThrow } from '../../services/errors';
import { visibleRequest } from '../../services/staff-actions';
import { MIN_REASON_LENGTH } from '../../domain/request';
import { uuidParam } from './staff';
import { multiLine } from '../../services/text';

const NOTIFIED_RIGHTS = ['rectification', 'erasure', 'restriction'] as const;

export const notNotifiedSchema = z
  .object({ reason: multiLine(z.string().trim().min(MIN_REASON_LENGTH, `must state why notifying is impossible or disproportionate (at least ${MIN_REASON_LENGTH} characters)`).max(4000)) })
  .strict();

export function recipientRoutes(ctx: ServiceContext): Router {
  const router = Router();
  router.post('/api/v1/staff/requests/:id/recipients/:recipient/not-notified', requireRole(ctx.tokens, 'handler', 'dpo'), async (req, res) => {
    const id = uuidParam(req, 'id');
    const recipient = String(req.params.recipient);
    const body = parseOrThrow(notNotifiedSchema, req.body);
    const summary = await visibleRequest(ctx.db, req.staff!, id);
    const right = summary.right as (typeof NOTIFIED_RIGHTS)[number];
    if (!NOTIFIED_RIGHTS.includes(right)) throw new ApiError(409, 'wrong_state', 'id: only a rectification, erasure or restriction is told to recipients');
    const subject = await getRequestSubject(ctx.db, id);
    const categories = subject?.personId ? (await disclosedCategoriesByRecipient(ctx.db, subject.personId)).get(recipient) : undefined;
    if (!categories) throw new ApiError(400, 'validation_failed', "recipient: is not in the subject's disclosure log", [{ field: 'recipient', message: "is not in the subject's disclosure log" }]);
    const described = ctx.description.recipients.find((r) => r.key === recipient);
    const decision = { reason: body.reason, decidedBy: req.staff!.id, at: new Date() };
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
      reason: body.reason,
      data: { recipient, status: 'not_notified' },
    });
    res.json({ recorded: true, recipient });
  });
  return router;
}
