/**
 * The history as CSV for spreadsheets: UTF-8 with a byte order mark (so Excel reads ä and å),
 * RFC 4180 quoting and CRLF line ends, one row per event, decision, document, e-mail, recipient
 * notification, transmission and audit link. Codes and UTC timestamps make it machine-readable;
 * the `description` column carries the page language's words for people.
 */
import { canonicalJson } from '../../db/repositories/audit';
import { checkpointDigest } from '../../db/repositories/audit-checkpoints';
import type { PageText } from '../i18n';
import type { AuditHistory } from './audit-queries';
import { eventText } from './request-page';

export const CSV_COLUMNS = ['section', 'id', 'at', 'actor', 'type', 'description', 'status', 'reason', 'detail', 'sha256'] as const;
type Column = (typeof CSV_COLUMNS)[number];
type CsvRow = Partial<Record<Column, string | number | null>>;

const BOM = '\uFEFF';

/**
 * A cell as a spreadsheet may safely read it: text a spreadsheet would take as a formula (= + - @,
 * or a tab or carriage return before one) gets an apostrophe in front, then RFC 4180 quoting.
 */
export function csvCell(value: string | number | null | undefined): string {
  let text = value === null || value === undefined ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function iso(at: Date | null | undefined): string {
  return at ? at.toISOString() : '';
}

/** The rows of the history, section by section in the order of the page. */
export function historyCsvRows(t: PageText, h: AuditHistory): CsvRow[] {
  const s = h.summary;
  const rows: CsvRow[] = [
    {
      section: 'request',
      id: s.reference,
      at: s.receivedAt,
      type: s.right,
      description: t(`rights.${s.right}`),
      status: s.outcome ?? s.state,
      detail: `state=${s.state}; channel=${s.channel}; language=${s.language}; deadline=${s.deadline}${s.extended ? `; extended_deadline=${s.extendedDeadline}` : ''}; closed=${s.closedAt ?? ''}`,
    },
  ];
  for (const e of h.events) {
    rows.push({ section: 'event', id: e.id, at: iso(e.at), actor: e.actor, type: e.type, description: eventText(t, e.type), status: e.state, reason: e.reason, detail: e.businessKey });
  }
  for (const d of h.decisions) {
    rows.push({
      section: 'decision',
      id: d.key,
      at: iso(d.decidedAt),
      actor: d.decidedAt ? d.decidedBy : '',
      type: d.kind,
      description: d.category,
      status: d.decidedAt ? d.outcome : 'not_decided',
      reason: d.reason,
      detail: `ground=${d.ground}; proposed=${d.proposedOutcome}; proposed_ground=${d.proposedGround}`,
    });
  }
  for (const d of h.documents) {
    rows.push({
      section: 'document',
      id: d.id,
      at: iso(d.createdAt),
      actor: d.approvedBy,
      type: d.kind,
      description: d.filename,
      status: d.sentAt ? 'sent' : d.approvedAt ? 'approved' : 'created',
      detail: `language=${d.language}; media_type=${d.mediaType}; bytes=${d.byteSize}; approved=${iso(d.approvedAt)}; sent=${iso(d.sentAt)}`,
      sha256: d.sha256,
    });
  }
  for (const m of h.messages) {
    rows.push({ section: 'email', id: m.messageId, at: iso(m.sentAt), type: m.kind, status: m.sentAt ? 'sent' : m.attempts > 0 ? 'failed' : 'pending', detail: `attempts=${m.attempts}` });
  }
  for (const n of h.notifications) {
    rows.push({
      section: 'notification',
      id: n.id,
      at: iso(n.deliveredAt ?? n.decidedAt ?? n.createdAt),
      actor: n.decidedBy,
      type: n.changeKind,
      description: n.recipientKey,
      status: n.status,
      reason: n.notNotifiedReason,
      detail: `channel=${n.channel}; categories=${n.categories.join('|')}; attempts=${n.attempts}; response=${n.responseStatus ?? ''}`,
    });
  }
  for (const x of h.transmissions) {
    rows.push({
      section: 'transmission',
      id: x.id,
      at: iso(x.deliveredAt ?? x.createdAt),
      type: 'portability',
      description: x.endpointUrl,
      status: x.status,
      detail: `documents=${x.documentIds.join('|')}; attempts=${x.attempts}; response=${x.responseStatus ?? ''}`,
    });
  }
  for (const l of h.links) {
    rows.push({ section: 'audit_link', id: l.seq, at: iso(l.at), actor: l.actor, type: l.action, detail: canonicalJson(l.details), sha256: l.hash });
  }
  const c = h.integrity;
  const cp = c.checkpoint;
  rows.push({
    section: 'audit_chain',
    id: c.found.entries,
    status: c.state === 'intact' ? 'valid' : c.state,
    detail: [
      `links=${c.found.entries}`,
      c.found.valid ? null : `broken_at=${c.found.brokenAt ?? ''}; problem=${c.found.problem ?? ''}`,
      c.alarm ? `alarm_at=${c.alarm.brokenAt ?? ''}; alarm_problem=${c.alarm.problem}` : null,
      cp ? `checkpoint_seq=${cp.seq}; checkpoint_at=${cp.at}; checkpoint_key=${cp.keyId}; checkpoint_signature=${cp.signature}` : null,
    ]
      .filter(Boolean)
      .join('; '),
    // A legacy checkpoint's head hash; since per-request chains, the checkpoint's own digest.
    sha256: cp ? (cp.v === 1 ? cp.head : checkpointDigest(cp)) : '',
  });
  return rows;
}

/** The CSV file's bytes: BOM, the header row and the rows, CRLF after every record. */
export function historyCsv(t: PageText, h: AuditHistory): Buffer {
  const lines = [CSV_COLUMNS.join(','), ...historyCsvRows(t, h).map((r) => CSV_COLUMNS.map((c) => csvCell(r[c])).join(','))];
  return Buffer.from(`${BOM}${lines.map((l) => `${l}\r\n`).join('')}`, 'utf8');
}
