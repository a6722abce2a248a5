/**
 * Verification of the audit log: one chain per request (and the system chain), plus the legacy
 * global chain of links written before migration 0015 (see audit-walk.ts for what each link must
 * satisfy). Every chain is held against its newest head in the validly signed checkpoints (stored
 * or exported): a chain shorter than that, or with another link at that place, is tampering, and so
 * is a checkpoint row that is unsigned or badly signed, or one missing from the checkpoints' own
 * signed chain. Three scopes:
 * - the whole log (the default check): every chain from its start;
 * - continued (the auditor's search page): the chains that changed since the newest checkpoint,
 *   each from its start, so it costs what was added since, not the whole history;
 * - one request (its pages and exports): that request's chain and the checkpoint naming it.
 * A valid whole or continued check whose chains advanced leaves a signed checkpoint of their heads.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../database';
import { LEGACY_CHAIN, toEntry, type AuditEntry } from './audit';
import {
  checkpointedHeads,
  checkpointDigest,
  checkpointSignatureValid,
  folderCheckpoints,
  forgedSince,
  fromRow,
  headsNaming,
  newestLegacy,
  newestStored,
  missingCheckpoint,
  readCheckpoints,
  recordCheckpoint,
  type ChainsCheckpoint,
  type CheckpointReading,
  type SignedCheckpoint,
} from './audit-checkpoints';
import { contentDigests, refId } from './audit-content';
import { auditKeys, type AuditKeyRing } from './audit-keys';
import { ChainWalk, checkLink, digestFor, pageDigests, type Broken, type ChainProblem } from './audit-walk';

export { CHAIN_PROBLEMS, type ChainProblem } from './audit-walk';

export interface ChainVerification {
  valid: boolean;
  /** Links in the log (a continued check counts them without reading them). */
  entries: number;
  /** The hash of the newest link walked. */
  headHash: string;
  /** The first link found wrong (or the checkpointed position), when invalid. */
  brokenAt?: number;
  problem?: ChainProblem;
  /** The newest validly signed checkpoint the chains were held against; null when there is none yet. */
  checkpoint: SignedCheckpoint | null;
  /** The checkpoint this verification left (chains that grew), if any. */
  recorded?: SignedCheckpoint;
  /** A continued check: the checkpoint it continued from, and how many chains it walked. */
  from?: { seq: number; verifiedAt: string; chains: number };
  /** When the newest checkpoint of a whole-log check was signed (ISO), or null. */
  lastFull: string | null;
}

export interface VerifyOptions {
  /** Walk only the chains changed since the newest signed checkpoint, instead of every chain. */
  fromCheckpoint?: boolean;
  /** The checkpoint folder: read for the newest checkpoints, and written to. */
  checkpointDir?: string | null;
  /** false: leave no checkpoint (a read-only check). Default true. */
  record?: boolean;
  keys?: AuditKeyRing;
}

const PAGE = 2000;

/** Verifies the log (see the file's comment); a valid check whose chains advanced leaves a signed checkpoint. */
export async function verifyAuditChain(db: Kysely<Database>, options: VerifyOptions = {}): Promise<ChainVerification> {
  const ring = options.keys ?? auditKeys();
  const dir = options.checkpointDir ?? null;
  // Taken before any link is read: every transaction older than this has ended, so its links are seen.
  const xmin = await snapshotXmin(db);
  // A continued check starts only from a stored checkpoint whose signature verifies; otherwise the whole log.
  const stored = options.fromCheckpoint ? await newestStored(db, ring) : null;
  if (stored?.valid && stored.checkpoint.xmin !== null) return continueFrom(db, ring, dir, stored, xmin, options);
  return verifyWhole(db, ring, dir, xmin, options);
}

async function verifyWhole(db: Kysely<Database>, ring: AuditKeyRing, dir: string | null, xmin: string, options: VerifyOptions): Promise<ChainVerification> {
  const reading = await readCheckpoints(db, ring, dir);
  const heads = checkpointedHeads(reading, LEGACY_CHAIN);
  const walk = new ChainWalk(ring, heads);
  // Reported before walking: the walk would see such a link only as a gap in the legacy chain.
  let broken: Broken | null = await lateLegacyLink(db);
  broken ??= (await walkAll(db, walk)) ?? (await walk.finish(db, heads.keys()));
  broken ??= checkpointsBroken(reading);
  const result: ChainVerification = { valid: true, entries: walk.entries, headHash: walk.newest?.hash ?? '', checkpoint: reading.newest, lastFull: reading.lastFull };
  return conclude(db, ring, dir, { result, walk, broken, chains: null, xmin, record: options.record ?? true });
}

/** The chains changed since `from` (a stored, validly signed checkpoint), each walked from its start. */
async function continueFrom(db: Kysely<Database>, ring: AuditKeyRing, dir: string | null, stored: { checkpoint: ChainsCheckpoint; id: number }, xmin: string, options: VerifyOptions): Promise<ChainVerification> {
  const from = stored.checkpoint;
  const chains = await changedChains(db, from.xmin!);
  const naming = await headsNaming(db, ring, chains);
  const walk = new ChainWalk(ring, naming.heads);
  let broken: Broken | null = await lateLegacyLink(db);
  broken ??= (await walkChains(db, walk, chains)) ?? (await walk.finish(db, chains));
  const forged = naming.forged ?? (broken ? null : await forgedSince(db, ring, stored.id));
  if (!broken && forged !== null) broken = { brokenAt: forged, problem: 'checkpoint_forged' };
  if (!broken) {
    const gap = await checkpointGap(db, ring, dir);
    if (gap.missing !== null) broken = { brokenAt: gap.missing, problem: 'checkpoint_missing' };
  }
  const result: ChainVerification = { valid: true, entries: await countLinks(db), headHash: walk.newest?.hash ?? '', checkpoint: from, lastFull: await newestFullAt(db, ring) };
  result.from = { seq: from.seq, verifiedAt: from.at, chains: chains.length };
  return conclude(db, ring, dir, { result, walk, broken, chains, xmin, record: options.record ?? true });
}

/** What both scopes check last (purges, unlinked rows), and the checkpoint a valid check leaves. */
async function conclude(
  db: Kysely<Database>,
  ring: AuditKeyRing,
  dir: string | null,
  c: { result: ChainVerification; walk: ChainWalk; broken: Broken | null; chains: string[] | null; xmin: string; record: boolean },
): Promise<ChainVerification> {
  const { result, walk } = c;
  let broken = c.broken ?? (await unrecordedPurge(db, ring, null));
  if (!broken && ring.legacyUntilSeq === 0 && (await unlinkedRow(db, c.chains))) broken = { brokenAt: (walk.newest?.seq ?? 0) + 1, problem: 'unlinked_row' };
  if (broken) return { ...result, valid: false, ...broken };
  const advanced = walk.advanced();
  if (c.record && advanced.length > 0) {
    // A loop, not Math.max(...): a first checkpoint of a large log names very many heads.
    const seq = advanced.reduce((m, h) => Math.max(m, h.s), result.checkpoint?.seq ?? 0);
    const full = c.chains === null;
    result.recorded = await recordCheckpoint(db, ring, dir, { seq, heads: advanced, xmin: c.xmin, fromGenesis: full });
    if (full) result.lastFull = result.recorded.at;
  }
  return result;
}

/** When the newest checkpoint left by a whole-log check was signed, if its signature verifies. */
async function newestFullAt(db: Kysely<Database>, ring: AuditKeyRing): Promise<string | null> {
  const row = await db.selectFrom('dsr.audit_checkpoints').selectAll().where('number', 'is not', null).where('from_genesis', '=', true).orderBy('number', 'desc').limit(1).executeTakeFirst();
  if (!row) return null;
  const c = fromRow(row);
  return c.v === 2 && c.full && checkpointSignatureValid(ring, c) ? c.at : null;
}

/**
 * A link without a chain written after migration 0015 (which closed the legacy chain): the engine
 * writes every link to a request's or the system chain, so someone put this one in.
 */
async function lateLegacyLink(db: Kysely<Database>): Promise<Broken | null> {
  const row = await db.selectFrom('dsr.audit_log').select(['seq', 'key_id']).where('chain', 'is', null).where('tx', 'is not', null).orderBy('seq').limit(1).executeTakeFirst();
  return row ? { brokenAt: Number(row.seq), problem: row.key_id === null ? 'unkeyed_link' : 'link_forged' } : null;
}

/** A forged checkpoint row, then a checkpoint missing from their chain; or null. */
function checkpointsBroken(reading: CheckpointReading): Broken | null {
  if (reading.forged.length > 0) return { brokenAt: reading.forged[0].seq, problem: 'checkpoint_forged' };
  const missing = missingCheckpoint(reading);
  return missing === null ? null : { brokenAt: missing, problem: 'checkpoint_missing' };
}

async function snapshotXmin(db: Kysely<Database>): Promise<string> {
  const { rows } = await sql<{ xmin: string }>`SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS xmin`.execute(db);
  return rows[0].xmin;
}

async function countLinks(db: Kysely<Database>): Promise<number> {
  const row = await db.selectFrom('dsr.audit_log').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The chains with a link from a transaction at or after `xmin`: all that can have changed since the checkpoint that saw it. */
async function changedChains(db: Kysely<Database>, xmin: string): Promise<string[]> {
  const rows = await db
    .selectFrom('dsr.audit_log')
    .select('chain')
    .distinct()
    .where(sql<boolean>`tx >= ${xmin}::xid8`)
    .where('chain', 'is not', null)
    .execute();
  return rows.map((r) => r.chain!).sort();
}

/** Feeds every link: the legacy chain by seq, then each chain by its places. */
async function walkAll(db: Kysely<Database>, walk: ChainWalk): Promise<Broken | null> {
  let afterSeq = 0;
  for (;;) {
    const rows = await db.selectFrom('dsr.audit_log').selectAll().where('chain', 'is', null).where('seq', '>', String(afterSeq)).orderBy('seq').limit(PAGE).execute();
    const broken = await feedPage(db, walk, rows.map(toEntry));
    if (broken) return broken;
    if (rows.length < PAGE) break;
    afterSeq = Number(rows.at(-1)!.seq);
  }
  let after: { chain: string; n: string } | null = null;
  for (;;) {
    let q = db.selectFrom('dsr.audit_log').selectAll().where('chain', 'is not', null);
    if (after) q = q.where(sql<boolean>`(chain, chain_seq) > (${after.chain}, ${after.n}::bigint)`);
    const rows = await q.orderBy('chain').orderBy('chain_seq').limit(PAGE).execute();
    const broken = await feedPage(db, walk, rows.map(toEntry));
    if (broken) return broken;
    if (rows.length < PAGE) return null;
    const last = rows.at(-1)!;
    after = { chain: last.chain!, n: last.chain_seq! };
  }
}

/** Feeds the links of the named chains, each from its start. */
async function walkChains(db: Kysely<Database>, walk: ChainWalk, chains: string[]): Promise<Broken | null> {
  for (let i = 0; i < chains.length; i += 200) {
    const rows = await db.selectFrom('dsr.audit_log').selectAll().where('chain', 'in', chains.slice(i, i + 200)).orderBy('chain').orderBy('chain_seq').execute();
    const broken = await feedPage(db, walk, rows.map(toEntry));
    if (broken) return broken;
  }
  return null;
}

async function feedPage(db: Kysely<Database>, walk: ChainWalk, entries: AuditEntry[]): Promise<Broken | null> {
  const digests = await pageDigests(db, entries);
  for (const entry of entries) {
    const broken = walk.feed(entry, digestFor(digests, entry));
    if (broken) return broken;
  }
  return null;
}

/**
 * An event or document that no link records: put in behind the engine's back (every one the
 * engine stores is linked in its transaction). Skipped for a log begun before links recorded rows.
 * `chains`: only the requests of these chains (null: every request).
 */
async function unlinkedRow(db: Kysely<Database>, chains: string[] | null): Promise<string | null> {
  const requests = chains === null ? null : chains.filter((c) => /^[0-9a-f-]{36}$/i.test(c));
  if (requests !== null && requests.length === 0) return null;
  const { rows } = await sql<{ id: string }>`
    (SELECT e.id::text AS id FROM dsr.events e
      WHERE (${requests}::uuid[] IS NULL OR e.request_id = ANY(${requests}::uuid[]))
        AND NOT EXISTS (SELECT 1 FROM dsr.audit_log l WHERE l.ref_kind = 'event' AND l.ref_key = e.id::text) LIMIT 1)
    UNION ALL
    (SELECT d.id::text FROM dsr.documents d
      WHERE (${requests}::uuid[] IS NULL OR d.request_id = ANY(${requests}::uuid[]))
        AND NOT EXISTS (SELECT 1 FROM dsr.audit_log l WHERE l.ref_kind = 'document' AND l.ref_key = d.id::text) LIMIT 1)
    LIMIT 1`.execute(db);
  return rows[0]?.id ?? null;
}

/**
 * A document marked purged that no keyed retention_purge link names: its content was cleared (or it
 * was made to read as absent) behind the engine's back. A purged document's link is checked against
 * its stored sha256 (audit-content.ts), so without this a cleared document would pass. Returns the
 * break at the document's link, or null when every purged document is recorded.
 */
async function unrecordedPurge(db: Kysely<Database>, ring: AuditKeyRing, requestId: string | null): Promise<Broken | null> {
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
    // A purge link counts only with its keyed hash intact (its place in its chain is checked by the walk).
    if (checkLink(ring, entry, entry.prevHash) !== null) continue;
    const ids = entry.details.documents;
    if (Array.isArray(ids)) for (const id of ids) if (typeof id === 'string') recorded.add(id);
  }
  const unrecorded = documents.filter((d) => !recorded.has(d.id)).map((d) => (d.seq === null ? 0 : Number(d.seq)));
  return unrecorded.length === 0 ? null : { brokenAt: Math.min(...unrecorded), problem: 'content_changed' };
}

export interface RequestLinksVerification {
  valid: boolean;
  links: number;
  brokenAt?: number;
  problem?: ChainProblem;
  /** The newest signed checkpoint that names this request's chain (else the newest there is). */
  checkpoint: SignedCheckpoint | null;
}

/**
 * One request's links checked without reading the rest of the log: its chain from its start, held
 * against the newest signed checkpoint naming it; its links from before 0015 each by its keyed hash
 * over its recorded back-link; each recorded row against its link (a decision: its latest link);
 * and the checkpoints' chain without a gap or a number the exported files hold and the table lost.
 */
export async function verifyRequestLinks(db: Kysely<Database>, requestId: string, options: { checkpointDir?: string | null; keys?: AuditKeyRing } = {}): Promise<RequestLinksVerification> {
  const ring = options.keys ?? auditKeys();
  const naming = await headsNaming(db, ring, [requestId]);
  const rows = await db
    .selectFrom('dsr.audit_log')
    .selectAll()
    .where((eb) => eb.or([eb('request_id', '=', requestId), eb('chain', '=', requestId)]))
    .orderBy('seq')
    .execute();
  const entries = rows.map(toEntry);
  let checkpoint: SignedCheckpoint | null = naming.checkpoints.get(requestId) ?? null;
  const fail = (b: Broken): RequestLinksVerification => ({ valid: false, links: entries.length, ...b, checkpoint });
  if (naming.forged !== null) return fail({ brokenAt: naming.forged, problem: 'checkpoint_forged' });
  const gap = await checkpointGap(db, ring, options.checkpointDir ?? null);
  if (gap.missing !== null) return fail({ brokenAt: gap.missing, problem: 'checkpoint_missing' });
  if (!checkpoint) {
    // None names this chain yet: show the newest there is, if it is validly signed.
    const stored = await newestStored(db, ring);
    checkpoint = gap.newest ?? (stored?.valid ? stored.checkpoint : null);
  }

  if (entries.some((e) => e.chain === null)) {
    const legacyBroken = await legacyAgainstCheckpoint(db, ring);
    if (legacyBroken) return fail(legacyBroken);
  }
  const walk = new ChainWalk(ring, naming.heads);
  const chainLinks = entries.filter((e) => e.chain !== null).sort((a, b) => (a.chainSeq ?? 0) - (b.chainSeq ?? 0));
  const legacy = entries.filter((e) => e.chain === null);
  const digests = await contentDigests(db, legacy.flatMap((e) => (e.ref && e.ref.kind !== 'decision' ? [e.ref] : [])));
  const latestLegacyDecision = new Map<string, AuditEntry>();
  for (const entry of legacy) {
    const problem = checkLink(ring, entry, entry.prevHash);
    if (problem) return fail({ brokenAt: entry.seq, problem });
    if (entry.ref?.kind === 'decision') latestLegacyDecision.set(refId(entry.ref), entry);
    const now = digestFor(digests, entry);
    if (now === null) return fail({ brokenAt: entry.seq, problem: 'content_missing' });
    if (now !== undefined && now !== entry.contentSha256) return fail({ brokenAt: entry.seq, problem: 'content_changed' });
  }
  // A link carrying this request that sits in another chain was moved there.
  const stray = chainLinks.find((e) => e.chain !== requestId || e.requestId !== requestId);
  if (stray) return fail({ brokenAt: stray.seq, problem: 'link_forged' });
  const broken = (await feedPage(db, walk, chainLinks)) ?? (await walk.finish(db, [requestId]));
  if (broken) return fail(broken);
  // Decisions decided before 0015 and not since: their latest link is a legacy one.
  const decided = new Set(chainLinks.flatMap((e) => (e.ref?.kind === 'decision' ? [refId(e.ref)] : [])));
  const legacyDecisions = [...latestLegacyDecision.values()].filter((e) => !decided.has(refId(e.ref!)));
  const now = await contentDigests(db, legacyDecisions.map((e) => e.ref!));
  for (const entry of legacyDecisions) {
    const digest = now.get(refId(entry.ref!)) ?? null;
    if (digest !== entry.contentSha256) return fail({ brokenAt: entry.seq, problem: digest === null ? 'content_missing' : 'content_changed' });
  }
  const unrecorded = await unrecordedPurge(db, ring, requestId);
  if (unrecorded) return fail(unrecorded);
  if (ring.legacyUntilSeq === 0 && (await unlinkedRow(db, [requestId]))) return fail({ brokenAt: entries.at(-1)?.seq ?? 0, problem: 'unlinked_row' });
  return { valid: true, links: entries.length, checkpoint };
}

/**
 * For a request with links from before 0015: the legacy chain still reaches the newest legacy
 * checkpoint, with the same head there (as the per-request check did before per-request chains).
 */
async function legacyAgainstCheckpoint(db: Kysely<Database>, ring: AuditKeyRing): Promise<Broken | null> {
  const legacy = await newestLegacy(db, ring);
  if (!legacy) return null;
  if (!legacy.valid) return { brokenAt: legacy.checkpoint.seq, problem: 'checkpoint_forged' };
  const at = await db.selectFrom('dsr.audit_log').select(['hash']).where('seq', '=', String(legacy.checkpoint.seq)).where('chain', 'is', null).executeTakeFirst();
  if (!at) return { brokenAt: legacy.checkpoint.seq, problem: 'chain_shorter_than_checkpoint' };
  return at.hash === legacy.checkpoint.head ? null : { brokenAt: legacy.checkpoint.seq, problem: 'checkpoint_head_mismatch' };
}

/**
 * The cheap check of the checkpoints' chain for one request's view: the numbers run from 1 without a
 * gap, and the newest exported checkpoint is in the table as signed. (The whole-log check also
 * follows every back-link and signature.) Returns the newest exported checkpoint too.
 */
async function checkpointGap(db: Kysely<Database>, ring: AuditKeyRing, dir: string | null): Promise<{ missing: number | null; newest: SignedCheckpoint | null }> {
  const stats = await db
    .selectFrom('dsr.audit_checkpoints')
    .select((eb) => [eb.fn.countAll<string>().as('n'), eb.fn.max('number').as('max'), eb.fn.max('seq').as('seq')])
    .where('number', 'is not', null)
    .executeTakeFirstOrThrow();
  if (Number(stats.n) !== Number(stats.max ?? 0)) return { missing: Number(stats.seq), newest: null };
  if (!dir) return { missing: null, newest: null };
  const exported = folderCheckpoints(ring, dir).filter((c): c is ChainsCheckpoint => c.v === 2);
  const newest = exported.reduce<ChainsCheckpoint | null>((a, c) => (!a || c.number > a.number ? c : a), null);
  if (!newest) return { missing: null, newest: null };
  const stored = await db.selectFrom('dsr.audit_checkpoints').select('hash').where('number', '=', String(newest.number)).executeTakeFirst();
  return { missing: stored?.hash === checkpointDigest(newest) ? null : newest.seq, newest };
}
