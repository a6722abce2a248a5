/**
 * What staff may see and do, and the actions shared by the staff JSON API and the console's forms:
 * assignment, identity verification reaching linked requests, and planning a restriction lift.
 *
 * Who sees what: the DPO and admins see and act on every request; a handler sees and acts on the
 * requests assigned to them and the unassigned ones they may take (acting on one takes it).
 * Auditors read histories through their own pages and change nothing.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/database';
import { recordTransition, recordTransitionIn } from '../db/repositories/events';
import { assignIfUnchanged, getRequestSummary, listSiblingRequestIds } from '../db/repositories/requests';
import type { RequestSummary } from '../domain/request';
import type { StaffUser } from './staff-auth';
import type { ServiceContext } from './context';
import { ApiError } from './errors';
import type { DecisionInput, DecisionResult, WorkflowGateway } from './workflow-gateway';

/** True for staff who see every request. */
export function seesAll(user: StaffUser): boolean {
  return user.roles.some((r) => r === 'dpo' || r === 'admin');
}

/** Whether the user may see (and, being console staff, act on) the request. */
export function maySee(user: StaffUser, summary: Pick<RequestSummary, 'assignedTo'>): boolean {
  return seesAll(user) || summary.assignedTo === null || summary.assignedTo === user.id;
}

/**
 * The request if it exists and the user may see it: 404 when there is none, 403 naming the holder
 * when another handler holds it (staff may know that; the DPO reassigns).
 */
export async function visibleRequest(db: Kysely<Database>, user: StaffUser, id: string): Promise<RequestSummary> {
  const summary = await getRequestSummary(db, id);
  if (!summary) throw new ApiError(404, 'not_found', 'id: no such request');
  if (!maySee(user, summary)) throw new ApiError(403, 'assigned_elsewhere', `id: the request is assigned to ${summary.assignedTo}; the data protection officer can reassign it`);
  return summary;
}

/**
 * Assigns the request to a staff member (null: releases it). A handler may take an unassigned
 * request or release their own; the DPO assigns anyone. The change applies only if the request is
 * still held as the caller saw it, so two handlers taking it at once cannot both succeed; it is
 * recorded as an event with actor and reason.
 */
export async function assignRequest(db: Kysely<Database>, user: StaffUser, summary: RequestSummary, assignee: string | null, reason?: string): Promise<void> {
  if (summary.closedAt) throw new ApiError(409, 'wrong_state', 'id: the request is closed');
  if (!seesAll(user)) {
    const takes = assignee === user.id && summary.assignedTo === null;
    const releases = assignee === null && summary.assignedTo === user.id;
    if (!takes && !releases) throw new ApiError(403, 'forbidden', 'assignee: a handler may take an unassigned request or release their own; the data protection officer assigns others');
  }
  if (summary.assignedTo === assignee) return;
  await db.transaction().execute(async (trx) => {
    const assigned = await assignIfUnchanged(trx, summary.id, summary.assignedTo, assignee);
    if (!assigned) throw new ApiError(409, 'assigned_meanwhile', 'id: the request was assigned meanwhile; reload it');
    await recordTransitionIn(trx, {
      requestId: summary.id,
      businessKey: `assign:${Date.now()}:${assignee ?? '-'}`,
      type: assignee === null ? 'unassigned' : 'assigned',
      actor: user.id,
      reason: reason?.trim() || undefined,
      data: { assignee, previous: summary.assignedTo },
    });
  });
}

/** A handler whose action on an unassigned request succeeded takes it, so every open request has an owner. */
export async function takeIfUnassigned(db: Kysely<Database>, user: StaffUser, summary: RequestSummary): Promise<void> {
  if (summary.assignedTo === null && !summary.closedAt && user.roles.includes('handler') && !seesAll(user)) {
    await assignRequest(db, user, summary, user.id).catch((error: unknown) => {
      // Someone else took it in the meantime: the action stands, and so does their assignment.
      if (!(error instanceof ApiError && error.code === 'assigned_meanwhile')) throw error;
    });
  }
}

/** GDPR 12(6): a verification reaches every request of the same submission that awaits it. */
export async function verifyIdentityWithLinked(
  db: Kysely<Database>,
  gateway: WorkflowGateway,
  user: StaffUser,
  id: string,
  input: DecisionInput<'verifyIdentity'>,
): Promise<{ result: DecisionResult<'verifyIdentity'>; linked: string[] }> {
  const result = await gateway.decide(id, 'verifyIdentity', input);
  const linked: string[] = [];
  if (input.decision === 'verified') {
    for (const sibling of await listSiblingRequestIds(db, id)) {
      // Only the linked requests this staff member may act on; another handler's stay theirs to verify.
      const summary = await getRequestSummary(db, sibling);
      if (!summary || !maySee(user, summary)) continue;
      const accepted = await gateway.decide(sibling, 'verifyIdentity', input).then(
        () => true,
        () => false,
      );
      if (accepted) linked.push(sibling);
    }
  }
  return { result, linked };
}

/**
 * GDPR 18(3): a restriction is lifted only after the subject has been told; the lift workflow sends
 * the notice first and lifts on the announced date. Returns the lift's key.
 */
export async function planRestrictionLift(
  ctx: Pick<ServiceContext, 'db' | 'gateway'>,
  summary: RequestSummary,
  body: { categories: string[]; liftOn: string; reason: string },
  actor: string,
): Promise<string> {
  if (summary.right !== 'restriction' && summary.right !== 'objection') throw new ApiError(409, 'wrong_state', 'id: only a restriction or an objection can be lifted');
  if (summary.state !== 'closed') throw new ApiError(409, 'wrong_state', 'id: the restriction has not been decided yet');
  const liftKey = `lift:${body.liftOn}:${body.categories.slice().sort().join('+')}`;
  await recordTransition(ctx.db, {
    requestId: summary.id,
    businessKey: `${liftKey}:planned`,
    type: 'restriction_lift_planned',
    actor,
    reason: body.reason,
    data: { liftKey, categories: body.categories, liftOn: body.liftOn },
  });
  await ctx.gateway.startRestrictionLift(summary.id, liftKey);
  return liftKey;
}
