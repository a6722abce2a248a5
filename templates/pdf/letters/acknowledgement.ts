/**
 * Acknowledgement that a request was received. Catalog keys and what they implement:
 * - acknowledgement.intro: the receipt date, from which the time limit runs (GDPR 12(3))
 * - acknowledgement.right.<right>: the right asked for, with the article it rests on
 * - acknowledgement.identityVerified / .identityCheck: GDPR 12(6), more information only on doubt
 * - acknowledgement.deadline / .extension: GDPR 12(3), one month, extendable with notice and reasons
 * - acknowledgement.free: GDPR 12(5), handling is free of charge
 * - acknowledgement.withdraw: the subject may withdraw the request
 */
import type { AcknowledgementLetter } from '../../types';
import { renderWithLayout, type LetterContext } from '../layout';
import type { LetterWriter } from '../writer';

/** Renders the acknowledgement to PDF/A bytes. */
export function renderAcknowledgement(letter: AcknowledgementLetter): Promise<Buffer> {
  return renderWithLayout(letter, 'acknowledgement.title', drawAcknowledgement);
}

function drawAcknowledgement(w: LetterWriter, letter: AcknowledgementLetter, ctx: LetterContext): void {
  const { t, date } = ctx;
  const deadline = date(letter.deadline);
  w.paragraph(t('acknowledgement.intro', { receivedOn: date(letter.receivedOn), reference: letter.reference }));
  w.section(() => {
    w.heading(t('acknowledgement.rightHeading'), 2);
    w.paragraph(t(`acknowledgement.right.${letter.right}`), { bold: true });
  });
  w.section(() => {
    w.heading(t('acknowledgement.nextHeading'), 2);
    w.bullets([
      t(letter.identityVerified ? 'acknowledgement.identityVerified' : 'acknowledgement.identityCheck'),
      t('acknowledgement.deadline', { deadline }),
      t('acknowledgement.extension', { deadline }),
      t('acknowledgement.free'),
      t('acknowledgement.withdraw'),
    ]);
    w.paragraph(t('acknowledgement.keepReference', { reference: letter.reference }));
  });
}
