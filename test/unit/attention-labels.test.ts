/**
 * Every step the workflows can fail at has a label of its own in the catalogs, so the alarm e-mail
 * and the request page name it in words (the general "other step" label is for codes from newer
 * code than the page, not for steps that exist today).
 */
import fs from 'node:fs';
import path from 'node:path';
import { LABELLED_STEPS } from '../../templates/attention-labels';

function stepsCalledIn(dir: string): Set<string> {
  const found = new Set<string>();
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) for (const s of stepsCalledIn(file)) found.add(s);
    else if (file.endsWith('.ts')) for (const m of fs.readFileSync(file, 'utf8').matchAll(/\bacts\.([a-zA-Z]+)\(/g)) found.add(m[1]);
  }
  return found;
}

it('labels every step the workflows call', () => {
  const called = stepsCalledIn(path.resolve(__dirname, '../../workflows'));
  expect(called.size).toBeGreaterThan(15);
  expect([...called].filter((s) => !LABELLED_STEPS.includes(s)).sort()).toEqual([]);
});
