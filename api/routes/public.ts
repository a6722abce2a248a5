/** Public intake and status (residents). */
import { Router, type Request } from 'express';
import type { ServiceContext } from '../../services/context';
import { ApiError, parseOrThrow } from '../../services/errors';
import { publicSubmissionSchema, publicWithdrawSchema, statusLookupSchema } from '../../services/schemas';
import { clientOf, requestByAccessCode } from '../../services/access-lookup';
import type { SubmissionResult } from '../../services/intake';
import { checkDetailsAgainstDescription } from '../../services/details-check';

const IDEMPOTENCY_KEY = /^[A-Za-z0-9_.:-]{8,200}$/;

export function idempotencyKey(req: Request): string | null {
  const key = req.get('idempotency-key');
  if (key === undefined) return null;
  if (!IDEMPOTENCY_KEY.test(key)) throw new ApiError(400, 'validation_failed', 'Idempotency-Key: must be 8-200 characters of A-Z a-z 0-9 _ . : -', [{ field: 'Idempotency-Key', message: 'must be 8-200 characters of A-Z a-z 0-9 _ . : -' }]);
  return key;
}

/** The 201 body: the first request's fields at the top, every linked request listed. */
export function createdBody(result: SubmissionResult) {
  const first = result.requests[0];
  return {
    id: first.id,
    reference: first.reference,
    receivedAt: first.receivedAt,
    receivedOn: first.receivedOn,
    deadline: first.deadline,
    extendedDeadline: first.extendedDeadline,
    accessCode: result.accessCode,
    requests: result.requests.map((r) => ({ id: r.id, reference: r.reference, right: r.right, deadline: r.deadline })),
  };
}

export function publicRoutes(ctx: ServiceContext): Router {
  const router = Router();

  router.post('/api/v1/requests', async (req, res) => {
    const key = idempotencyKey(req);
    const body = parseOrThrow(publicSubmissionSchema, req.body);
    checkDetailsAgainstDescription(ctx.description, body);
    // Each new submission sends an acknowledgement to its address: one address gets only so many.
    // The count runs beside intake's transaction, which commits only once the count admits it.
    const counting = body.subject.email ? ctx.limits.submission(body.subject.email) : Promise.resolve(null);
    counting.catch(() => undefined);
    const result = await ctx.intake.submit(
      {
        ...body,
        channel: 'e_form',
        receivedAt: new Date(),
        identityMethod: null,
        idempotencyKey: key,
        enteredBy: 'subject',
      },
      counting,
    );
    const counted = await counting;
    if (result.replayed) await counted?.release();
    if (!result.replayed) for (const r of result.requests) ctx.metrics.submissions.inc({ right: r.right, channel: r.channel });
    res.status(result.replayed ? 200 : 201).json(createdBody(result));
  });

  // The subject may withdraw a request at any time before it closes.
  router.post('/api/v1/requests/withdraw', async (req, res) => {
    const body = parseOrThrow(publicWithdrawSchema, req.body);
    const summary = await requestByAccessCode(ctx, body.reference, body.accessCode, clientOf(req));
    await ctx.gateway.decide(summary.id, 'withdrawRequest', { actor: 'subject', note: body.note });
    res.json({ accepted: true, reference: summary.reference });
  });

  router.post('/api/v1/requests/status', async (req, res) => {
    const body = parseOrThrow(statusLookupSchema, req.body);
    const summary = await requestByAccessCode(ctx, body.reference, body.accessCode, clientOf(req));
    res.json({
      reference: summary.reference,
      right: summary.right,
      state: summary.state,
      outcome: summary.outcome,
      receivedOn: summary.receivedOn,
      deadline: summary.extended ? summary.extendedDeadline : summary.deadline,
      extended: summary.extended,
    });
  });

  return router;
}
