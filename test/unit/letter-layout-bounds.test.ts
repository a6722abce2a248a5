/**
 * The letter writer skips laying text out when a cheap upper bound of its height shows it fits.
 * That is only sound if the bound is never below the real height: generated texts check it.
 */
import fc from 'fast-check';
import { createPdf } from '../../templates/pdf/document';
import { LetterWriter } from '../../templates/pdf/writer';

function writer(): LetterWriter {
  const doc = createPdf({ lang: 'fi-FI', title: 't', author: 'a', subject: 's', issuedOn: '2026-12-07' });
  const root = doc.struct('Document');
  doc.addStructure(root);
  return new LetterWriter(doc, root);
}

// Latin letters of Finnish, Swedish and English, digits, punctuation, the widest glyphs of the range.
const CHARS = 'aäåbcdefghijklmnoöpqrstuvwxyzAÄÅBCDEFGHIJKLMNOÖPQRSTUVWXYZ0123456789.,;:-–—()/@€%&WMmwǄǇǊ';
const word = fc.string({ unit: fc.constantFrom(...CHARS), minLength: 1, maxLength: 18 });
const line = fc.array(word, { minLength: 1, maxLength: 40 }).map((words) => words.join(' '));
const text = fc.array(line, { minLength: 1, maxLength: 4 }).map((lines) => lines.join('\n'));
const style = fc.record({ size: fc.constantFrom(7.5, 8.5, 9, 10, 12.5, 15), bold: fc.boolean() });

test('the height bound is never below the height the text really takes', () => {
  const w = writer();
  let bounded = 0;
  fc.assert(
    fc.property(text, fc.integer({ min: 60, max: 470 }), style, (t, width, s) => {
      const bound = w.heightBound(t, width, s);
      if (bound === undefined) return true;
      bounded++;
      return bound >= w.measure(t, width, s) - 1e-6;
    }),
    { numRuns: 400, seed: 20261207 },
  );
  // The property is about something: most generated texts get a bound.
  expect(bounded).toBeGreaterThan(200);
});

test('text outside the bounded range gets no bound, so it is always measured', () => {
  const w = writer();
  expect(w.heightBound('Ελληνικά', 200)).toBeUndefined();
  expect(w.heightBound('e\u0301', 200)).toBeUndefined();
});

test('every character the writer draws without cleaning has a glyph in both faces', () => {
  const { parsedFonts } = jest.requireActual('../../templates/pdf/fonts') as typeof import('../../templates/pdf/fonts');
  const faces = parsedFonts() as unknown as Record<string, { hasGlyphForCodePoint(cp: number): boolean }>;
  const ranges = [[0x20, 0x7e], [0xa0, 0x24f], [0x2010, 0x2027], [0x20ac, 0x20ac]];
  const missing: string[] = [];
  for (const [name, face] of Object.entries(faces)) {
    for (const [from, to] of ranges) for (let cp = from; cp <= to; cp++) if (!face.hasGlyphForCodePoint(cp)) missing.push(`${name} U+${cp.toString(16)}`);
  }
  expect(missing).toEqual([]);
});
