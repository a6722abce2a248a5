/**
 * Unique synthetic henkilötunnus codes. Only individual numbers 900-999 are used: those are
 * temporary codes, so no generated code is a real person's permanent one (LEGAL-RULES.md 4).
 *
 * Each synthetic person index maps to a distinct (birth date, individual number) pair through an
 * affine permutation of the space, so codes are unique without any lookup and look scattered.
 * The century sign varies (mostly '-' and 'A', some of the signs in use since 2023); it is part
 * of the identity but cannot make two codes collide, as the pair is already unique.
 */
import { DAY_MS } from '../../domain/calendar';
import { hetuCheckCharacter } from '../../domain/hetu';

const FIRST_BIRTH = Date.UTC(1945, 0, 1);
const LAST_BIRTH = Date.UTC(2007, 11, 31);
const DAYS = (LAST_BIRTH - FIRST_BIRTH) / DAY_MS + 1;
const TEMPORARY_NUMBERS = 100; // 900-999

const SIGNS_1900 = ['Y', 'X', 'W', 'V', 'U'];
const SIGNS_2000 = ['B', 'C', 'D', 'E', 'F'];

/** How many distinct synthetic codes exist: the most persons one register can be seeded with. */
export const HETU_CAPACITY = DAYS * TEMPORARY_NUMBERS;

export interface HetuSpace {
  multiplier: number;
  offset: number;
}

interface Chooser {
  next(): number;
}

/** A permutation of the code space chosen by the seed. */
export function hetuSpace(seed: number): HetuSpace {
  let multiplier = 1_000_003 + ((seed >>> 0) % 1_000_000) * 2;
  while (gcd(multiplier, HETU_CAPACITY) !== 1) multiplier += 2;
  return { multiplier, offset: (Math.imul(seed >>> 0, 0x9e3779b1) >>> 0) % HETU_CAPACITY };
}

/** The code of synthetic person `n` (0-based); distinct for every n below HETU_CAPACITY. */
export function syntheticHetu(space: HetuSpace, n: number, rng: Chooser): string {
  if (n < 0 || n >= HETU_CAPACITY) throw new RangeError(`synthetic person ${n} is outside the code space of ${HETU_CAPACITY}`);
  // multiplier * n stays below 2^53, so the arithmetic is exact.
  const slot = (space.multiplier * n + space.offset) % HETU_CAPACITY;
  const birth = new Date(FIRST_BIRTH + Math.floor(slot / TEMPORARY_NUMBERS) * DAY_MS);
  const individual = String(900 + (slot % TEMPORARY_NUMBERS));
  const year = birth.getUTCFullYear();
  const ddmmyy =
    String(birth.getUTCDate()).padStart(2, '0') + String(birth.getUTCMonth() + 1).padStart(2, '0') + String(year % 100).padStart(2, '0');
  const newSign = rng.next() < 0.05;
  const signs = year < 2000 ? SIGNS_1900 : SIGNS_2000;
  const sign = newSign ? signs[Math.floor(rng.next() * signs.length)] : year < 2000 ? '-' : 'A';
  return `${ddmmyy}${sign}${individual}${hetuCheckCharacter(ddmmyy + individual)}`;
}

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}
