/**
 * What the chaos suite checks once the system has settled, from PostgreSQL and the SMTP sink's
 * record: every acknowledged request stored once; none stuck; every e-mail the outbox holds
 * received once and every e-mail a request must get present; documents per approved request; the
 * audit chain intact.
 */
import fs from 'node:fs';
import { sql } from 'kysely';
import type { Db } from '../../db/database';
import { verifyAuditChain } from '../../db/repositories/audit-verify';
import type { Acknowledged } from './driver';
import { WAITING_FOR_PERSON } from './driver';

export interface Figures {
  requests: number;
  acknowledged: number;
  /** Requests the driver never got an acknowledgement for within the run's bound. */
  unacknowledged: number;
  stored: number;
  lost: number;
  duplicated: number;
  stuck: number;
  closed: number;
  waiting: number;
  needsAttention: number;
  duplicateEmails: number;
  missingEmails: number;
  chain: 'ok' | 'broken';
  lines: string[];
}

interface SinkRecord {
  messageId: string | null;
  kind: string | null;
  /** Sent again after a crash between the accept and the mark (X-DSR-Resend). */
  resend?: boolean;
}

/** Outcomes reached through a handler's approval of a drafted answer. */
const APPROVED = new Set(['answered', 'partially_refused']);

const normalId = (id: string | null) => (id ?? '').trim().replace(/^<|>$/g, '');

export async function checkAfterSettling(db: Db, requests: number, acks: Acknowledged[], sinkFile: string, seed: number): Promise<Figures> {
  const lines: string[] = [];
  const ids = acks.map((a) => a.id);
  const keyPrefix = `chaos-${seed}-`;

  // Stored: the acknowledged ids in dsr.requests; duplicated: an idempotency key with more than one submission, or a submission with more requests than rights asked.
  const stored = ids.length ? await db.selectFrom('dsr.requests').select(['id', 'state', 'outcome', 'right']).where('id', 'in', ids).execute() : [];
  const storedIds = new Set(stored.map((r) => r.id));
  const lost = ids.filter((id) => !storedIds.has(id));
  const perKey = await sql<{ key: string; submissions: string; requests: string }>`
    SELECT s.idempotency_key AS key, count(DISTINCT s.id) AS submissions, count(r.id) AS requests
    FROM dsr.submissions s LEFT JOIN dsr.requests r ON r.submission_id = s.id
    WHERE s.idempotency_key LIKE ${keyPrefix + '%'} GROUP BY s.idempotency_key`.execute(db);
  const duplicated = perKey.rows.reduce((n, r) => n + Math.max(0, Number(r.submissions) - 1) + Math.max(0, Number(r.requests) - Number(r.submissions)), 0);
  const ackedKeys = new Set(acks.map((a) => a.key));
  const unacknowledgedStored = perKey.rows.filter((r) => !ackedKeys.has(r.key)).length;

  const all = await db.selectFrom('dsr.requests').select(['id', 'state', 'outcome', 'right']).execute();
  const open = all.filter((r) => r.state !== 'closed');
  const needsAttention = open.filter((r) => (r.state as string) === 'needs_attention');
  const waiting = open.filter((r) => WAITING_FOR_PERSON.has(r.state));
  const stuck = open.filter((r) => (r.state as string) !== 'needs_attention' && !WAITING_FOR_PERSON.has(r.state));
  const byState = countBy(all.map((r) => `${r.state}${r.outcome ? `/${r.outcome}` : ''}`));
  lines.push(`requests by state: ${fmt(byState)}`);
  if (stuck.length) lines.push(`stuck: ${stuck.map((r) => `${r.id} (${r.right}, ${r.state})`).join('; ')}`);
  for (const r of stuck) lines.push(`  ${r.id}: last events ${(await lastEvents(db, r.id)).join(' > ')}`);
  if (waiting.length) lines.push(`left waiting for a person: ${waiting.map((r) => `${r.id} ${r.state}`).join('; ')}`);

  // E-mails: every outbox row for a request is expected once at the sink, matched by Message-ID.
  const sink: SinkRecord[] = fs.existsSync(sinkFile) ? fs.readFileSync(sinkFile, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as SinkRecord) : [];
  const received = countBy(sink.map((s) => normalId(s.messageId)));
  const outbox = await db.selectFrom('dsr.outbox').select(['request_id', 'kind', 'message_id', 'sent_at', 'resends']).execute();
  const perKind = new Map<string, { rows: number; received: number; duplicates: number; missing: number }>();
  let duplicateEmails = 0;
  let missingEmails = 0;
  let unsent = 0;
  for (const row of outbox) {
    const k = perKind.get(row.kind) ?? { rows: 0, received: 0, duplicates: 0, missing: 0 };
    const n = received[normalId(row.message_id)] ?? 0;
    k.rows += 1;
    k.received += n;
    if (n > 1) k.duplicates += n - 1;
    if (n === 0) k.missing += 1;
    if (!row.sent_at) unsent += 1;
    perKind.set(row.kind, k);
  }
  // A request's own e-mails: one acknowledgement each; a document_ready for each answered request.
  const byRequest = new Map<string, string[]>();
  for (const row of outbox) if (row.request_id) byRequest.set(row.request_id, [...(byRequest.get(row.request_id) ?? []), row.kind]);
  let absentRows = 0;
  let secondRows = 0;
  for (const r of stored) {
    const kinds = byRequest.get(r.id) ?? [];
    const acksOf = kinds.filter((k) => k === 'acknowledgement').length;
    if (acksOf === 0) absentRows += 1;
    if (acksOf > 1) secondRows += acksOf - 1;
    if (r.state === 'closed' && APPROVED.has(r.outcome ?? '') && !kinds.includes('document_ready')) absentRows += 1;
  }
  for (const k of perKind.values()) {
    duplicateEmails += k.duplicates;
    missingEmails += k.missing;
  }
  duplicateEmails += secondRows;
  missingEmails += absentRows;
  const unknown = sink.filter((s) => !outbox.some((o) => normalId(o.message_id) === normalId(s.messageId))).length;
  lines.push(`e-mails at the sink: ${sink.length} (${unknown} not from the outbox); outbox rows: ${outbox.length}, unsent: ${unsent}`);
  // Resends: a crash between the SMTP accept and the outbox's mark sends a message again, under its
  // Message-ID and marked X-DSR-Resend; the outbox counts them. Reported as a rate of all messages.
  const resends = outbox.reduce((n, row) => n + Number(row.resends), 0);
  const markedAtSink = sink.filter((s) => s.resend).length;
  const unmarkedRepeats = Object.values(received).reduce((n, c) => n + Math.max(0, c - 1), 0) - markedAtSink;
  lines.push(`resends: ${resends} of ${outbox.length} outbox messages (${outbox.length ? ((100 * resends) / outbox.length).toFixed(2) : '0.00'}%); marked resends at the sink: ${markedAtSink}; repeats at the sink without the mark: ${Math.max(0, unmarkedRepeats)}`);
  for (const [kind, k] of [...perKind.entries()].sort()) lines.push(`  ${kind}: rows ${k.rows}, received ${k.received}, duplicates ${k.duplicates}, missing ${k.missing}`);
  if (absentRows || secondRows) lines.push(`  expected e-mails with no outbox row: ${absentRows}; second acknowledgement rows: ${secondRows}`);

  // Documents per approved request (approved: closed and answered).
  const docs = await sql<{ request_id: string; documents: string; approved: string; sent: string }>`
    SELECT request_id, count(*) AS documents, count(approved_at) AS approved, count(sent_at) AS sent FROM dsr.documents GROUP BY request_id`.execute(db);
  const docsOf = new Map(docs.rows.map((d) => [d.request_id, d]));
  const answered = stored.filter((r) => r.state === 'closed' && APPROVED.has(r.outcome ?? ''));
  const approvedCounts = countBy(answered.map((r) => `${docsOf.get(r.id)?.approved ?? 0} approved/${docsOf.get(r.id)?.documents ?? 0} documents`));
  const noApproved = answered.filter((r) => Number(docsOf.get(r.id)?.approved ?? 0) !== 1);
  lines.push(`documents per approved request: ${fmt(approvedCounts)}${noApproved.length ? `; not exactly one approved: ${noApproved.map((r) => r.id).join(', ')}` : ''}`);

  const chain = await verifyAuditChain(db);
  lines.push(`audit chain: ${chain.valid ? 'ok' : `broken at ${chain.brokenAt}: ${chain.problem}`} (${chain.entries} links)`);
  lines.push(`acknowledged ${acks.length} of ${requests}; stored ${stored.length}; lost ${lost.length}${lost.length ? ` (${lost.join(', ')})` : ''}; duplicated ${duplicated}; stored but never acknowledged ${unacknowledgedStored}`);

  return {
    requests,
    acknowledged: acks.length,
    stored: stored.length,
    unacknowledged: requests - acks.length,
    lost: lost.length,
    duplicated,
    stuck: stuck.length,
    closed: all.length - open.length,
    waiting: waiting.length,
    needsAttention: needsAttention.length,
    duplicateEmails,
    missingEmails,
    chain: chain.valid ? 'ok' : 'broken',
    lines,
  };
}

async function lastEvents(db: Db, requestId: string): Promise<string[]> {
  const rows = await db.selectFrom('dsr.events').select(['type']).where('request_id', '=', requestId).orderBy('at', 'desc').limit(4).execute();
  return rows.map((r) => r.type).reverse();
}

function countBy(values: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of values) out[v] = (out[v] ?? 0) + 1;
  return out;
}

function fmt(counts: Record<string, number>): string {
  return Object.entries(counts)
    .sort()
    .map(([k, n]) => `${k}=${n}`)
    .join(' ');
}
