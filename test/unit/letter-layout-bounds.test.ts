/**
 * The letter writer breaks each string into lines once and draws those lines as they are; the
 * height it places a block by is the height of those lines. Generated texts check the lines: each
 * fits its column as pdfkit measures it, and together they keep every character of the text.
 */
import fc from 'fast-check';
import PDFDocument from 'pdfkit';
import { createPdf } from '../../templates/pdf/document';
import { parsedFonts } from '../../templates/pdf/fonts';
import { breakLines, textWidth } from '../../templates/pdf/text';
import { LetterWriter } from '../../templates/pdf/writer';

function writer(): LetterWriter {
  const doc = createPdf({ lang: 'fi-FI', title: 't', author: 'a', subject: 's', issuedOn: '2026-12-07' });
  const root = doc.struct('Document');
  doc.addStructure(root);
  return new LetterWriter(doc, root);
}

/** pdfkit's own width of a string in a face and size, from a document of its own. */
function pdfkitWidth(text: string, size: number, bold: boolean): number {
  const fonts = parsedFonts() as unknown as { regular: Buffer; bold: Buffer };
  const doc = new PDFDocument({ autoFirstPage: false });
  doc.registerFont('f', bold ? fonts.bold : fonts.regular);
  return doc.font('f').fontSize(size).widthOfString(text);
}

// Latin letters of Finnish, Swedish and English, digits, punctuation, the widest glyphs of the range.
const CHARS = 'aäåbcdefghijklmnoöpqrstuvwxyzAÄÅBCDEFGHIJKLMNOÖPQRSTUVWXYZ0123456789.,;:-–—()/@€%&WMmwǄǇǊ';
const word = fc.string({ unit: fc.constantFrom(...CHARS), minLength: 1, maxLength: 30 });
const line = fc.array(word, { minLength: 1, maxLength: 40 }).map((words) => words.join(' '));
const text = fc.array(line, { minLength: 1, maxLength: 4 }).map((lines) => lines.join('\n'));
const size = fc.constantFrom(7.5, 8.5, 9, 10, 12.5, 15);

test('every line fits its column, as pdfkit measures it, and no character is lost', () => {
  fc.assert(
    fc.property(text, fc.integer({ min: 60, max: 470 }), size, fc.boolean(), (t, width, s, bold) => {
      const lines = breakLines(t, width, s, bold);
      for (const l of lines) {
        // A single character wider than the column is the only line allowed to overflow it.
        if ([...l.text].length > 1) expect(pdfkitWidth(l.text, s, bold)).toBeLessThanOrEqual(width + 1e-6);
        expect(l.width).toBeCloseTo(pdfkitWidth(l.text, s, bold), 6);
      }
      expect(lines.map((l) => l.text).join('').replace(/\s/g, '')).toBe(t.replace(/\s/g, ''));
      // Every line feed starts a line, and a line breaks at a blank only when the next word does not fit.
      expect(lines.length).toBeGreaterThanOrEqual(t.split('\n').length);
      for (const paragraph of t.split('\n')) {
        const own = breakLines(paragraph, width, s, bold);
        let at = 0;
        for (let i = 0; i + 1 < own.length; i++) {
          at += own[i].text.length;
          if (paragraph[at] !== ' ') continue; // a word too wide for the column, broken inside
          at += 1;
          const next = paragraph.slice(at).split(' ')[0]; // the whole word, even if it is broken itself
          expect(textWidth(`${own[i].text} ${next}`, s, bold)).toBeGreaterThan(width);
        }
      }
    }),
    { numRuns: 150, seed: 20261207 },
  );
});

test('a text is as high as its lines, and the cursor ends there when it is drawn', () => {
  const w = writer();
  fc.assert(
    fc.property(text, fc.integer({ min: 60, max: 470 }), size, fc.boolean(), (t, width, s, bold) => {
      const style = { size: s, bold };
      const height = w.measure(t, width, style);
      expect(height).toBeCloseTo(w.lines(t, width, style).length * w.lineHeight(style), 6);
      w.newPage();
      const top = w.doc.y;
      w.write(t, w.left, top, width, style);
      // Within a page the text ends exactly where its height says; longer ones flow on.
      if (height <= w.bodyHeight) expect(w.doc.y).toBeCloseTo(top + height, 6);
    }),
    { numRuns: 60, seed: 20261207 },
  );
});

test('text outside the Latin ranges is broken and measured with the same shaping pdfkit draws it with', () => {
  for (const t of ['Ελληνικά κείμενα και λέξεις', 'e\u0301 combining marks e\u0301', 'Привет мир, длинный текст']) {
    const lines = breakLines(t, 60, 10, false);
    expect(lines.length).toBeGreaterThan(1);
    for (const l of lines) expect(l.width).toBeCloseTo(pdfkitWidth(l.text, 10, false), 6);
  }
});

test('every character the writer draws without cleaning has a glyph in both faces', () => {
  const faces = parsedFonts() as unknown as Record<string, { hasGlyphForCodePoint(cp: number): boolean }>;
  const ranges = [[0x20, 0x7e], [0xa0, 0x24f], [0x2010, 0x2027], [0x20ac, 0x20ac]];
  const missing: string[] = [];
  for (const [name, face] of Object.entries(faces)) {
    for (const [from, to] of ranges) for (let cp = from; cp <= to; cp++) if (!face.hasGlyphForCodePoint(cp)) missing.push(`${name} U+${cp.toString(16)}`);
  }
  expect(missing).toEqual([]);
});
