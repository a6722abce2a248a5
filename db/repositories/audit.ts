/**
 * The audit log: append-only (the database refuses updates and deletes, and the engine's role may
 * only add to it) and chained, so that any change to a past entry breaks every link after it. Each
 * link is keyed (HMAC-SHA256, with a key outside the database, named by id) and commits to the
 * content of the row it records, so an insider with the database can neither forge a link nor
 * change what one records. Entries carry ids, kinds and reasons, never copies of personal data.
 * Verification is in audit-verify.ts.
 */
import { createHash } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../database';
import { auditKeys, hmacHex, type AuditKeyRing } from './audit-keys';
import { contentDigest, type LinkRef, type RefKind } from './audit-content';
import { canonicalJson } from './canonical-json';

export { canonicalJson } from './canonical-json';
export type { LinkRef } from './audit-content';

export const GENESIS_HASH = '0'.repeat(64);

export interface AuditEntryInput {
  actor: string;
  action: string;
  requestId: string | null;
  details: Record<string, unknown>;
  at?: Date;
  /** The row this link records; its digest goes into the link. */
  ref?: LinkRef;
}

export interface AuditEntry {
  seq: number;
  at: Date;
  actor: string;
  action: string;
  requestId: string | null;
  details: Record<string, unknown>;
  prevHash: string;
  hash: string;
  /** The HMAC key the link was made with; null for an unkeyed link from before keys existed. */
  keyId: string | null;
  ref: LinkRef | null;
  contentSha256: string | null;
}

/**
 * The hash of one link. Keyed: HMAC-SHA256 over the previous hash, the key id and the entry with
 * the digest of what it records; null when the key is unknown. Unkeyed (legacy, before migration
 * 0009): sha256 over the previous hash and the entry.
 */
export function linkHash(ring: AuditKeyRing, prevHash: string, entry: Omit<AuditEntry, 'hash' | 'prevHash'>): string | null {
  const base = { seq: entry.seq, at: entry.at.toISOString(), actor: entry.actor, action: entry.action, requestId: entry.requestId, details: entry.details };
  if (entry.keyId === null) return createHash('sha256').update(prevHash).update('\n').update(canonicalJson(base)).digest('hex');
  const body = canonicalJson({ ...base, ref: entry.ref, content: entry.contentSha256 });
  return hmacHex(ring, entry.keyId, `${prevHash}\n${entry.keyId}\n${body}`);
}

/**
 * Appends one link. Must run inside a transaction: the advisory lock serialises appenders so the
 * chain never forks, and the entry commits or rolls back with the change it records.
 */
export async function appendAudit(trx: Kysely<Database>, input: AuditEntryInput): Promise<AuditEntry> {
  await sql`SELECT pg_advisory_xact_lock(hashtext('dsr.audit_log'))`.execute(trx);
  const head = await trx
    .selectFrom('dsr.audit_log')
    .select(['seq', 'hash'])
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  const seq = head ? Number(head.seq) + 1 : 1;
  const prevHash = head?.hash ?? GENESIS_HASH;
  // Millisecond precision: PostgreSQL stores microseconds, JS reads back milliseconds.
  const at = new Date(Math.floor((input.at ?? new Date()).getTime()));
  const ring = auditKeys();
  // Read back inside the transaction: the digest is of the row as stored, as verification reads it.
  const contentSha256 = input.ref ? await contentDigest(trx, input.ref) : null;
  if (input.ref && contentSha256 === null) throw new Error(`audit link for ${input.ref.kind} ${input.ref.key}: no such row`);
  const ref = input.ref ? { kind: input.ref.kind, key: input.ref.key } : null;
  const entry = { seq, at, actor: input.actor, action: input.action, requestId: input.requestId, details: input.details, keyId: ring.currentHmacId, ref, contentSha256 };
  const hash = linkHash(ring, prevHash, entry)!;
  await trx
    .insertInto('dsr.audit_log')
    .values({
      seq: String(seq),
      at,
      actor: entry.actor,
      action: entry.action,
      request_id: entry.requestId,
      details: JSON.stringify(entry.details),
      prev_hash: prevHash,
      hash,
      key_id: entry.keyId,
      ref_kind: ref?.kind ?? null,
      ref_key: ref?.key ?? null,
      content_sha256: contentSha256,
    })
    .execute();
  return { ...entry, prevHash, hash };
}

/** The links that concern one request, in order. */
export async function auditEntriesForRequest(db: Kysely<Database>, requestId: string): Promise<AuditEntry[]> {
  const rows = await db.selectFrom('dsr.audit_log').selectAll().where('request_id', '=', requestId).orderBy('seq').execute();
  return rows.map(toEntry);
}

export interface AuditLinkRow {
  seq: string;
  at: Date;
  actor: string;
  action: string;
  request_id: string | null;
  details: Record<string, unknown>;
  prev_hash: string;
  hash: string;
  key_id: string | null;
  ref_kind: string | null;
  ref_key: string | null;
  content_sha256: string | null;
}

export function toEntry(row: AuditLinkRow): AuditEntry {
  return {
    seq: Number(row.seq),
    at: new Date(row.at),
    actor: row.actor,
    action: row.action,
    requestId: row.request_id,
    details: row.details,
    prevHash: row.prev_hash,
    hash: row.hash,
    keyId: row.key_id,
    ref: row.ref_kind && row.ref_key !== null ? { kind: row.ref_kind as RefKind, key: row.ref_key } : null,
    contentSha256: row.content_sha256,
  };
}
