/** The staff JSON API: lists from PostgreSQL, decisions as workflow updates. Every decision names its actor. */
import { Router, type Request } from 'express';
import { appendAudit } from '../../db/repositories/audit';
import { getDocumentContent, listDocuments } from '../../db/repositories/documents';
import { listEvents } from '../../db/repositories/events';
import { listDecisions } from '../../db/repositories/decisions';
import { getRequestSubject, listRequests } from '../../db/repositories/requests';
import { requireRole } from '../../services/staff-auth';
import type { ServiceContext } from '../../services/context';
import { ApiError, parseOrThrow } from '../../services/errors';
import { assignSchema, liftRestrictionSchema, listQuerySchema, staffSubmissionSchema } from '../../services/schemas';
import { idempotencyKey, createdBody } from './public';
import type { DecisionName } from '../../services/workflow-gateway';
import { parseDecision } from '../../services/decision-inputs';
import { checkDetailsAgainstDescription } from '../../services/details-check';
import { handlerRequestView } from '../../services/request-view';
import { assignRequest, planRestrictionLift, seesAll, takeIfUnassigned, verifyIdentityWithLinked, visibleRequest } from '../../services/staff-actions';
import { DAY_MS } from '../../domain/calendar';

export function staffRoutes(ctx: ServiceContext): Router {
  const router = Router();
  const handlers = requireRole(ctx.tokens, 'handler', 'dpo');

  router.get('/api/v1/staff/requests', handlers, async (req, res) => {
    const q = parseOrThrow(listQuerySchema, req.query, 'query');
    const now = new Date();
    const items = await listRequests(ctx.db, {
      state: q.state,
      right: q.right,
      open: q.open === undefined ? undefined : q.open === 'true',
      overdueAt: q.overdue ? now : undefined,
      dueBefore: q.dueWithinDays !== undefined ? new Date(now.getTime() + q.dueWithinDays * DAY_MS) : undefined,
      // A handler sees the requests assigned to them and the unassigned ones they may take.
      visibleTo: seesAll(req.staff!) ? undefined : req.staff!.id,
      limit: q.limit,
      offset: q.offset,
    });
    res.json({ items: items.map(({ submissionId: _s, workflowStarted: _w, deadlineRule: _r, deadlineAt: _d, extendedDeadlineAt: _e, ...rest }) => rest) });
  });

  router.post('/api/v1/staff/requests', handlers, async (req, res) => {
    const key = idempotencyKey(req);
    const body = parseOrThrow(staffSubmissionSchema, req.body);
    checkDetailsAgainstDescription(ctx.description, body);
    const result = await ctx.intake.submit({
      ...body,
      receivedAt: new Date(body.receivedAt),
      identityMethod: body.identityMethod === 'none' ? null : body.identityMethod,
      idempotencyKey: key,
      enteredBy: req.staff!.id,
    });
    res.status(result.replayed ? 200 : 201).json(createdBody(result));
  });

  router.get('/api/v1/staff/requests/:id', handlers, async (req, res) => {
    const id = requestId(req);
    const summary = await visibleRequest(ctx.db, req.staff!, id);
    const [subject, events, documents, decisions] = await Promise.all([getRequestSubject(ctx.db, id), listEvents(ctx.db, id), listDocuments(ctx.db, id), listDecisions(ctx.db, id)]);
    const { asked, register } = await handlerRequestView(ctx.db, ctx.description, id, subject);
    // Every staff view of personal data is itself recorded.
    await ctx.db.transaction().execute((trx) => appendAudit(trx, { actor: req.staff!.id, action: 'staff_viewed_request', requestId: id, details: {} }));
    res.json({ request: summary, subject, details: asked, register, events, documents, decisions });
  });

  router.get('/api/v1/staff/documents/:id/content', handlers, async (req, res) => {
    const found = await getDocumentContent(ctx.db, uuidParam(req, 'id'));
    if (!found) throw new ApiError(404, 'not_found', 'id: no such document, or its content was deleted after its retention period');
    await visibleRequest(ctx.db, req.staff!, found.document.requestId);
    await ctx.db.transaction().execute((trx) =>
      appendAudit(trx, { actor: req.staff!.id, action: 'staff_viewed_document', requestId: found.document.requestId, details: { documentId: found.document.id, sha256: found.document.sha256 } }),
    );
    res.type(found.document.mediaType).setHeader('Content-Disposition', `inline; filename="${found.document.filename}"`);
    res.send(found.content);
  });

  const decide = <D extends DecisionName>(name: D) =>
    router.post(`/api/v1/staff/requests/:id/${routeName[name]}`, handlers, async (req, res) => {
      const id = requestId(req);
      const input = parseDecision(name, req.body, req.staff!.id);
      const summary = await visibleRequest(ctx.db, req.staff!, id);
      const result = await ctx.gateway.decide(id, name, input);
      await takeIfUnassigned(ctx.db, req.staff!, summary);
      res.json({ accepted: true, result });
    });
  const routeName: Record<DecisionName, string> = {
    verifyIdentity: 'identity',
    approveAnswer: 'approve',
    extendDeadline: 'extend',
    refuseRequest: 'refuse',
    decideCategories: 'decide',
    withdrawRequest: 'withdraw',
    announceFee: 'fee',
    recordPayment: 'payment',
    withholdItems: 'withhold',
    retryStep: 'retry-step',
  };
  decide('approveAnswer');
  decide('extendDeadline');
  decide('refuseRequest');
  decide('decideCategories');
  decide('withdrawRequest');
  decide('announceFee');
  decide('recordPayment');
  decide('withholdItems');
  decide('retryStep');

  // Linked requests share identity: a verification reaches every request of the submission that awaits it.
  router.post('/api/v1/staff/requests/:id/identity', handlers, async (req, res) => {
    const id = requestId(req);
    const input = parseDecision('verifyIdentity', req.body, req.staff!.id);
    const summary = await visibleRequest(ctx.db, req.staff!, id);
    const { result, linked } = await verifyIdentityWithLinked(ctx.db, ctx.gateway, req.staff!, id, input);
    await takeIfUnassigned(ctx.db, req.staff!, summary);
    res.json({ accepted: true, result, linked });
  });

  // GDPR 18(3): the lift workflow tells the subject first and lifts on the announced date.
  router.post('/api/v1/staff/requests/:id/restriction-lift', handlers, async (req, res) => {
    const id = requestId(req);
    const body = parseOrThrow(liftRestrictionSchema, req.body);
    checkDetailsAgainstDescription(ctx.description, { categories: body.categories });
    const summary = await visibleRequest(ctx.db, req.staff!, id);
    const liftKey = await planRestrictionLift(ctx, summary, body, req.staff!.id);
    res.status(202).json({ accepted: true, liftKey });
  });

  // Handlers take unassigned requests and release their own; the DPO assigns anyone.
  router.post('/api/v1/staff/requests/:id/assignment', handlers, async (req, res) => {
    const id = requestId(req);
    const body = parseOrThrow(assignSchema, req.body);
    const summary = await visibleRequest(ctx.db, req.staff!, id);
    await assignRequest(ctx.db, req.staff!, summary, body.assignee, body.reason);
    res.json({ accepted: true, assignedTo: body.assignee });
  });

  router.get('/api/v1/staff/requests/:id/status', handlers, async (req, res) => {
    const id = requestId(req);
    await visibleRequest(ctx.db, req.staff!, id);
    res.json(await ctx.gateway.status(id));
  });

  return router;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function uuidParam(req: Request, name: string): string {
  const value = String(req.params[name] ?? '');
  if (!UUID.test(value)) throw new ApiError(400, 'validation_failed', `${name}: must be a UUID`, [{ field: name, message: 'must be a UUID' }]);
  return value.toLowerCase();
}

function requestId(req: Request): string {
  return uuidParam(req, 'id');
}
