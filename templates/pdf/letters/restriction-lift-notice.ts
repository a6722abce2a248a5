/**
 * Notice that a restriction of processing will be lifted, given before it is (GDPR 18(3)).
 * Catalog keys and what they implement:
 * - restrictionLift.intro: the restriction the subject obtained (GDPR 18(1))
 * - restrictionLift.liftOn / .before: GDPR 18(3), which date, told in advance
 * - reason (the handler's text): why the restriction ends (e.g. the accuracy check is done)
 * - restrictionLift.after / .contact: what follows, and to get in touch before that date
 * - remedy.*: GDPR 77 and 79
 */
import type { RestrictionLiftNoticeLetter } from '../../types';
import { requireOrder, requireText } from '../checks';
import { renderWithLayout, type LetterContext } from '../layout';
import { drawRemedies } from '../parts/remedies';
import type { LetterWriter } from '../writer';

/** Renders the notice to PDF/A bytes; refuses one that is not dated before the lifting (GDPR 18(3)). */
export function renderRestrictionLiftNotice(letter: RestrictionLiftNoticeLetter): Promise<Buffer> {
  if (letter.categories.length === 0) throw new Error('restriction_lift_notice: categories must name at least one category');
  requireText('restriction_lift_notice', 'reason', letter.reason);
  requireOrder('restriction_lift_notice', ['liftOn', letter.liftOn], ['issuedOn', letter.issuedOn], true); // GDPR 18(3)
  return renderWithLayout(letter, 'restrictionLift.title', drawRestrictionLift);
}

function drawRestrictionLift(w: LetterWriter, letter: RestrictionLiftNoticeLetter, ctx: LetterContext): void {
  const { t, date } = ctx;
  const liftOn = date(letter.liftOn);
  w.paragraph(t('restrictionLift.intro', { receivedOn: date(letter.receivedOn) }));
  w.section(() => {
    w.heading(t('restrictionLift.categoriesHeading'), 2);
    w.bullets(letter.categories);
  });
  w.section(() => {
    w.heading(t('restrictionLift.whenHeading'), 2);
    w.paragraph(t('restrictionLift.liftOn', { liftOn }), { bold: true });
    w.paragraph(t('restrictionLift.before', { issuedOn: date(letter.issuedOn) }));
  });
  w.section(() => {
    w.heading(t('restrictionLift.reasonHeading'), 2);
    w.paragraph(letter.reason);
  });
  w.section(() => {
    w.heading(t('restrictionLift.afterHeading'), 2);
    w.paragraph(t('restrictionLift.after', { liftOn }));
    w.paragraph(t('restrictionLift.contact', { liftOn }));
  });
  drawRemedies(w, letter, ctx);
}
