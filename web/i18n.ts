/**
 * The resident pages' message catalogs: one isolated i18next instance per language (never the
 * library's global one), initialised synchronously from the bundled catalogs. Values are not
 * escaped here; the `html` template escapes everything it writes.
 */
import { LANGUAGES, type Language } from '../domain/request';
import { LANGUAGE_TAGS } from '../templates/i18n';
import { catalogTranslators } from '../templates/catalog';
import en from './locales/en.json';
import fi from './locales/fi.json';
import sv from './locales/sv.json';

/** Looks up one page text; throws on a missing key so a page never shows a raw key. */
export type PageText = (key: string, values?: Record<string, unknown>) => string;

/** The `t` function for one language. */
export const pageText: (language: Language) => PageText = catalogTranslators({ fi, sv, en }, 'page text');

/** The page language from `?lang=`; Finnish unless fi, sv or en is asked for. */
export function pageLanguage(query: unknown): Language {
  const lang = typeof query === 'object' && query !== null ? (query as Record<string, unknown>).lang : undefined;
  return typeof lang === 'string' && (LANGUAGES as readonly string[]).includes(lang) ? (lang as Language) : 'fi';
}

export { LANGUAGE_TAGS };
