/**
 * Key rings for the payload codec and the token/link secret. A ring is written as
 * `id:value,id:value`, the first entry being the current key (the one that encrypts or signs) and
 * the rest older keys still accepted for reading. The format is strict so it cannot be misread: a
 * key without an id, a repeated id, an empty entry or a key of the wrong size is an error naming
 * the variable, never a silently shortened ring.
 */

/** One key of a ring: its id (carried in payloads and tokens) and its material. */
export interface RingKey {
  id: string;
  secret: string;
}

/** The current key first; `keys` holds every key that may still be read, the current one included. */
export interface KeyRing {
  current: RingKey;
  keys: readonly RingKey[];
}

/** The id a single-key variable's key gets; payloads written before rings carry this id. */
export const LEGACY_KEY_ID = 'default';

const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const TOKEN_SECRET = /^[A-Za-z0-9+/=_.~-]{32,}$/;

/** Checks one key's material; returns why it is unusable, or null. */
export type KeyCheck = (value: string) => string | null;

/** A payload codec key: exactly 32 bytes, base64 (standard alphabet, padding allowed). */
export const aes256Key: KeyCheck = (value) => (BASE64.test(value) && Buffer.from(value, 'base64').length === 32 ? null : 'must be 32 bytes, base64-encoded');

/** A token secret: 32+ characters from base64/base64url/hex alphabets (no ',' or ':', so the ring stays unambiguous). */
export const tokenSecret: KeyCheck = (value) => (TOKEN_SECRET.test(value) ? null : 'must be at least 32 characters of A-Z a-z 0-9 + / = _ . ~ -');

/** Parses `id:value,id:value`; throws an Error whose message says what is wrong (without the key material). */
export function parseKeyRing(text: string, check: KeyCheck): KeyRing {
  const entries = text.split(',');
  const keys: RingKey[] = [];
  entries.forEach((entry, index) => {
    const at = `entry ${index + 1}`;
    const colon = entry.indexOf(':');
    if (colon < 0) throw new Error(`${at}: must be id:key (no key id given)`);
    const id = entry.slice(0, colon);
    const secret = entry.slice(colon + 1);
    if (!KEY_ID.test(id)) throw new Error(`${at}: the key id must be 1-32 characters of A-Z a-z 0-9 _ -`);
    const problem = check(secret);
    if (problem) throw new Error(`${at} (key id ${id}): ${problem}`);
    if (keys.some((k) => k.id === id)) throw new Error(`${at}: key id ${id} appears twice`);
    if (keys.some((k) => k.secret === secret)) throw new Error(`${at} (key id ${id}): the same key is listed under two ids`);
    keys.push({ id, secret });
  });
  return { current: keys[0], keys };
}

/** A ring of one key, for the single-key variables kept from before rings. */
export function singleKeyRing(secret: string): KeyRing {
  const key = { id: LEGACY_KEY_ID, secret };
  return { current: key, keys: [key] };
}

/** The key with this id, or undefined. */
export function keyById(ring: KeyRing, id: string): RingKey | undefined {
  return ring.keys.find((k) => k.id === id);
}

/** Every secret a verifier should accept: the current one first. A plain string is a ring of itself. */
export function secretsOf(ring: KeyRing | string): string[] {
  return typeof ring === 'string' ? [ring] : ring.keys.map((k) => k.secret);
}

/** The signing secret: the ring's current one. */
export function currentSecret(ring: KeyRing | string): string {
  return typeof ring === 'string' ? ring : ring.current.secret;
}
