/** The staff pages' message catalogs and the Helsinki-time formatting of their timestamps. */
import type { Language } from '../../domain/request';
import { catalogTranslators } from '../../i18n/catalog';
import type { PageText } from '../i18n';
import en from './locales/en.json';
import fi from './locales/fi.json';
import sv from './locales/sv.json';

/** The `t` function of the staff pages for one language. */
export const staffText: (language: Language) => PageText = catalogTranslators({ fi, sv, en }, 'staff page text');

const HELSINKI = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/Helsinki',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** An instant as Helsinki wall-clock time, in the catalog's pattern (handlers work in Finnish time). */
export function formatHelsinki(t: PageText, at: Date): string {
  const parts = Object.fromEntries(HELSINKI.formatToParts(at).map((p) => [p.type, p.value]));
  return t('common.dateTime', { day: Number(parts.day), month: Number(parts.month), year: parts.year, hour: parts.hour, minute: parts.minute });
}
