/**
 * Signed checkpoints of the audit chain: "the chain had `seq` links, the last one `head`, at `at`",
 * signed with the Ed25519 key that lives outside the database. Each is stored in
 * dsr.audit_checkpoints AND written as a file to the checkpoint folder, which operators ship
 * elsewhere: deleting links, or the whole table, then contradicts a checkpoint the insider cannot
 * forge or reach. Verification trusts only checkpoints whose signature verifies.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Kysely } from 'kysely';
import type { Database } from '../database';
import { publicKeyBase64, signText, verifySignature, type AuditKeyRing } from './audit-keys';
import { canonicalJson } from './canonical-json';

export interface SignedCheckpoint {
  seq: number;
  head: string;
  /** When it was made (ISO 8601, milliseconds). */
  at: string;
  keyId: string;
  /** Ed25519 over `checkpointText`, base64. */
  signature: string;
}

/** The signed text: the version, the position, the head and the time. */
export function checkpointText(c: { seq: number; head: string; at: string; keyId: string }): string {
  return canonicalJson({ v: 1, kind: 'dsr-audit-checkpoint', seq: c.seq, head: c.head, at: c.at, keyId: c.keyId });
}

export function signCheckpoint(ring: AuditKeyRing, c: { seq: number; head: string; at: Date }): SignedCheckpoint {
  const unsigned = { seq: c.seq, head: c.head, at: c.at.toISOString(), keyId: ring.signing.keyId };
  return { ...unsigned, signature: signText(ring, checkpointText(unsigned)).signature };
}

export function checkpointSignatureValid(ring: Pick<AuditKeyRing, 'publicKeys'>, c: SignedCheckpoint): boolean {
  return verifySignature(ring.publicKeys, c.keyId, checkpointText(c), c.signature);
}

/** Signs a checkpoint at `seq`/`head`, stores it, and exports it to `dir` (when set). */
export async function recordCheckpoint(
  db: Kysely<Database>,
  ring: AuditKeyRing,
  dir: string | null,
  c: { seq: number; head: string; fromGenesis: boolean; at?: Date },
): Promise<SignedCheckpoint> {
  const at = new Date(Math.floor((c.at ?? new Date()).getTime()));
  const signed = signCheckpoint(ring, { seq: c.seq, head: c.head, at });
  await db
    .insertInto('dsr.audit_checkpoints')
    .values({ seq: String(signed.seq), hash: signed.head, from_genesis: c.fromGenesis, verified_at: at, key_id: signed.keyId, signature: signed.signature })
    .execute();
  if (dir) exportCheckpoint(dir, ring, signed);
  return signed;
}

/** The file an operator ships elsewhere: the checkpoint and the public key that verifies it. */
export function checkpointFile(ring: AuditKeyRing, c: SignedCheckpoint): string {
  return `${JSON.stringify({ format: 'dsr-audit-checkpoint/1', ...c, publicKey: publicKeyBase64(ring.signing.publicKey) }, null, 2)}\n`;
}

function exportCheckpoint(dir: string, ring: AuditKeyRing, c: SignedCheckpoint): void {
  fs.mkdirSync(dir, { recursive: true });
  const name = `checkpoint-${String(c.seq).padStart(12, '0')}-${c.at.replace(/[:.]/g, '')}.json`;
  // Written whole, then renamed: a shipper never picks up half a file.
  const tmp = path.join(dir, `.${name}.tmp`);
  fs.writeFileSync(tmp, checkpointFile(ring, c), { mode: 0o644 });
  fs.renameSync(tmp, path.join(dir, name));
}

export interface CheckpointReading {
  /** The newest checkpoint (by position, then time) whose signature verifies, from the table or the folder. */
  newest: SignedCheckpoint | null;
  /** Rows of the table that are unsigned or whose signature does not verify: tampering. */
  forged: { id: number; seq: number }[];
}

/** Reads every stored checkpoint and the newest files of the folder, and checks their signatures. */
export async function readCheckpoints(db: Kysely<Database>, ring: AuditKeyRing, dir: string | null): Promise<CheckpointReading> {
  const rows = await db.selectFrom('dsr.audit_checkpoints').selectAll().orderBy('seq', 'desc').orderBy('id', 'desc').execute();
  let newest: SignedCheckpoint | null = null;
  const forged: CheckpointReading['forged'] = [];
  for (const r of rows) {
    const c: SignedCheckpoint = { seq: Number(r.seq), head: r.hash, at: new Date(r.verified_at).toISOString(), keyId: r.key_id, signature: r.signature };
    if (!checkpointSignatureValid(ring, c)) forged.push({ id: Number(r.id), seq: c.seq });
    else if (!newest || later(c, newest)) newest = c;
  }
  const fromFolder = dir ? newestInFolder(ring, dir) : null;
  if (fromFolder && (!newest || later(fromFolder, newest))) newest = fromFolder;
  return { newest, forged };
}

function later(a: SignedCheckpoint, b: SignedCheckpoint): boolean {
  return a.seq > b.seq || (a.seq === b.seq && a.at > b.at);
}

/** The newest validly signed checkpoint file; files that do not verify are skipped (the folder is not the insider's). */
function newestInFolder(ring: AuditKeyRing, dir: string): SignedCheckpoint | null {
  let names: string[];
  try {
    names = fs.readdirSync(dir).filter((n) => /^checkpoint-\d{12}-[0-9TZ-]+\.json$/.test(n));
  } catch {
    return null;
  }
  for (const name of names.sort().reverse().slice(0, 20)) {
    const c = parseCheckpoint(fs.readFileSync(path.join(dir, name), 'utf8'));
    if (c && checkpointSignatureValid(ring, c)) return c;
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
  if (!o || typeof o.seq !== 'number' || typeof o.head !== 'string' || typeof o.at !== 'string' || typeof o.keyId !== 'string' || typeof o.signature !== 'string') return null;
  return { seq: o.seq, head: o.head, at: o.at, keyId: o.keyId, signature: o.signature };
}
