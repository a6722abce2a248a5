/**
 * Block-level drawing for letters: headings, paragraphs, bullet lists and label/value tables that
 * break across pages cleanly. Every block is tagged (H1-H4, P, L/LI, Table/TR/TH/TD) so screen
 * readers and archive tools can follow the letter's structure; rules are marked as artifacts.
 */
import type { Pdf } from './document';
import { advanceEm, BOUNDED_TEXT, FONT_BOLD, FONT_REGULAR } from './fonts';

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

interface TextStyle {
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

// Widths summed from advance widths leave out kerning; this margin covers it.
const WIDTH_MARGIN = 1.1;

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

/** Draws tagged blocks top to bottom, adding pages as needed. */
export class LetterWriter {
  private readonly parents: Struct[];
  /** Every heading drawn so far, in order; the layout uses them to place the signature well. */
  readonly headings: HeadingPlace[] = [];

  /** `breakBeforeHeading`: start a new page before the heading with this index (see `headings`). */
  constructor(readonly doc: Pdf, root: Struct, private readonly breakBeforeHeading?: number) {
    this.parents = [root];
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

  /** Starts a new page unless `height` points still fit below the cursor. */
  ensureSpace(height: number): void {
    if (this.doc.y + height > this.bottom) this.doc.addPage();
  }

  /** Moves the cursor down, but never pushes blank space onto the top of a page. */
  space(points: number): void {
    if (this.doc.y > this.doc.page.margins.top + 0.5) this.doc.y += points;
  }

  /** Groups the blocks drawn by `draw` under a Sect element. */
  section(draw: () => void): void {
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
    if (this.headings.length === this.breakBeforeHeading && this.doc.y > this.top + 0.5) this.doc.addPage();
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
   */
  rows(rows: Row[], options: RowsOptions = {}): void {
    if (rows.length === 0) return;
    const { x, labelWidth, valueWidth, labelStyle, valueStyle } = this.rowGeometry(options);
    const table = this.doc.struct(options.asParagraph ? 'P' : 'Table');
    this.parent.add(table);
    if (options.asParagraph && options.caption) this.caption(table, options.caption, rows[0], options);
    for (const row of rows) {
      const value = row.value.trim() === '' ? '–' : row.value;
      const remaining = this.bottom - this.doc.y;
      const height = this.rowHeightWithin(row.label, value, options, remaining);
      if (height > remaining) {
        const long = height > this.bodyHeight / 3;
        if (!long || remaining < 3 * this.lineHeight(valueStyle)) this.doc.addPage();
      }
      const y = this.doc.y;
      const page = this.doc.page;
      // The smaller label is nudged down to share the value's first baseline.
      const labelY = y + ((valueStyle.size ?? STYLE.body) - (labelStyle.size ?? STYLE.body)) * 0.8;
      const drawLabel = () => this.write(row.label, x, labelY, labelWidth - 10, labelStyle);
      const drawValue = () => this.write(value, x + labelWidth, y, valueWidth, valueStyle);
      let labelEnd: number;
      if (options.asParagraph) {
        table.add(drawLabel);
        labelEnd = this.doc.y;
        table.add(drawValue);
      } else {
        const tr = this.doc.struct('TR');
        table.add(tr);
        tr.add(this.doc.struct('TH', ROW_HEADER, drawLabel));
        labelEnd = this.doc.y;
        tr.add(this.doc.struct('TD', {}, drawValue));
        tr.end();
      }
      if (this.doc.page === page) this.doc.y = Math.max(labelEnd, this.doc.y);
      this.doc.y += 3;
    }
    table.end();
    this.doc.y += STYLE.paragraphGap - 3;
  }

  /** Draws a paragraph's caption, kept on one page with the first row after it. */
  private caption(paragraph: Struct, text: string, first: Row, options: RowsOptions): void {
    const style: TextStyle = { size: STYLE.headings[4], bold: true, color: STYLE.accent };
    this.space(SPACE_BEFORE[4]);
    const firstLines = MIN_LINES_BEFORE_BREAK * this.lineHeight({});
    const bound = this.heightBound(text, this.width, style);
    if (bound === undefined || bound + SPACE_AFTER[4] + firstLines > this.bottom - this.doc.y) {
      const firstRow = Math.min(this.rowHeight(first.label, first.value, options), firstLines);
      this.ensureSpace(this.measure(text, this.width, style) + SPACE_AFTER[4] + firstRow);
    }
    const y = this.doc.y;
    paragraph.add(() => this.write(text, this.left, y, this.width, style));
    this.doc.y += SPACE_AFTER[4];
  }

  /**
   * The height a row takes, or any number up to `remaining` when the row surely fits in it:
   * all a page break needs to know, and laying out text only to measure it was a third of a long
   * letter's cost.
   */
  private rowHeightWithin(label: string, value: string, options: RowsOptions, remaining: number): number {
    const bound = this.rowHeightBound(label, value, options);
    return bound !== undefined && bound <= remaining ? bound : this.rowHeight(label, value, options);
  }

  /** An upper bound of a row's height without laying it out; undefined when none is cheap. */
  rowHeightBound(label: string, value: string, options: RowsOptions = {}): number | undefined {
    const { labelWidth, valueWidth, labelStyle, valueStyle } = this.rowGeometry(options);
    const labelBound = this.heightBound(label, labelWidth - 10, labelStyle);
    const valueBound = this.heightBound(value, valueWidth, valueStyle);
    return labelBound === undefined || valueBound === undefined ? undefined : Math.max(labelBound, valueBound);
  }

  /** Starts a new page unless `text` and then `after` points fit below the cursor. */
  private ensureHeight(text: string, width: number, style: TextStyle, after: number): void {
    const remaining = this.bottom - this.doc.y;
    const bound = this.heightBound(text, width, style);
    if (bound !== undefined && bound + after <= remaining) return;
    this.ensureSpace(this.measure(text, width, style) + after);
  }

  /** Starts a new page unless at least the first lines of `text` fit below the cursor. */
  private ensureStart(text: string, width: number, style: TextStyle): void {
    const lines = MIN_LINES_BEFORE_BREAK * this.lineHeight(style);
    // min(height, lines) never exceeds `lines`, so with that much room the text starts here.
    if (this.bottom - this.doc.y >= lines) return;
    this.ensureSpace(Math.min(this.measure(text, width, style), lines));
  }

  /**
   * An upper bound of the height `text` takes in a column of `width`, from its glyphs' advance
   * widths, or undefined outside BOUNDED_TEXT's range or when a word could be wider than the
   * column (such a word is broken inside).
   * Each wrapped line but the last is wider than the column less a space and the widest word
   * (else the next word would have fitted on it), so text of total width W fills at most
   * 1 + W / (width − space − widest word) lines.
   */
  heightBound(text: string, width: number, style: TextStyle = {}): number | undefined {
    if (!BOUNDED_TEXT.test(text)) return undefined;
    const size = (style.size ?? STYLE.body) * WIDTH_MARGIN;
    const bold = style.bold ?? false;
    const space = advanceEm(' ', bold) * size;
    let lines = 0;
    for (const line of text.replace(/\r\n?/g, '\n').split('\n')) {
      // A line breaks before a word when the space and the word no longer fit on it.
      let longest = 0;
      for (const word of line.split(/[ \t]/)) longest = Math.max(longest, advanceEm(word, bold) * size + space);
      if (longest >= width) return undefined;
      lines += 1 + Math.floor((advanceEm(line, bold) * size) / (width - longest));
    }
    return lines * this.lineHeight(style);
  }

  /** The height one row of `rows` takes with the same options. */
  rowHeight(label: string, value: string, options: RowsOptions = {}): number {
    const { labelWidth, valueWidth, labelStyle, valueStyle } = this.rowGeometry(options);
    return Math.max(this.measure(label, labelWidth - 10, labelStyle), this.measure(value, valueWidth, valueStyle));
  }

  private rowGeometry(options: RowsOptions) {
    const indent = options.indent ?? 0;
    const labelWidth = options.labelWidth ?? 150;
    const size = options.size ?? STYLE.body;
    return {
      x: this.left + indent,
      labelWidth,
      valueWidth: this.width - indent - labelWidth,
      // Labels a point smaller than values, so the eye goes to the data.
      labelStyle: { size: size - 1, bold: true, color: STYLE.muted } as TextStyle,
      valueStyle: { size } as TextStyle,
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
   * closes every open marking when a new artifact starts.
   */
  artifact(draw: () => void, type: 'Pagination' | 'Layout' = 'Layout'): void {
    this.doc.markContent('Artifact', { type });
    draw();
    this.doc.endMarkedContent();
  }

  /** Tags what `draw` puts on the page as a structure element of `tag`. */
  tag(tag: string, draw: () => void): void {
    this.parent.add(this.doc.struct(tag, {}, draw));
  }

  /** Writes text at a position with the given style; the cursor ends below it. */
  write(text: string, x: number, y: number, width: number, style: TextStyle = {}, align?: 'left' | 'right'): void {
    this.applyStyle(style);
    this.doc.text(this.printable(text), x, y, { width, lineGap: STYLE.lineGap, align });
  }

  /** The height `text` takes in a column of `width`. */
  measure(text: string, width: number, style: TextStyle = {}): number {
    this.applyStyle(style);
    return this.doc.heightOfString(this.printable(text), { width, lineGap: STYLE.lineGap });
  }

  /**
   * Register data may hold anything. PDF/A forbids showing the .notdef glyph, so characters the
   * font lacks become U+FFFD; control characters are dropped; text is NFC so "Å" is one glyph.
   */
  private printable(text: string): string {
    if (printableAsIs(text)) return text;
    const font = (this.doc as unknown as { _font?: { font?: GlyphCoverage } })._font?.font;
    let out = '';
    for (const char of text.normalize('NFC').replace(/\r\n?/g, '\n').replace(/\t/g, ' ')) {
      const code = char.codePointAt(0) ?? 0;
      if (char !== '\n' && (code < 0x20 || (code >= 0x7f && code < 0xa0))) continue;
      out += char === '\n' || !font || font.hasGlyphForCodePoint(code) ? char : '\uFFFD';
    }
    return out;
  }

  /** The height of one line of text in `style`. */
  lineHeight(style: TextStyle): number {
    this.applyStyle(style);
    return this.doc.currentLineHeight(true) + STYLE.lineGap;
  }

  /**
   * Sets font, size and colour. pdfkit writes a colour operator into the page each time it is
   * set, so the colour is set only when it changes on the page being drawn (a new page starts
   * with the default colour).
   */
  private applyStyle(style: TextStyle): void {
    this.doc.font(style.bold ? FONT_BOLD : FONT_REGULAR).fontSize(style.size ?? STYLE.body);
    const color = style.color ?? STYLE.text;
    if (this.colorSet?.page !== this.doc.page || this.colorSet.color !== color) {
      this.doc.fillColor(color);
      this.colorSet = { page: this.doc.page, color };
    }
  }

  /** The fill colour last set, and on which page. */
  private colorSet?: { page: PDFKit.PDFPage; color: string };

  private get parent(): Struct {
    return this.parents[this.parents.length - 1];
  }
}
