/** Reads a PDF's text back, to check what a letter really says. */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PDFParse } from 'pdf-parse';

/**
 * pdf-parse runs pdf.js with a "fake worker" in Node, which it loads by dynamic import(); jest's
 * CommonJS runtime refuses dynamic import without --experimental-vm-modules. pdf.js first looks
 * for `globalThis.pdfjsWorker`, so the bundled worker module is evaluated here once, as a script.
 */
export function installPdfjsWorker(): void {
  const scope = globalThis as { pdfjsWorker?: unknown };
  if (scope.pdfjsWorker) return;
  const file = join(dirname(require.resolve('pdf-parse')), 'pdf.worker.mjs');
  const source = readFileSync(file, 'utf8')
    .replace(/import\.meta\.url/g, JSON.stringify(pathToFileURL(file).href))
    .replace(/export\s*\{\s*WorkerMessageHandler\s*\};?\s*$/, '');
  new Function(`"use strict";${source}`)();
  if (!scope.pdfjsWorker) throw new Error(`pdf.js worker did not register itself from ${file}`);
}

/** The text of every page, joined. */
export async function pdfText(pdf: Buffer): Promise<string> {
  installPdfjsWorker();
  const parser = new PDFParse({ data: new Uint8Array(pdf) });
  try {
    const result = await parser.getText();
    return result.text;
  } finally {
    await parser.destroy();
  }
}
