/**
 * Letters (PDF/A) and notification e-mails, in Finnish, Swedish and English. Plain data in,
 * bytes or text out; no database, and no I/O besides reading the bundled font files.
 */
import { renderAccessAnswer } from './pdf/letters/access-answer';
import { renderExtension } from './pdf/letters/extension';
import { renderRefusal } from './pdf/letters/refusal';
import { renderUnidentifiable } from './pdf/letters/unidentifiable';
import type { Letter } from './types';

export { renderEmail } from './email';
export { formatDate, translator } from './i18n';
export type * from './types';

/** Renders a letter to PDF/A-2b bytes; the same input always gives the same bytes. */
export async function renderLetter(letter: Letter): Promise<Buffer> {
  switch (letter.kind) {
    case 'access_answer':
      return renderAccessAnswer(letter);
    case 'extension':
      return renderExtension(letter);
    case 'refusal':
      return renderRefusal(letter);
    case 'unidentifiable':
      return renderUnidentifiable(letter);
    default:
      throw new Error(`Unknown letter kind '${(letter as { kind: unknown }).kind}'`);
  }
}
