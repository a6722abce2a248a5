/**
 * Message catalogs and date formatting for letters and e-mails. Each language gets its own
 * i18next instance (never the library's global one), initialised synchronously from the bundled
 * catalogs, so rendering has no shared mutable state and no I/O.
 */
import type { Language } from '../domain/request';
import { catalogTranslators, type Translate } from './catalog';
import en from './locales/en.json';
import fi from './locales/fi.json';
import sv from './locales/sv.json';

export type { Translate };

/** BCP 47 tags for the PDF /Lang entry and HTML lang attribute. */
export const LANGUAGE_TAGS: Record<Language, string> = { fi: 'fi-FI', sv: 'sv-FI', en: 'en' };

/** Returns a `t` function bound to one language's letter catalog. */
export const translator = catalogTranslators({ fi, sv, en }, 'catalog text');

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Parses a `YYYY-MM-DD` calendar date; throws on anything else (including 2025-02-30). */
export function parseIsoDate(iso: string): { year: number; month: number; day: number } {
  const match = ISO_DATE.exec(iso);
  if (!match) throw new Error(`Expected a date as YYYY-MM-DD, got '${iso}'`);
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const probe = new Date(Date.UTC(year, month - 1, day));
  if (probe.getUTCMonth() !== month - 1 || probe.getUTCDate() !== day) throw new Error(`No such date: '${iso}'`);
  return { year, month, day };
}

/**
 * Formats `YYYY-MM-DD` in the language's convention (fi/sv 5.3.2025, en 5 March 2025). The
 * pattern and month names come from the catalog rather than Intl, so the output cannot change
 * with the runtime's ICU data and a stored letter re-renders byte for byte.
 */
export function formatDate(iso: string, language: Language): string {
  const { year, month, day } = parseIsoDate(iso);
  const t = translator(language);
  return t('date.format', { day, month, year, monthName: t(`date.months.${month}`) });
}

/**
 * Formats an amount in euros with cents in the language's convention (fi/sv 1 234,50 €,
 * en €1,234.50). Like dates, the separators come from the catalog, not Intl.
 */
export function formatEuros(amount: number, language: Language): string {
  const cents = Math.round(amount * 100);
  if (!Number.isFinite(amount) || amount < 0 || Math.abs(cents - amount * 100) > 1e-6) {
    throw new Error(`Expected an amount in euros with at most two decimals, got ${amount}`);
  }
  const t = translator(language);
  const whole = String(Math.floor(cents / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, t('money.group'));
  const value = `${whole}${t('money.decimal')}${String(cents % 100).padStart(2, '0')}`;
  return t('money.format', { value });
}
