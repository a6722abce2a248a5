/**
 * The audit log: append-only (the database refuses updates and deletes, and the engine's role may
 * only add to it) and chained, one chain per request (migration 0015; links of no request form the
 * system chain), so that any change to a past entry breaks every link after it in its chain. Each
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
/** The chain of links that concern no request (incident notes, retention purges). */
export const SYSTEM_CHAIN = 'system';
/** How checkpoints name the global chain of links written before migration 0015 (chain NULL). */
export const LEGACY_CHAIN = 'legacy';

/** The chain a link of `requestId` belongs to: one per request, one for the rest. */
export function chainOf(requestId: string | null): string {
  return requestId ?? SYSTEM_CHAIN;
}

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
  /** Global order of appending (a sequence since 0015: gaps from rolled-back transactions). */
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
  /** The chain (request id or 'system') and the place in it; null for a legacy link (before 0015). */
  chain: string | null;
  chainSeq: number | null;
}

/**
 * The hash of one link. Keyed: HMAC-SHA256 over the previous hash, the key id and the entry with
 * the digest of what it records, and, for a link of a per-request chain, the chain and its place in
 * it (so a link moved or renumbered no longer verifies); null when the key is unknown. Unkeyed
 * (legacy, before migration 0009): sha256 over the previous hash and the entry.
 */
export function linkHash(ring: AuditKeyRing, prevHash: string, entry: Omit<AuditEntry, 'hash' | 'prevHash'>): string | null {
  const base = { seq: entry.seq, at: entry.at.toISOString(), actor: entry.actor, action: entry.action, requestId: entry.requestId, details: entry.details };
  if (entry.keyId === null) return createHash('sha256').update(prevHash).update('\n').update(canonicalJson(base)).digest('hex');
  const place = entry.chain === null ? {} : { chain: entry.chain, chainSeq: entry.chainSeq };
  const body = canonicalJson({ ...base, ...place, ref: entry.ref, content: entry.contentSha256 });
  return hmacHex(ring, entry.keyId, `${prevHash}\n${entry.keyId}\n${body}`);
}

/** The advisory lock class of the audit chains; the object is the chain's name hashed. */
const CHAIN_LOCK_CLASS = 0x0a0d17;

/**
 * Appends one link to its request's chain. Must run inside a transaction: the advisory lock of that
 * one chain serialises its appenders (transitions of one request are serial anyway; other requests
 * do not wait), the unique (chain, chain_seq) index refuses a fork should two ever race, and the
 * entry commits or rolls back with the change it records.
 */
export async function appendAudit(trx: Kysely<Database>, input: AuditEntryInput): Promise<AuditEntry> {
  const chain = chainOf(input.requestId);
  await sql`SELECT pg_advisory_xact_lock(${CHAIN_LOCK_CLASS}::int, hashtext(${chain}))`.execute(trx);
  // The chain's head, read under its lock, and the link's number, in one round trip.
  const { rows: firsts } = await sql<{ seq: string; chain_seq: string | null; hash: string | null }>`
    SELECT nextval('dsr.audit_log_seq') AS seq, head.chain_seq, head.hash
    FROM (SELECT 1) AS one
    LEFT JOIN LATERAL (SELECT chain_seq, hash FROM dsr.audit_log WHERE chain = ${chain} ORDER BY chain_seq DESC LIMIT 1) AS head ON true`.execute(trx);
  const head = firsts[0].hash === null ? undefined : { chain_seq: firsts[0].chain_seq!, hash: firsts[0].hash };
  const chainSeq = head ? Number(head.chain_seq) + 1 : 1;
  const prevHash = head?.hash ?? GENESIS_HASH;
  // Millisecond precision: PostgreSQL stores microseconds, JS reads back milliseconds.
  const at = new Date(Math.floor((input.at ?? new Date()).getTime()));
  const ring = auditKeys();
  // Read back inside the transaction: the digest is of the row as stored, as verification reads it.
  const contentSha256 = input.ref ? await contentDigest(trx, input.ref) : null;
  if (input.ref && contentSha256 === null) throw new Error(`audit link for ${input.ref.kind} ${input.ref.key}: no such row`);
  const ref = input.ref ? { kind: input.ref.kind, key: input.ref.key } : null;
  // A number someone put in ahead of the sequence is skipped (verification reports that link), a few times at most.
  let seq = Number(firsts[0].seq);
  for (let attempt = 0; attempt < 5; attempt++) {
    if (attempt > 0) seq = Number((await sql<{ seq: string }>`SELECT nextval('dsr.audit_log_seq') AS seq`.execute(trx)).rows[0].seq);
    const entry = { seq, at, actor: input.actor, action: input.action, requestId: input.requestId, details: input.details, keyId: ring.currentHmacId, ref, contentSha256, chain, chainSeq };
    const hash = linkHash(ring, prevHash, entry)!;
    const inserted = await trx
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
        chain,
        chain_seq: String(chainSeq),
      })
      .onConflict((oc) => oc.column('seq').doNothing())
      .returning('seq')
      .executeTakeFirst();
    if (inserted) return { ...entry, prevHash, hash };
  }
  throw new Error('audit link: every number the sequence gave was taken');
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
  chain: string | null;
  chain_seq: string | null;
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
    chain: row.chain,
    chainSeq: row.chain_seq === null ? null : Number(row.chain_seq),
  };
}
