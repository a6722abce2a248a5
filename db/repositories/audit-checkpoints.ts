/**
 * Signed checkpoints of the audit log, signed with the Ed25519 key that lives outside the database,
 * stored in dsr.audit_checkpoints AND written as a file to the checkpoint folder, which operators
 * ship elsewhere: deleting links, or checkpoint rows, then contradicts a checkpoint the insider
 * cannot forge or reach. Verification trusts only checkpoints whose signature verifies.
 *
 * Since migration 0015 there is one chain per request, and a checkpoint (version 2) records the
 * heads (chain, chain_seq, seq, hash) a verification found advanced since the checkpoints before
 * it, with its own number and the digest of the checkpoint before: the checkpoints form a signed
 * chain of their own, so a checkpoint row removed leaves a gap, and the newest file in the folder
 * names what the table must still hold. Every chain's newest checkpointed head is the state a later
 * check holds the links against. Version 1 checkpoints ("the global chain had `seq` links, the last
 * one `head`") came before 0015 and now vouch for the legacy chain.
 */
import fs from 'node:fs';
import path from 'node:path';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../database';
import type { CheckpointHead } from '../tables/dsr';
import { GENESIS_HASH } from './audit';
import { publicKeyBase64, sha256Hex, signText, verifySignature, type AuditKeyRing } from './audit-keys';
import { canonicalJson } from './canonical-json';

export type { CheckpointHead } from '../tables/dsr';

interface CheckpointBase {
  /** v1: the global chain's length; v2: the highest seq among the links at the time (for people). */
  seq: number;
  /** When it was made (ISO 8601, milliseconds). */
  at: string;
  keyId: string;
  /** Ed25519 over `checkpointText`, base64. */
  signature: string;
}

/** Before 0015: the global chain had `seq` links and its last was `head`. */
export interface LegacyCheckpoint extends CheckpointBase {
  v: 1;
  head: string;
}

/** Since 0015: the heads that advanced, in the checkpoints' own chain. */
export interface ChainsCheckpoint extends CheckpointBase {
  v: 2;
  number: number;
  /** The digest of checkpoint number - 1 (GENESIS_HASH for the first). */
  prev: string;
  heads: CheckpointHead[];
  /** Every transaction older than this (xid8) had committed or ended when the check began. */
  xmin: string | null;
  /** Left by a check of the whole log (not a continued one). */
  full: boolean;
}

export type SignedCheckpoint = LegacyCheckpoint | ChainsCheckpoint;

/** The signed text. */
export function checkpointText(c: Omit<LegacyCheckpoint, 'signature'> | Omit<ChainsCheckpoint, 'signature'>): string {
  if (c.v === 1) return canonicalJson({ v: 1, kind: 'dsr-audit-checkpoint', seq: c.seq, head: c.head, at: c.at, keyId: c.keyId });
  const heads = [...c.heads].sort((a, b) => (a.c < b.c ? -1 : a.c > b.c ? 1 : 0));
  return canonicalJson({ v: 2, kind: 'dsr-audit-checkpoint', number: c.number, prev: c.prev, seq: c.seq, heads, xmin: c.xmin, full: c.full, at: c.at, keyId: c.keyId });
}

/** What the next checkpoint's `prev` names. */
export function checkpointDigest(c: SignedCheckpoint): string {
  return sha256Hex(checkpointText(c));
}

export function signCheckpoint(ring: AuditKeyRing, c: { seq: number; head: string; at: Date }): LegacyCheckpoint {
  const unsigned = { v: 1 as const, seq: c.seq, head: c.head, at: c.at.toISOString(), keyId: ring.signing.keyId };
  return { ...unsigned, signature: signText(ring, checkpointText(unsigned)).signature };
}

export function checkpointSignatureValid(ring: Pick<AuditKeyRing, 'publicKeys'>, c: SignedCheckpoint): boolean {
  return verifySignature(ring.publicKeys, c.keyId, checkpointText(c), c.signature);
}

const CHECKPOINT_LOCK_CLASS = 0x0a0d18;
/** Heads per checkpoint at most: a request's check, page and export carry the one checkpoint naming it, so each stays small (some 13 KB). */
export const MAX_HEADS = 100;

/**
 * Signs the next checkpoints of the checkpoints' chain with `heads` (several when there are more
 * than MAX_HEADS), stores them, and exports them to `dir` (when set). Returns the last. Checkpoints
 * are rare: one lock numbers them in order.
 */
export async function recordCheckpoint(
  db: Kysely<Database>,
  ring: AuditKeyRing,
  dir: string | null,
  c: { seq: number; heads: CheckpointHead[]; xmin: string | null; fromGenesis: boolean; at?: Date },
): Promise<ChainsCheckpoint> {
  const all = await db.transaction().execute(async (trx) => {
    await sql`SELECT pg_advisory_xact_lock(${CHECKPOINT_LOCK_CLASS}::int, 0)`.execute(trx);
    const before = await trx.selectFrom('dsr.audit_checkpoints').select(['number', 'hash']).where('number', 'is not', null).orderBy('number', 'desc').limit(1).executeTakeFirst();
    const at = new Date(Math.floor((c.at ?? new Date()).getTime()));
    let number = before ? Number(before.number) : 0;
    let prev = before?.hash ?? GENESIS_HASH;
    const made: ChainsCheckpoint[] = [];
    for (let i = 0; i === 0 || i < c.heads.length; i += MAX_HEADS) {
      number += 1;
      const unsigned = { v: 2 as const, number, prev, seq: c.seq, heads: c.heads.slice(i, i + MAX_HEADS), xmin: c.xmin, full: c.fromGenesis, at: at.toISOString(), keyId: ring.signing.keyId };
      const s: ChainsCheckpoint = { ...unsigned, signature: signText(ring, checkpointText(unsigned)).signature };
      prev = checkpointDigest(s);
      await trx
        .insertInto('dsr.audit_checkpoints')
        .values({
          seq: String(s.seq),
          hash: prev,
          from_genesis: c.fromGenesis,
          verified_at: at,
          key_id: s.keyId,
          signature: s.signature,
          number: String(s.number),
          prev_digest: s.prev,
          heads: JSON.stringify(s.heads),
          snapshot_xmin: s.xmin,
        })
        .execute();
      made.push(s);
    }
    return made;
  });
  if (dir) for (const s of all) exportCheckpoint(dir, ring, s);
  return all.at(-1)!;
}

/** The file an operator ships elsewhere: the checkpoint and the public key that verifies it. */
export function checkpointFile(ring: AuditKeyRing, c: SignedCheckpoint): string {
  return `${JSON.stringify({ format: `dsr-audit-checkpoint/${c.v}`, ...c, publicKey: publicKeyBase64(ring.signing.publicKey) }, null, 2)}\n`;
}

function exportCheckpoint(dir: string, ring: AuditKeyRing, c: SignedCheckpoint): void {
  fs.mkdirSync(dir, { recursive: true });
  // Split checkpoints share their seq and time: the number tells them apart (and sorts them).
  const suffix = c.v === 2 ? `-${String(c.number).padStart(8, '0')}` : '';
  const name = `checkpoint-${String(c.seq).padStart(12, '0')}-${c.at.replace(/[:.]/g, '')}${suffix}.json`;
  // Written whole, then renamed: a shipper never picks up half a file.
  const tmp = path.join(dir, `.${name}.tmp`);
  fs.writeFileSync(tmp, checkpointFile(ring, c), { mode: 0o644 });
  fs.renameSync(tmp, path.join(dir, name));
}

type CheckpointRow = {
  id: string;
  from_genesis: boolean;
  seq: string;
  hash: string;
  verified_at: Date;
  key_id: string;
  signature: string;
  number: string | null;
  prev_digest: string | null;
  heads: CheckpointHead[] | null;
  snapshot_xmin: string | null;
};

/** A stored row as the checkpoint it claims to be (its signature still to be checked). */
export function fromRow(r: CheckpointRow): SignedCheckpoint {
  const base = { seq: Number(r.seq), at: new Date(r.verified_at).toISOString(), keyId: r.key_id, signature: r.signature };
  if (r.number === null) return { v: 1, ...base, head: r.hash };
  return { v: 2, ...base, number: Number(r.number), prev: r.prev_digest ?? '', heads: r.heads ?? [], xmin: r.snapshot_xmin, full: r.from_genesis };
}

export interface CheckpointReading {
  /** The newest validly signed checkpoint, from the table or the folder (v2 by number, else v1). */
  newest: SignedCheckpoint | null;
  /** The newest validly signed legacy (v1) checkpoint, from the table or the folder. */
  legacy: LegacyCheckpoint | null;
  /** Validly signed v2 rows of the table, by number. */
  stored: ChainsCheckpoint[];
  /** Validly signed v2 checkpoints of the folder's newest files. */
  exported: ChainsCheckpoint[];
  /** Rows of the table that are unsigned or whose signature does not verify: tampering. */
  forged: { id: number; seq: number }[];
  /** When the newest checkpoint left by a check of the whole log was signed (ISO), or null. */
  lastFull: string | null;
}

/** Reads every stored checkpoint and the newest files of the folder, and checks their signatures. */
export async function readCheckpoints(db: Kysely<Database>, ring: AuditKeyRing, dir: string | null): Promise<CheckpointReading> {
  const rows = await db.selectFrom('dsr.audit_checkpoints').selectAll().orderBy('number').orderBy('seq').orderBy('id').execute();
  const reading: CheckpointReading = { newest: null, legacy: null, stored: [], exported: [], forged: [], lastFull: null };
  for (const r of rows) {
    const c = fromRow(r);
    if (!checkpointSignatureValid(ring, c)) reading.forged.push({ id: Number(r.id), seq: c.seq });
    else if (c.v === 2) reading.stored.push(c);
    else if (!reading.legacy || laterLegacy(c, reading.legacy)) reading.legacy = c;
  }
  for (const c of dir ? folderCheckpoints(ring, dir) : []) {
    if (c.v === 2) reading.exported.push(c);
    else if (!reading.legacy || laterLegacy(c, reading.legacy)) reading.legacy = c;
  }
  const newest = [...reading.stored, ...reading.exported].reduce<ChainsCheckpoint | null>((a, c) => (!a || c.number > a.number ? c : a), null);
  reading.newest = newest ?? reading.legacy;
  for (const c of [...reading.stored, ...reading.exported]) if (c.full && (!reading.lastFull || c.at > reading.lastFull)) reading.lastFull = c.at;
  return reading;
}

function laterLegacy(a: LegacyCheckpoint, b: LegacyCheckpoint): boolean {
  return a.seq > b.seq || (a.seq === b.seq && a.at > b.at);
}

/** Each chain's newest checkpointed head, from every trusted checkpoint (the legacy chain's too). */
export function checkpointedHeads(reading: CheckpointReading, legacyChain: string): Map<string, CheckpointHead> {
  const heads = new Map<string, CheckpointHead>();
  const add = (h: CheckpointHead) => {
    const had = heads.get(h.c);
    if (!had || h.n > had.n) heads.set(h.c, h);
  };
  if (reading.legacy) add({ c: legacyChain, n: reading.legacy.seq, s: reading.legacy.seq, h: reading.legacy.head });
  for (const c of [...reading.stored, ...reading.exported]) c.heads.forEach(add);
  return heads;
}

/**
 * A checkpoint that should be in the table and is not: a gap in the numbers, a back-link that does
 * not match the checkpoint before, or an exported checkpoint the table no longer holds as it was.
 * Returns the seq of the checkpoint after the gap (or of the missing one), or null.
 */
export function missingCheckpoint(reading: CheckpointReading): number | null {
  let prev: ChainsCheckpoint | null = null;
  for (const c of reading.stored) {
    if (c.number !== (prev ? prev.number + 1 : 1) || c.prev !== (prev ? checkpointDigest(prev) : GENESIS_HASH)) return c.seq;
    prev = c;
  }
  const byNumber = new Map(reading.stored.map((c) => [c.number, checkpointDigest(c)]));
  for (const c of reading.exported) if (byNumber.get(c.number) !== checkpointDigest(c)) return c.seq;
  return null;
}

/** The validly signed checkpoints of the folder's newest files; files that do not verify are skipped (the folder is not the insider's). */
export function folderCheckpoints(ring: AuditKeyRing, dir: string): SignedCheckpoint[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir).filter((n) => /^checkpoint-\d{12}-[0-9TZ-]+(-\d{8})?\.json$/.test(n));
  } catch {
    return [];
  }
  const out: SignedCheckpoint[] = [];
  for (const name of names.sort().reverse().slice(0, 20)) {
    const c = parseCheckpoint(fs.readFileSync(path.join(dir, name), 'utf8'));
    if (c && checkpointSignatureValid(ring, c)) out.push(c);
  }
  return out;
}

/**
 * For each of `chains`, its newest head in the checkpoint that names it last, and that checkpoint;
 * the seq of a checkpoint met on the way whose signature does not verify. Reads one (small)
 * checkpoint per chain, through the index on the heads.
 */
export async function headsNaming(
  db: Kysely<Database>,
  ring: AuditKeyRing,
  chains: string[],
): Promise<{ heads: Map<string, CheckpointHead>; checkpoints: Map<string, ChainsCheckpoint>; forged: number | null }> {
  const heads = new Map<string, CheckpointHead>();
  const checkpoints = new Map<string, ChainsCheckpoint>();
  for (let i = 0; i < chains.length; i += 100) {
    // Each checkpoint row once, with the wanted chains it is the newest for.
    const { rows } = await sql<CheckpointRow & { wanted: string[] }>`
      WITH picked AS (
        -- A join, not ORDER BY number LIMIT 1: the heads index finds the few rows naming a chain.
        SELECT DISTINCT ON (w.chain) w.chain, c.id FROM unnest(${chains.slice(i, i + 100)}::text[]) AS w(chain)
        JOIN dsr.audit_checkpoints c ON c.heads @> jsonb_build_array(jsonb_build_object('c', w.chain))
        ORDER BY w.chain, c.number DESC)
      SELECT k.*, array_agg(p.chain) AS wanted FROM picked p JOIN dsr.audit_checkpoints k ON k.id = p.id GROUP BY k.id`.execute(db);
    for (const r of rows) {
      const c = fromRow(r);
      if (c.v !== 2 || !checkpointSignatureValid(ring, c)) return { heads, checkpoints, forged: c.seq };
      for (const wanted of r.wanted) {
        const head = c.heads.find((h) => h.c === wanted);
        if (head) {
          heads.set(wanted, head);
          checkpoints.set(wanted, c);
        }
      }
    }
  }
  return { heads, checkpoints, forged: null };
}

/** The newest checkpoint of the table (by number), its row id, and whether its signature verifies; null when there is none. */
export async function newestStored(db: Kysely<Database>, ring: AuditKeyRing): Promise<{ checkpoint: ChainsCheckpoint; id: number; valid: boolean } | null> {
  const row = await db.selectFrom('dsr.audit_checkpoints').selectAll().where('number', 'is not', null).orderBy('number', 'desc').limit(1).executeTakeFirst();
  if (!row) return null;
  const c = fromRow(row) as ChainsCheckpoint;
  return { checkpoint: c, id: Number(row.id), valid: checkpointSignatureValid(ring, c) };
}

/** The newest legacy (v1) checkpoint of the table, and whether its signature verifies; null when there is none. */
export async function newestLegacy(db: Kysely<Database>, ring: AuditKeyRing): Promise<{ checkpoint: LegacyCheckpoint; valid: boolean } | null> {
  const row = await db.selectFrom('dsr.audit_checkpoints').selectAll().where('number', 'is', null).orderBy('seq', 'desc').orderBy('id', 'desc').limit(1).executeTakeFirst();
  if (!row) return null;
  const c = fromRow(row) as LegacyCheckpoint;
  return { checkpoint: c, valid: checkpointSignatureValid(ring, c) };
}

/**
 * A checkpoint row added after row `id` (or a legacy-shaped one added after the first of the
 * checkpoints' chain, when no more legacy ones are made) whose signature does not verify: its seq.
 */
export async function forgedSince(db: Kysely<Database>, ring: AuditKeyRing, id: number): Promise<number | null> {
  const rows = await db
    .selectFrom('dsr.audit_checkpoints')
    .selectAll()
    .where((eb) =>
      eb.or([
        eb('id', '>', String(id)),
        eb.and([eb('number', 'is', null), eb('id', '>', eb.selectFrom('dsr.audit_checkpoints').select((x) => x.fn.min('id').as('m')).where('number', 'is not', null))]),
      ]),
    )
    .orderBy('id')
    .execute();
  for (const r of rows) {
    const c = fromRow(r);
    if (!checkpointSignatureValid(ring, c)) return c.seq;
  }
  return null;
}

/** Reads a checkpoint from its file or JSON form; null when it is not one. */
export function parseCheckpoint(text: string | unknown): SignedCheckpoint | null {
  let v: unknown;
  try {
    v = typeof text === 'string' ? JSON.parse(text) : text;
  } catch {
    return null;
  }
  const o = v as Record<string, unknown>;
  if (!o || typeof o.seq !== 'number' || typeof o.at !== 'string' || typeof o.keyId !== 'string' || typeof o.signature !== 'string') return null;
  const base = { seq: o.seq, at: o.at, keyId: o.keyId, signature: o.signature };
  if (o.v === 2) {
    if (typeof o.number !== 'number' || typeof o.prev !== 'string' || !Array.isArray(o.heads) || !(o.xmin === null || typeof o.xmin === 'string') || typeof o.full !== 'boolean') return null;
    const heads = (o.heads as Record<string, unknown>[]).filter((h) => h && typeof h.c === 'string' && typeof h.n === 'number' && typeof h.s === 'number' && typeof h.h === 'string');
    if (heads.length !== o.heads.length) return null;
    return { v: 2, ...base, number: o.number, prev: o.prev, heads: heads as unknown as CheckpointHead[], xmin: o.xmin as string | null, full: o.full };
  }
  if (typeof o.head !== 'string') return null;
  return { v: 1, ...base, head: o.head };
}
