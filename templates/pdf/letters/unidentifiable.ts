/**
 * Notice that a request is closed because the subject could not be identified (GDPR 11(2),
 * 12(2) and 12(6); LEGAL-RULES.md 2). Catalog keys and what they implement:
 * - unidentifiable.body: GDPR 12(6) and 11(2), why identity must be verified
 * - unidentifiable.reasonsHeading + reasons: GDPR 12(4), the reasons for not acting
 * - unidentifiable.closed / .again: the request is closed and how to make a new one
 * - remedy.*: GDPR 12(4), 77 and 79
 */
import type { UnidentifiableLetter } from '../../types';
import { renderWithLayout, type LetterContext } from '../layout';
import { drawRemedies } from '../parts/remedies';
import type { LetterWriter } from '../writer';

/** Renders the unidentifiable notice to PDF/A bytes. */
export function renderUnidentifiable(letter: UnidentifiableLetter): Promise<Buffer> {
  return renderWithLayout(letter, 'unidentifiable.title', drawUnidentifiable);
}

function drawUnidentifiable(w: LetterWriter, letter: UnidentifiableLetter, ctx: LetterContext): void {
  const { t, date } = ctx;
  w.paragraph(t('unidentifiable.body', { receivedOn: date(letter.receivedOn) }));
  w.section(() => {
    w.heading(t('unidentifiable.reasonsHeading'), 2);
    w.paragraph(letter.reasons);
  });
  w.paragraph(t('unidentifiable.closed'), { bold: true });
  w.paragraph(t('unidentifiable.again'));
  drawRemedies(w, letter, ctx);
}
