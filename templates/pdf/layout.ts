/**
 * The one layout every letter uses (LEGAL-RULES.md 5): a letter head with the controller and its
 * contacts, the register, the request's reference, receipt date and deadlines; the title; the
 * letter kind's own body; the signature block with the contact person (Hallintolaki 434/2003
 * 44 §); a running header from page 2 on; and on every page a footer with the controller's and
 * the DPO's contacts and "n / N".
 */
import { formatDate, LANGUAGE_TAGS, translator, type Translate } from '../i18n';
import type { ContactBlock, Letter } from '../types';
import { createPdf, finishPdf } from './document';
import { LetterWriter, STYLE, type BrokenLines, type Row } from './writer';

/** What a letter body gets besides the writer: the catalog and the date formatter. */
export interface LetterContext {
  t: Translate;
  /** Formats a YYYY-MM-DD date in the letter's language. */
  date(iso: string): string;
}

/** Draws one letter kind's body between the head and the signature. */
export type LetterBody<L extends Letter> = (w: LetterWriter, letter: L, ctx: LetterContext) => void;

const HEAD_TOP = 42;

/**
 * Renders `letter` in the shared layout with `body` as its content, to PDF/A bytes. The letter is
 * first placed without drawing (a dry run: line breaks and page breaks only) to see where the
 * signature falls; when it would stand alone on the last page, the drawn letter moves its last
 * section over to keep it company. Both runs are deterministic, so the bytes are too.
 */
export function renderWithLayout<L extends Letter>(letter: L, titleKey: string, body: LetterBody<L>): Promise<Buffer> {
  const broken: BrokenLines = new Map();
  const plan = drawLetter(letter, titleKey, body, { dry: true, broken });
  const move = plan.signature.alone ? headingToMove(plan.writer, plan.signature) : undefined;
  const { writer } = drawLetter(letter, titleKey, body, { dry: false, broken, breakBeforeHeading: move });
  return finishPdf(writer.doc);
}

interface DrawnLetter {
  writer: LetterWriter;
  signature: SignaturePlace;
}

function drawLetter<L extends Letter>(letter: L, titleKey: string, body: LetterBody<L>, pass: { dry: boolean; broken: BrokenLines; breakBeforeHeading?: number }): DrawnLetter {
  const t = translator(letter.language);
  const dates = new Map<string, string>();
  const date = (iso: string) => dates.get(iso) ?? dates.set(iso, formatDate(iso, letter.language)).get(iso)!;
  const ctx: LetterContext = { t, date };
  const title = t(titleKey);
  const doc = pass.dry
    ? undefined
    : createPdf({
        lang: LANGUAGE_TAGS[letter.language],
        title,
        author: letter.controller.name,
        subject: `${t(`letterKind.${letter.kind}`)} – ${t('head.reference')} ${letter.reference}`,
        issuedOn: letter.issuedOn,
      });
  const root = doc?.struct('Document');
  if (doc && root) doc.addStructure(root);
  const w = new LetterWriter(doc, root, pass.breakBeforeHeading, pass.broken);
  drawLetterHead(w, letter, ctx);
  w.heading(title, 1);
  body(w, letter, ctx);
  const signature = drawSignature(w, letter, ctx);
  root?.end();
  if (!pass.dry) decoratePages(w, letter, ctx, title);
  return { writer: w, signature };
}

/** Where the signature went: whether it had to start a page of its own, and what it needed. */
interface SignaturePlace {
  alone: boolean;
  /** The page and height at which the body's text ended. */
  contentPage: number;
  contentEnd: number;
  /** The height the signature block takes, the space above it included. */
  height: number;
}

/**
 * The heading to start a new page at so the signature has company: the last section heading
 * (else the last subsection heading) on the body's last page whose text fits on one page
 * together with the signature. Undefined when nothing that small is there to move.
 */
function headingToMove(w: LetterWriter, place: SignaturePlace): number | undefined {
  const fits = (y: number) => place.contentEnd - y + place.height <= w.bodyHeight;
  const candidates = w.headings.map((h, index) => ({ ...h, index })).filter((h) => h.page === place.contentPage && h.level > 1 && fits(h.y));
  const last = (level: number) => candidates.filter((h) => h.level === level).at(-1);
  return (last(2) ?? last(3))?.index;
}

/** The lines of a contact block as printed (name first, empty parts left out). */
export function contactLines(block: ContactBlock, t: Translate): string[] {
  return [
    block.name,
    block.title,
    block.organisation,
    block.address,
    block.phone && t('contact.phone', { value: block.phone }),
    block.email && t('contact.email', { value: block.email }),
    block.web && t('contact.web', { value: block.web }),
  ].filter((line): line is string => Boolean(line && line.trim()));
}

/** The height `drawContact` needs, so a heading can be kept with it. */
export function contactHeight(w: LetterWriter, block: ContactBlock, t: Translate): number {
  return contactLines(block, t).reduce((sum, line, i) => sum + w.measure(line, w.width, { bold: i === 0 }), 0);
}

/** A contact block as one tagged paragraph, one item a line. */
export function drawContact(w: LetterWriter, block: ContactBlock, t: Translate): void {
  const lines = contactLines(block, t);
  w.ensureSpace(contactHeight(w, block, t));
  const y = w.doc.y;
  w.tag('P', () => lines.forEach((line, i) => w.write(line, w.left, i === 0 ? y : w.doc.y, w.width, { bold: i === 0 })));
  w.doc.y += STYLE.paragraphGap;
}

function drawLetterHead(w: LetterWriter, letter: Letter, ctx: LetterContext): void {
  const { doc } = w;
  const { t } = ctx;
  const rightWidth = 170;
  const rightX = w.left + w.width - rightWidth;
  const leftWidth = w.width - rightWidth - 20;
  const c = letter.controller;
  const details = [
    c.organisation,
    c.address,
    c.phone && t('contact.phone', { value: c.phone }),
    c.email,
    c.web,
    c.businessId && t('head.businessId', { id: c.businessId }),
  ].filter((line): line is string => Boolean(line));
  w.tag('P', () => {
    w.write(c.name, w.left, HEAD_TOP, leftWidth, { size: 13, bold: true });
    doc.y += 2;
    for (const line of details) w.write(line, w.left, doc.y, leftWidth, { size: STYLE.small, color: STYLE.muted });
  });
  const leftEnd = doc.y;
  w.tag('P', () => {
    w.write(t(`head.documentType.${letter.kind}`), rightX, HEAD_TOP, rightWidth, { size: 13, bold: true, color: STYLE.accent });
    doc.y += 2;
    w.write(ctx.date(letter.issuedOn), rightX, doc.y, rightWidth, {});
  });
  doc.y = Math.max(leftEnd, doc.y) + 12;
  w.rule(STYLE.accent);
  doc.y += 10;
  w.rows(headRows(letter, ctx), { labelWidth: 150, size: 9 });
  doc.y += 6;
}

function headRows(letter: Letter, { t, date }: LetterContext): Row[] {
  const rows: Row[] = [
    { label: t('head.register'), value: letter.registerName },
    { label: t('head.reference'), value: letter.reference },
    { label: t('head.receivedOn'), value: date(letter.receivedOn) },
    { label: t('head.deadline'), value: date(letter.deadline) },
  ];
  if (letter.extendedDeadline) rows.push({ label: t('head.extendedDeadline'), value: date(letter.extendedDeadline) });
  return rows;
}

function drawSignature(w: LetterWriter, letter: Letter, { t }: LetterContext): SignaturePlace {
  const contentPage = w.pageIndex;
  const contentEnd = w.doc.y;
  const blocks = [{ heading: t('signature.moreInfo'), lines: contactLines(letter.contactPerson, t) }];
  if (letter.signedBy) blocks.unshift({ heading: t('signature.approvedBy'), lines: contactLines(letter.signedBy, t) });
  const columnWidth = (w.width - 20) / 2;
  const heights = blocks.map((b) => [b.heading, ...b.lines].reduce((sum, line) => sum + w.measure(line, columnWidth), 0));
  const note = letter.signedBy ? w.measure(t('signature.electronic'), w.width, { size: STYLE.small }) + STYLE.paragraphGap : 0;
  const height = Math.max(...heights) + 12 + note;
  w.space(18);
  w.ensureSpace(height); // the blocks and the note below them stay together
  const alone = w.pageIndex !== contentPage;
  const top = w.doc.y;
  let bottom = top;
  blocks.forEach((block, i) => {
    const x = w.left + i * (columnWidth + 20);
    w.tag('P', () => {
      w.write(block.heading, x, top, columnWidth, { size: STYLE.small, bold: true, color: STYLE.muted });
      w.doc.y += 2;
      block.lines.forEach((line, n) => w.write(line, x, w.doc.y, columnWidth, { bold: n === 0 }));
    });
    bottom = Math.max(bottom, w.doc.y);
  });
  w.doc.y = bottom + 10;
  if (letter.signedBy) w.paragraph(t('signature.electronic'), { size: STYLE.small, color: STYLE.muted });
  return { alone, contentPage, contentEnd, height: height + 18 };
}

/** Adds the footer to every page and the running header to pages 2..N, once N is known. */
function decoratePages(w: LetterWriter, letter: Letter, ctx: LetterContext, title: string): void {
  const { doc } = w;
  const range = doc.bufferedPageRange();
  // The same on every page: put together once, not once a page (the catalog lookups were a tenth
  // of a long letter's cost).
  const furniture = pageFurniture(letter, ctx, title);
  for (let i = 0; i < range.count; i++) {
    doc.switchToPage(range.start + i);
    // Margins are lifted while decorating so the footer is not taken for an overflow.
    const margins = doc.page.margins;
    doc.page.margins = { ...margins, top: 0, bottom: 0 };
    w.artifact(() => {
      drawFooter(w, furniture, ctx.t('footer.page', { page: i + 1, pages: range.count }));
      if (i > 0) drawRunningHeader(w, furniture);
    }, 'Pagination');
    doc.page.margins = margins;
  }
}

interface PageFurniture {
  controller: string;
  dpo: string;
  name: string;
  title: string;
  reference: string;
  date: string;
}

function pageFurniture(letter: Letter, { t, date }: LetterContext, title: string): PageFurniture {
  const c = letter.controller;
  const controller = [
    c.name,
    c.businessId && t('head.businessId', { id: c.businessId }),
    c.address,
    c.phone && t('contact.phone', { value: c.phone }),
    c.email,
    c.web,
  ].filter(Boolean);
  const label = t('footer.dpo');
  // A DPO often has no personal name (seed section 5); don't print "DPO: DPO".
  const dpoLines = contactLines(letter.dpo, t).filter((line) => line.toLowerCase() !== label.toLowerCase());
  return {
    controller: controller.join(' · '),
    dpo: `${label}: ${dpoLines.join(' · ')}`,
    name: c.name,
    title,
    reference: `${t('head.reference')} ${letter.reference}`,
    date: date(letter.issuedOn),
  };
}

function drawFooter(w: LetterWriter, furniture: PageFurniture, pageText: string): void {
  const { doc } = w;
  const top = doc.page.height - 76;
  const textWidth = w.width - 70;
  w.line(top);
  const style = { size: 7.5, color: STYLE.muted };
  w.write(furniture.controller, w.left, top + 6, textWidth, style);
  w.write(furniture.dpo, w.left, doc.y + 1, textWidth, style);
  w.write(pageText, w.left + w.width - 60, top + 6, 60, { size: 8.5 }, 'right');
}

function drawRunningHeader(w: LetterWriter, furniture: PageFurniture): void {
  const { doc } = w;
  const leftWidth = w.width * 0.62;
  const rightX = w.left + leftWidth;
  const rightWidth = w.width - leftWidth;
  const style = { size: 8.5, color: STYLE.muted };
  w.write(furniture.name, w.left, HEAD_TOP, leftWidth, { ...style, bold: true });
  w.write(furniture.title, w.left, doc.y, leftWidth, style);
  w.write(furniture.reference, rightX, HEAD_TOP, rightWidth, style, 'right');
  w.write(furniture.date, rightX, doc.y, rightWidth, style, 'right');
  w.line(HEAD_TOP + 32);
}
