/**
 * One request's complete history for the auditor's pages, gathered through the repositories (the
 * search is `searchAuditRequests` in `db/repositories/audit-search`). Only reads; the auditor's own
 * views are recorded by the routes through `appendAudit`.
 */
import { auditEntriesForRequest, type AuditEntry } from '../../db/repositories/audit';
import { checkRequestLinks, type IntegrityDeps, type IntegrityStatus } from '../../services/audit-integrity';
import { listDecisions, type StoredDecision } from '../../db/repositories/decisions';
import { listDocuments, type StoredDocument } from '../../db/repositories/documents';
import { listEvents, type RequestEvent } from '../../db/repositories/events';
import { listMessages } from '../../db/repositories/outbox';
import { listNotifications, listTransmissions, type RecipientNotification, type Transmission } from '../../db/repositories/recipient-notifications';
import type { RequestSummary } from '../../domain/request';

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
  /** This request's links verified against the signed checkpoint, and any open alarm. */
  integrity: IntegrityStatus;
}

/** The complete history of a request, read after any view of it was recorded. */
export async function loadAuditHistory(deps: IntegrityDeps, summary: RequestSummary): Promise<AuditHistory> {
  const { db } = deps;
  const id = summary.id;
  const [events, documents, messages, decisions, notifications, transmissions, links, integrity] = await Promise.all([
    listEvents(db, id),
    listDocuments(db, id),
    listMessages(db, id),
    listDecisions(db, id),
    listNotifications(db, id),
    listTransmissions(db, id),
    auditEntriesForRequest(db, id),
    checkRequestLinks(deps, id),
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
    integrity,
  };
}
