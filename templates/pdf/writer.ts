/**
 * Block-level drawing for letters: headings, paragraphs, bullet lists and label/value tables that
 * break across pages cleanly. Every block is tagged (H1-H4, P, L/LI, Table/TR/TH/TD) so screen
 * readers and archive tools can follow the letter's structure; rules are marked as artifacts.
 */
import { A4, PAGE_MARGINS, type Pdf } from './document';
import { FONT_BOLD, FONT_REGULAR, parsedFonts } from './fonts';
import { breakLines, fontLineHeight, type Line } from './text';

/** Sizes in points and colours (sRGB, matching the PDF/A output intent). */
export const STYLE = {
  text: '#1a1a1a',
  muted: '#4d4d4d',
  accent: '#1f4e79',
  rule: '#9aa7b4',
  body: 10,
  small: 8.5,
  headings: { 1: 15, 2: 12.5, 3: 10.5, 4: 8.5 } as Record<HeadingLevel, number>,
  lineGap: 2.5,
  paragraphGap: 7,
} as const;

export type HeadingLevel = 1 | 2 | 3 | 4;

/** One row of a label/value table. */
export interface Row {
  label: string;
  value: string;
}

/** Layout of a label/value table. */
export interface RowsOptions {
  labelWidth?: number;
  size?: number;
  indent?: number;
  /**
   * Tag the rows as one paragraph (label, value, label, value...) instead of a table with a row
   * and two cells each. For the data report's many short records: a table per record made three
   * structure elements per field, most of a long letter's objects and bytes, and a screen reader
   * reads a record's label-value pairs the same way either way.
   */
  asParagraph?: boolean;
  /** With `asParagraph`: a caption line (e.g. "Record 3 / 12") that opens the paragraph. */
  caption?: string;
}

export interface TextStyle {
  size?: number;
  bold?: boolean;
  color?: string;
}

type Struct = PDFKit.PDFStructureElement;

// Text that needs no cleaning before it is drawn: printable characters of the ranges the font
// covers, already in NFC (combining marks are outside them), no control characters.
const PLAIN_TEXT = /^[\n\u0020-\u007e\u00a0-\u024f\u2010-\u2027\u20ac]*$/;

function printableAsIs(text: string): boolean {
  return PLAIN_TEXT.test(text);
}

/** The part of pdfkit's embedded fontkit font used to check coverage. */
interface GlyphCoverage {
  hasGlyphForCodePoint(codePoint: number): boolean;
}

// A heading needs room for itself and this many lines of what follows, or it moves to the next page.
const KEEP_WITH_NEXT = 3;
// A label heads its row (PDF/UA 7.5: TH needs a Scope); pdfkit supports it, its typings do not.
const ROW_HEADER = { scope: 'Row' } as PDFKit.Mixins.StructureElementOptions;
const SPACE_BEFORE: Record<HeadingLevel, number> = { 1: 4, 2: 14, 3: 8, 4: 4 };
const SPACE_AFTER: Record<HeadingLevel, number> = { 1: 8, 2: 4, 3: 4, 4: 2 };
// A block starting near the bottom shows at least this many lines before it breaks.
const MIN_LINES_BEFORE_BREAK = 2;

/** Where a heading was drawn: the page (0-based) and the top of its text. */
export interface HeadingPlace {
  level: HeadingLevel;
  page: number;
  y: number;
}

/**
 * The pages of a dry run: a cursor, the page size and margins, and a page count; what the writer
 * uses of a pdfkit document to place blocks, without drawing them.
 */
class DryPages {
  y = 0;
  private pages = 1;
  constructor(readonly page: { margins: typeof PAGE_MARGINS; width: number; height: number }) {
    this.y = page.margins.top;
  }

  addPage(): this {
    this.pages++;
    this.y = this.page.margins.top;
    return this;
  }

  bufferedPageRange(): { start: number; count: number } {
    return { start: 0, count: this.pages };
  }
}

/**
 * Draws tagged blocks top to bottom, adding pages as needed. A dry writer places the same blocks
 * on the same pages without drawing them: the layout runs one first to see where the letter ends.
 */
export class LetterWriter {
  private readonly parents: Struct[];
  /** Every heading drawn so far, in order; the layout uses them to place the signature well. */
  readonly headings: HeadingPlace[] = [];
  readonly doc: Pdf;
  /** True when blocks are placed but not drawn. */
  readonly dry: boolean;

  /**
   * Draws on `doc` under the structure element `root`, or, given neither, places blocks on A4
   * pages with the letter margins without drawing them. `breakBeforeHeading`: start a new page
   * before the heading with this index (see `headings`). Writers of one letter may share
   * `broken`, the strings already broken into lines, so the drawn letter reuses its dry run's.
   */
  constructor(doc: Pdf | undefined, root: Struct | undefined, private readonly breakBeforeHeading?: number, private readonly broken: BrokenLines = new Map()) {
    this.dry = doc === undefined || root === undefined;
    this.doc = doc ?? (new DryPages({ margins: PAGE_MARGINS, width: A4[0], height: A4[1] }) as unknown as Pdf);
    this.parents = root ? [root] : [];
  }

  /** The 0-based index of the page being drawn on. */
  get pageIndex(): number {
    const range = this.doc.bufferedPageRange();
    return range.start + range.count - 1;
  }

  /** Top of the body area of a page. */
  get top(): number {
    return this.doc.page.margins.top;
  }

  /** Left edge of the text column. */
  get left(): number {
    return this.doc.page.margins.left;
  }

  /** Width of the text column. */
  get width(): number {
    const { margins, width } = this.doc.page;
    return width - margins.left - margins.right;
  }

  /** Bottom of the body area of a page. */
  get bottom(): number {
    return this.doc.page.height - this.doc.page.margins.bottom;
  }

  /** Height of the body area of a page. */
  get bodyHeight(): number {
    return this.bottom - this.doc.page.margins.top;
  }

  /**
   * Starts a new page. Content marked for the structure tree that is open goes on there under a
   * new marked-content id (pdfkit's continueOnNewPage), so every page's markings are balanced.
   */
  newPage(): void {
    if (this.dry) this.doc.addPage();
    else this.doc.continueOnNewPage();
  }

  /** Starts a new page unless `height` points still fit below the cursor. */
  ensureSpace(height: number): void {
    if (this.doc.y + height > this.bottom) this.newPage();
  }

  /** Moves the cursor down, but never pushes blank space onto the top of a page. */
  space(points: number): void {
    if (this.doc.y > this.doc.page.margins.top + 0.5) this.doc.y += points;
  }

  /** Groups the blocks drawn by `draw` under a Sect element. */
  section(draw: () => void): void {
    if (this.dry) return draw();
    const sect = this.doc.struct('Sect');
    this.parent.add(sect);
    this.parents.push(sect);
    try {
      draw();
    } finally {
      this.parents.pop();
      sect.end();
    }
  }

  /**
   * A heading kept together with what follows it: by default three lines of text, or
   * `keepWithNext` points when the caller knows the next block's height.
   */
  heading(text: string, level: HeadingLevel, keepWithNext?: number): void {
    const style = { size: STYLE.headings[level], bold: true, color: level === 1 ? STYLE.text : STYLE.accent };
    if (this.headings.length === this.breakBeforeHeading && this.doc.y > this.top + 0.5) this.newPage();
    this.space(SPACE_BEFORE[level]);
    this.ensureHeight(text, this.width, style, keepWithNext ?? KEEP_WITH_NEXT * this.lineHeight({}));
    const y = this.doc.y;
    this.headings.push({ level, page: this.pageIndex, y });
    this.tag(`H${level}`, () => this.write(text, this.left, y, this.width, style));
    this.doc.y += SPACE_AFTER[level];
  }

  /** One or more paragraphs; blank lines in `text` separate them. */
  paragraph(text: string, style: TextStyle = {}): void {
    for (const part of text.split(/\n\s*\n/)) {
      this.ensureStart(part, this.width, style);
      const y = this.doc.y;
      this.tag('P', () => this.write(part, this.left, y, this.width, style));
      this.doc.y += STYLE.paragraphGap;
    }
  }

  /** A bulleted list. */
  bullets(items: string[], style: TextStyle = {}): void {
    if (items.length === 0) return;
    const indent = 14;
    if (this.dry) {
      for (const item of items) {
        this.ensureStart(item, this.width - indent, style);
        this.write(item, this.left + indent, this.doc.y, this.width - indent, style);
        this.doc.y += 3;
      }
      this.doc.y += STYLE.paragraphGap - 3;
      return;
    }
    const list = this.doc.struct('L');
    this.parent.add(list);
    for (const item of items) {
      this.ensureStart(item, this.width - indent, style);
      const y = this.doc.y;
      const li = this.doc.struct('LI');
      list.add(li);
      li.add(this.doc.struct('Lbl', {}, () => this.write('•', this.left + 3, y, indent, style)));
      li.add(this.doc.struct('LBody', {}, () => this.write(item, this.left + indent, y, this.width - indent, style)));
      li.end();
      this.doc.y += 3;
    }
    list.end();
    this.doc.y += STYLE.paragraphGap - 3;
  }

  /**
   * A two-column table of labels and values. A short row that does not fit moves whole to the next
   * page; a long one (a case note) starts where it is and flows on, rather than leave a gap.
   * With `asParagraph` the caption and every row are one paragraph, marked as one run of content
   * per page: a screen reader reads caption, label, value, label, value... in that order.
   */
  rows(rows: Row[], options: RowsOptions = {}): void {
    if (rows.length === 0) return;
    const geometry = this.rowGeometry(options);
    if (options.asParagraph) {
      const caption = options.caption === undefined ? undefined : this.placeCaption(options.caption, rows[0], options);
      this.tag('P', () => {
        if (caption) this.drawLines(caption, this.left, this.doc.y, this.width, CAPTION_STYLE);
        if (caption) this.doc.y += SPACE_AFTER[4];
        for (const row of rows) this.row(row, geometry);
      });
    } else if (this.dry) {
      for (const row of rows) this.row(row, geometry);
    } else {
      const table = this.doc.struct('Table');
      this.parent.add(table);
      for (const row of rows) {
        this.row(row, geometry, (label, value) => {
          const tr = this.doc.struct('TR');
          table.add(tr);
          tr.add(this.doc.struct('TH', ROW_HEADER, label));
          tr.add(this.doc.struct('TD', {}, value));
          tr.end();
        });
      }
      table.end();
    }
    this.doc.y += STYLE.paragraphGap - 3;
  }

  /** Places one row, breaking the page before it when it must; `cells` tags its two cells. */
  private row(row: Row, g: RowGeometry, cells?: (label: () => void, value: () => void) => void): void {
    const value = row.value.trim() === '' ? '–' : row.value;
    const labelLines = this.lines(row.label, g.labelWidth - 10, g.labelStyle);
    const valueLines = this.lines(value, g.valueWidth, g.valueStyle);
    const height = Math.max(labelLines.length * this.lineHeight(g.labelStyle), valueLines.length * this.lineHeight(g.valueStyle));
    const remaining = this.bottom - this.doc.y;
    if (height > remaining) {
      const long = height > this.bodyHeight / 3;
      if (!long || remaining < 3 * this.lineHeight(g.valueStyle)) this.newPage();
    }
    const y = this.doc.y;
    const page = this.pageIndex;
    // The smaller label is nudged down to share the value's first baseline.
    const labelY = y + ((g.valueStyle.size ?? STYLE.body) - (g.labelStyle.size ?? STYLE.body)) * 0.8;
    let labelEnd = y;
    const drawLabel = () => {
      this.drawLines(labelLines, g.x, labelY, g.labelWidth - 10, g.labelStyle);
      labelEnd = this.doc.y;
    };
    const drawValue = () => this.drawLines(valueLines, g.x + g.labelWidth, y, g.valueWidth, g.valueStyle);
    if (cells) cells(drawLabel, drawValue);
    else {
      drawLabel();
      drawValue();
    }
    if (this.pageIndex === page) this.doc.y = Math.max(labelEnd, this.doc.y);
    this.doc.y += 3;
  }

  /**
   * Makes room for a record's caption, kept on one page with the start of the first row after it;
   * returns its lines, to be drawn at the cursor.
   */
  private placeCaption(text: string, first: Row, options: RowsOptions): Line[] {
    this.space(SPACE_BEFORE[4]);
    const lines = this.lines(text, this.width, CAPTION_STYLE);
    const firstRow = Math.min(this.rowHeight(first.label, first.value, options), MIN_LINES_BEFORE_BREAK * this.lineHeight({}));
    this.ensureSpace(lines.length * this.lineHeight(CAPTION_STYLE) + SPACE_AFTER[4] + firstRow);
    return lines;
  }

  /** Starts a new page unless `text` and then `after` points fit below the cursor. */
  private ensureHeight(text: string, width: number, style: TextStyle, after: number): void {
    this.ensureSpace(this.measure(text, width, style) + after);
  }

  /** Starts a new page unless at least the first lines of `text` fit below the cursor. */
  private ensureStart(text: string, width: number, style: TextStyle): void {
    const lines = MIN_LINES_BEFORE_BREAK * this.lineHeight(style);
    // min(height, lines) never exceeds `lines`, so with that much room the text starts here.
    if (this.bottom - this.doc.y >= lines) return;
    this.ensureSpace(Math.min(this.measure(text, width, style), lines));
  }

  /** The height one row of `rows` takes with the same options. */
  rowHeight(label: string, value: string, options: RowsOptions = {}): number {
    const { labelWidth, valueWidth, labelStyle, valueStyle } = this.rowGeometry(options);
    return Math.max(this.measure(label, labelWidth - 10, labelStyle), this.measure(value, valueWidth, valueStyle));
  }

  private rowGeometry(options: RowsOptions): RowGeometry {
    const indent = options.indent ?? 0;
    const labelWidth = options.labelWidth ?? 150;
    const size = options.size ?? STYLE.body;
    return {
      x: this.left + indent,
      labelWidth,
      valueWidth: this.width - indent - labelWidth,
      // Labels a point smaller than values, so the eye goes to the data.
      labelStyle: { size: size - 1, bold: true, color: STYLE.muted },
      valueStyle: { size },
    };
  }

  /** A thin horizontal rule across the text column at the cursor (an artifact, not content). */
  rule(color: string = STYLE.rule): void {
    const y = this.doc.y;
    this.artifact(() => this.line(y, color));
  }

  /** Strokes a rule at `y` without marking it; only for use inside `artifact`. */
  line(y: number, color: string = STYLE.rule): void {
    this.doc.save().moveTo(this.left, y).lineTo(this.left + this.width, y).lineWidth(0.6).strokeColor(color).stroke().restore();
  }

  /**
   * Draws `draw` as decoration that assistive technology skips. Artifacts must not nest: pdfkit
   * closes every open marking when a new artifact starts. A dry run has nothing to decorate.
   */
  artifact(draw: () => void, type: 'Pagination' | 'Layout' = 'Layout'): void {
    if (this.dry) return;
    this.doc.markContent('Artifact', { type });
    draw();
    this.doc.endMarkedContent();
  }

  /** Tags what `draw` puts on the page as a structure element of `tag`. */
  tag(tag: string, draw: () => void): void {
    if (this.dry) return draw();
    this.parent.add(this.doc.struct(tag, {}, draw));
  }

  /** Writes text at a position with the given style; the cursor ends below it. */
  write(text: string, x: number, y: number, width: number, style: TextStyle = {}, align?: 'left' | 'right'): void {
    this.drawLines(this.lines(text, width, style), x, y, width, style, align);
  }

  /** The height `text` takes in a column of `width`. */
  measure(text: string, width: number, style: TextStyle = {}): number {
    return this.lines(text, width, style).length * this.lineHeight(style);
  }

  /** `text` broken into the lines `write` draws. */
  lines(text: string, width: number, style: TextStyle = {}): Line[] {
    const bold = style.bold ?? false;
    const size = style.size ?? STYLE.body;
    // Keyed by column and style, then by the text itself: a string's hash is kept with it, one
    // made up of both would be hashed anew each time.
    const column = `${bold ? 'b' : 'r'}${size}/${width}`;
    let texts = this.broken.get(column);
    if (!texts) this.broken.set(column, (texts = new Map()));
    let lines = texts.get(text);
    if (!lines) {
      lines = breakLines(printable(text, bold), width, size, bold);
      texts.set(text, lines);
    }
    return lines;
  }

  /**
   * Draws lines top down from `y`, each as it is (pdfkit does not break them again), going on
   * on a new page where the next line would pass the bottom margin, as pdfkit's own text flow
   * does. The cursor ends below the last line.
   */
  private drawLines(lines: Line[], x: number, y: number, width: number, style: TextStyle, align?: 'left' | 'right'): void {
    const bold = style.bold ?? false;
    const size = style.size ?? STYLE.body;
    const glyphs = fontLineHeight(size, bold);
    let top = y;
    for (const line of lines) {
      if (top + glyphs > this.bottom) {
        this.newPage();
        top = this.top;
      }
      if (!this.dry && line.text !== '') {
        this.applyStyle(bold, size, style.color ?? STYLE.text);
        this.drawLine(line, align === 'right' ? x + width - line.width : x, top);
      }
      top += glyphs + STYLE.lineGap;
    }
    this.doc.y = top;
  }

  /**
   * Draws one line at (x, y) with the current font, size and colour. pdfkit's `text()` would
   * copy its options, split the line again and lay it out once more only to advance its cursor;
   * its `_fragment`, which `text()` ends in, draws a line that is already laid out, given its width.
   * A pdfkit without it gets `text()` without line breaking, which draws the same.
   */
  private drawLine(line: Line, x: number, y: number): void {
    const fragment = (this.doc as unknown as { _fragment?: (text: string, x: number, y: number, options: object) => void })._fragment;
    if (fragment) fragment.call(this.doc, line.text, x, y, { textWidth: line.width, wordCount: 1 });
    else this.doc.text(line.text, x, y, { lineBreak: false });
  }

  /** The height of one line of text in `style`. */
  lineHeight(style: TextStyle): number {
    return fontLineHeight(style.size ?? STYLE.body, style.bold ?? false) + STYLE.lineGap;
  }

  /**
   * Sets font, size and colour where they change. A colour is an operator in the page's content
   * and a new page starts with the default colour, so the colour is set when it differs from the
   * last one set on the page being drawn.
   */
  private applyStyle(bold: boolean, size: number, color: string): void {
    if (this.fontSet?.bold !== bold) this.doc.font(bold ? FONT_BOLD : FONT_REGULAR);
    if (this.fontSet?.size !== size) this.doc.fontSize(size);
    this.fontSet = { bold, size };
    if (this.colorSet?.page !== this.doc.page || this.colorSet.color !== color) {
      this.doc.addContent(fillOperator(color));
      this.colorSet = { page: this.doc.page, color };
    }
  }

  /** The face and size last set (pdfkit keeps them across pages). */
  private fontSet?: { bold: boolean; size: number };
  /** The fill colour last set, and on which page. */
  private colorSet?: { page: PDFKit.PDFPage; color: string };

  private get parent(): Struct {
    return this.parents[this.parents.length - 1];
  }
}

/** Strings already broken into lines, by column (style and width) and text. */
export type BrokenLines = Map<string, Map<string, Line[]>>;

interface RowGeometry {
  x: number;
  labelWidth: number;
  valueWidth: number;
  labelStyle: TextStyle;
  valueStyle: TextStyle;
}

const fillOperators = new Map<string, string>();

/**
 * The operator that sets a fill colour (#rrggbb) in DeviceRGB, which the PDF/A output intent
 * (sRGB) covers. pdfkit's `fillColor` writes the colour space and all seventeen digits of each
 * component every time; a long letter switches colour twice a row, and three digits are finer
 * than a screen or a printer can show.
 */
function fillOperator(hex: string): string {
  let operator = fillOperators.get(hex);
  if (!operator) {
    const parts = [1, 3, 5].map((at) => Number((parseInt(hex.slice(at, at + 2), 16) / 255).toFixed(3)));
    operator = `${parts.join(' ')} rg`;
    fillOperators.set(hex, operator);
  }
  return operator;
}

/** A record's caption ("Record 3 / 12"). */
const CAPTION_STYLE: TextStyle = { size: STYLE.headings[4], bold: true, color: STYLE.accent };

/**
 * Register data may hold anything. PDF/A forbids showing the .notdef glyph, so characters the
 * font lacks become U+FFFD; control characters are dropped; text is NFC so "Å" is one glyph.
 */
function printable(text: string, bold: boolean): string {
  if (printableAsIs(text)) return text;
  const faces = parsedFonts() as unknown as { regular: GlyphCoverage; bold: GlyphCoverage };
  const font = bold ? faces.bold : faces.regular;
  let out = '';
  for (const char of text.normalize('NFC').replace(/\r\n?/g, '\n').replace(/\t/g, ' ')) {
    const code = char.codePointAt(0) ?? 0;
    if (char !== '\n' && (code < 0x20 || (code >= 0x7f && code < 0xa0))) continue;
    out += char === '\n' || font.hasGlyphForCodePoint(code) ? char : '\uFFFD';
  }
  return out;
}
