/**
 * All SQL of the staff console: the deadline list with its filters, the counts at its top and the
 * load by deadline week. Every query orders and filters by the deadline in force: the extended one
 * once an extension was decided (GDPR 12(3)).
 */
import { countAwaitingRecipientDecision } from './recipient-notifications';
import { sql, type Expression, type ExpressionBuilder, type Kysely, type SqlBool } from 'kysely';
import type { Database } from '../database';
import { countRequestsWhere } from './requests';
import { visibleTo } from './visibility';
import { REQUEST_STATES, type RequestState, type Right } from '../../domain/request';
import { DAY_MS } from '../../domain/calendar';

/** The deadline that applies now, as SQL over dsr.requests. */
const deadlineInForce = sql<Date>`CASE WHEN extended_at IS NULL THEN deadline_at ELSE extended_deadline_at END`;
const deadlineDateInForce = sql<string>`CASE WHEN extended_at IS NULL THEN deadline ELSE extended_deadline END`;

export interface ConsoleFilter {
  state?: RequestState;
  right?: Right;
  /** Open (not closed) requests only, closed only, or both. */
  status: 'open' | 'closed' | 'all';
  /** Not yet overdue, due within this many days. */
  dueWithinDays?: number;
  overdue: boolean;
  extended: boolean;
  /** Waiting for the subject's identity: to be verified, or more information asked (GDPR 12(6)). */
  identityPending: boolean;
  /** Assigned to this staff id; UNASSIGNED for requests nobody has taken. */
  assignee?: string;
  /** A handler's view: their own requests, the open unassigned ones they may take, the closed ones they handled. */
  visibleTo?: string;
}

export const UNASSIGNED = '-';

/** The states in which a request waits for the subject's identity. */
const IDENTITY_PENDING_STATES: readonly RequestState[] = ['awaiting_identity', 'awaiting_information'];

type RequestsExpressions = ExpressionBuilder<Database, 'dsr.requests'>;

/** A handler's requests (own, open unassigned, closed ones they handled); everything for the DPO (undefined). */
function visibility(eb: RequestsExpressions, who: string | undefined): Expression<SqlBool> {
  return visibleTo(eb, who);
}

/** One row of the deadline list: no personal data. */
export interface ConsoleRow {
  id: string;
  reference: string;
  right: Right;
  state: RequestState;
  receivedOn: string;
  /** The deadline in force as a calendar date and as the instant it passes. */
  deadline: string;
  deadlineAt: Date;
  extended: boolean;
  closed: boolean;
  assignedTo: string | null;
}

export interface ConsoleCounts {
  open: number;
  overdue: number;
  dueWithin7Days: number;
  awaitingIdentity: number;
  awaitingDecision: number;
  awaitingApproval: number;
  /** GDPR 19: recipient notices that could not be sent and wait for a handler's decision. */
  recipientDecisions: number;
  /** A step failed for good and waits for a person's retry. */
  needsAttention: number;
}

/** Open requests by deadline week: bucket -1 is overdue, 0..7 the coming eight weeks. */
export interface LoadCell {
  bucket: number;
  state: RequestState;
  count: number;
}

export const CHART_WEEKS = 8;

/** A page of the deadline list, soonest deadline in force first, with the number of all matches. */
export async function listConsoleRequests(
  db: Kysely<Database>,
  f: ConsoleFilter,
  now: Date,
  page: { limit: number; offset: number },
): Promise<{ rows: ConsoleRow[]; total: number }> {
  const where = (eb: RequestsExpressions): Expression<SqlBool> => {
    const conditions: Expression<SqlBool>[] = [visibility(eb, f.visibleTo)];
    if (f.assignee === UNASSIGNED) conditions.push(eb('assigned_to', 'is', null));
    else if (f.assignee) conditions.push(eb('assigned_to', '=', f.assignee));
    if (f.state) conditions.push(eb('state', '=', f.state));
    if (f.right) conditions.push(eb('right', '=', f.right));
    if (f.status === 'open') conditions.push(eb('closed_at', 'is', null));
    if (f.status === 'closed') conditions.push(eb('closed_at', 'is not', null));
    if (f.extended) conditions.push(eb('extended_at', 'is not', null));
    if (f.identityPending) conditions.push(eb('state', 'in', IDENTITY_PENDING_STATES));
    if (f.overdue) conditions.push(eb.and([eb('closed_at', 'is', null), eb(deadlineInForce, '<', now)]));
    if (f.dueWithinDays !== undefined) {
      const until = new Date(now.getTime() + f.dueWithinDays * DAY_MS);
      conditions.push(eb.and([eb(deadlineInForce, '>=', now), eb(deadlineInForce, '<=', until)]));
    }
    return eb.and(conditions);
  };
  const [rows, total] = await Promise.all([
    db
      .selectFrom('dsr.requests')
      .select(['id', 'reference', 'right', 'state', 'received_on', 'extended_at', 'closed_at', 'assigned_to'])
      .select([deadlineInForce.as('deadline_in_force_at'), deadlineDateInForce.as('deadline_in_force')])
      .where(where)
      .orderBy(deadlineInForce)
      .orderBy('reference')
      .limit(page.limit)
      .offset(page.offset)
      .execute(),
    countRequestsWhere(db, where),
  ]);
  return {
    total,
    rows: rows.map((r) => ({
      id: r.id,
      reference: r.reference,
      right: r.right as Right,
      state: r.state as RequestState,
      receivedOn: r.received_on,
      deadline: r.deadline_in_force,
      deadlineAt: new Date(r.deadline_in_force_at),
      extended: r.extended_at !== null,
      closed: r.closed_at !== null,
      assignedTo: r.assigned_to,
    })),
  };
}

/** The numbers at the top of the console, all over open requests. */
export async function consoleCounts(db: Kysely<Database>, now: Date, visibleTo?: string): Promise<ConsoleCounts> {
  const week = new Date(now.getTime() + 7 * DAY_MS);
  const row = await db
    .selectFrom('dsr.requests')
    .select([
      sql<string>`count(*)`.as('open'),
      sql<string>`count(*) FILTER (WHERE ${deadlineInForce} < ${now})`.as('overdue'),
      sql<string>`count(*) FILTER (WHERE ${deadlineInForce} >= ${now} AND ${deadlineInForce} <= ${week})`.as('due7'),
      sql<string>`count(*) FILTER (WHERE state IN (${sql.join(IDENTITY_PENDING_STATES)}))`.as('identity'),
      sql<string>`count(*) FILTER (WHERE state = 'awaiting_decision')`.as('decision'),
      sql<string>`count(*) FILTER (WHERE state = 'awaiting_approval')`.as('approval'),
      sql<string>`count(*) FILTER (WHERE state = 'needs_attention')`.as('attention'),
    ])
    .where('closed_at', 'is', null)
    .where((eb) => visibility(eb, visibleTo))
    .executeTakeFirstOrThrow();
  return {
    open: Number(row.open),
    overdue: Number(row.overdue),
    dueWithin7Days: Number(row.due7),
    awaitingIdentity: Number(row.identity),
    awaitingDecision: Number(row.decision),
    awaitingApproval: Number(row.approval),
    recipientDecisions: await countAwaitingRecipientDecision(db, visibleTo),
    needsAttention: Number(row.attention),
  };
}

/**
 * Open requests counted by deadline week (overdue, then 7-day windows from now) and state; deadlines
 * beyond the last week share bucket CHART_WEEKS, so the buckets add up to the open count.
 */
export async function loadByDeadlineWeek(db: Kysely<Database>, now: Date, visibleTo?: string): Promise<LoadCell[]> {
  const bucket = sql<number>`CASE WHEN ${deadlineInForce} < ${now} THEN -1 ELSE floor(extract(epoch FROM (${deadlineInForce} - ${now}::timestamptz)) / 604800)::int END`;
  const open = db.selectFrom('dsr.requests').select([bucket.as('bucket'), 'state']).where('closed_at', 'is', null).where((eb) => visibility(eb, visibleTo)).as('o');
  const rows = await db.selectFrom(open).select(['o.bucket', 'o.state', sql<string>`count(*)`.as('n')]).groupBy(['o.bucket', 'o.state']).execute();
  return rows
    .map((r) => ({ bucket: Math.min(Number(r.bucket), CHART_WEEKS), state: r.state as RequestState, count: Number(r.n) }))
    .filter((c) => (REQUEST_STATES as readonly string[]).includes(c.state));
}

/** The staff ids requests are assigned to, for the DPO's handler filter. */
export async function listAssignees(db: Kysely<Database>): Promise<string[]> {
  const rows = await db.selectFrom('dsr.requests').select('assigned_to').distinct().where('assigned_to', 'is not', null).orderBy('assigned_to').execute();
  return rows.map((r) => r.assigned_to as string);
}
