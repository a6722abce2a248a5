/**
 * The information items every access answer gives, processed or not: GDPR 15(1)(a)-(h) and 15(2);
 * the privacy notice gives the same items as GDPR 13 and 14 information. The values come from the
 * register description, already in the letter's language.
 */
import type { LetterBase, ProcessingInformation } from '../../types';
import { drawContact, type LetterContext } from '../layout';
import type { LetterWriter } from '../writer';

/**
 * Draws the information items under one heading; `introKey` names the provision the letter gives
 * them under (GDPR 15(1)-(2) by default, GDPR 13-14 for the privacy notice).
 */
export function drawProcessingInformation(
  w: LetterWriter,
  letter: LetterBase & { information: ProcessingInformation },
  ctx: LetterContext,
  introKey = 'information.intro',
): void {
  const { t } = ctx;
  const info = letter.information;
  w.section(() => {
    w.heading(t('information.heading'), 2);
    w.paragraph(t(introKey));
    item(w, t('information.purposes'), () => w.bullets(info.purposes)); // 15(1)(a)
    item(w, t('information.categories'), () => {
      // 15(1)(b), with the legal basis (13(1)(c)) and retention (15(1)(d)) of each category
      w.rows(
        info.categories.map((category) => ({
          label: category.label,
          value: [
            `${t('information.legalBasis')}: ${category.legalBasis}`,
            `${t('information.retentionOfCategory')}: ${category.retention}`,
          ].join('\n'),
        })),
        { labelWidth: 160 },
      );
    });
    item(w, t('information.recipients'), () => w.bullets(info.recipients)); // 15(1)(c)
    item(w, t('information.retention'), () => w.paragraph(info.retention)); // 15(1)(d)
    item(w, t('information.rights'), () => w.bullets(info.rights)); // 15(1)(e)
    item(w, t('information.complaint'), () => {
      w.paragraph(t('information.complaintText')); // 15(1)(f), GDPR 77
      drawContact(w, letter.supervisoryAuthority, t);
    });
    item(w, t('information.sources'), () => w.bullets(info.sources)); // 15(1)(g)
    item(w, t('information.automatedDecisionMaking'), () => w.paragraph(info.automatedDecisionMaking)); // 15(1)(h)
    item(w, t('information.transfers'), () => w.paragraph(info.transfersOutsideEea)); // 15(2)
  });
}

function item(w: LetterWriter, heading: string, draw: () => void): void {
  w.section(() => {
    w.heading(heading, 3);
    draw();
  });
}
