/**
 * The access code a resident gets at submission: with the reference it opens the status page and
 * is the second factor of a download. Derived from the submission id with a server secret, so an
 * idempotent replay can show it again; only its hash is stored.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/database';
import { findRequestByReference, getAccessCodeHash } from '../db/repositories/requests';
import type { RequestSummary } from '../domain/request';
import { currentSecret, secretsOf, type KeyRing } from '../config/key-ring';

const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** The code a submission gets: under the current secret. */
export function accessCodeFor(secret: KeyRing | string, submissionId: string): string {
  return codeUnder(currentSecret(secret), submissionId);
}

/**
 * The code a submission was given, shown again on a replay: derived under whichever secret of the
 * ring gives the stored hash (the submission may predate a rotation); null when none does.
 */
export function accessCodeGiven(secrets: KeyRing | string, submissionId: string, storedHash: string): string | null {
  for (const secret of secretsOf(secrets)) {
    const code = codeUnder(secret, submissionId);
    if (accessCodeMatches(code, storedHash)) return code;
  }
  return null;
}

function codeUnder(secret: string, submissionId: string): string {
  const digest = createHmac('sha256', secret).update(`access-code:${submissionId}`).digest();
  let code = '';
  for (let i = 0; i < 10; i++) code += ALPHABET[digest[i] % ALPHABET.length];
  return `${code.slice(0, 5)}-${code.slice(5)}`;
}

export function hashAccessCode(code: string): string {
  return createHash('sha256').update(normalise(code)).digest('hex');
}

export function accessCodeMatches(code: string, storedHash: string): boolean {
  const a = Buffer.from(hashAccessCode(code), 'hex');
  const b = Buffer.from(storedHash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** True when `code` is the access code of the request: the second factor of a download. */
export async function accessCodeOpens(db: Kysely<Database>, requestId: string, code: string): Promise<boolean> {
  const hash = await getAccessCodeHash(db, requestId);
  return hash !== null && accessCodeMatches(code, hash);
}

/**
 * The request a reference names, when the access code is that submission's. An unknown reference
 * and a wrong code both give null, so a caller cannot tell which references exist.
 */
export async function findRequestByCode(db: Kysely<Database>, reference: string, code: string): Promise<RequestSummary | null> {
  const summary = await findRequestByReference(db, reference.toUpperCase());
  return summary && (await accessCodeOpens(db, summary.id, code)) ? summary : null;
}

function normalise(code: string): string {
  return code.trim().toUpperCase().replace(/[^A-Z0-9]/g, '');
}
