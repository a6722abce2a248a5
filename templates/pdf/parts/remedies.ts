/**
 * The legal remedies printed whenever the controller does not do all that was asked (GDPR 12(4)):
 * a complaint to the supervisory authority (GDPR 77) and an appeal to the administrative court
 * (GDPR 79; Laki oikeudenkäynnistä hallintoasioissa 808/2019; Hallintolaki 434/2003 59 § on
 * when an electronic document counts as received).
 */
import type { LetterBase } from '../../types';
import { contactHeight, drawContact, type LetterContext } from '../layout';
import type { LetterWriter } from '../writer';

/** The complaint right with the authority's contacts. */
export function drawComplaintRight(w: LetterWriter, letter: LetterBase, { t }: LetterContext): void {
  w.section(() => {
    w.heading(t('remedy.complaintHeading'), 2);
    w.paragraph(t('remedy.complaintText')); // GDPR 77, 57(3)
    if (letter.complaintTimeLimit) w.paragraph(letter.complaintTimeLimit);
    w.heading(t('remedy.authorityContacts'), 3, contactHeight(w, letter.supervisoryAuthority, t));
    drawContact(w, letter.supervisoryAuthority, t);
  });
}

/** The right to an effective judicial remedy: how to appeal, and to which court. */
export function drawJudicialRemedy(w: LetterWriter, letter: LetterBase, { t }: LetterContext): void {
  w.section(() => {
    w.heading(t('remedy.judicialHeading'), 2);
    w.paragraph(t('remedy.judicialText')); // GDPR 79; 808/2019
    w.paragraph(t('remedy.appealHow', { days: letter.appealDays ?? 30 })); // 808/2019 13 § (30 days); Hallintolaki 59 §
    if (letter.appealCourt) {
      w.heading(t('remedy.appealCourt'), 3, contactHeight(w, letter.appealCourt, t));
      drawContact(w, letter.appealCourt, t);
    } else {
      w.paragraph(t('remedy.appealCourtUnknown'));
    }
  });
}

/** Both remedies, in the order a resident would try them. */
export function drawRemedies(w: LetterWriter, letter: LetterBase, ctx: LetterContext): void {
  drawComplaintRight(w, letter, ctx);
  drawJudicialRemedy(w, letter, ctx);
}
