/**
 * The history as a PDF for the auditor's file: A4 landscape (the hashes need the width), the
 * letters' DejaVu fonts embedded, tagged headings and tables, and "page n / N" on every page. The
 * file's dates are the generation time, so the same history at the same moment gives the same bytes.
 */
import PDFDocument from 'pdfkit';
import type { Language } from '../../domain/request';
import { LANGUAGE_TAGS } from '../../templates/i18n';
import { finishPdf, type Pdf } from '../../templates/pdf/document';
import { FONT_BOLD, FONT_REGULAR, fontFiles } from '../../templates/pdf/fonts';
import { LetterWriter, STYLE } from '../../templates/pdf/writer';
import type { PageText } from '../i18n';
import { formatHelsinki } from './i18n';
import { chainSentence, historyTables, summaryRows, type HistoryTable } from './audit-history';
import type { AuditHistory } from './audit-queries';
import type { RegisterDescription } from '../../domain/register-description';

const MARGINS = { top: 48, bottom: 56, left: 48, right: 48 };
const CELL_PADDING = 3;
const TEXT_SIZE = 8;
const CODE_SIZE = 7;
const NOTE_STYLE = { size: STYLE.small, color: STYLE.muted };
const CAPTION_STYLE = { size: STYLE.small, color: STYLE.muted };
// pdfkit supports a Scope on TH (PDF/UA 7.5); its typings do not.
const COLUMN_HEADER = { scope: 'Column' } as PDFKit.Mixins.StructureElementOptions;
const ROW_HEADER = { scope: 'Row' } as PDFKit.Mixins.StructureElementOptions;

export interface HistoryPdfInput {
  t: PageText;
  language: Language;
  history: AuditHistory;
  generatedAt: Date;
  /** The staff id of the auditor who asked for it. */
  generatedBy: string;
  /** The signed machine-readable export, embedded as a file so `npm run verify-export` can check the PDF. */
  signedExport?: Buffer;
  /** Names the categories in the letter's language. */
  description?: RegisterDescription;
}

/** Renders the history to PDF bytes. */
export function historyPdf(input: HistoryPdfInput): Promise<Buffer> {
  const { t, language, history } = input;
  const title = t('audit.history.title', { reference: history.summary.reference });
  const doc = new PDFDocument({
    size: 'A4',
    layout: 'landscape',
    margins: MARGINS,
    pdfVersion: '1.7',
    tagged: true,
    lang: LANGUAGE_TAGS[language],
    displayTitle: true,
    bufferPages: true, // page numbers "n / N" are drawn once the page count is known
    info: { Title: title, Author: input.generatedBy, Subject: title, CreationDate: input.generatedAt, ModDate: input.generatedAt },
  });
  const fonts = fontFiles();
  doc.registerFont(FONT_REGULAR, fonts.regular);
  doc.registerFont(FONT_BOLD, fonts.bold);
  doc.font(FONT_REGULAR);
  const root = doc.struct('Document');
  doc.addStructure(root);
  const w = new LetterWriter(doc, root);

  w.heading(title, 1);
  w.paragraph(t('audit.pdf.generated', { at: formatHelsinki(t, input.generatedAt), user: input.generatedBy }), { color: STYLE.muted });
  w.heading(t('audit.chain.heading'), 2);
  const integrity = history.integrity;
  w.paragraph(chainSentence(t, integrity, 'request'), { bold: integrity.state !== 'intact' });
  const c = integrity.checkpoint;
  w.heading(t('audit.chain.checkpointHeading'), 3);
  if (c) {
    w.paragraph(t('audit.chain.checkpoint', { seq: c.seq, date: formatHelsinki(t, new Date(c.at)), key: c.keyId }));
    w.paragraph(t('audit.chain.checkpointCopy'), NOTE_STYLE);
    w.paragraph(integrity.checkpointFile ?? '', { size: CODE_SIZE });
  } else {
    w.paragraph(t('audit.chain.noCheckpoint'));
  }
  if (input.signedExport) doc.file(input.signedExport, { name: `${history.summary.reference}-history.json`, type: 'application/json', description: 'dsr-audit-export/1' });
  w.heading(t('audit.history.summaryHeading'), 2);
  w.rows(summaryRows(t, language, history.summary), { labelWidth: 220 });
  for (const section of historyTables(t, language, history, input.description)) {
    // The heading keeps company: the note, the caption, the column labels and the first row.
    const note = section.note ? w.measure(section.note, w.width, NOTE_STYLE) + STYLE.paragraphGap : 0;
    w.heading(section.heading, 2, note + (section.rows.length === 0 ? w.lineHeight({}) : tableLeadHeight(w, section)));
    if (section.note) w.paragraph(section.note, NOTE_STYLE);
    if (section.rows.length === 0) w.paragraph(section.empty);
    else drawTable(w, root, section);
  }
  root.end();
  numberPages(w, t('audit.pdf.footer', { reference: history.summary.reference }), (page, pages) => t('audit.pdf.page', { page, pages }));
  return finishPdf(doc);
}

interface Geometry {
  xs: number[];
  widths: number[];
}

function geometry(w: LetterWriter, section: HistoryTable): Geometry {
  const total = section.columns.reduce((sum, c) => sum + c.weight, 0);
  const widths = section.columns.map((c) => (c.weight / total) * w.width);
  const xs = widths.map((_, i) => w.left + widths.slice(0, i).reduce((a, b) => a + b, 0));
  return { xs, widths };
}

function cellStyle(code: boolean | undefined, header = false) {
  return header ? { size: TEXT_SIZE, bold: true, color: STYLE.muted } : { size: code ? CODE_SIZE : TEXT_SIZE };
}

function rowHeight(w: LetterWriter, g: Geometry, texts: { text: string; code?: boolean }[], header = false): number {
  return Math.max(...texts.map((c, i) => w.measure(c.text, g.widths[i] - 2 * CELL_PADDING, cellStyle(c.code, header)))) + 2 * CELL_PADDING;
}

/** The height a table needs before its first row can break: caption, column labels, first row. */
function tableLeadHeight(w: LetterWriter, section: HistoryTable): number {
  const g = geometry(w, section);
  const labels = section.columns.map((c) => ({ text: c.label }));
  return w.measure(section.caption, w.width, CAPTION_STYLE) + 2 + rowHeight(w, g, labels, true) + rowHeight(w, g, section.rows[0].cells);
}

/**
 * Draws one row's cells at the cursor, each through `tagCell` (which tags it, or just draws it),
 * then a rule under the row; `decoration` draws all of it as one artifact (artifacts must not nest).
 */
function drawCells(
  w: LetterWriter,
  g: Geometry,
  texts: { text: string; code?: boolean }[],
  height: number,
  header: boolean,
  tagCell: ((i: number, draw: () => void) => void) | 'decoration',
): void {
  const y = w.doc.y;
  const cell = (c: { text: string; code?: boolean }, i: number) => () => w.write(c.text, g.xs[i] + CELL_PADDING, y + CELL_PADDING, g.widths[i] - 2 * CELL_PADDING, cellStyle(c.code, header));
  const rule = () => w.line(y + height, header ? STYLE.text : STYLE.rule);
  if (tagCell === 'decoration') {
    w.artifact(() => {
      texts.forEach((c, i) => cell(c, i)());
      rule();
    });
  } else {
    texts.forEach((c, i) => tagCell(i, cell(c, i)));
    w.artifact(rule);
  }
  w.doc.y = y + height;
}

/** A table that breaks between rows, repeating its column labels (as decoration) on each new page. */
function drawTable(w: LetterWriter, root: PDFKit.PDFStructureElement, section: HistoryTable): void {
  const { doc } = w;
  const g = geometry(w, section);
  const labels = section.columns.map((c) => ({ text: c.label }));
  const labelHeight = rowHeight(w, g, labels, true);
  w.ensureSpace(tableLeadHeight(w, section));
  const table = doc.struct('Table');
  root.add(table);
  const caption = doc.struct('Caption', {}, () => w.write(section.caption, w.left, doc.y, w.width, CAPTION_STYLE));
  table.add(caption);
  doc.y += 2;
  const head = doc.struct('TR');
  table.add(head);
  drawCells(w, g, labels, labelHeight, true, (_i, draw) => head.add(doc.struct('TH', COLUMN_HEADER, draw)));
  head.end();
  for (const row of section.rows) {
    const height = rowHeight(w, g, row.cells);
    if (doc.y + height > w.bottom) {
      doc.addPage();
      drawCells(w, g, labels, labelHeight, true, 'decoration');
    }
    const tr = doc.struct('TR');
    table.add(tr);
    drawCells(w, g, row.cells, height, false, (i, draw) => tr.add(doc.struct(i === section.rowHeader ? 'TH' : 'TD', i === section.rowHeader ? ROW_HEADER : {}, draw)));
    tr.end();
  }
  table.end();
  doc.y += STYLE.paragraphGap;
}

/** The footer of every page: what the file is, and "page n / N". */
function numberPages(w: LetterWriter, footer: string, pageText: (page: number, pages: number) => string): void {
  const doc: Pdf = w.doc;
  const range = doc.bufferedPageRange();
  for (let i = 0; i < range.count; i++) {
    doc.switchToPage(range.start + i);
    // Margins are lifted while decorating so pdfkit does not see the footer as an overflow.
    const margins = doc.page.margins;
    doc.page.margins = { ...margins, top: 0, bottom: 0 };
    const y = doc.page.height - MARGINS.bottom + 16;
    w.artifact(() => {
      w.line(y - 4);
      w.write(footer, w.left, y, w.width - 120, { size: STYLE.small, color: STYLE.muted });
      w.write(pageText(i + 1, range.count), w.left + w.width - 120, y, 120, { size: STYLE.small }, 'right');
    }, 'Pagination');
    doc.page.margins = margins;
  }
}
