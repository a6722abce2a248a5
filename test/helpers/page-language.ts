/**
 * One language per page and letter: finds text that came from another language's catalog, raw codes
 * (category keys, grounds, kinds, states) and English developer text on a Finnish or Swedish page.
 */
import fs from 'node:fs';
import path from 'node:path';
import { CATEGORY_OUTCOMES, DECISION_GROUNDS } from '../../domain/decisions';
import type { RegisterDescription } from '../../domain/register-description';
import { REQUEST_STATES, RIGHTS, type Language } from '../../domain/request';

const ROOT = path.join(__dirname, '..', '..');
const LANGUAGES: Language[] = ['fi', 'sv', 'en'];

/** The visible text of an HTML page: no tags, scripts or styles; entities decoded; spaces collapsed. */
export function pageText(page: string): string {
  return page
    .replace(/<(script|style|title)\b[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&#x27;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
}

function leaves(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) leaves(v, out);
  return out;
}

/** Every text of the catalog family `<dir>/<prefix><language>.json` (all prefixes when none given). */
export function catalogTexts(dir: string, language: Language): string[] {
  const full = path.join(ROOT, dir);
  const files = fs.readdirSync(full).filter((f) => f === `${language}.json` || f.endsWith(`.${language}.json`));
  return files.flatMap((f) => leaves(JSON.parse(fs.readFileSync(path.join(full, f), 'utf8'))));
}

/** The fragments of a catalog text between its placeholders that are long enough to be telling. */
function fragments(text: string): string[] {
  return text
    .split(/\{\{[^}]*\}\}|\$t\([^)]*\)|\n/)
    .map((f) => f.replace(/\s+/g, ' ').trim().replace(/^[\s.,:;()–-]+|[\s.,:;()–-]+$/g, ''))
    .filter((f) => f.length >= 16 && f.split(' ').length >= 3);
}

/**
 * Texts of the other languages' catalogs found in `text` that the page's own catalogs do not also
 * hold (a text identical in two languages is not a leak).
 */
export function foreignCatalogTexts(text: string, language: Language, dirs: string[], extra: Partial<Record<Language, string[]>> = {}): string[] {
  const own = new Set([...dirs.flatMap((d) => catalogTexts(d, language)), ...(extra[language] ?? [])].flatMap(fragments));
  const found = new Set<string>();
  for (const other of LANGUAGES.filter((l) => l !== language)) {
    for (const fragment of [...dirs.flatMap((d) => catalogTexts(d, other)), ...(extra[other] ?? [])].flatMap(fragments)) {
      if (!own.has(fragment) && text.includes(fragment)) found.add(`${other}: ${fragment}`);
    }
  }
  return [...found];
}

/** Words that mark English developer text on a Finnish or Swedish page. */
const ENGLISH_MARKERS = /\b(the|must|should|cannot|impossible|disproportionate|which|channel|no such)\b/i;

/**
 * Codes that stand where a label belongs: snake_case identifiers, validator paths such as
 * `decisions[1].reason`, the description's category keys and, on a Finnish or Swedish page, the
 * one-word enum values and English developer words.
 */
export function codesIn(text: string, description: RegisterDescription, language: Language = 'fi'): string[] {
  const found = new Set<string>();
  for (const m of text.matchAll(/\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b/g)) found.add(m[0]);
  for (const m of text.matchAll(/\b[a-zA-Z]+\[\d+\]\.[a-zA-Z]+/g)) found.add(m[0]);
  const kinds = ['extension', 'refusal', 'unidentifiable', 'acknowledgement', 'decision', 'confirmation'];
  const words = [...description.categories.map((c) => c.key), ...DECISION_GROUNDS, ...REQUEST_STATES, ...CATEGORY_OUTCOMES, ...RIGHTS, ...kinds];
  /** Codes that are also plain words of the page's language. */
  const wordsOfLanguage: Record<Language, string[]> = { fi: [], sv: ['information'], en: [] };
  for (const w of words) {
    const single = !w.includes('_');
    if (single && language === 'en') continue; // "access", "granted": English words on an English page
    if (wordsOfLanguage[language].includes(w)) continue;
    if (new RegExp(`(?<![\\p{L}\\p{N}_.@/-])${w}(?![\\p{L}\\p{N}_@/-])`, 'u').test(text)) found.add(w);
  }
  if (language !== 'en') {
    const english = ENGLISH_MARKERS.exec(text);
    if (english) found.add(`English: …${text.slice(Math.max(0, english.index - 40), english.index + 40)}…`);
  }
  return [...found];
}
