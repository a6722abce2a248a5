/**
 * Checks a letter makes before it is drawn: a letter that would say something false or leave out
 * what the law asks for is refused with an error naming the letter kind and the field, rather
 * than printed. ISO dates (YYYY-MM-DD) compare correctly as text.
 */
import { parseIsoDate } from '../i18n';

/** A letter refused before it is drawn: the data would make it false or incomplete (permanent). */
export class LetterRefusedError extends Error {
  override name = 'LetterRefusedError';
}

/** Throws unless `value` has some text in it. */
export function requireText(kind: string, field: string, value: string | null | undefined, why = ''): void {
  if (value === null || value === undefined || value.trim() === '') {
    throw new LetterRefusedError(`${kind}: ${field} is required${why ? ` (${why})` : ''}`);
  }
}

/** Throws unless `later` is a date on or after `earlier` (or strictly after, when `strict`). */
export function requireOrder(kind: string, later: [string, string], earlier: [string, string], strict = false): void {
  const [laterName, laterDate] = later;
  const [earlierName, earlierDate] = earlier;
  parseIsoDate(laterDate);
  parseIsoDate(earlierDate);
  if (strict ? laterDate <= earlierDate : laterDate < earlierDate) {
    const relation = strict ? 'after' : 'on or after';
    throw new LetterRefusedError(`${kind}: ${laterName} ${laterDate} must be ${relation} ${earlierName} ${earlierDate}`);
  }
}
