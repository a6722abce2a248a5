/**
 * Message catalogs: one isolated i18next instance per language (never the library's global one),
 * initialised synchronously from bundled JSON, so lookups have no shared mutable state and no I/O.
 * A missing key throws: no page or letter ever shows a raw key.
 */
import i18next from 'i18next';
import type { Language } from '../domain/request';

export type Translate = (key: string, values?: Record<string, unknown>) => string;

/** A text the catalogs lack: permanent (a retry finds it missing again), named so it can be fixed. */
export class MissingCatalogTextError extends Error {
  override name = 'MissingCatalogTextError';
  constructor(
    readonly key: string,
    readonly language: Language,
    what: string,
  ) {
    super(`Missing ${what} '${key}' for '${language}'`);
  }
}

/** Returns a per-language translator over the catalogs; `what` names them in error messages. */
export function catalogTranslators(catalogs: Record<Language, object>, what: string): (language: Language) => Translate {
  const resources = Object.fromEntries(Object.entries(catalogs).map(([lang, translation]) => [lang, { translation }]));
  const cache: Partial<Record<Language, Translate>> = {};
  const create = (language: Language): Translate => {
    const instance = i18next.createInstance();
    void instance.init({
      lng: language,
      fallbackLng: false,
      resources,
      initAsync: false,
      // Values are escaped where they are written (HTML); PDF text needs none.
      interpolation: { escapeValue: false },
      returnObjects: false,
    });
    return (key, values) => {
      if (!instance.exists(key, values)) throw new MissingCatalogTextError(key, language, what);
      const text = instance.t(key, values);
      if (typeof text !== 'string') throw new Error(`${what} '${key}' for '${language}' is not a text`);
      return text;
    };
  };
  return (language) => cache[language] ?? (cache[language] = create(language));
}
