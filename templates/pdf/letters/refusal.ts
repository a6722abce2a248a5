/**
 * A written decision refusing a request in whole or in part (GDPR 12(4); Hallintolaki 434/2003
 * 43 § written, 44 § contents, 45 § reasons). Catalog keys and what they implement:
 * - refusal.decision.whole / .partial: Hallintolaki 44 §, what was decided
 * - refusal.grounds.<ground>.citation and .explanation: GDPR 12(4) and Hallintolaki 45 §, the
 *   legal ground with the provision it rests on, one entry for every value of REFUSAL_GROUNDS:
 *   gdpr_12_5_* GDPR 12(5)(b); gdpr_15_4_* GDPR 15(4); gdpr_17_3_b_* GDPR 17(3)(b);
 *   gdpr_17_3_d_* GDPR 17(3)(d); dpa_34_* Tietosuojalaki 1050/2018 34 §;
 *   publicity_act_secrecy Julkisuuslaki 621/1999 24 §
 * - refusal.reasonsHeading + reasons: Hallintolaki 45 §, the handler's recorded reasons
 * - remedy.*: GDPR 12(4), 77 (complaint) and 79 (judicial remedy, 808/2019)
 */
import type { RefusalLetter } from '../../types';
import { renderWithLayout, type LetterContext } from '../layout';
import { drawRemedies } from '../parts/remedies';
import type { LetterWriter } from '../writer';

/** Renders the refusal decision to PDF/A bytes. */
export function renderRefusal(letter: RefusalLetter): Promise<Buffer> {
  if (letter.reasons.trim() === '') throw new Error('refusal: reasons are required (Hallintolaki 45 §)');
  return renderWithLayout(letter, 'refusal.title', drawRefusal);
}

function drawRefusal(w: LetterWriter, letter: RefusalLetter, ctx: LetterContext): void {
  const { t, date } = ctx;
  w.paragraph(t('refusal.intro', { receivedOn: date(letter.receivedOn) }));
  // LEGAL-RULES.md 6: the refusal names the right refused.
  if (letter.right) {
    w.section(() => {
      w.heading(t('refusal.rightHeading'), 2);
      w.paragraph(t(`acknowledgement.right.${letter.right}`));
    });
  }
  w.section(() => {
    w.heading(t('refusal.decisionHeading'), 2);
    w.paragraph(t(`refusal.decision.${letter.scope}`), { bold: true });
  });
  w.section(() => {
    w.heading(t('refusal.groundHeading'), 2);
    w.paragraph(t(`refusal.grounds.${letter.ground}.citation`), { bold: true });
    w.paragraph(t(`refusal.grounds.${letter.ground}.explanation`));
  });
  w.section(() => {
    w.heading(t('refusal.reasonsHeading'), 2);
    w.paragraph(letter.reasons);
  });
  drawRemedies(w, letter, ctx);
}
