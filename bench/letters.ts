/**
 * Letters against their floor: the letter renderer beside raw pdfkit drawing the same strings
 * with the same fonts and sizes in the same columns at the same places on the same pages (pdfkit
 * breaking them into lines itself; no measuring, no tags, no page furniture of its own): the
 * same pages, drawn by pdfkit alone. Both run in this process, alternately, so the machine's load falls on both alike,
 * and both are timed in the process's CPU time: rendering is single-threaded, so on a quiet
 * machine that is its wall time, and on a busy one it leaves out the time others took.
 */
import PDFDocument from 'pdfkit';
import { renderLetter, type AccessAnswerLetter } from '../templates';
import { parsedFonts } from '../templates/pdf/fonts';
import type { Line } from '../templates/pdf/text';
import { LetterWriter, STYLE, type TextStyle } from '../templates/pdf/writer';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRenderPool } from '../worker/render-pool';
import { sampleAccessAnswer, sampleAcknowledgement } from '../test/fixtures/letter-samples';

/** One string the renderer drew, with the font and size it used. */
interface Drawn {
  text: string;
  font: string;
  size: number;
  x: number;
  y: number;
  width: number;
  align?: string;
  page: number;
}

export interface LetterFigures {
  pages: number;
  pagesPerSecond: number;
  bytesPerPage: number;
  rawPagesPerSecond: number;
  rawBytesPerPage: number;
  /** The renderer's pages per second over raw pdfkit's, on the same strings. */
  ratio: number;
  /** A small letter (an access answer with three records), median milliseconds. */
  smallLetterMs: number;
  /** An acknowledgement, median milliseconds. */
  acknowledgementMs: number;
  /** Status-like requests served while a 5,000-record answer renders on the render pool. */
  serving: ServingFigures;
}

export interface ServingFigures {
  records: number;
  renderMs: number;
  requests: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

/**
 * An access answer with `records` event records besides the sample's own sections. Each `variant`
 * numbers its events differently, so its records carry words no other variant has.
 */
export function accessAnswerWithRecords(records: number, variant = 0): AccessAnswerLetter {
  const base = sampleAccessAnswer('fi');
  const events = base.sections[2];
  const rows = Array.from({ length: records }, (_, i) => ({
    fields: [
      { label: 'Tapahtuma', value: `Rekrytointitapahtuma ${variant * records + i + 1}, Musiikkikeskus` },
      { label: 'Päivämäärä', value: `${1 + (i % 28)}.${1 + (i % 12)}.2025` },
      { label: 'Ruokarajoitteet', value: i % 3 ? 'Laktoositon' : '' },
    ],
  }));
  return { ...base, sections: [...base.sections, { ...events, records: rows }] };
}

type DrawLines = (lines: Line[], x: number, y: number, width: number, style: TextStyle, align?: 'left' | 'right') => void;

/**
 * Renders `letter` once while recording every string the letter writer draws, in its column, for
 * the raw baseline: the string's lines joined by line feeds, which raw pdfkit then breaks and
 * fits into the column itself, as a letter drawn with pdfkit alone would. Only the drawn letter
 * counts (the renderer's dry run, which only places blocks, draws nothing).
 */
export async function recordStrings(letter: AccessAnswerLetter): Promise<Drawn[]> {
  const proto = LetterWriter.prototype as unknown as { drawLines: DrawLines };
  const original = proto.drawLines;
  const drawn: Drawn[] = [];
  proto.drawLines = function (this: LetterWriter, lines, x, y, width, style, align) {
    if (!this.dry && lines.length > 0) {
      const pages = (this.doc as unknown as { _pageBuffer: unknown[] })._pageBuffer;
      const text = lines.map((l) => l.text).join('\n');
      drawn.push({ text, font: style.bold ? 'bold' : 'regular', size: style.size ?? STYLE.body, x, y, width, align, page: pages.indexOf(this.doc.page) });
    }
    return original.call(this, lines, x, y, width, style, align);
  };
  try {
    await renderLetter(letter);
  } finally {
    proto.drawLines = original;
  }
  return drawn;
}

export let lastRaw: Buffer = Buffer.alloc(0);

export async function rawRender(strings: Drawn[]): Promise<{ bytes: number; pages: number }> {
  const fonts = parsedFonts() as unknown as { regular: Buffer; bold: Buffer };
  const doc = new PDFDocument({ size: 'A4', subset: 'PDF/A-2b', pdfVersion: '1.7', bufferPages: true, margin: 0 });
  doc.registerFont('regular', fonts.regular);
  doc.registerFont('bold', fonts.bold);
  for (const s of strings) {
    while (doc.bufferedPageRange().count <= s.page) doc.addPage();
    doc.switchToPage(s.page);
    doc.font(s.font).fontSize(s.size).text(s.text, s.x, s.y, { width: s.width, align: s.align as 'left', lineGap: STYLE.lineGap });
  }
  const pages = doc.bufferedPageRange().count;
  const chunks: Buffer[] = [];
  await new Promise<void>((resolve) => {
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve());
    doc.end();
  });
  lastRaw = Buffer.concat(chunks);
  return { bytes: lastRaw.length, pages };
}

function pageCount(pdf: Buffer): number {
  return (pdf.toString('latin1').match(/\/Type \/Page\b/g) ?? []).length;
}

/** Milliseconds of CPU this process has used. */
function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/**
 * Measures a long access answer (`records` records) against raw pdfkit, `runs` times each (at
 * least five: the machine is shared), alternately. Every run draws a letter never drawn before in
 * the process (its own record numbers): the renderer keeps word widths and shaped words across
 * letters, and re-rendering one letter would measure that cache more than the renderer. Raw pdfkit
 * draws the strings of the same letter, recorded after the renderer was timed on it.
 */
export async function benchLetters(records: number, runs: number): Promise<LetterFigures> {
  const small = sampleAccessAnswer('fi');
  await renderLetter(small);
  await rawRender(await recordStrings(accessAnswerWithRecords(records, 0))); // both paths warmed
  const ours: number[] = [];
  const raw: number[] = [];
  let pdf: Buffer = Buffer.alloc(0);
  let baseline = { bytes: 0, pages: 1 };
  for (let i = 1; i <= Math.max(5, runs); i++) {
    const letter = accessAnswerWithRecords(records, i);
    let started = cpuMs();
    pdf = await renderLetter(letter);
    ours.push(pageCount(pdf) / ((cpuMs() - started) / 1000));
    const strings = await recordStrings(letter);
    started = cpuMs();
    baseline = await rawRender(strings);
    raw.push(baseline.pages / ((cpuMs() - started) / 1000));
  }
  const smallMs: number[] = [];
  const acknowledgementMs: number[] = [];
  const acknowledgement = sampleAcknowledgement('fi');
  for (let i = 0; i < Math.max(9, runs * 3); i++) {
    let started = cpuMs();
    await renderLetter(small);
    smallMs.push(cpuMs() - started);
    started = cpuMs();
    await renderLetter(acknowledgement);
    acknowledgementMs.push(cpuMs() - started);
  }
  const pages = pageCount(pdf);
  const pagesPerSecond = median(ours);
  const rawPagesPerSecond = median(raw);
  return {
    pages,
    pagesPerSecond,
    bytesPerPage: pdf.length / pages,
    rawPagesPerSecond,
    rawBytesPerPage: baseline.bytes / baseline.pages,
    ratio: pagesPerSecond / rawPagesPerSecond,
    smallLetterMs: median(smallMs),
    acknowledgementMs: median(acknowledgementMs),
    serving: await benchServing(5000),
  };
}

/**
 * The embedded mode's promise: while a long answer renders (on the render pool's thread, as the
 * worker renders it), the event loop that serves HTTP keeps answering. A loopback HTTP server on
 * this process's event loop answers a status-sized JSON body; one client asks it again and again,
 * one request at a time, for as long as the render takes; the latencies are what a resident asking
 * for the status would wait.
 */
export async function benchServing(records: number): Promise<ServingFigures> {
  const letter = accessAnswerWithRecords(records);
  const pool = createRenderPool(1);
  const body = JSON.stringify({ reference: 'DSR-2025-000123', state: 'in_progress', deadline: '2025-04-07' });
  const server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(body));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/status`;
  try {
    await pool.render(sampleAcknowledgement('fi')); // the thread is up and has its fonts
    await fetch(url).then((r) => r.text());
    const latencies: number[] = [];
    let rendering = true;
    const started = performance.now();
    const render = pool.render(letter).finally(() => (rendering = false));
    while (rendering) {
      const asked = performance.now();
      await fetch(url).then((r) => r.text());
      latencies.push(performance.now() - asked);
      await new Promise((r) => setTimeout(r, 5));
    }
    await render;
    const renderMs = performance.now() - started;
    const sorted = [...latencies].sort((a, b) => a - b);
    const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
    return { records, renderMs, requests: sorted.length, p50Ms: at(0.5), p99Ms: at(0.99), maxMs: sorted[sorted.length - 1] };
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await pool.close();
  }
}

if (require.main === module) {
  benchLetters(Number(process.argv[2] ?? 1500), Number(process.argv[3] ?? 3)).then((f) => console.log(JSON.stringify(f)));
}
