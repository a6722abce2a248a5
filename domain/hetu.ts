/**
 * Finnish personal identity code (henkilötunnus), LEGAL-RULES.md 4: `DDMMYYCNNNQ`.
 * The century sign is part of the identity but not of the checksum. Never derive gender from it,
 * never log it.
 */

const CHECK_CHARACTERS = '0123456789ABCDEFHJKLMNPRSTUVWXY';

/** Century of each century sign; the extra signs Y X W V U and B C D E F exist since 2023. */
const CENTURY_BY_SIGN: Readonly<Record<string, number>> = {
  '+': 1800,
  '-': 1900, Y: 1900, X: 1900, W: 1900, V: 1900, U: 1900,
  A: 2000, B: 2000, C: 2000, D: 2000, E: 2000, F: 2000,
};

export type HetuResult =
  | { valid: true; birthDate: string; temporary: boolean }
  | { valid: false; reason: string };

/** The check character for the nine digits DDMMYYNNN. */
export function hetuCheckCharacter(ddmmyynnn: string): string {
  return CHECK_CHARACTERS[Number(ddmmyynnn) % 31];
}

/**
 * Validates a henkilötunnus: shape, century sign, real birth date, individual number, check character.
 * Reasons never repeat any part of the code, because they end up in API errors and logs
 * (LEGAL-RULES.md 4: never print it).
 */
export function validateHetu(input: string): HetuResult {
  if (typeof input !== 'string') return { valid: false, reason: 'must be a string' };
  const code = normaliseHetu(input);
  if (code.length !== 11) return { valid: false, reason: `must be 11 characters long, got ${code.length}` };
  const match = /^(\d{2})(\d{2})(\d{2})(.)(\d{3})([0-9A-Z])$/.exec(code);
  if (!match) return { valid: false, reason: 'must have the form DDMMYYCNNNQ (six digits, century sign, three digits, check character)' };
  const [, dd, mm, yy, sign, individual, check] = match;
  if (!Object.hasOwn(CENTURY_BY_SIGN, sign)) return { valid: false, reason: 'century sign must be one of + - Y X W V U A B C D E F' };
  const year = CENTURY_BY_SIGN[sign] + Number(yy);
  if (!isRealDate(year, Number(mm), Number(dd))) return { valid: false, reason: 'birth date does not exist' };
  const number = Number(individual);
  // 000 and 001 are never issued; 900-999 are temporary codes (LEGAL-RULES.md 4).
  if (number < 2) return { valid: false, reason: 'individual number must be between 002 and 999' };
  if (check !== hetuCheckCharacter(`${dd}${mm}${yy}${individual}`)) return { valid: false, reason: 'check character does not match' };
  return { valid: true, birthDate: `${year}-${mm}-${dd}`, temporary: number >= 900 };
}

function isRealDate(year: number, month: number, day: number): boolean {
  const date = new Date(Date.UTC(year, month - 1, day));
  return month >= 1 && month <= 12 && date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** Normalises a valid code for storage and lookup (all 11 characters, upper case). */
export function normaliseHetu(input: string): string {
  return input.trim().toUpperCase();
}
