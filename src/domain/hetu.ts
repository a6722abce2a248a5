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

/** Validates a henkilötunnus: shape, century sign, real birth date, individual number, check character. */
export function validateHetu(input: string): HetuResult {
  if (typeof input !== 'string') return { valid: false, reason: 'must be a string' };
  const code = input.trim().toUpperCase();
  if (code.length !== 11) return { valid: false, reason: `must be 11 characters long, got ${code.length}` };
  const match = /^(\d{2})(\d{2})(\d{2})(.)(\d{3})(.)$/.exec(code);
  if (!match) return { valid: false, reason: 'must have the form DDMMYYCNNNQ' };
  const [, dd, mm, yy, sign, individual, check] = match;
  const century = CENTURY_BY_SIGN[sign];
  if (century === undefined) return { valid: false, reason: `century sign '${sign}' is not one of + - Y X W V U A B C D E F` };
  const year = century + Number(yy);
  const month = Number(mm);
  const day = Number(dd);
  const date = new Date(Date.UTC(year, month - 1, day));
  if (month < 1 || month > 12 || date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    return { valid: false, reason: `birth date ${dd}.${mm}.${year} does not exist` };
  }
  const number = Number(individual);
  if (number < 2) return { valid: false, reason: `individual number ${individual} is not in use (002-999)` };
  const expected = hetuCheckCharacter(`${dd}${mm}${yy}${individual}`);
  if (check !== expected) return { valid: false, reason: `check character is '${check}' but should be '${expected}'` };
  const birthDate = `${String(year).padStart(4, '0')}-${mm}-${dd}`;
  return { valid: true, birthDate, temporary: number >= 900 };
}

/** Normalises a valid code for storage and lookup (all 11 characters, upper case). */
export function normaliseHetu(input: string): string {
  return input.trim().toUpperCase();
}
