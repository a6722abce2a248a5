/**
 * A staff member's decision, from a JSON body or a form, parsed by its schema into the input of the
 * workflow update it becomes. One parser per decision, each typed by its update's definition, so the
 * compiler checks that every schema yields what the workflow accepts; the pages and the JSON API both
 * parse here.
 */
import { z } from 'zod';
import { parseOrThrow } from './errors';
import { approveSchema, decideSchema, extendSchema, feeSchema, refuseSchema, retryStepSchema, verifyIdentitySchema, withdrawSchema, withholdSchema } from './schemas';
import type { DecisionInput, DecisionName, DecisionResult, WorkflowGateway } from './workflow-gateway';

const paymentSchema = z.object({}).strict();

const PARSERS: { [D in DecisionName]: (body: unknown, actor: string) => DecisionInput<D> } = {
  verifyIdentity: (body, actor) => ({ ...parseOrThrow(verifyIdentitySchema, body), actor }),
  approveAnswer: (body, actor) => ({ ...parseOrThrow(approveSchema, body), actor }),
  extendDeadline: (body, actor) => ({ ...parseOrThrow(extendSchema, body), actor }),
  refuseRequest: (body, actor) => ({ ...parseOrThrow(refuseSchema, body), actor }),
  decideCategories: (body, actor) => ({ ...parseOrThrow(decideSchema, body), actor }),
  withdrawRequest: (body, actor) => ({ ...parseOrThrow(withdrawSchema, body), actor }),
  announceFee: (body, actor) => ({ ...parseOrThrow(feeSchema, body), actor }),
  recordPayment: (body, actor) => ({ ...parseOrThrow(paymentSchema, body), actor }),
  withholdItems: (body, actor) => ({ ...parseOrThrow(withholdSchema, body), actor }),
  retryStep: (body, actor) => ({ ...parseOrThrow(retryStepSchema, body), actor }),
};

/** The update input of `decision` from an untrusted body; a bad field is a 400 naming it (ApiError). */
export function parseDecision<D extends DecisionName>(decision: D, body: unknown, actor: string): DecisionInput<D> {
  return PARSERS[decision](body, actor);
}

/** Parses `body` as the input of `decision` and sends it: one name types both, so they cannot disagree. */
export async function sendDecision<D extends DecisionName>(
  gateway: WorkflowGateway,
  requestId: string,
  decision: D,
  body: unknown,
  actor: string,
): Promise<DecisionResult<D>> {
  return gateway.decide(requestId, decision, parseDecision(decision, body, actor));
}
