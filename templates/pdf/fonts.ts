/**
 * The letter fonts: DejaVu Sans, embedded as subsets. PDF/A forbids unembedded fonts, so the
 * standard 14 (Helvetica, Times, ...) are never used. Reading these files is the only I/O the
 * templates do. The files are read and parsed once per process: pdfkit accepts a parsed fontkit
 * font, and parsing the 700 KB faces for every letter was most of a small letter's cost. A parsed
 * font keeps no per-document state (each document makes its own subset), so sharing it keeps the
 * output byte-for-byte the same.
 */
import { readFileSync } from 'node:fs';
import * as fontkit from 'fontkit';
import { dirname, join } from 'node:path';

export const FONT_REGULAR = 'DejaVuSans';
export const FONT_BOLD = 'DejaVuSans-Bold';

/** What pdfkit needs of a parsed font (fontkit's Font); opaque here. */
export interface ParsedFont {
  layout(text: string, features?: unknown): unknown;
  unitsPerEm: number;
  glyphForCodePoint(codePoint: number): { advanceWidth: number };
}

interface Faces<T> {
  regular: T;
  bold: T;
}

let files: Faces<Buffer> | undefined;
let parsed: Faces<ParsedFont> | undefined;

/** The TrueType bytes of the regular and bold faces. */
export function fontFiles(): Faces<Buffer> {
  if (!files) {
    const dir = join(dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');
    files = {
      regular: readFileSync(join(dir, 'DejaVuSans.ttf')),
      bold: readFileSync(join(dir, 'DejaVuSans-Bold.ttf')),
    };
  }
  return files;
}

/** The regular and bold faces parsed once, ready for `doc.registerFont`. */
export function parsedFonts(): Faces<ParsedFont> {
  if (!parsed) {
    // fontkit is pdfkit's own font parser, the same version pdfkit uses.
    const bytes = fontFiles();
    parsed = { regular: fontkit.create(bytes.regular) as ParsedFont, bold: fontkit.create(bytes.bold) as ParsedFont };
  }
  return parsed;
}

const advances = new Map<ParsedFont, Float32Array>();

/** Text the writer may bound without layout: U+0020-U+024F, U+2010-U+2027 (punctuation), U+20AC, tabs and line breaks. */
export const BOUNDED_TEXT = /^[\t\n\r\u0020-\u024f\u2010-\u2027\u20ac]*$/;

/**
 * The advance width in em of each character of BOUNDED_TEXT's range in one face, indexed by
 * `slot(codePoint)`. Kerning and ligatures are left out; callers add a margin.
 */
function advanceTable(font: ParsedFont): Float32Array {
  let table = advances.get(font);
  if (!table) {
    table = new Float32Array(0x250 + 0x18 + 1);
    for (let cp = 0; cp < 0x250; cp++) table[slot(cp)] = font.glyphForCodePoint(cp).advanceWidth / font.unitsPerEm;
    for (let cp = 0x2010; cp <= 0x2027; cp++) table[slot(cp)] = font.glyphForCodePoint(cp).advanceWidth / font.unitsPerEm;
    table[slot(0x20ac)] = font.glyphForCodePoint(0x20ac).advanceWidth / font.unitsPerEm;
    advances.set(font, table);
  }
  return table;
}

function slot(cp: number): number {
  return cp < 0x250 ? cp : cp === 0x20ac ? 0x250 + 0x18 : 0x250 + (cp - 0x2010);
}

/**
 * The width in em of `text` (only characters of BOUNDED_TEXT) in the regular or bold face, from
 * the glyphs' advance widths without shaping.
 */
export function advanceEm(text: string, bold: boolean): number {
  const faces = parsedFonts();
  const table = advanceTable(bold ? faces.bold : faces.regular);
  let em = 0;
  for (let i = 0; i < text.length; i++) em += table[slot(text.charCodeAt(i))];
  return em;
}
