/**
 * The audit log's keys, which live outside the database: the HMAC keys that key every link (by id,
 * so they can rotate) and the Ed25519 key that signs checkpoints. An insider with the database but
 * without these can neither forge a link nor a checkpoint.
 *
 * The keys are installed once per process from the settings (`installAuditKeys`), because links are
 * written deep inside repository transactions that have nothing else to carry them. Installing
 * adds to the ring: keys installed earlier stay known for verification (an older link names its key).
 */
import { createHash, createHmac, createPrivateKey, createPublicKey, sign, verify, timingSafeEqual, type KeyObject } from 'node:crypto';
import type { AuditKeySettings } from '../../config/settings';

export type { AuditKeySettings };

export interface AuditKeyRing {
  currentHmacId: string;
  hmac: Map<string, Buffer>;
  signing: { keyId: string; privateKey: KeyObject; publicKey: KeyObject };
  publicKeys: Map<string, KeyObject>;
  legacyUntilSeq: number;
}

let installed: AuditKeyRing | null = null;

/** Builds a key ring from the settings; throws naming the setting that is malformed. */
export function keyRingFrom(s: AuditKeySettings): AuditKeyRing {
  const hmac = new Map<string, Buffer>();
  for (const [id, key] of [...Object.entries(s.oldHmacKeys), [s.hmacKeyId, s.hmacKey] as const]) {
    const bytes = Buffer.from(key, 'base64');
    if (bytes.length < 32) throw new Error(`audit HMAC key ${id} must be at least 32 bytes, base64-encoded`);
    hmac.set(id, bytes);
  }
  const privateKey = createPrivateKey({ key: Buffer.from(s.signingKey, 'base64'), format: 'der', type: 'pkcs8' });
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error('AUDIT_SIGNING_KEY must be an Ed25519 private key');
  const publicKey = createPublicKey(privateKey);
  const publicKeys = new Map<string, KeyObject>();
  for (const old of s.oldPublicKeys) {
    const key = createPublicKey({ key: Buffer.from(old, 'base64'), format: 'der', type: 'spki' });
    publicKeys.set(publicKeyId(key), key);
  }
  const keyId = publicKeyId(publicKey);
  publicKeys.set(keyId, publicKey);
  return { currentHmacId: s.hmacKeyId, hmac, signing: { keyId, privateKey, publicKey }, publicKeys, legacyUntilSeq: s.legacyUntilSeq };
}

/** Makes `ring` the process's keys for new links and checkpoints; keys installed before stay known. */
export function installAuditKeys(ring: AuditKeyRing): void {
  if (installed) {
    for (const [id, key] of installed.hmac) if (!ring.hmac.has(id)) ring.hmac.set(id, key);
    for (const [id, key] of installed.publicKeys) if (!ring.publicKeys.has(id)) ring.publicKeys.set(id, key);
    ring.legacyUntilSeq = Math.max(ring.legacyUntilSeq, installed.legacyUntilSeq);
  }
  installed = ring;
}

/** The installed keys; a process that writes links without them is misconfigured, so this throws. */
export function auditKeys(): AuditKeyRing {
  if (!installed) throw new Error('the audit keys are not installed (AUDIT_HMAC_KEY, AUDIT_SIGNING_KEY)');
  return installed;
}

/** HMAC-SHA256 of `body` with the key `keyId`, hex; null when the key is unknown. */
export function hmacHex(ring: AuditKeyRing, keyId: string, body: string): string | null {
  const key = ring.hmac.get(keyId);
  return key ? createHmac('sha256', key).update(body).digest('hex') : null;
}

export function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Compares two hex strings without leaking where they differ. */
export function sameHex(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

/** A public key's id: the first 16 hex digits of the sha256 of its SPKI encoding. */
export function publicKeyId(key: KeyObject): string {
  return `ed25519:${sha256Hex(key.export({ format: 'der', type: 'spki' })).slice(0, 16)}`;
}

/** The public key as base64 SPKI DER, for operators to copy (verify-export takes it). */
export function publicKeyBase64(key: KeyObject): string {
  return key.export({ format: 'der', type: 'spki' }).toString('base64');
}

/** Reads a public key given as base64 SPKI DER or as PEM. */
export function parsePublicKey(text: string): KeyObject {
  const trimmed = text.trim();
  return trimmed.startsWith('-----') ? createPublicKey(trimmed) : createPublicKey({ key: Buffer.from(trimmed, 'base64'), format: 'der', type: 'spki' });
}

export function signText(ring: AuditKeyRing, text: string): { keyId: string; signature: string } {
  return { keyId: ring.signing.keyId, signature: sign(null, Buffer.from(text, 'utf8'), ring.signing.privateKey).toString('base64') };
}

/** True when `signature` over `text` verifies with the public key `keyId` (one of `keys`). */
export function verifySignature(keys: Map<string, KeyObject>, keyId: string | null, text: string, signature: string | null): boolean {
  const key = keyId ? keys.get(keyId) : undefined;
  if (!key || !signature) return false;
  try {
    return verify(null, Buffer.from(text, 'utf8'), key, Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}
