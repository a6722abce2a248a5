/**
 * The GDPR 19 e-mail to a recipient. It carries no personal data (DESIGN.md non-negotiables): the
 * request reference, the kind of change and the labels of the categories concerned, and word that
 * the subject's identifying details follow separately over the controller's secure channel.
 *
 * The wording is a catalog per language, kept beside its one user until the shared message
 * catalogs (templates/locales) take an `email.recipient_notice` section.
 */
import type { Language } from '../domain/request';
import { escapeHtml } from '../templates/email';
import type { ChangeKind } from '../db/repositories/recipient-notifications';

interface NoticeCatalog {
  subject: (reference: string) => string;
  intro: (controller: string) => string;
  change: Record<ChangeKind, string>;
  changeLine: (change: string) => string;
  categoriesLine: (categories: string) => string;
  referenceLine: (reference: string) => string;
  followUp: string;
  contact: (dpo: string) => string;
}

const CATALOG: Record<Language, NoticeCatalog> = {
  fi: {
    subject: (reference) => `Ilmoitus henkilötietojen muutoksesta (EU 2016/679, 19 artikla), viite ${reference}`,
    intro: (controller) =>
      `${controller} ilmoittaa EU:n yleisen tietosuoja-asetuksen 19 artiklan mukaisesti, että teille aiemmin luovutettuja henkilötietoja koskee muutos.`,
    change: { rectification: 'tietojen oikaisu', erasure: 'tietojen poistaminen', restriction: 'käsittelyn rajoittaminen' },
    changeLine: (change) => `Muutos: ${change}`,
    categoriesLine: (categories) => `Tietoryhmät: ${categories}`,
    referenceLine: (reference) => `Viite: ${reference}`,
    followUp:
      'Tässä viestissä ei ole henkilötietoja. Rekisteröidyn yksilöintitiedot ja muutoksen tarkemmat tiedot toimitetaan teille erikseen rekisterinpitäjän suojattua kanavaa pitkin, jotta voitte ottaa muutoksen huomioon omissa tiedoissanne.',
    contact: (dpo) => `Lisätietoja: ${dpo}`,
  },
  sv: {
    subject: (reference) => `Meddelande om ändring av personuppgifter (EU 2016/679, artikel 19), referens ${reference}`,
    intro: (controller) =>
      `${controller} meddelar enligt artikel 19 i EU:s allmänna dataskyddsförordning att personuppgifter som tidigare lämnats ut till er har ändrats.`,
    change: { rectification: 'rättelse av uppgifter', erasure: 'radering av uppgifter', restriction: 'begränsning av behandlingen' },
    changeLine: (change) => `Ändring: ${change}`,
    categoriesLine: (categories) => `Uppgiftskategorier: ${categories}`,
    referenceLine: (reference) => `Referens: ${reference}`,
    followUp:
      'Detta meddelande innehåller inga personuppgifter. Den registrerades identifieringsuppgifter och närmare uppgifter om ändringen skickas till er separat via den personuppgiftsansvariges skyddade kanal, så att ni kan beakta ändringen i era egna uppgifter.',
    contact: (dpo) => `Mer information: ${dpo}`,
  },
  en: {
    subject: (reference) => `Notice of a change to personal data (EU 2016/679, Article 19), reference ${reference}`,
    intro: (controller) =>
      `${controller} informs you, under Article 19 of the General Data Protection Regulation, that personal data previously disclosed to you have changed.`,
    change: { rectification: 'rectification of data', erasure: 'erasure of data', restriction: 'restriction of processing' },
    changeLine: (change) => `Change: ${change}`,
    categoriesLine: (categories) => `Categories of data: ${categories}`,
    referenceLine: (reference) => `Reference: ${reference}`,
    followUp:
      "This message contains no personal data. The data subject's identifying details and the particulars of the change will be sent to you separately over the controller's secure channel, so that you can take the change into account in your own records.",
    contact: (dpo) => `Further information: ${dpo}`,
  },
};

export interface RecipientNoticeInput {
  language: Language;
  /** The controller's name in `language`. */
  controller: string;
  reference: string;
  changeKind: ChangeKind;
  /** Labels, in `language`, of the categories the change concerns. */
  categoryLabels: string[];
  /** The DPO's (tietosuojavastaava) official contact line. */
  dpoContact: string;
}

/** Renders the recipient notice as subject, plain text and simple HTML. */
export function renderRecipientNotice(input: RecipientNoticeInput): { subject: string; text: string; html: string } {
  const c = CATALOG[input.language];
  const subject = c.subject(input.reference);
  const paragraphs = [
    c.intro(input.controller),
    [c.changeLine(c.change[input.changeKind]), c.categoriesLine(input.categoryLabels.join(', ')), c.referenceLine(input.reference)].join('\n'),
    c.followUp,
  ];
  const footer = c.contact(input.dpoContact);
  return {
    subject,
    text: [...paragraphs, '-- ', footer].join('\n\n') + '\n',
    html: [
      '<!DOCTYPE html>',
      `<html lang="${input.language}">`,
      `<head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>`,
      '<body style="font-family: sans-serif; font-size: 16px; line-height: 1.5; color: #1a1a1a; max-width: 40em;">',
      ...paragraphs.map((p) => `<p>${p.split('\n').map(escapeHtml).join('<br>')}</p>`),
      `<hr><p style="font-size: 14px; color: #4d4d4d;">${escapeHtml(footer)}</p>`,
      '</body>',
      '</html>',
    ].join('\n'),
  };
}
