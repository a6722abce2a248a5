/**
 * The answer to a question about automated decision-making and profiling (GDPR 22), from the
 * register description. Catalog keys and what they implement:
 * - automated.intro: the request and its receipt date
 * - statement (from the description) + automated.source: the answer (GDPR 13(2)(f), 15(1)(h))
 * - automated.rights.*: GDPR 22(1) and 22(3), 15(1)(h), the rights if such decisions were made
 * - remedy.complaint*: GDPR 77
 */
import type { AutomatedDecisionsLetter } from '../../types';
import { requireText } from '../checks';
import { renderWithLayout, type LetterContext } from '../layout';
import { drawComplaintRight } from '../parts/remedies';
import type { LetterWriter } from '../writer';

/** Renders the answer about automated decisions to PDF/A bytes. */
export function renderAutomatedDecisions(letter: AutomatedDecisionsLetter): Promise<Buffer> {
  requireText('automated_decisions', 'statement', letter.statement);
  return renderWithLayout(letter, 'automated.title', drawAutomatedDecisions);
}

function drawAutomatedDecisions(w: LetterWriter, letter: AutomatedDecisionsLetter, ctx: LetterContext): void {
  const { t, date } = ctx;
  w.paragraph(t('automated.intro', { receivedOn: date(letter.receivedOn) }));
  w.section(() => {
    w.heading(t('automated.answerHeading'), 2);
    w.paragraph(letter.statement, { bold: true });
    w.paragraph(t('automated.source'));
  });
  w.section(() => {
    w.heading(t('automated.rightsHeading'), 2);
    w.paragraph(t('automated.rightsIntro'));
    w.bullets([t('automated.rights.notSubject'), t('automated.rights.human'), t('automated.rights.information')]);
  });
  drawComplaintRight(w, letter, ctx);
}
