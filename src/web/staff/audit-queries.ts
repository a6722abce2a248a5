/**
 * The reads of the auditor's pages: the request search and one request's complete history. Only
 * reads; the auditor's own views are recorded by the routes through `appendAudit`.
 */
import type { ExpressionBuilder, Expression, Kysely, SqlBool } from 'kysely';
import type { Database } from '../../db/database';
import { auditEntriesForRequest, verifyAuditChain, type AuditEntry, type ChainVerification } from '../../db/repositories/audit';
import { listDecisions, type StoredDecision } from '../../db/repositories/decisions';
import { listDocuments, type StoredDocument } from '../../db/repositories/documents';
import { listEvents, type RequestEvent } from '../../db/repositories/events';
import { listMessages } from '../../db/repositories/outbox';
import { listNotifications, listTransmissions, type RecipientNotification, type Transmission } from '../../db/repositories/recipient-notifications';
import type { Outcome, RequestState, RequestSummary, Right } from '../../domain/request';

/** What the auditor searches by; every field is optional. Dates are Helsinki calendar dates. */
export interface AuditFilter {
  /** Exact reference, compared case-insensitively. */
  reference?: string;
  receivedFrom?: string;
  receivedTo?: string;
  right?: Right;
  /** An outcome, or 'open' for requests not yet decided. */
  outcome?: Outcome | 'open';
}

/** One row of the search results: no personal data. */
export interface AuditRow {
  id: string;
  reference: string;
  right: Right;
  state: RequestState;
  outcome: Outcome | null;
  receivedOn: string;
  closedAt: Date | null;
}

/** A page of matching requests, most recently received first, with the number of all matches. */
export async function searchAuditRequests(
  db: Kysely<Database>,
  f: AuditFilter,
  page: { limit: number; offset: number },
): Promise<{ rows: AuditRow[]; total: number }> {
  const where = (eb: ExpressionBuilder<Database, 'dsr.requests'>): Expression<SqlBool> => {
    const conditions: Expression<SqlBool>[] = [];
    // References are upper case: comparing with the upper-cased input uses the unique index.
    if (f.reference) conditions.push(eb('reference', '=', f.reference.toUpperCase()));
    if (f.receivedFrom) conditions.push(eb('received_on', '>=', f.receivedFrom));
    if (f.receivedTo) conditions.push(eb('received_on', '<=', f.receivedTo));
    if (f.right) conditions.push(eb('right', '=', f.right));
    if (f.outcome === 'open') conditions.push(eb('outcome', 'is', null));
    else if (f.outcome) conditions.push(eb('outcome', '=', f.outcome));
    return eb.and(conditions);
  };
  const [rows, total] = await Promise.all([
    db
      .selectFrom('dsr.requests')
      .select(['id', 'reference', 'right', 'state', 'outcome', 'received_on', 'closed_at'])
      .where(where)
      .orderBy('received_at', 'desc')
      .orderBy('reference')
      .limit(page.limit)
      .offset(page.offset)
      .execute(),
    db
      .selectFrom('dsr.requests')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where(where)
      .executeTakeFirstOrThrow(),
  ]);
  return {
    total: Number(total.n),
    rows: rows.map((r) => ({
      id: r.id,
      reference: r.reference,
      right: r.right as Right,
      state: r.state as RequestState,
      outcome: r.outcome as Outcome | null,
      receivedOn: r.received_on,
      closedAt: r.closed_at ? new Date(r.closed_at) : null,
    })),
  };
}

/** An e-mail as the auditor sees it: what was sent and when, not to whom or what it said. */
export interface SentMessage {
  kind: string;
  messageId: string;
  sentAt: Date | null;
  attempts: number;
}

/** Everything recorded about one request, and the verification of the whole audit chain. */
export interface AuditHistory {
  summary: RequestSummary;
  events: RequestEvent[];
  documents: StoredDocument[];
  messages: SentMessage[];
  decisions: StoredDecision[];
  notifications: RecipientNotification[];
  transmissions: Transmission[];
  links: AuditEntry[];
  chain: ChainVerification;
}

/** The complete history of a request, read after any view of it was recorded. */
export async function loadAuditHistory(db: Kysely<Database>, summary: RequestSummary): Promise<AuditHistory> {
  const id = summary.id;
  const [events, documents, messages, decisions, notifications, transmissions, links, chain] = await Promise.all([
    listEvents(db, id),
    listDocuments(db, id),
    listMessages(db, id),
    listDecisions(db, id),
    listNotifications(db, id),
    listTransmissions(db, id),
    auditEntriesForRequest(db, id),
    verifyAuditChain(db, { fromCheckpoint: true }),
  ]);
  return {
    summary,
    events,
    documents,
    // Addresses, subjects and bodies stay behind: the auditor needs the fact of sending.
    messages: messages.map((m) => ({ kind: m.kind, messageId: m.messageId, sentAt: m.sentAt, attempts: m.attempts })),
    decisions,
    notifications,
    transmissions,
    links,
    chain,
  };
}
