/**
 * Which requests a handler may see, as SQL over dsr.requests: the ones assigned to them, the open
 * unassigned ones they may take, and the closed ones they handled. "Handled" means they are the
 * actor of one of its events: every transition, decision and approval is one (the workflow records
 * each with its actor). The DPO, admins and auditors see all (no condition).
 */
import { type Expression, type ExpressionBuilder, type Kysely, type SqlBool } from 'kysely';
import type { Database } from '../database';

type RequestsExpressions = ExpressionBuilder<Database, 'dsr.requests'>;

/**
 * True where `who` is recorded as having acted on the request. An IN over the actor's events
 * (index events_actor_request) is planned as one hashed subquery, not one probe per request.
 */
function handledBy(eb: RequestsExpressions, who: string): Expression<SqlBool> {
  return eb('id', 'in', eb.selectFrom('dsr.events as e').select('e.request_id').where('e.actor', '=', who));
}

/** The requests a handler may see; everything when `who` is undefined (the DPO, admins, auditors). */
export function visibleTo(eb: RequestsExpressions, who: string | undefined): Expression<SqlBool> {
  if (who === undefined) return eb.and([]);
  return eb.or([
    eb('assigned_to', '=', who),
    eb.and([eb('assigned_to', 'is', null), eb('closed_at', 'is', null)]),
    eb.and([eb('closed_at', 'is not', null), handledBy(eb, who)]),
  ]);
}

/** Whether `who` is recorded as having acted on the request (for one request's page or document). */
export async function hasHandled(db: Kysely<Database>, requestId: string, who: string): Promise<boolean> {
  const row = await db
    .selectFrom('dsr.requests')
    .select('id')
    .where('id', '=', requestId)
    .where((eb) => handledBy(eb, who))
    .executeTakeFirst();
  return row !== undefined;
}
