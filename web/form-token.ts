/**
 * The e-form's one-time token: a random value issued when a resident starts the form and carried
 * in a hidden field through both of its steps. It becomes the submission's idempotency key, so a
 * double click or a browser refresh replays the first submission instead of creating a second
 * request. It is signed with
 * the server secret, so only tokens this server issued reach the database.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { secretsOf, type KeyRing } from '../config/key-ring';

const PREFIX = 'web';
const SHAPE = /^web\.([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{22})$/;

/** A fresh token for one filling of the form. */
export function issueFormToken(secret: string): string {
  const nonce = randomBytes(16).toString('base64url');
  return `${PREFIX}.${nonce}.${mac(secret, nonce)}`;
}

/** True when the token is one this server issued (signature intact). */
export function isFormToken(secrets: KeyRing | string, token: unknown): token is string {
  if (typeof token !== 'string') return false;
  const match = SHAPE.exec(token);
  if (!match) return false;
  const given = Buffer.from(match[2]);
  // Signed with any secret of the ring: a form opened before a rotation can still be sent.
  return secretsOf(secrets).some((secret) => {
    const expected = Buffer.from(mac(secret, match[1]));
    return expected.length === given.length && timingSafeEqual(expected, given);
  });
}

function mac(secret: string, nonce: string): string {
  return createHmac('sha256', secret).update(`e-form:${nonce}`).digest('base64url').slice(0, 22);
}
