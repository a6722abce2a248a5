/**
 * Line breaking for letters, done once per string. pdfkit's own `text()` breaks a string into
 * lines with a Unicode line breaker and lays every word out to measure it, and then lays each
 * line out again to draw it; a letter that also needs a string's height before drawing it (to
 * keep a heading with its text, or a record on one page) paid for that layout twice more. Here a
 * string is broken once, from word widths kept for the life of the process, and its lines are
 * drawn as they are (pdfkit's `lineBreak: false`), so the height used to place a block is the
 * height it takes when drawn.
 *
 * Widths are pdfkit's own: a line's width is the sum of its chunks' widths, a chunk being a word
 * with the blank after it, which is how pdfkit splits a line to lay it out; the chunks are shaped
 * once into the table pdfkit draws them from (shaping.ts).
 */
import { parsedFonts, type ParsedFont } from './fonts';
import { shapedWidth } from './shaping';

/** What fontkit's layout gives that is used here. */
interface LaidOut {
  advanceWidth: number;
}

/** The font metrics a line height comes from (fontkit's Font). */
interface Metrics {
  ascent: number;
  descent: number;
  lineGap: number;
  unitsPerEm: number;
}

// Chunks the way pdfkit's EmbeddedFont.layout splits text: a run of non-blanks with the one
// blank after it, or a lone blank.
const CHUNK = /[^ \t]*[ \t]|[^ \t]+/g;

function face(bold: boolean): ParsedFont {
  const faces = parsedFonts();
  return bold ? faces.bold : faces.regular;
}

function chunkWidth(chunk: string, bold: boolean): number {
  return shapedWidth(chunk, bold);
}

function layoutWidth(text: string, bold: boolean): number {
  const font = face(bold);
  return ((font.layout(text) as LaidOut).advanceWidth * 1000) / font.unitsPerEm;
}

/** The width in points of `text` on one line, as pdfkit's `widthOfString` gives it. */
export function textWidth(text: string, size: number, bold: boolean): number {
  let width = 0;
  for (const chunk of text.match(CHUNK) ?? []) width += chunkWidth(chunk, bold);
  return (width * size) / 1000;
}

const lineHeights = new Map<string, number>();

/** pdfkit's `currentLineHeight(true)` for the face and size: ascent, descent and the font's gap. */
export function fontLineHeight(size: number, bold: boolean): number {
  const key = `${bold ? 'b' : 'r'}${size}`;
  let height = lineHeights.get(key);
  if (height === undefined) {
    const m = face(bold) as unknown as Metrics;
    height = ((m.ascent + m.lineGap - m.descent) / m.unitsPerEm) * size;
    lineHeights.set(key, height);
  }
  return height;
}

/** One line as it will be drawn, with its width in points. */
export interface Line {
  text: string;
  width: number;
}

/**
 * Breaks `text` (already printable: no control characters but line feeds) into lines of at most
 * `width` points: at blanks, and inside a word only when the word alone is wider than the line.
 * Every line feed starts a new line; blanks at the end of a line are not drawn.
 */
export function breakLines(text: string, width: number, size: number, bold: boolean): Line[] {
  const lines: Line[] = [];
  if (text === '') return lines;
  const limit = (width * 1000) / size; // in thousandths of an em
  for (const paragraph of text.split('\n')) {
    let line = '';
    let lineEm = 0; // the line with its trailing blank
    let visibleEm = 0; // without it
    const emit = () => {
      lines.push({ text: line.replace(/[ \t]+$/, ''), width: (visibleEm * size) / 1000 });
      line = '';
      lineEm = 0;
      visibleEm = 0;
    };
    for (const chunk of paragraph.match(CHUNK) ?? ['']) {
      const blank = chunk.endsWith(' ') || chunk.endsWith('\t');
      const word = blank ? chunk.slice(0, -1) : chunk;
      if (word === '' && line === '') continue; // no blanks at the start of a wrapped line
      const chunkEm = chunkWidth(chunk, bold);
      const wordEm = blank ? (word === '' ? 0 : chunkWidth(word, bold)) : chunkEm;
      if (lineEm + wordEm <= limit) {
        line += chunk;
        visibleEm = word === '' ? visibleEm : lineEm + wordEm;
        lineEm += chunkEm;
        continue;
      }
      if (line !== '') emit();
      if (wordEm <= limit) {
        line = chunk;
        lineEm = chunkEm;
        visibleEm = wordEm;
        continue;
      }
      // A word wider than the line (a long address or identifier) is broken where it must be.
      let rest = word;
      while (rest !== '') {
        const cut = longestPrefix(rest, limit, bold);
        line = rest.slice(0, cut);
        visibleEm = lineEm = layoutWidth(line, bold);
        rest = rest.slice(cut);
        if (rest !== '') emit();
      }
      if (blank) {
        line += chunk.slice(-1);
        lineEm += chunkWidth(chunk.slice(-1), bold);
      }
    }
    emit(); // an empty paragraph (two line feeds in a row) is an empty line
  }
  return lines;
}

/** How many UTF-16 units of `word` fit in `limit` (at least one character, never a lone surrogate). */
function longestPrefix(word: string, limit: number, bold: boolean): number {
  let fits = 0;
  for (let end = 1; end <= word.length; end++) {
    if (end < word.length && /[\udc00-\udfff]/.test(word[end])) continue;
    if (layoutWidth(word.slice(0, end), bold) > limit) break;
    fits = end;
  }
  return fits === 0 ? (/[\ud800-\udbff]/.test(word[0]) ? 2 : 1) : fits;
}
