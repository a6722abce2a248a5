/**
 * Notice to a recipient of a rectification, erasure or restriction (GDPR 19), addressed to an
 * authority or a processor the data was disclosed to. It names the subject only by the identifier
 * the recipient needs to find the data. Catalog keys and what they implement:
 * - recipientNotice.intro: GDPR 19, the controller's duty to communicate the change
 * - recipientNotice.change.<change>, .categories, .decidedOn: which change, of what, when
 * - recipientNotice.action.<change>: what the recipient is asked to do
 * - recipientNotice.processors: GDPR 28(3), processors act on the controller's instructions
 * - recipientNotice.confidential: the notice itself carries personal data
 */
import type { RecipientNoticeLetter } from '../../types';
import { requireText } from '../checks';
import { renderWithLayout, type LetterContext } from '../layout';
import type { LetterWriter } from '../writer';

/** Renders the GDPR 19 notice to PDF/A bytes. */
export function renderRecipientNotice(letter: RecipientNoticeLetter): Promise<Buffer> {
  requireText('recipient_notice', 'recipientName', letter.recipientName);
  requireText('recipient_notice', 'subjectIdentifier', letter.subjectIdentifier, 'the recipient needs it to find the data');
  if (letter.categories.length === 0) throw new Error('recipient_notice: categories must name at least one category');
  return renderWithLayout(letter, 'recipientNotice.title', drawRecipientNotice);
}

function drawRecipientNotice(w: LetterWriter, letter: RecipientNoticeLetter, ctx: LetterContext): void {
  const { t, date } = ctx;
  w.rows([{ label: t('recipientNotice.to'), value: letter.recipientName }], { labelWidth: 150 });
  w.paragraph(t('recipientNotice.intro'));
  w.section(() => {
    w.heading(t('recipientNotice.changeHeading'), 2);
    w.rows(
      [
        { label: t('recipientNotice.ourReference'), value: letter.reference },
        { label: t('recipientNotice.subject'), value: letter.subjectIdentifier },
        { label: t('recipientNotice.changeLabel'), value: t(`recipientNotice.change.${letter.change}`) },
        { label: t('recipientNotice.categories'), value: letter.categories.join('\n') },
        { label: t('recipientNotice.decidedOn'), value: date(letter.decidedOn) },
        ...(letter.details ? [{ label: t('recipientNotice.details'), value: letter.details }] : []),
      ],
      { labelWidth: 150 },
    );
  });
  w.section(() => {
    w.heading(t('recipientNotice.actionHeading'), 2);
    w.paragraph(t(`recipientNotice.action.${letter.change}`));
    w.paragraph(t('recipientNotice.processors'));
    w.paragraph(t('recipientNotice.reply', { reference: letter.reference }));
    w.paragraph(t('recipientNotice.confidential'));
  });
}
