/**
 * Following audit links chain by chain: each link must take the next place in its chain (its seq
 * in the legacy global chain from before migration 0015, its chain_seq in a request's chain), point
 * back to the link before it, carry the keyed hash only the key's holder can make (which commits to
 * its chain and place), still match the row it records, and carry the head a signed checkpoint
 * recorded at that place. Used by the whole-log check, the continued check and the per-request check.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../database';
import type { CheckpointHead } from '../tables/dsr';
import { chainOf, GENESIS_HASH, LEGACY_CHAIN, linkHash, type AuditEntry } from './audit';
import { contentDigests, refId } from './audit-content';
import { sameHex, type AuditKeyRing } from './audit-keys';

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
  'checkpoint_missing',
] as const;
export type ChainProblem = (typeof CHAIN_PROBLEMS)[number];

export type Broken = { brokenAt: number; problem: ChainProblem };

/** The problem with one link given the hash before it, or null when it is sound (its content is checked apart). */
export function checkLink(ring: AuditKeyRing, entry: AuditEntry, prevHash: string): ChainProblem | null {
  if (entry.prevHash !== prevHash) return 'back_link_mismatch';
  // Every link of a request's chain is keyed; only the legacy chain may start unkeyed.
  if (entry.keyId === null && (entry.chain !== null || entry.seq > ring.legacyUntilSeq)) return 'unkeyed_link';
  // The hash covers both, but a link must also sit in its own request's chain.
  if (entry.chain !== null && entry.chain !== chainOf(entry.requestId)) return 'link_forged';
  const expected = linkHash(ring, prevHash, entry);
  if (expected === null) return 'unknown_key';
  return sameHex(expected, entry.hash) ? null : 'link_forged';
}

/** The chain a link is walked in (the legacy chain for links from before 0015) and its place there. */
export function placeOf(entry: AuditEntry): { chain: string; place: number } {
  return entry.chain === null ? { chain: LEGACY_CHAIN, place: entry.seq } : { chain: entry.chain, place: entry.chainSeq ?? 0 };
}

/**
 * Follows links fed in chain order (all of one chain, in place order, then the next chain), holding
 * each chain against its newest checkpointed head. Decisions are checked at the end, against their
 * latest link only (a decision may be decided again).
 */
export class ChainWalk {
  entries = 0;
  /** The head each walked chain ended at. */
  readonly heads = new Map<string, CheckpointHead>();
  /** The link with the highest seq seen (the newest appended). */
  newest: { seq: number; hash: string } | null = null;
  private readonly latestDecision = new Map<string, AuditEntry>();
  private current: { chain: string; n: number; prev: string; seq: number } | null = null;

  constructor(
    private readonly ring: AuditKeyRing,
    private readonly checkpointed: Map<string, CheckpointHead>,
  ) {}

  /** One link, with the digest its row gives now (undefined for a decision, checked at the end). */
  feed(entry: AuditEntry, digestNow: string | null | undefined): Broken | null {
    const { chain, place } = placeOf(entry);
    if (this.current?.chain !== chain) {
      const ended = this.endChain();
      if (ended) return ended;
      this.current = { chain, n: 0, prev: GENESIS_HASH, seq: 0 };
    }
    const cur = this.current;
    if (place !== cur.n + 1) return { brokenAt: entry.seq, problem: 'sequence_gap' };
    const problem = checkLink(this.ring, entry, cur.prev);
    if (problem) return { brokenAt: entry.seq, problem };
    if (entry.ref?.kind === 'decision') this.latestDecision.set(refId(entry.ref), entry);
    else if (entry.ref) {
      if (digestNow === null || digestNow === undefined) return { brokenAt: entry.seq, problem: 'content_missing' };
      if (digestNow !== entry.contentSha256) return { brokenAt: entry.seq, problem: 'content_changed' };
    }
    const cp = this.checkpointed.get(chain);
    if (cp && place === cp.n && entry.hash !== cp.h) return { brokenAt: entry.seq, problem: 'checkpoint_head_mismatch' };
    cur.n = place;
    cur.prev = entry.hash;
    cur.seq = entry.seq;
    this.entries += 1;
    if (!this.newest || entry.seq > this.newest.seq) this.newest = { seq: entry.seq, hash: entry.hash };
    return null;
  }

  /** Ends the walk: the last chain, every chain of `scope` a checkpoint names (each must still reach its head), the decisions. */
  async finish(db: Kysely<Database>, scope: Iterable<string>): Promise<Broken | null> {
    const ended = this.endChain();
    if (ended) return ended;
    for (const chain of scope) {
      const cp = this.checkpointed.get(chain);
      if (cp && !this.heads.has(chain)) return { brokenAt: cp.s, problem: 'chain_shorter_than_checkpoint' };
    }
    const decisions = [...this.latestDecision.values()].sort((a, b) => a.seq - b.seq);
    const now = await contentDigests(db, decisions.map((e) => e.ref!));
    for (const entry of decisions) {
      const digest = now.get(refId(entry.ref!)) ?? null;
      if (digest === null) return { brokenAt: entry.seq, problem: 'content_missing' };
      if (digest !== entry.contentSha256) return { brokenAt: entry.seq, problem: 'content_changed' };
    }
    return null;
  }

  /** The heads that advanced past what the checkpoints hold: what a new checkpoint records. */
  advanced(): CheckpointHead[] {
    return [...this.heads.values()].filter((h) => h.n > (this.checkpointed.get(h.c)?.n ?? 0));
  }

  private endChain(): Broken | null {
    const cur = this.current;
    if (!cur) return null;
    this.current = null;
    const cp = this.checkpointed.get(cur.chain);
    if (cp && cur.n < cp.n) return { brokenAt: cp.s, problem: 'chain_shorter_than_checkpoint' };
    this.heads.set(cur.chain, { c: cur.chain, n: cur.n, s: cur.seq, h: cur.prev });
    return null;
  }
}

/** The digests rows give now for the non-decision links of a page (decisions are checked at the end). */
export function pageDigests(db: Kysely<Database>, entries: AuditEntry[]): Promise<Map<string, string | null>> {
  return contentDigests(db, entries.flatMap((e) => (e.ref && e.ref.kind !== 'decision' ? [e.ref] : [])));
}

/** The digest for `entry` from a page's digests: undefined for a decision or a link that records no row. */
export function digestFor(digests: Map<string, string | null>, entry: AuditEntry): string | null | undefined {
  if (!entry.ref || entry.ref.kind === 'decision') return undefined;
  return digests.get(refId(entry.ref)) ?? null;
}
