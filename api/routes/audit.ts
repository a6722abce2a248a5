/** The auditor's read-only views: a request's complete history and the audit chain's verification. */
import { Router } from 'express';
import { auditEntriesForRequest } from '../../db/repositories/audit';
import { checkRequestLinks, checkWholeChain } from '../../services/audit-integrity';
import { integrityDeps } from '../../services/audit-deps';
import { listDocuments } from '../../db/repositories/documents';
import { listEvents } from '../../db/repositories/events';
import { listMessages } from '../../db/repositories/outbox';
import { getRequestSummary } from '../../db/repositories/requests';
import { listNotifications } from '../../db/repositories/recipient-notifications';
import { listDecisions } from '../../db/repositories/decisions';
import { requireRole } from '../../services/staff-auth';
import type { ServiceContext } from '../../services/context';
import { ApiError } from '../../services/errors';
import { uuidParam } from './staff';

export function auditRoutes(ctx: ServiceContext): Router {
  const router = Router();
  const auditors = requireRole(ctx.tokens, 'auditor', 'dpo');
  const deps = integrityDeps(ctx);

  router.get('/api/v1/audit/requests/:id', auditors, async (req, res) => {
    const id = uuidParam(req, 'id');
    const summary = await getRequestSummary(ctx.db, id);
    if (!summary) throw new ApiError(404, 'not_found', 'id: no such request');
    const [events, documents, messages, chain, links, notifications, decisions] = await Promise.all([
      listEvents(ctx.db, id),
      listDocuments(ctx.db, id),
      listMessages(ctx.db, id),
      checkRequestLinks(deps, id),
      auditEntriesForRequest(ctx.db, id),
      listNotifications(ctx.db, id),
      listDecisions(ctx.db, id),
    ]);
    res.json({
      request: summary,
      events,
      documents,
      // The e-mails as sent (they carry no personal data by construction), without their bodies' HTML.
      messages: messages.map(({ htmlBody: _h, ...m }) => m),
      decisions,
      // GDPR 19: each recipient notification with its channel, status and any recorded reason.
      recipientNotifications: notifications,
      // This request's links against the newest signed checkpoint; `state` stays broken while an alarm is open.
      auditChain: {
        valid: chain.state === 'intact',
        state: chain.state,
        brokenAt: chain.links.brokenAt,
        problem: chain.links.problem,
        alarm: chain.alarm,
        checkpoint: chain.checkpoint,
        links,
      },
    });
  });

  // The default check: every link from the genesis, against the newest signed checkpoint.
  // `valid` is false while a break found earlier awaits an admin's incident note.
  router.get('/api/v1/audit/chain', auditors, async (_req, res) => {
    const status = await checkWholeChain(deps);
    res.json({ ...status.chain, valid: status.state === 'intact', state: status.state, alarm: status.alarm });
  });

  return router;
}
