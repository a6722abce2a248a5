/**
 * The page catalogs: Finnish, Swedish and English name exactly the same texts with the same
 * placeholders, so no page can miss a text in one language (a missing key throws at render time).
 */
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');

/** Catalog families: each is one file per language, `<dir>/<prefix>{fi,sv,en}.json`. */
function families(): { name: string; files: Record<'fi' | 'sv' | 'en', string> }[] {
  const out: { name: string; files: Record<'fi' | 'sv' | 'en', string> }[] = [];
  for (const dir of ['web/locales', 'web/staff/locales', 'templates/locales']) {
    const full = path.join(ROOT, dir);
    if (!fs.existsSync(full)) continue;
    const prefixes = new Set(fs.readdirSync(full).filter((f) => /(^|\.)fi\.json$/.test(f)).map((f) => f.replace(/fi\.json$/, '')));
    for (const prefix of prefixes) {
      out.push({ name: `${dir}/${prefix}*.json`, files: { fi: path.join(full, `${prefix}fi.json`), sv: path.join(full, `${prefix}sv.json`), en: path.join(full, `${prefix}en.json`) } });
    }
  }
  return out;
}

/** Every leaf as `path -> sorted placeholder names`. */
function leaves(value: unknown, prefix = '', out = new Map<string, string>()): Map<string, string> {
  if (typeof value === 'string') {
    out.set(prefix, [...value.matchAll(/\{\{\s*(\w+)[^}]*\}\}/g)].map((m) => m[1]).sort().join(','));
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) leaves(v, prefix ? `${prefix}.${k}` : k, out);
  }
  return out;
}

const all = families();

test('finds the catalog families', () => {
  expect(all.map((f) => f.name)).toEqual(expect.arrayContaining(['web/locales/*.json', 'web/staff/locales/*.json', 'web/staff/locales/actions.*.json', 'web/staff/locales/audit.*.json']));
});

describe.each(all)('$name', ({ files }) => {
  const read = (l: 'fi' | 'sv' | 'en') => leaves(JSON.parse(fs.readFileSync(files[l], 'utf8')));
  const en = read('en');

  test.each(['fi', 'sv'] as const)('%s has the same keys and placeholders as en', (language) => {
    const other = read(language);
    expect([...other.keys()].sort()).toEqual([...en.keys()].sort());
    // A date is written with the month's number in Finnish and Swedish and its name in English.
    const mismatched = [...en].filter(([key, placeholders]) => key !== 'date.format' && other.get(key) !== placeholders).map(([key]) => key);
    expect(mismatched).toEqual([]);
  });

  test.each(['fi', 'sv'] as const)('%s has no empty text', (language) => {
    const raw = JSON.stringify(JSON.parse(fs.readFileSync(files[language], 'utf8')));
    expect(raw).not.toMatch(/:""/);
  });
});
