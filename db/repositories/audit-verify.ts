/**
 * Verification of the audit chain. The default check walks every link from the genesis: each must
 * follow the one before (number and back-link), carry the keyed hash only the key's holder can make,
 * and still match the row it records. The chain is then held against the newest validly signed
 * checkpoint (stored or exported): it must be at least that long and carry the checkpointed head at
 * that position. A checkpoint row whose signature does not verify is itself tampering.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../database';
import { GENESIS_HASH, linkHash, toEntry, type AuditEntry } from './audit';
import { contentDigests, refId } from './audit-content';
import { readCheckpoints, recordCheckpoint, type SignedCheckpoint } from './audit-checkpoints';
import { auditKeys, sameHex, type AuditKeyRing } from './audit-keys';

/** What went wrong, as a stable code (the pages name it from the catalogs: audit.problem.<code>). */
export const CHAIN_PROBLEMS = [
  'sequence_gap',
  'back_link_mismatch',
  'link_forged',
  'unknown_key',
  'unkeyed_link',
  'content_changed',
  'content_missing',
  'checkpoint_forged',
  'chain_shorter_than_checkpoint',
  'checkpoint_head_mismatch',
  'unlinked_row',
] as const;
export type ChainProblem = (typeof CHAIN_PROBLEMS)[number];

export interface ChainVerification {
  valid: boolean;
  entries: number;
  headHash: string;
  /** The first link found wrong (or the checkpointed position), when invalid. */
  brokenAt?: number;
  problem?: ChainProblem;
  /** The newest validly signed checkpoint the chain was held against; null when there is none yet. */
  checkpoint: SignedCheckpoint | null;
  /** The checkpoint this verification left at the head (a valid chain that grew), if any. */
  recorded?: SignedCheckpoint;
  /** Where a continued check started (the fast path): a signed checkpoint. */
  from?: { seq: number; verifiedAt: string };
}

export interface VerifyOptions {
  /** Continue from the newest signed checkpoint whose link still verifies, instead of the genesis. */
  fromCheckpoint?: boolean;
  /** The checkpoint folder: read for the newest checkpoint, and written to. */
  checkpointDir?: string | null;
  /** false: leave no checkpoint (a read-only check). Default true. */
  record?: boolean;
  keys?: AuditKeyRing;
}

type Broken = { brokenAt: number; problem: ChainProblem };

/** Verifies the chain (see the file's comment); a valid chain that grew leaves a signed checkpoint at its head. */
export async function verifyAuditChain(db: Kysely<Database>, options: VerifyOptions = {}): Promise<ChainVerification> {
  const ring = options.keys ?? auditKeys();
  const dir = options.checkpointDir ?? null;
  const { newest, forged } = await readCheckpoints(db, ring, dir);
  const start = options.fromCheckpoint && newest ? await startingPoint(db, ring, newest) : null;
  const walked = await walkChain(db, ring, start, newest);
  const result: ChainVerification = { ...walked.result, checkpoint: newest };
  if (start) result.from = { seq: start.seq, verifiedAt: start.at };
  if (result.valid && newest && result.entries < newest.seq) Object.assign(result, invalid(newest.seq, 'chain_shorter_than_checkpoint'));
  if (result.valid && forged.length > 0) Object.assign(result, invalid(forged[0].seq, 'checkpoint_forged'));
  if (result.valid) {
    const unrecorded = await unrecordedPurge(db, ring, null);
    if (unrecorded !== null) Object.assign(result, invalid(unrecorded, 'content_changed'));
  }
  if (result.valid && ring.legacyUntilSeq === 0 && (await unlinkedRow(db, null))) Object.assign(result, invalid(result.entries + 1, 'unlinked_row'));
  if (result.valid && (options.record ?? true) && result.entries > 0 && (!newest || result.entries > newest.seq)) {
    result.recorded = await recordCheckpoint(db, ring, dir, { seq: result.entries, head: result.headHash, fromGenesis: !start });
  }
  return result;
}

function invalid(brokenAt: number, problem: ChainProblem): { valid: false } & Broken {
  return { valid: false, brokenAt, problem };
}

/** The fast path starts at a signed checkpoint only when its link still carries the head and its keyed hash. */
async function startingPoint(db: Kysely<Database>, ring: AuditKeyRing, c: SignedCheckpoint): Promise<SignedCheckpoint | null> {
  const row = await db.selectFrom('dsr.audit_log').selectAll().where('seq', '=', String(c.seq)).executeTakeFirst();
  if (!row) return null;
  const entry = toEntry(row);
  return checkLink(ring, entry, entry.prevHash) === null && entry.hash === c.head ? c : null;
}

/** The problem with one link given the hash before it, or null when it is sound (its content is checked apart). */
function checkLink(ring: AuditKeyRing, entry: AuditEntry, prevHash: string): ChainProblem | null {
  if (entry.prevHash !== prevHash) return 'back_link_mismatch';
  if (entry.keyId === null && entry.seq > ring.legacyUntilSeq) return 'unkeyed_link';
  const expected = linkHash(ring, prevHash, entry);
  if (expected === null) return 'unknown_key';
  return sameHex(expected, entry.hash) ? null : 'link_forged';
}

async function walkChain(
  db: Kysely<Database>,
  ring: AuditKeyRing,
  start: SignedCheckpoint | null,
  checkpoint: SignedCheckpoint | null,
): Promise<{ result: Omit<ChainVerification, 'checkpoint'> }> {
  let prevHash = start?.head ?? GENESIS_HASH;
  let expectedSeq = (start?.seq ?? 0) + 1;
  let count = start?.seq ?? 0;
  // A decision may be decided again: only its latest link must match the row as it is now.
  const latestDecision = new Map<string, AuditEntry>();
  const pageSize = 2000;
  const fail = (seq: number, problem: ChainProblem) => ({ result: { valid: false, entries: count, headHash: prevHash, brokenAt: seq, problem } });
  for (;;) {
    const rows = await db.selectFrom('dsr.audit_log').selectAll().where('seq', '>=', String(expectedSeq)).orderBy('seq').limit(pageSize).execute();
    const entries = rows.map(toEntry);
    const digests = await contentDigests(db, entries.flatMap((e) => (e.ref && e.ref.kind !== 'decision' ? [e.ref] : [])));
    for (const entry of entries) {
      if (entry.seq !== expectedSeq) return fail(expectedSeq, 'sequence_gap');
      const problem = checkLink(ring, entry, prevHash);
      if (problem) return fail(entry.seq, problem);
      if (entry.ref?.kind === 'decision') latestDecision.set(refId(entry.ref), entry);
      else if (entry.ref) {
        const now = digests.get(refId(entry.ref)) ?? null;
        if (now === null) return fail(entry.seq, 'content_missing');
        if (now !== entry.contentSha256) return fail(entry.seq, 'content_changed');
      }
      if (checkpoint && entry.seq === checkpoint.seq && entry.hash !== checkpoint.head) return fail(entry.seq, 'checkpoint_head_mismatch');
      prevHash = entry.hash;
      expectedSeq += 1;
      count += 1;
    }
    if (rows.length < pageSize) break;
  }
  const decisions = [...latestDecision.values()];
  const now = await contentDigests(db, decisions.map((e) => e.ref!));
  for (const entry of decisions.sort((a, b) => a.seq - b.seq)) {
    const digest = now.get(refId(entry.ref!)) ?? null;
    if (digest === null) return fail(entry.seq, 'content_missing');
    if (digest !== entry.contentSha256) return fail(entry.seq, 'content_changed');
  }
  return { result: { valid: true, entries: count, headHash: prevHash } };
}

/**
 * An event or document that no link records: put in behind the engine's back (every one the
 * engine stores is linked in its transaction). Skipped for a chain begun before links recorded rows.
 */
async function unlinkedRow(db: Kysely<Database>, requestId: string | null): Promise<string | null> {
  const { rows } = await sql<{ id: string }>`
    (SELECT e.id::text AS id FROM dsr.events e
      WHERE (${requestId}::uuid IS NULL OR e.request_id = ${requestId}::uuid)
        AND NOT EXISTS (SELECT 1 FROM dsr.audit_log l WHERE l.ref_kind = 'event' AND l.ref_key = e.id::text) LIMIT 1)
    UNION ALL
    (SELECT d.id::text FROM dsr.documents d
      WHERE (${requestId}::uuid IS NULL OR d.request_id = ${requestId}::uuid)
        AND NOT EXISTS (SELECT 1 FROM dsr.audit_log l WHERE l.ref_kind = 'document' AND l.ref_key = d.id::text) LIMIT 1)
    LIMIT 1`.execute(db);
  return rows[0]?.id ?? null;
}

/**
 * A document marked purged that no keyed retention_purge link names: its content was cleared (or it
 * was made to read as absent) behind the engine's back. A purged document's link is checked against
 * its stored sha256 (audit-content.ts), so without this a cleared document would pass. Returns the
 * seq of the document's link, or null when every purged document is recorded.
 */
async function unrecordedPurge(db: Kysely<Database>, ring: AuditKeyRing, requestId: string | null): Promise<number | null> {
  let purged = db
    .selectFrom('dsr.documents as d')
    .select(['d.id', sql<string | null>`(SELECT min(l.seq) FROM dsr.audit_log l WHERE l.ref_kind = 'document' AND l.ref_key = d.id::text)`.as('seq')])
    .where('d.purged_at', 'is not', null);
  if (requestId !== null) purged = purged.where('d.request_id', '=', requestId);
  const documents = await purged.execute();
  if (documents.length === 0) return null;
  const recorded = new Set<string>();
  const links = await db.selectFrom('dsr.audit_log').selectAll().where('action', '=', 'retention_purge').orderBy('seq').execute();
  for (const entry of links.map(toEntry)) {
    // A purge link counts only with its keyed hash intact (its place in the chain is checked by the walk).
    if (checkLink(ring, entry, entry.prevHash) !== null) continue;
    const ids = entry.details.documents;
    if (Array.isArray(ids)) for (const id of ids) if (typeof id === 'string') recorded.add(id);
  }
  const unrecorded = documents.filter((d) => !recorded.has(d.id)).map((d) => (d.seq === null ? 0 : Number(d.seq)));
  return unrecorded.length === 0 ? null : Math.min(...unrecorded);
}

export interface RequestLinksVerification {
  valid: boolean;
  links: number;
  brokenAt?: number;
  problem?: ChainProblem;
  checkpoint: SignedCheckpoint | null;
}

/**
 * One request's links checked without walking the whole chain: each link's keyed hash over its
 * recorded back-link, each recorded row against its link (a decision: its latest link), and the
 * chain against the newest signed checkpoint (still that long, the same head there).
 */
export async function verifyRequestLinks(db: Kysely<Database>, requestId: string, options: { checkpointDir?: string | null; keys?: AuditKeyRing } = {}): Promise<RequestLinksVerification> {
  const ring = options.keys ?? auditKeys();
  const { newest, forged } = await readCheckpoints(db, ring, options.checkpointDir ?? null);
  const rows = await db.selectFrom('dsr.audit_log').selectAll().where('request_id', '=', requestId).orderBy('seq').execute();
  const entries = rows.map(toEntry);
  const fail = (seq: number, problem: ChainProblem): RequestLinksVerification => ({ valid: false, links: entries.length, brokenAt: seq, problem, checkpoint: newest });
  if (forged.length > 0) return fail(forged[0].seq, 'checkpoint_forged');
  if (newest) {
    const at = await db.selectFrom('dsr.audit_log').select(['seq', 'hash']).where('seq', '=', String(newest.seq)).executeTakeFirst();
    if (!at) return fail(newest.seq, 'chain_shorter_than_checkpoint');
    if (at.hash !== newest.head) return fail(newest.seq, 'checkpoint_head_mismatch');
  }
  const latest = new Map<string, AuditEntry>();
  for (const e of entries) if (e.ref) latest.set(refId(e.ref), e);
  const digests = await contentDigests(db, [...latest.values()].map((e) => e.ref!));
  for (const entry of entries) {
    const problem = checkLink(ring, entry, entry.prevHash);
    if (problem) return fail(entry.seq, problem);
    if (!entry.ref || (entry.ref.kind === 'decision' && latest.get(refId(entry.ref)) !== entry)) continue;
    const digest = digests.get(refId(entry.ref)) ?? null;
    if (digest === null) return fail(entry.seq, 'content_missing');
    if (digest !== entry.contentSha256) return fail(entry.seq, 'content_changed');
  }
  const unrecorded = await unrecordedPurge(db, ring, requestId);
  if (unrecorded !== null) return fail(unrecorded, 'content_changed');
  if (ring.legacyUntilSeq === 0 && (await unlinkedRow(db, requestId))) return fail(entries.at(-1)?.seq ?? 0, 'unlinked_row');
  return { valid: true, links: entries.length, checkpoint: newest };
}
