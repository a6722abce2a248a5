/**
 * Words shaped once per process. pdfkit shapes every word with fontkit (ligatures, kerning) and
 * keeps the result for the rest of the document; a new document started with nothing, so every
 * letter shaped its catalog texts again (most of a small letter's cost), and the letter writer,
 * which needs a word's width to break lines, shaped each word once more itself. A shaped word
 * depends only on the font, never on the document (pdfkit builds each document's font subset from
 * the glyph ids as it draws), so one table per face serves every document and the line breaking.
 *
 * The table holds runs as pdfkit's EmbeddedFont.layoutRun leaves them (fontkit's glyph run with
 * positions in thousandths of an em), so a run put here by the writer is one pdfkit would have
 * made. It is dropped whole when it grows past a bound, so memory stays bounded and no one
 * letter's words stay for long; a document keeps the table it started with, so correctness never
 * depends on what is in it.
 */
import { parsedFonts, type ParsedFont } from './fonts';

/** A shaped run, as pdfkit keeps it. */
interface ShapedRun {
  readonly advanceWidth: number;
  positions: Record<string, number>[];
  glyphs: { advanceWidth: number }[];
}

type Table = Record<string, ShapedRun>;

const MAX_RUNS = 50_000;
const tables: { regular?: { runs: Table; added: number }; bold?: { runs: Table; added: number } } = {};

function table(bold: boolean): { runs: Table; added: number } {
  const face = bold ? 'bold' : 'regular';
  let current = tables[face];
  if (!current || current.added > MAX_RUNS) {
    current = { runs: Object.create(null) as Table, added: 0 };
    tables[face] = current;
  }
  return current;
}

/** The table pdfkit's font for the face is given to keep its shaped words in (see document.ts). */
export function sharedRuns(bold: boolean): Table {
  const current = table(bold);
  // pdfkit adds what the writer did not shape (a line's last word without its blank): count it now and then.
  if (++current.added % 256 === 0) current.added = Math.max(current.added, Object.keys(current.runs).length);
  return current.runs;
}

/** The width of `chunk` (a word and the blank after it) in thousandths of an em, shaped as pdfkit shapes it. */
export function shapedWidth(chunk: string, bold: boolean): number {
  const current = table(bold);
  let run = current.runs[chunk];
  if (!run) {
    run = shape(bold ? parsedFonts().bold : parsedFonts().regular, chunk);
    current.runs[chunk] = run;
    current.added++;
  }
  return run.advanceWidth;
}

/** What pdfkit's EmbeddedFont.layoutRun does with fontkit's layout. */
function shape(font: ParsedFont, text: string): ShapedRun {
  const run = font.layout(text) as ShapedRun;
  const scale = 1000 / font.unitsPerEm;
  for (let i = 0; i < run.positions.length; i++) {
    const position = run.positions[i];
    for (const key in position) position[key] *= scale;
    position.advanceWidth = run.glyphs[i].advanceWidth * scale;
  }
  return run;
}
