/**
 * The answer to a request for information about processing (GDPR 13 and 14): who the controller,
 * its representative, the DPO and the contact person are, and every information item of the
 * register description. Catalog keys and what they implement:
 * - privacyNotice.intro: the request and its receipt date
 * - privacyNotice.controller / .representative / .dpo / .contactPerson: GDPR 13(1)(a)-(b)
 * - privacyNotice.informationIntro + information.*: GDPR 13(1)(c)-(f), 13(2), 14(1)-(2)
 * - privacyNotice.exercise: how to use the rights
 */
import type { ContactBlock, PrivacyNoticeLetter } from '../../types';
import { contactLines, renderWithLayout, type LetterContext } from '../layout';
import { drawProcessingInformation } from '../parts/information';
import type { LetterWriter } from '../writer';

/** Renders the privacy notice to PDF/A bytes. */
export function renderPrivacyNotice(letter: PrivacyNoticeLetter): Promise<Buffer> {
  return renderWithLayout(letter, 'privacyNotice.title', drawPrivacyNotice);
}

function drawPrivacyNotice(w: LetterWriter, letter: PrivacyNoticeLetter, ctx: LetterContext): void {
  const { t, date } = ctx;
  w.paragraph(t('privacyNotice.intro', { receivedOn: date(letter.receivedOn) }));
  w.section(() => {
    w.heading(t('privacyNotice.contactsHeading'), 2);
    const contacts: [string, ContactBlock][] = [
      ['privacyNotice.controller', letter.controller], // GDPR 13(1)(a)
      ['privacyNotice.representative', letter.representative], // GDPR 13(1)(a)
      ['privacyNotice.dpo', letter.dpo], // GDPR 13(1)(b)
      ['privacyNotice.contactPerson', letter.contactPerson],
    ];
    w.rows(contacts.map(([key, block]) => ({ label: t(key), value: contactLines(block, t).join('\n') })), { labelWidth: 170 });
  });
  drawProcessingInformation(w, letter, ctx, 'privacyNotice.informationIntro');
  w.section(() => {
    w.heading(t('privacyNotice.exerciseHeading'), 2);
    w.paragraph(t('privacyNotice.exercise'));
  });
}

