/**
 * GDPR 19: every rectification, erasure or restriction is communicated to each recipient the
 * data was disclosed to, unless that proves impossible or involves disproportionate effort; the
 * subject is told about those recipients on request. The letter lists them, so it need not be asked.
 */
import type { DecisionLetter } from '../../types';
import type { LetterContext } from '../layout';
import type { LetterWriter } from '../writer';

const NOTIFIED_RIGHTS: ReadonlySet<DecisionLetter['right']> = new Set(['rectification', 'erasure', 'restriction']);

/** Whether the decision made a change that GDPR 19 passes on to recipients. */
export function notifiesRecipients(letter: DecisionLetter): boolean {
  if (!NOTIFIED_RIGHTS.has(letter.right)) return letter.recipientsNotified.length + letter.recipientsNotNotified.length > 0;
  const changed = letter.categories.some((c) => c.outcome === 'granted') || (letter.corrections ?? []).some((c) => c.accepted);
  return changed || letter.recipientsNotified.length + letter.recipientsNotNotified.length + (letter.recipientsToNotify ?? []).length > 0;
}

/** Draws who was told about the change, who was not and why, and the subject's right to know. */
export function drawRecipients(w: LetterWriter, letter: DecisionLetter, { t }: LetterContext): void {
  const notified = letter.recipientsNotified;
  const notNotified = letter.recipientsNotNotified;
  const toNotify = (letter.recipientsToNotify ?? []).filter((r) => !notified.includes(r));
  w.section(() => {
    w.heading(t('recipients.heading'), 2);
    w.paragraph(t('recipients.intro'));
    if (notified.length === 0 && notNotified.length === 0 && toNotify.length === 0) {
      w.paragraph(t('recipients.none'));
      return;
    }
    if (toNotify.length > 0) {
      w.heading(t('recipients.toNotifyHeading'), 3);
      w.bullets(toNotify);
    }
    if (notified.length > 0) {
      w.heading(t('recipients.notifiedHeading'), 3);
      w.bullets(notified);
    }
    if (notNotified.length > 0) {
      w.heading(t('recipients.notNotifiedHeading'), 3);
      w.paragraph(t('recipients.notNotifiedIntro'));
      w.rows(notNotified.map((r) => ({ label: r.name, value: r.reason })), { labelWidth: 170, indent: 10 });
    }
    w.paragraph(t('recipients.right'));
  });
}
