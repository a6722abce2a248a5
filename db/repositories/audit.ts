/**
 * The audit log: append-only (the database refuses updates and deletes) and hash-chained, so that
 * any change to a past entry breaks every hash after it. Entries carry ids, kinds and reasons,
 * never copies of personal data.
 */
import { createHash } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../database';

export const GENESIS_HASH = '0'.repeat(64);

export interface AuditEntryInput {
  actor: string;
  action: string;
  requestId: string | null;
  details: Record<string, unknown>;
  at?: Date;
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
}

/** JSON with sorted keys, so the same entry always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** The hash of one link: sha256 over the previous hash and the entry's canonical form. */
export function linkHash(prevHash: string, entry: Omit<AuditEntry, 'hash' | 'prevHash'>): string {
  const body = canonicalJson({
    seq: entry.seq,
    at: entry.at.toISOString(),
    actor: entry.actor,
    action: entry.action,
    requestId: entry.requestId,
    details: entry.details,
  });
  return createHash('sha256').update(prevHash).update('\n').update(body).digest('hex');
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
  const entry = { seq, at, actor: input.actor, action: input.action, requestId: input.requestId, details: input.details };
  const hash = linkHash(prevHash, entry);
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
    })
    .execute();
  return { ...entry, prevHash, hash };
}

export interface ChainVerification {
  valid: boolean;
  entries: number;
  headHash: string;
  /** The first link whose hash or back-link does not match, when invalid. */
  brokenAt?: number;
  problem?: string;
  /** Where this verification started: after a checkpoint (its link and when it was made), or at the genesis. */
  from?: { seq: number; verifiedAt: string; fromGenesis: boolean };
}

/**
 * Walks the chain and recomputes every link: from the genesis, or (`fromCheckpoint`) from the latest
 * checkpoint whose link still carries the hash recorded with it. A chain found valid to its head
 * leaves a checkpoint there.
 */
export async function verifyAuditChain(db: Kysely<Database>, options: { fromCheckpoint?: boolean } = {}): Promise<ChainVerification> {
  const start = options.fromCheckpoint ? await usableCheckpoint(db) : null;
  const result = await walkChain(db, start);
  if (result.valid && result.entries > 0 && (!start || result.entries > start.seq)) {
    await db
      .insertInto('dsr.audit_checkpoints')
      .values({ seq: String(result.entries), hash: result.headHash, from_genesis: start ? false : true })
      .execute();
  }
  return start ? { ...result, from: { seq: start.seq, verifiedAt: start.verifiedAt.toISOString(), fromGenesis: start.fromGenesis } } : result;
}

/**
 * The latest checkpoint whose link is unchanged: it still carries the recorded hash, and its content
 * still gives that hash. A changed link makes its checkpoint unusable, and an earlier one serves.
 */
async function usableCheckpoint(db: Kysely<Database>): Promise<{ seq: number; hash: string; verifiedAt: Date; fromGenesis: boolean } | null> {
  const rows = await db
    .selectFrom('dsr.audit_checkpoints as c')
    .innerJoin('dsr.audit_log as l', (j) => j.onRef('l.seq', '=', 'c.seq').onRef('l.hash', '=', 'c.hash'))
    .selectAll('l')
    .select(['c.verified_at as checkpoint_at', 'c.from_genesis'])
    .orderBy('c.seq', 'desc')
    .orderBy('c.id', 'desc')
    .limit(20)
    .execute();
  for (const row of rows) {
    const entry = toEntry(row);
    if (linkHash(entry.prevHash, entry) === entry.hash) return { seq: entry.seq, hash: entry.hash, verifiedAt: new Date(row.checkpoint_at), fromGenesis: row.from_genesis };
  }
  return null;
}

async function walkChain(db: Kysely<Database>, start: { seq: number; hash: string } | null): Promise<ChainVerification> {
  let prevHash = start?.hash ?? GENESIS_HASH;
  let expectedSeq = (start?.seq ?? 0) + 1;
  let count = start?.seq ?? 0;
  const pageSize = 5000;
  for (;;) {
    const rows = await db
      .selectFrom('dsr.audit_log')
      .selectAll()
      .where('seq', '>=', String(expectedSeq))
      .orderBy('seq')
      .limit(pageSize)
      .execute();
    for (const row of rows) {
      const entry = toEntry(row);
      if (entry.seq !== expectedSeq) return broken(count, prevHash, entry.seq, `sequence gap before ${entry.seq}`);
      if (entry.prevHash !== prevHash) return broken(count, prevHash, entry.seq, 'back-link does not match');
      if (linkHash(prevHash, entry) !== entry.hash) return broken(count, prevHash, entry.seq, 'content does not match its hash');
      prevHash = entry.hash;
      expectedSeq += 1;
      count += 1;
    }
    if (rows.length < pageSize) return { valid: true, entries: count, headHash: prevHash };
  }
}

function broken(entries: number, headHash: string, seq: number, problem: string): ChainVerification {
  return { valid: false, entries, headHash, brokenAt: seq, problem };
}

/** The links that concern one request, in order. */
export async function auditEntriesForRequest(db: Kysely<Database>, requestId: string): Promise<AuditEntry[]> {
  const rows = await db.selectFrom('dsr.audit_log').selectAll().where('request_id', '=', requestId).orderBy('seq').execute();
  return rows.map(toEntry);
}

function toEntry(row: {
  seq: string;
  at: Date;
  actor: string;
  action: string;
  request_id: string | null;
  details: Record<string, unknown>;
  prev_hash: string;
  hash: string;
}): AuditEntry {
  return {
    seq: Number(row.seq),
    at: new Date(row.at),
    actor: row.actor,
    action: row.action,
    requestId: row.request_id,
    details: row.details,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}
