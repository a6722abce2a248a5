/**
 * The resident pages' message catalogs: one isolated i18next instance per language (never the
 * library's global one), initialised synchronously from the bundled catalogs. Values are not
 * escaped here; the `html` template escapes everything it writes.
 */
import i18next from 'i18next';
import { LANGUAGES, type Language } from '../domain/request';
import { LANGUAGE_TAGS } from '../templates/i18n';
import en from './locales/en.json';
import fi from './locales/fi.json';
import sv from './locales/sv.json';

/** Looks up one page text; throws on a missing key so a page never shows a raw key. */
export type PageText = (key: string, values?: Record<string, unknown>) => string;

const resources = { fi: { translation: fi }, sv: { translation: sv }, en: { translation: en } };

const cache: Partial<Record<Language, PageText>> = {};

/** The `t` function for one language. */
export function pageText(language: Language): PageText {
  return cache[language] ?? (cache[language] = create(language));
}

/** The page language from `?lang=`; Finnish unless fi, sv or en is asked for. */
export function pageLanguage(query: unknown): Language {
  const lang = typeof query === 'object' && query !== null ? (query as Record<string, unknown>).lang : undefined;
  return typeof lang === 'string' && (LANGUAGES as readonly string[]).includes(lang) ? (lang as Language) : 'fi';
}

export { LANGUAGE_TAGS };

function create(language: Language): PageText {
  const instance = i18next.createInstance();
  void instance.init({
    lng: language,
    fallbackLng: false,
    resources,
    initAsync: false,
    interpolation: { escapeValue: false },
    returnObjects: false,
  });
  return (key, values) => {
    if (!instance.exists(key, values)) throw new Error(`Missing page text '${key}' for '${language}'`);
    const text = instance.t(key, values);
    if (typeof text !== 'string') throw new Error(`Page text '${key}' for '${language}' is not a text`);
    return text;
  };
}
