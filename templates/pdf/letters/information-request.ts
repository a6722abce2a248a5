/**
 * Request for the information needed to confirm the subject's identity (GDPR 12(6)), or a
 * reminder of one. Catalog keys and what they implement:
 * - informationRequest.reminder*: the reminder variant, "we have not yet received ..."
 * - informationRequest.intro: GDPR 12(6), reasonable doubts about identity
 * - needed (the handler's text) + informationRequest.onlyNeeded: ask for no more than is needed
 * - informationRequest.how*: how and where to send it, and not by ordinary e-mail
 * - informationRequest.respondBy / .ifNoReply: the date, and GDPR 11(2) and 12(2) if nothing comes
 * - informationRequest.clockPaused / .clockRuns: EDPB Guidelines 01/2022, the pause setting
 */
import type { InformationRequestLetter } from '../../types';
import { requireOrder, requireText } from '../checks';
import { drawContact, renderWithLayout, type LetterContext } from '../layout';
import type { LetterWriter } from '../writer';

/** Renders the information request (or its reminder) to PDF/A bytes. */
export function renderInformationRequest(letter: InformationRequestLetter): Promise<Buffer> {
  requireText('information_request', 'needed', letter.needed, 'GDPR 12(6): say what is needed and why');
  requireOrder('information_request', ['respondBy', letter.respondBy], ['issuedOn', letter.issuedOn], true);
  if (letter.firstRequestedOn) requireOrder('information_request', ['issuedOn', letter.issuedOn], ['firstRequestedOn', letter.firstRequestedOn]);
  return renderWithLayout(letter, letter.reminder ? 'informationRequest.reminderTitle' : 'informationRequest.title', drawInformationRequest);
}

function drawInformationRequest(w: LetterWriter, letter: InformationRequestLetter, ctx: LetterContext): void {
  const { t, date } = ctx;
  if (letter.reminder) {
    const key = letter.firstRequestedOn ? 'informationRequest.reminderSince' : 'informationRequest.reminder';
    w.paragraph(t(key, { firstRequestedOn: letter.firstRequestedOn && date(letter.firstRequestedOn) }), { bold: true });
  }
  w.paragraph(t('informationRequest.intro', { receivedOn: date(letter.receivedOn) }));
  w.section(() => {
    w.heading(t('informationRequest.neededHeading'), 2);
    w.paragraph(letter.needed);
    w.paragraph(t('informationRequest.onlyNeeded')); // GDPR 12(6), 5(1)(c)
  });
  w.section(() => {
    w.heading(t('informationRequest.whenHeading'), 2);
    w.paragraph(t('informationRequest.respondBy', { respondBy: date(letter.respondBy) }), { bold: true });
    // EDPB Guidelines 01/2022: the clock may be suspended while identity information is awaited
    w.paragraph(letter.clockPaused ? t('informationRequest.clockPaused') : t('informationRequest.clockRuns', { deadline: date(letter.deadline) }));
    w.paragraph(t('informationRequest.ifNoReply', { respondBy: date(letter.respondBy) })); // GDPR 11(2), 12(2)
  });
  w.section(() => {
    w.heading(t('informationRequest.howHeading'), 2);
    w.paragraph(t('informationRequest.how', { reference: letter.reference }));
    const c = letter.controller;
    drawContact(w, { name: c.name, organisation: c.organisation, address: c.address }, t);
    w.paragraph(t('informationRequest.eService'));
    w.paragraph(t('informationRequest.noEmail'));
  });
}
