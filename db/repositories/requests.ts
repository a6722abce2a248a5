/** Requests and submissions: all SQL for dsr.submissions and dsr.requests. */
import { sql, type Expression, type ExpressionBuilder, type Kysely, type Selectable, type SqlBool } from 'kysely';
import type { Database } from '../database';
import type { RequestsTable } from '../tables/dsr';
import { visibleTo } from './visibility';
import type {
  Channel,
  IdentityMethod,
  Language,
  Outcome,
  RequestState,
  RequestSummary,
  Right,
  SubjectDetails,
} from '../../domain/request';

export interface NewRequest {
  id: string;
  reference: string;
  right: Right;
  details: Record<string, unknown>;
}

export interface NewSubmission {
  id: string;
  idempotencyKey: string | null;
  receivedAt: Date;
  channel: Channel;
  language: Language;
  accessCodeHash: string;
  identityMethod: IdentityMethod | null;
  subject: SubjectDetails;
  deadlines: {
    receivedOn: string;
    deadline: string;
    deadlineAt: Date;
    extendedDeadline: string;
    extendedDeadlineAt: Date;
    rule: string;
  };
  requests: NewRequest[];
}

/**
 * Stores one submission and its requests (one per right asked for); returns the stored requests in
 * the order given, read back by the insert itself so intake needs no second query for its answer.
 */
export async function insertSubmission(trx: Kysely<Database>, s: NewSubmission): Promise<RequestSummary[]> {
  const verifiedAt = s.identityMethod && s.identityMethod !== 'none' ? s.receivedAt : null;
  // The submission and its requests in one statement (one round trip): the requests' foreign key
  // is checked at the statement's end, when the submission row is there.
  const stored = await trx
    .with('submission', (db) =>
      db.insertInto('dsr.submissions').values({
        id: s.id,
        idempotency_key: s.idempotencyKey,
        received_at: s.receivedAt,
        channel: s.channel,
        language: s.language,
        access_code_hash: s.accessCodeHash,
      }),
    )
    .insertInto('dsr.requests')
    .values(
      s.requests.map((r) => ({
        id: r.id,
        submission_id: s.id,
        reference: r.reference,
        right: r.right,
        state: 'received',
        language: s.language,
        channel: s.channel,
        received_at: s.receivedAt,
        received_on: s.deadlines.receivedOn,
        deadline: s.deadlines.deadline,
        deadline_at: s.deadlines.deadlineAt,
        extended_deadline: s.deadlines.extendedDeadline,
        extended_deadline_at: s.deadlines.extendedDeadlineAt,
        deadline_rule: s.deadlines.rule,
        identity_method: s.identityMethod,
        identity_verified_at: verifiedAt,
        subject_first_name: s.subject.firstName,
        subject_last_name: s.subject.lastName,
        subject_hetu: s.subject.hetu,
        subject_email: s.subject.email,
        subject_phone: s.subject.phone,
        subject_address: s.subject.address,
        details: JSON.stringify(r.details),
      })),
    )
    .returningAll()
    .execute();
  const byId = new Map(stored.map((row) => [row.id, toSummary(row)]));
  return s.requests.map((r) => byId.get(r.id)!);
}

/** The submission an idempotency key already created, with its requests; null when new. */
export async function findSubmissionByIdempotencyKey(
  db: Kysely<Database>,
  key: string,
): Promise<{ submissionId: string; accessCodeHash: string; requests: RequestSummary[] } | null> {
  const submission = await db.selectFrom('dsr.submissions').select(['id', 'access_code_hash']).where('idempotency_key', '=', key).executeTakeFirst();
  if (!submission) return null;
  const rows = await db.selectFrom('dsr.requests').selectAll().where('submission_id', '=', submission.id).orderBy('reference').execute();
  return { submissionId: submission.id, accessCodeHash: submission.access_code_hash, requests: rows.map(toSummary) };
}

export async function getRequestSummary(db: Kysely<Database>, id: string): Promise<RequestSummary | null> {
  const row = await db.selectFrom('dsr.requests').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toSummary(row) : null;
}

export async function findRequestByReference(db: Kysely<Database>, reference: string): Promise<RequestSummary | null> {
  const row = await db.selectFrom('dsr.requests').selectAll().where('reference', '=', reference).executeTakeFirst();
  return row ? toSummary(row) : null;
}

/** The subject as named in the request, with the matched register person when known. */
export async function getRequestSubject(
  db: Kysely<Database>,
  id: string,
): Promise<(SubjectDetails & { personId: string | null }) | null> {
  const row = await db
    .selectFrom('dsr.requests')
    .select(['subject_first_name', 'subject_last_name', 'subject_hetu', 'subject_email', 'subject_phone', 'subject_address', 'person_id'])
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) return null;
  return {
    firstName: row.subject_first_name,
    lastName: row.subject_last_name,
    hetu: row.subject_hetu,
    email: row.subject_email,
    phone: row.subject_phone,
    address: row.subject_address,
    personId: row.person_id,
  };
}

/** The right-specific details intake stored (may hold personal data: proposed corrections). */
export async function getRequestDetails(db: Kysely<Database>, id: string): Promise<Record<string, unknown>> {
  const row = await db.selectFrom('dsr.requests').select('details').where('id', '=', id).executeTakeFirst();
  return row?.details ?? {};
}

/** Stores moved deadlines (the clock-pause setting); the receipt stays as it was. */
export async function updateDeadlines(
  trx: Kysely<Database>,
  id: string,
  d: { deadline: string; deadlineAt: Date; extendedDeadline: string; extendedDeadlineAt: Date; rule: string },
): Promise<void> {
  await trx
    .updateTable('dsr.requests')
    .set({ deadline: d.deadline, deadline_at: d.deadlineAt, extended_deadline: d.extendedDeadline, extended_deadline_at: d.extendedDeadlineAt, deadline_rule: d.rule, updated_at: new Date() })
    .where('id', '=', id)
    .execute();
}

/** The requests of one submission (linked requests share identity), in reference order. */
export async function listSiblingRequestIds(db: Kysely<Database>, id: string): Promise<string[]> {
  const rows = await db
    .selectFrom('dsr.requests as r')
    .innerJoin('dsr.requests as s', 's.submission_id', 'r.submission_id')
    .select('s.id')
    .where('r.id', '=', id)
    .where('s.id', '!=', id)
    .orderBy('s.reference')
    .execute();
  return rows.map((r) => r.id);
}

/** The submission's access-code hash, for the status page and the download's second factor. */
export async function getAccessCodeHash(db: Kysely<Database>, requestId: string): Promise<string | null> {
  const row = await db
    .selectFrom('dsr.requests')
    .innerJoin('dsr.submissions', 'dsr.submissions.id', 'dsr.requests.submission_id')
    .select('dsr.submissions.access_code_hash')
    .where('dsr.requests.id', '=', requestId)
    .executeTakeFirst();
  return row?.access_code_hash ?? null;
}

export interface StateChange {
  state?: RequestState;
  outcome?: Outcome;
  closedAt?: Date;
  extendedAt?: Date;
  identityMethod?: IdentityMethod;
  identityVerifiedAt?: Date;
  personId?: string | null;
  assignedTo?: string | null;
}

/** Applies a state change to the request projection. */
export async function updateRequest(trx: Kysely<Database>, id: string, change: StateChange): Promise<void> {
  const values: Partial<Record<keyof Selectable<RequestsTable>, unknown>> = { updated_at: new Date() };
  if (change.state !== undefined) values.state = change.state;
  if (change.outcome !== undefined) values.outcome = change.outcome;
  if (change.closedAt !== undefined) values.closed_at = change.closedAt;
  if (change.extendedAt !== undefined) values.extended_at = change.extendedAt;
  if (change.identityMethod !== undefined) values.identity_method = change.identityMethod;
  if (change.identityVerifiedAt !== undefined) values.identity_verified_at = change.identityVerifiedAt;
  if (change.personId !== undefined) values.person_id = change.personId;
  if (change.assignedTo !== undefined) values.assigned_to = change.assignedTo;
  await trx.updateTable('dsr.requests').set(values as never).where('id', '=', id).execute();
}

/**
 * Assigns the request to a staff member (null: releases it) only if it is still held by
 * `expectedAssignee`, so two handlers taking it at once cannot both succeed; false when it was not.
 */
export async function assignIfUnchanged(trx: Kysely<Database>, id: string, expectedAssignee: string | null, assignee: string | null): Promise<boolean> {
  const changed = await trx
    .updateTable('dsr.requests')
    .set({ assigned_to: assignee, updated_at: new Date() })
    .where('id', '=', id)
    .where(sql<boolean>`assigned_to IS NOT DISTINCT FROM ${expectedAssignee}`)
    .executeTakeFirst();
  return Number(changed.numUpdatedRows) === 1;
}

export async function markWorkflowStarted(db: Kysely<Database>, id: string, at: Date): Promise<void> {
  await db.updateTable('dsr.requests').set({ workflow_started_at: at }).where('id', '=', id).where('workflow_started_at', 'is', null).execute();
}

/** True when the request is stored and its workflow's start was never confirmed. */
export async function isStoredUnstarted(db: Kysely<Database>, id: string): Promise<boolean> {
  const row = await db.selectFrom('dsr.requests').select('id').where('id', '=', id).where('workflow_started_at', 'is', null).executeTakeFirst();
  return row !== undefined;
}

/** Requests whose workflow was never confirmed started, oldest first (the reconciler's work list). */
export async function listUnstartedRequestIds(db: Kysely<Database>, createdBefore: Date, limit: number): Promise<string[]> {
  const rows = await db
    .selectFrom('dsr.requests')
    .select('id')
    .where('workflow_started_at', 'is', null)
    .where('created_at', '<', createdBefore)
    .orderBy('created_at')
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}

export interface RequestFilter {
  state?: RequestState;
  right?: Right;
  open?: boolean;
  overdueAt?: Date;
  dueBefore?: Date;
  assignedTo?: string;
  /** Only what this handler may see: assigned to them, open and unassigned, or closed and handled by them. */
  visibleTo?: string;
  reference?: string;
  limit: number;
  offset: number;
}

/** Requests for the staff console, soonest deadline first. */
export async function listRequests(db: Kysely<Database>, f: RequestFilter): Promise<RequestSummary[]> {
  let q = db.selectFrom('dsr.requests').selectAll();
  if (f.state) q = q.where('state', '=', f.state);
  if (f.right) q = q.where('right', '=', f.right);
  if (f.open === true) q = q.where('closed_at', 'is', null);
  if (f.open === false) q = q.where('closed_at', 'is not', null);
  if (f.assignedTo) q = q.where('assigned_to', '=', f.assignedTo);
  if (f.visibleTo) {
    const who = f.visibleTo;
    q = q.where((eb) => visibleTo(eb, who));
  }
  if (f.reference) q = q.where('reference', '=', f.reference);
  if (f.overdueAt) {
    const at = f.overdueAt;
    q = q.where('closed_at', 'is', null).where((eb) =>
      eb.or([
        eb.and([eb('extended_at', 'is', null), eb('deadline_at', '<', at)]),
        eb.and([eb('extended_at', 'is not', null), eb('extended_deadline_at', '<', at)]),
      ]),
    );
  }
  if (f.dueBefore) {
    const at = f.dueBefore;
    q = q.where((eb) =>
      eb.or([
        eb.and([eb('extended_at', 'is', null), eb('deadline_at', '<=', at)]),
        eb.and([eb('extended_at', 'is not', null), eb('extended_deadline_at', '<=', at)]),
      ]),
    );
  }
  const rows = await q.orderBy('deadline_at').orderBy('reference').limit(f.limit).offset(f.offset).execute();
  return rows.map(toSummary);
}

function iso(value: Date | string | null): string | null {
  if (value === null) return null;
  return new Date(value).toISOString();
}

function toSummary(row: Selectable<RequestsTable>): RequestSummary {
  return {
    id: row.id,
    submissionId: row.submission_id,
    reference: row.reference,
    right: row.right as Right,
    state: row.state as RequestState,
    outcome: row.outcome as Outcome | null,
    language: row.language as Language,
    channel: row.channel as Channel,
    receivedAt: iso(row.received_at)!,
    receivedOn: row.received_on,
    deadline: row.deadline,
    deadlineAt: iso(row.deadline_at)!,
    extendedDeadline: row.extended_deadline,
    extendedDeadlineAt: iso(row.extended_deadline_at)!,
    deadlineRule: row.deadline_rule,
    extended: row.extended_at !== null,
    identityMethod: row.identity_method as IdentityMethod | null,
    assignedTo: row.assigned_to,
    closedAt: iso(row.closed_at),
    workflowStarted: row.workflow_started_at !== null,
  };
}

/** A condition on dsr.requests, as the console and the auditor's search build them. */
export type RequestsWhere = (eb: ExpressionBuilder<Database, 'dsr.requests'>) => Expression<SqlBool>;

/** How many requests match: the total beside a page of a list. */
export async function countRequestsWhere(db: Kysely<Database>, where: RequestsWhere): Promise<number> {
  const row = await db
    .selectFrom('dsr.requests')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where(where)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The failed step a request in `needs_attention` names (no personal data). */
export interface RequestAttention {
  step: string;
  errorType: string;
  message: string;
  since: Date;
  resumeState: RequestState;
}

/** Puts the request in `needs_attention` with the failed step, inside the caller's transaction. */
export async function markNeedsAttention(trx: Kysely<Database>, id: string, a: RequestAttention): Promise<void> {
  await trx
    .updateTable('dsr.requests')
    .set({
      state: 'needs_attention',
      attention_step: a.step,
      attention_error_type: a.errorType,
      attention_message: a.message,
      attention_since: a.since,
      attention_resume_state: a.resumeState,
      updated_at: new Date(),
    })
    .where('id', '=', id)
    .where('closed_at', 'is', null)
    .execute();
}

/** Clears `needs_attention`: the request returns to the state the failed step left it in. */
export async function clearNeedsAttention(trx: Kysely<Database>, id: string, resumeState: RequestState): Promise<void> {
  // A state another path set meanwhile (say, a fee announced) is kept; the failed step is cleared either way.
  await trx
    .updateTable('dsr.requests')
    .set({
      state: sql<string>`CASE WHEN state = 'needs_attention' THEN ${resumeState} ELSE state END`,
      attention_step: null,
      attention_error_type: null,
      attention_message: null,
      attention_since: null,
      attention_resume_state: null,
      updated_at: new Date(),
    })
    .where('id', '=', id)
    .execute();
}

/** The failed step of a request in `needs_attention`, or null. */
export async function getRequestAttention(db: Kysely<Database>, id: string): Promise<RequestAttention | null> {
  const row = await db
    .selectFrom('dsr.requests')
    .select(['attention_step', 'attention_error_type', 'attention_message', 'attention_since', 'attention_resume_state'])
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row?.attention_step || !row.attention_since) return null;
  return {
    step: row.attention_step,
    errorType: row.attention_error_type ?? '',
    message: row.attention_message ?? '',
    since: new Date(row.attention_since),
    resumeState: (row.attention_resume_state ?? 'in_progress') as RequestState,
  };
}
