/**
 * What a per-category decision means for the right concerned, under the heading "What the
 * decision means". Catalog keys under decision.<right>.* and what they implement:
 * - rectification: GDPR 16 (corrections applied, supplementary statement), 18(1)(a)
 * - erasure: GDPR 17, what was erased and what was kept, with its retention and ground (17(3))
 * - restriction: GDPR 18(2) restricted data is only stored; 18(3) told before it is lifted
 * - portability: GDPR 20(1) JSON and CSV delivered separately, 20(2) direct transmission, 15 for the rest
 * - objection: GDPR 21(1) processing stopped, or the compelling legitimate grounds
 * - consent_withdrawal: GDPR 7(3) photos removed from use; earlier processing stays lawful
 */
import type { CategoryDecisionLine, DecisionLetter } from '../../types';
import type { LetterContext } from '../layout';
import type { LetterWriter } from '../writer';

/** Draws the right-specific paragraphs of a decision. */
export function drawDecisionEffects(w: LetterWriter, letter: DecisionLetter, ctx: LetterContext): void {
  const { t } = ctx;
  w.section(() => {
    w.heading(t('decision.effectsHeading'), 2);
    EFFECTS[letter.right](w, letter, ctx);
  });
}

type Effects = (w: LetterWriter, letter: DecisionLetter, ctx: LetterContext) => void;

const granted = (letter: DecisionLetter) => letter.categories.filter((c) => c.outcome === 'granted');
const notGranted = (letter: DecisionLetter) => letter.categories.filter((c) => c.outcome !== 'granted');

const EFFECTS: Record<DecisionLetter['right'], Effects> = {
  rectification(w, letter, { t }) {
    const corrections = letter.corrections ?? [];
    const accepted = corrections.some((c) => c.accepted) || (corrections.length === 0 && granted(letter).length > 0);
    if (accepted) w.paragraph(t('decision.rectification.applied'));
    if (corrections.some((c) => !c.accepted) || notGranted(letter).length > 0) {
      w.paragraph(t('decision.rectification.rejected')); // GDPR 16 supplementary statement
      w.paragraph(t('decision.rectification.restrict')); // GDPR 18(1)(a)
    }
  },

  erasure(w, letter, ctx) {
    const { t } = ctx;
    const erased = granted(letter);
    const kept = letter.categories.filter((c) => c.outcome === 'refused');
    if (erased.length > 0) {
      w.heading(t('decision.erasure.erasedHeading'), 3);
      w.bullets(erased.map((c) => withDetail(c.categoryLabel, c.changes)));
    } else {
      w.paragraph(t('decision.erasure.nothingErased'));
    }
    if (kept.length > 0) {
      w.heading(t('decision.erasure.keptHeading'), 3);
      w.paragraph(t('decision.erasure.keptIntro'));
      w.rows(kept.map((c) => ({ label: c.categoryLabel, value: keptWhy(c, ctx) })), { labelWidth: 150, indent: 10 });
      w.paragraph(t('decision.erasure.keptEnd'));
    }
  },

  restriction(w, letter, { t }) {
    if (granted(letter).length > 0) {
      w.paragraph(t('decision.restriction.stored')); // GDPR 18(2)
      w.paragraph(t('decision.restriction.lift'), { bold: true }); // GDPR 18(3)
    } else {
      w.paragraph(t('decision.restriction.none'));
    }
  },

  portability(w, letter, { t }) {
    if (granted(letter).length > 0) {
      w.paragraph(t('decision.portability.export'), { bold: true }); // GDPR 20(1)
      // GDPR 20(2): sent after the decision is approved, so a draft says it will be, never that it was.
      if (letter.transmittedTo) w.paragraph(t('decision.portability.transmitted', { controller: letter.transmittedTo }));
      else if (letter.transmitTo) w.paragraph(t('decision.portability.transmitting', { controller: letter.transmitTo }));
      else w.paragraph(t('decision.portability.notTransmitted'));
    } else {
      w.paragraph(t('decision.portability.noExport'));
    }
    if (notGranted(letter).length > 0) w.paragraph(t('decision.portability.access')); // GDPR 15
  },

  objection(w, letter, { t }) {
    if (granted(letter).length > 0) w.paragraph(t('decision.objection.stopped'));
    if (letter.categories.some((c) => c.outcome === 'refused')) w.paragraph(t('decision.objection.compelling'));
    if (notGranted(letter).some((c) => c.outcome === 'not_applicable')) w.paragraph(t('decision.objection.notCovered'));
  },

  consent_withdrawal(w, letter, { t }) {
    if (granted(letter).length > 0) w.paragraph(t('decision.consent.removed'), { bold: true });
    else w.paragraph(t('decision.consent.none'));
    w.paragraph(t('decision.consent.lawful')); // GDPR 7(3)
  },
};

function withDetail(label: string, detail: string | null): string {
  return detail ? `${label}: ${detail}` : label;
}

function keptWhy(category: CategoryDecisionLine, { t }: LetterContext): string {
  const lines = [`${t('decision.retentionLabel')}: ${category.retention ?? ''}`, `${t('decision.groundLabel')}: ${t(`grounds.${category.ground}.citation`)}`];
  if (category.reason) lines.push(category.reason);
  return lines.join('\n');
}
