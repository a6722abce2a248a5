/**
 * Notice that the time limit is extended (GDPR 12(3)). Catalog keys and what they implement:
 * - extension.received: GDPR 12(3), one month from receipt, the original deadline
 * - extension.decision: GDPR 12(3), two further months for complexity or number of requests
 * - extension.reasonsHeading + reasons: GDPR 12(3), "together with the reasons for the delay"
 * - extension.newDeadline: the extended deadline (LEGAL-RULES.md 1)
 * - extension.beforeDeadline: GDPR 12(3), told within the first month
 * - remedy.complaint*: GDPR 77
 */
import type { ExtensionLetter } from '../../types';
import { renderWithLayout, type LetterContext } from '../layout';
import { drawComplaintRight } from '../parts/remedies';
import type { LetterWriter } from '../writer';

/** Renders the extension notice to PDF/A bytes; refuses one dated after the first deadline. */
export function renderExtension(letter: ExtensionLetter): Promise<Buffer> {
  // GDPR 12(3): the subject must be told before the one-month deadline (ISO dates sort as text)
  if (letter.issuedOn > letter.deadline) {
    throw new Error(`extension: issued ${letter.issuedOn}, after the deadline ${letter.deadline}`);
  }
  if (letter.extendedDeadline <= letter.deadline) {
    throw new Error(`extension: extended deadline ${letter.extendedDeadline} is not after ${letter.deadline}`);
  }
  return renderWithLayout(letter, 'extension.title', drawExtension);
}

function drawExtension(w: LetterWriter, letter: ExtensionLetter, ctx: LetterContext): void {
  const { t, date } = ctx;
  w.paragraph(t('extension.received', { receivedOn: date(letter.receivedOn), deadline: date(letter.deadline) }));
  w.paragraph(t('extension.decision'));
  w.section(() => {
    w.heading(t('extension.reasonsHeading'), 2);
    w.paragraph(letter.reasons);
  });
  w.section(() => {
    w.heading(t('extension.newDeadlineHeading'), 2);
    w.paragraph(t('extension.newDeadline', { extendedDeadline: date(letter.extendedDeadline) }), { bold: true });
    w.paragraph(t('extension.earlier'));
    w.paragraph(t('extension.beforeDeadline', { issuedOn: date(letter.issuedOn), deadline: date(letter.deadline) }));
  });
  drawComplaintRight(w, letter, ctx);
}
