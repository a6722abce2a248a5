/**
 * The answer to an access request (GDPR 15). Catalog keys and what they implement:
 * - access.intro: GDPR 15, the request and its receipt date
 * - access.confirmProcessed / access.confirmNotProcessed: GDPR 15(1), confirmation either way
 * - access.freeOfCharge: GDPR 12(5) and 15(3), the first copy is free
 * - information.*: GDPR 15(1)(a)-(h) and 15(2), given even when nothing is processed
 * - report.*: GDPR 15(3) the copy, 15(4) redactions, Tietosuojalaki 1050/2018 34 § withheld items
 * - consultations.*: CJEU C-579/21 and KHO:2025:51, who consulted the data, when and why
 * - remedy.*: GDPR 12(4), 77 and 79 when any item is withheld
 */
import type { AccessAnswerLetter } from '../../types';
import { renderWithLayout, type LetterContext } from '../layout';
import { drawConsultations } from '../parts/consultations';
import { drawDataReport, hasWithheldItems } from '../parts/data-report';
import { drawProcessingInformation } from '../parts/information';
import { drawRemedies } from '../parts/remedies';
import type { LetterWriter } from '../writer';

/** Renders the access answer to PDF/A bytes. */
export function renderAccessAnswer(letter: AccessAnswerLetter): Promise<Buffer> {
  assertConsistent(letter);
  return renderWithLayout(letter, 'access.title', drawAccessAnswer);
}

function drawAccessAnswer(w: LetterWriter, letter: AccessAnswerLetter, ctx: LetterContext): void {
  const { t, date } = ctx;
  w.paragraph(t('access.intro', { receivedOn: date(letter.receivedOn) }));
  w.paragraph(t(letter.processed ? 'access.confirmProcessed' : 'access.confirmNotProcessed'));
  if (letter.processed) w.paragraph(t('access.freeOfCharge'));
  drawProcessingInformation(w, letter, ctx);
  if (!letter.processed) {
    drawConsultations(w, { ...letter, consultations: undefined }, ctx);
    return;
  }
  drawDataReport(w, letter, ctx);
  drawConsultations(w, letter, ctx);
  if (hasWithheldItems(letter)) {
    w.section(() => {
      w.heading(t('report.withheldSummaryHeading'), 2);
      w.paragraph(t('report.withheldStatement')); // Tietosuojalaki 34 §
      w.paragraph(t('report.withheldToOmbudsman')); // Tietosuojalaki 34 §: the data may go to the Ombudsman
    });
    drawRemedies(w, letter, ctx); // withholding is a partial refusal: GDPR 12(4)
  }
}

/** A letter that says "nothing is processed" must not carry a copy of data. */
function assertConsistent(letter: AccessAnswerLetter): void {
  if (!letter.processed && letter.sections.some((s) => s.records.length > 0 || (s.withheld ?? []).length > 0)) {
    throw new Error('access_answer: processed is false but sections carry data');
  }
  if (!Number.isInteger(letter.redactions) || letter.redactions < 0) {
    throw new Error(`access_answer: redactions must be a whole number >= 0, got ${letter.redactions}`);
  }
}
