/**
 * The letter fonts: DejaVu Sans, embedded as subsets. PDF/A forbids unembedded fonts, so the
 * standard 14 (Helvetica, Times, ...) are never used. Reading these files is the only I/O the
 * templates do; the bytes are read once per process.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export const FONT_REGULAR = 'DejaVuSans';
export const FONT_BOLD = 'DejaVuSans-Bold';

let cache: { regular: Buffer; bold: Buffer } | undefined;

/** The TrueType bytes of the regular and bold faces. */
export function fontFiles(): { regular: Buffer; bold: Buffer } {
  if (!cache) {
    const dir = join(dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');
    cache = {
      regular: readFileSync(join(dir, 'DejaVuSans.ttf')),
      bold: readFileSync(join(dir, 'DejaVuSans-Bold.ttf')),
    };
  }
  return cache;
}
