/**
 * The start-up check of the letter and e-mail catalogs (issue: a missing catalog text fails the
 * engine's start, with its name, rather than a request in the middle of its delivery). Every
 * language has every text any language has; every letter and deliverable kind has its name and
 * document type; every e-mail kind renders in every language.
 */
import { LANGUAGES, type Language } from '../domain/request';
import { LABELLED_ERRORS, LABELLED_STEPS } from './attention-labels';
import { MissingCatalogTextError } from './catalog';
import { renderEmail } from './email';
import en from './locales/en.json';
import fi from './locales/fi.json';
import sv from './locales/sv.json';
import { DELIVERABLE_KINDS, type EmailMessage, type LetterKind } from './types';

/** Every letter kind, at run time; the type check below keeps it complete. */
export const LETTER_KINDS = [
  'access_answer',
  'extension',
  'refusal',
  'unidentifiable',
  'acknowledgement',
  'information_request',
  'fee_notice',
  'decision',
  'withdrawal_confirmation',
  'restriction_lift_notice',
  'recipient_notice',
  'privacy_notice',
  'confirmation',
  'automated_decisions',
] as const satisfies readonly LetterKind[];
// Fails to compile when a letter kind is added to the types but not to the list.
const everyLetterKindListed: Exclude<LetterKind, (typeof LETTER_KINDS)[number]> extends never ? true : false = true;
void everyLetterKindListed;

const CATALOGS: Record<Language, object> = { fi, sv, en };

/** One example of every e-mail kind (no personal data: references, dates, links). */
export function sampleEmails(language: Language): EmailMessage[] {
  const url = 'https://dsr.invalid/x';
  const common = { language, reference: 'DSR-2000-CHECK0' };
  return [
    { ...common, kind: 'acknowledgement', receivedOn: '2000-01-03', deadline: '2000-02-03', statusUrl: url },
    ...[...LETTER_KINDS, ...DELIVERABLE_KINDS].map((letterKind): EmailMessage => ({ ...common, kind: 'document_ready', downloadUrl: url, expiresOn: '2000-01-17', letterKind })),
    { ...common, kind: 'handler_reminder', deadline: '2000-02-03', daysLeft: 7, consoleUrl: url },
    { ...common, kind: 'handler_reminder', deadline: '2000-02-03', daysLeft: 0, consoleUrl: url },
    { ...common, kind: 'deadline_escalation', deadline: '2000-02-03', daysOverdue: 2, consoleUrl: url },
    { ...common, kind: 'deadline_escalation', deadline: '2000-02-03', daysOverdue: 0, consoleUrl: url },
    { ...common, kind: 'recipient_notice_ready', downloadUrl: url, expiresOn: '2000-01-17' },
    { ...common, kind: 'step_failed', step: 'renderLetter', errorType: 'LetterRefusedError', since: '2000-01-10', consoleUrl: url },
  ];
}

function leafKeys(value: unknown, prefix = '', out = new Set<string>()): Set<string> {
  if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) leafKeys(v, prefix ? `${prefix}.${k}` : k, out);
  else out.add(prefix);
  return out;
}

function has(catalog: object, key: string): boolean {
  let node: unknown = catalog;
  for (const part of key.split('.')) {
    if (!node || typeof node !== 'object' || !(part in node)) return false;
    node = (node as Record<string, unknown>)[part];
  }
  return typeof node === 'string';
}

/** Throws MissingCatalogTextError naming the first missing text and its language; passes silently otherwise. */
export function checkCatalogs(catalogs: Record<Language, object> = CATALOGS): void {
  const keys = new Set(LANGUAGES.flatMap((l) => [...leafKeys(catalogs[l])]));
  for (const kind of [...LETTER_KINDS, ...DELIVERABLE_KINDS]) keys.add(`letterKind.${kind}`);
  for (const kind of LETTER_KINDS) keys.add(`head.documentType.${kind}`);
  for (const step of [...LABELLED_STEPS, 'other']) keys.add(`attention.steps.${step}`);
  for (const error of [...LABELLED_ERRORS, 'other']) keys.add(`attention.errors.${error}`);
  for (const language of LANGUAGES) {
    for (const key of keys) if (!has(catalogs[language], key)) throw new MissingCatalogTextError(key, language, 'catalog text');
  }
  if (catalogs === CATALOGS) for (const language of LANGUAGES) for (const message of sampleEmails(language)) renderEmail(message);
}
