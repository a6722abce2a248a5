/**
 * The answer to a request for confirmation only (GDPR 15(1), first sentence): whether personal
 * data about the subject is processed, and how to ask for a copy. Catalog keys:
 * - confirmation.intro: the request and its receipt date
 * - confirmation.processed / .notProcessed: GDPR 15(1), the confirmation either way
 * - confirmation.copy / .notProcessedMore: GDPR 15(3), how to ask for a copy (the first is free)
 * - remedy.complaint*: GDPR 77
 */
import type { ConfirmationLetter } from '../../types';
import { renderWithLayout, type LetterContext } from '../layout';
import { drawComplaintRight } from '../parts/remedies';
import type { LetterWriter } from '../writer';

/** Renders the confirmation to PDF/A bytes. */
export function renderConfirmation(letter: ConfirmationLetter): Promise<Buffer> {
  return renderWithLayout(letter, 'confirmation.title', drawConfirmation);
}

function drawConfirmation(w: LetterWriter, letter: ConfirmationLetter, ctx: LetterContext): void {
  const { t, date } = ctx;
  w.paragraph(t('confirmation.intro', { receivedOn: date(letter.receivedOn) }));
  w.paragraph(t(letter.processed ? 'confirmation.processed' : 'confirmation.notProcessed'), { bold: true });
  w.section(() => {
    w.heading(t('confirmation.copyHeading'), 2);
    w.paragraph(t(letter.processed ? 'confirmation.copy' : 'confirmation.notProcessedMore'));
  });
  drawComplaintRight(w, letter, ctx);
}
