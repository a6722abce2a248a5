/**
 * The offline verification of the auditor's machine-readable export of one request's history
 * (built by web/staff/audit-export.ts). The file carries the request's events, documents (with their sha256) and decisions in the form
 * the audit links commit to, the links themselves, the newest signed checkpoint, the integrity the
 * engine found when exporting, and an Ed25519 signature over all of it with the checkpoint key.
 * `npm run verify-export FILE` checks it with the operator's public key and no database: the
 * signature, the checkpoint's signature, and that every row still gives the digest its link holds.
 */
import type { KeyObject } from 'node:crypto';
import { publicKeyId, verifySignature } from '../db/repositories/audit-keys';
import { digest } from '../db/repositories/audit-content';
import { checkpointSignatureValid, parseCheckpoint, type SignedCheckpoint } from '../db/repositories/audit-checkpoints';
import { canonicalJson } from '../db/repositories/canonical-json';

export const EXPORT_FORMAT = 'dsr-audit-export/1';

export type ExportVerdict = { valid: true; request: string; links: number; checkpoint: number } | { valid: false; reason: string };

interface ExportLink {
  seq: number;
  requestId: string | null;
  /** The request's chain and the link's place in it (absent for links from before per-request chains). */
  chain?: string | null;
  chainSeq?: number | null;
  prevHash?: string;
  hash?: string;
  ref: { kind: string; key: string } | null;
  contentSha256: string | null;
}

/** Checks an export with the operator's public key, without the database. */
export function verifyAuditExport(text: string, publicKey: KeyObject): ExportVerdict {
  let file: Record<string, unknown>;
  try {
    file = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return { valid: false, reason: 'the file is not JSON' };
  }
  if (file.format !== EXPORT_FORMAT) return { valid: false, reason: `the file is not an audit export (format ${EXPORT_FORMAT})` };
  const { signature, ...body } = file as { signature?: { keyId?: string; signature?: string } } & Record<string, unknown>;
  const keys = new Map([[publicKeyId(publicKey), publicKey]]);
  if (!signature || signature.keyId !== publicKeyId(publicKey)) return { valid: false, reason: `the export is not signed with the given public key (${publicKeyId(publicKey)})` };
  if (!verifySignature(keys, signature.keyId, canonicalJson(body), signature.signature ?? null)) return { valid: false, reason: 'the signature does not match the content: the file was changed after export' };

  const checkpoint = parseCheckpoint(body.checkpoint) as SignedCheckpoint | null;
  if (!checkpoint) return { valid: false, reason: 'the export carries no signed checkpoint' };
  if (!checkpointSignatureValid({ publicKeys: keys }, checkpoint)) return { valid: false, reason: 'the checkpoint is not signed with the given public key' };
  const integrity = body.integrity as { state?: string; brokenAt?: number | null; problem?: string | null } | undefined;
  if (integrity?.state !== 'intact') return { valid: false, reason: `the engine found the audit log ${integrity?.state ?? 'unverified'} when exporting (link ${integrity?.brokenAt ?? '-'}: ${integrity?.problem ?? '-'})` };

  const request = (body.request as { id?: string } | undefined)?.id;
  const links = (body.links as ExportLink[] | undefined) ?? [];
  const problem = linksProblem(links, request ?? '', body) ?? chainProblem(links, request ?? '', checkpoint);
  if (problem) return { valid: false, reason: problem };
  return { valid: true, request: String((body.request as { reference?: string }).reference ?? request), links: links.length, checkpoint: checkpoint.seq };
}

/**
 * The request's own chain as exported: every place from 1 on, each link pointing back at the one
 * before, and, when the signed checkpoint names the chain, its head at the place it records (so an
 * export missing links the checkpoint vouches for is caught without the database).
 */
function chainProblem(links: ExportLink[], requestId: string, checkpoint: SignedCheckpoint): string | null {
  const chain = links.filter((l) => l.chain !== undefined && l.chain !== null).sort((a, b) => (a.chainSeq ?? 0) - (b.chainSeq ?? 0));
  for (let i = 0; i < chain.length; i++) {
    const l = chain[i];
    if (l.chain !== requestId) return `link ${l.seq} belongs to another request's chain`;
    if (l.chainSeq !== i + 1) return `the request's chain is not whole: place ${i + 1} is missing`;
    if (l.prevHash !== (i === 0 ? '0'.repeat(64) : chain[i - 1].hash)) return `link ${l.seq} does not point back at the link before it`;
  }
  const head = checkpoint.v === 2 ? checkpoint.heads.find((h) => h.c === requestId) : undefined;
  if (head && chain[head.n - 1]?.hash !== head.h) return `the request's chain does not reach the head the signed checkpoint records (place ${head.n})`;
  return null;
}

/** The first thing wrong with the links against the rows they record, or null. */
function linksProblem(links: ExportLink[], requestId: string, body: Record<string, unknown>): string | null {
  for (let i = 0; i < links.length; i++) {
    if (links[i].requestId !== requestId) return `link ${links[i].seq} belongs to another request`;
    if (i > 0 && links[i].seq <= links[i - 1].seq) return `the links are not in order at ${links[i].seq}`;
  }
  // A decision may be decided again: its latest link holds its current content.
  const latest = new Map<string, ExportLink>();
  for (const l of links) if (l.ref) latest.set(`${l.ref.kind}:${l.ref.key}`, l);
  const rows: [string, Record<string, unknown>[], (r: Record<string, unknown>) => string][] = [
    ['event', (body.events as Record<string, unknown>[]) ?? [], (r) => String(r.id)],
    ['document', (body.documents as Record<string, unknown>[]) ?? [], (r) => String(r.id)],
    ['decision', (body.decisions as Record<string, unknown>[]) ?? [], (r) => `${String(r.request_id)}/${String(r.key)}`],
  ];
  for (const [kind, list, keyOf] of rows) {
    for (const row of list) {
      const link = latest.get(`${kind}:${keyOf(row)}`);
      // Decisions only proposed, never decided, have no link yet.
      if (!link) {
        if (kind === 'decision' && row.decided_at === null) continue;
        return `the ${kind} ${keyOf(row)} has no link in the export`;
      }
      if (digest(row) !== link.contentSha256) return `the ${kind} ${keyOf(row)} does not match its link ${link.seq}`;
    }
  }
  return null;
}
