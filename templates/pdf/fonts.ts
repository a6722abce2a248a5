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
