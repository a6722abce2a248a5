/**
 * GDPR 19: a handler's recorded decision that telling one recipient is impossible or would involve
 * disproportionate effort. The notification activity then leaves that recipient alone.
 */
import { Router } from 'express';
import { requireRole } from '../../services/staff-auth';
import type { ServiceContext } from '../../services/context';
import { parseOrThrow } from '../../services/errors';
import { decideRecipientNotNotified, notNotifiedSchema } from '../../services/recipient-decisions';
import { visibleRequest } from '../../services/staff-actions';
import { uuidParam } from './staff';

export { notNotifiedSchema };

export function recipientRoutes(ctx: ServiceContext): Router {
  const router = Router();
  router.post('/api/v1/staff/requests/:id/recipients/:recipient/not-notified', requireRole(ctx.tokens, 'handler', 'dpo'), async (req, res) => {
    const id = uuidParam(req, 'id');
    const recipient = String(req.params.recipient);
    const body = parseOrThrow(notNotifiedSchema, req.body);
    const summary = await visibleRequest(ctx.db, req.staff!, id);
    await decideRecipientNotNotified(ctx, req.staff!, summary, recipient, body.reason);
    res.json({ recorded: true, recipient });
  });
  return router;
}
