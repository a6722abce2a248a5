/**
 * Creates the pdfkit document every letter is drawn on, as PDF/A-2b with embedded fonts, and
 * turns it into bytes. Everything that pdfkit would otherwise take from the clock is pinned here,
 * because the engine stores each letter with its sha256 and a retried render must give the same
 * bytes.
 */
import PDFDocument from 'pdfkit';
import { FONT_BOLD, FONT_REGULAR, parsedFonts } from './fonts';
import { sharedRuns } from './shaping';

export type Pdf = PDFKit.PDFDocument;

/** What goes into the document information dictionary and the XMP metadata. */
export interface PdfMeta {
  /** BCP 47 tag for the catalog /Lang entry (PDF/UA and screen readers use it). */
  lang: string;
  title: string;
  author: string;
  subject: string;
  /** The letter's issue date (YYYY-MM-DD); used for every date inside the file. */
  issuedOn: string;
}

/** A4 in points, as pdfkit sizes it. */
export const A4: [number, number] = [595.28, 841.89];

/** A4 with room for the running header and the footer on every page. */
export const PAGE_MARGINS = { top: 88, bottom: 92, left: 65, right: 57 };

/** A new PDF/A-2b document with the letter fonts registered and no page-independent clock reads. */
export function createPdf(meta: PdfMeta): Pdf {
  // pdfkit derives the trailer /ID from the info dictionary (md5 of CreationDate and the other
  // entries); with the dates pinned to the issue date the ID is stable too.
  const pinned = new Date(`${meta.issuedOn}T00:00:00Z`);
  if (Number.isNaN(pinned.getTime())) throw new Error(`Invalid issue date '${meta.issuedOn}'`);
  const doc = new PDFDocument({
    size: A4,
    margins: PAGE_MARGINS,
    subset: 'PDF/A-2b',
    pdfVersion: '1.7',
    tagged: true,
    lang: meta.lang,
    displayTitle: true,
    bufferPages: true, // page numbers "n / N" are drawn once the page count is known
    autoFirstPage: true,
    info: {
      Title: xmpSafe(meta.title),
      Author: xmpSafe(meta.author),
      Subject: xmpSafe(meta.subject),
      CreationDate: pinned,
      ModDate: pinned,
    },
  });
  // PDF/A: every info entry needs its XMP twin; pdfkit writes CreateDate but not ModifyDate.
  const stamp = pinned.toISOString().split('.')[0] + 'Z';
  doc.appendXML(`
        <rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/">
            <xmp:ModifyDate>${stamp}</xmp:ModifyDate>
            <xmp:MetadataDate>${stamp}</xmp:MetadataDate>
        </rdf:Description>`);
  // pdfkit takes a parsed font where its typings say file or bytes.
  const fonts = parsedFonts() as unknown as { regular: Buffer; bold: Buffer };
  doc.registerFont(FONT_REGULAR, fonts.regular);
  doc.registerFont(FONT_BOLD, fonts.bold);
  doc.font(FONT_BOLD);
  shareLayouts(doc, FONT_BOLD);
  doc.font(FONT_REGULAR);
  shareLayouts(doc, FONT_REGULAR);
  return doc;
}

/** pdfkit's font for `face` keeps its shaped words in the process's table (see shaping.ts). */
function shareLayouts(doc: Pdf, face: string): void {
  const font = (doc as unknown as { _font?: { layoutCache?: Record<string, unknown> } })._font;
  if (!font?.layoutCache) return; // pdfkit without a layout cache: nothing to share
  font.layoutCache = sharedRuns(face === FONT_BOLD);
}

/** Ends the document and collects its bytes. */
export function finishPdf(doc: Pdf): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.end();
  });
}

/**
 * pdfkit copies Title/Author/Subject into the XMP packet without XML escaping, and PDF/A wants the
 * info dictionary and XMP to say the same thing; so markup characters are replaced in both.
 */
function xmpSafe(text: string): string {
  return text.replace(/&/g, '+').replace(/[<>]/g, ' ');
}
