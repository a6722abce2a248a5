/** The staff pages' message catalogs and the Helsinki-time formatting of their timestamps. */
import type { Language } from '../../domain/request';
import { catalogTranslators } from '../../templates/catalog';
import type { PageText } from '../i18n';
import actionsEn from './locales/actions.en.json';
import actionsFi from './locales/actions.fi.json';
import actionsSv from './locales/actions.sv.json';
import auditEn from './locales/audit.en.json';
import auditFi from './locales/audit.fi.json';
import auditSv from './locales/audit.sv.json';
import en from './locales/en.json';
import fi from './locales/fi.json';
import oidcEn from './locales/oidc.en.json';
import oidcFi from './locales/oidc.fi.json';
import oidcSv from './locales/oidc.sv.json';
import sv from './locales/sv.json';

/**
 * One catalog per language, kept in a file per area of the console (common pages, action forms,
 * auditor pages, sign-in through the identity provider); each area owns its own top-level keys.
 */
function merge(...parts: object[]): object {
  const out: Record<string, unknown> = {};
  for (const part of parts) {
    for (const [key, value] of Object.entries(part)) {
      if (key in out) throw new Error(`staff page text: the top-level key '${key}' is in two catalog files`);
      out[key] = value;
    }
  }
  return out;
}

/** The `t` function of the staff pages for one language. */
export const staffText: (language: Language) => PageText = catalogTranslators(
  { fi: merge(fi, actionsFi, auditFi, oidcFi), sv: merge(sv, actionsSv, auditSv, oidcSv), en: merge(en, actionsEn, auditEn, oidcEn) },
  'staff page text',
);

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
