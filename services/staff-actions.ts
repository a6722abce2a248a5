/**
 * What staff may see and do, and the actions shared by the staff JSON API and the console's forms:
 * assignment, identity verification reaching linked requests, and planning a restriction lift.
 *
 * Who sees what (one rule for the pages, the JSON API and document downloads): the DPO, admins and
 * auditors see every request (auditors read only, through their own views); a handler sees the
 * requests assigned to them, the open unassigned ones they may take (acting on one takes it), and
 * the closed ones they handled (recorded as an actor on it, or assigned at closing). The console
 * lists use the same rule in SQL (db/repositories/visibility.ts).
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/database';
import { recordTransition, recordTransitionIn } from '../db/repositories/events';
import { assignIfUnchanged, getRequestSummary, listSiblingRequestIds } from '../db/repositories/requests';
import { hasHandled } from '../db/repositories/visibility';
import type { RequestSummary } from '../domain/request';
import type { StaffUser } from './staff-auth';
import type { ServiceContext } from './context';
import { ApiError } from './errors';
import type { DecisionInput, DecisionResult, WorkflowGateway } from './workflow-gateway';

/** True for staff who see every request: the DPO, admins and auditors. */
export function seesAll(user: StaffUser): boolean {
  return user.roles.some((r) => r === 'dpo' || r === 'admin' || r === 'auditor');
}

/** True for staff who assign and act on every request: the DPO and admins. */
export function managesAll(user: StaffUser): boolean {
  return user.roles.some((r) => r === 'dpo' || r === 'admin');
}

/**
 * Whether the user may see the request, given whether they handled it (only asked for a closed
 * request that is not theirs). Console staff act on what they may see.
 */
export function maySee(user: StaffUser, summary: Pick<RequestSummary, 'assignedTo' | 'closedAt'>, handled = false): boolean {
  if (seesAll(user) || summary.assignedTo === user.id) return true;
  if (summary.closedAt) return handled;
  return summary.assignedTo === null;
}

/** `maySee`, looking up whether the user handled the request only when that decides it. */
export async function mayAccess(db: Kysely<Database>, user: StaffUser, summary: Pick<RequestSummary, 'id' | 'assignedTo' | 'closedAt'>): Promise<boolean> {
  if (maySee(user, summary)) return true;
  return summary.closedAt !== null && maySee(user, summary, await hasHandled(db, summary.id, user.id));
}

/**
 * Why the user may not see the request: 403 for every existing request outside their view (staff
 * may know a request exists; 404 is kept for ids that name none). An open one names its holder,
 * since the DPO reassigns; a closed one says it was handled by others.
 */
export function notVisible(summary: Pick<RequestSummary, 'assignedTo' | 'closedAt'>): ApiError {
  if (!summary.closedAt && summary.assignedTo) return new ApiError(403, 'assigned_elsewhere', `id: the request is assigned to ${summary.assignedTo}; the data protection officer can reassign it`);
  return new ApiError(403, 'not_handled', 'id: the request is closed and you did not handle it; the data protection officer and auditors can see it');
}

/** The request if it exists and the user may see it: 404 when there is none, 403 (see notVisible) otherwise. */
export async function visibleRequest(db: Kysely<Database>, user: StaffUser, id: string): Promise<RequestSummary> {
  const summary = await getRequestSummary(db, id);
  if (!summary) throw new ApiError(404, 'not_found', 'id: no such request');
  if (!(await mayAccess(db, user, summary))) throw notVisible(summary);
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
  if (!managesAll(user)) {
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
  if (summary.assignedTo === null && !summary.closedAt && user.roles.includes('handler') && !managesAll(user)) {
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
