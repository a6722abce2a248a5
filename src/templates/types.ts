/**
 * Plain data the letter and e-mail templates take. Everything here is already resolved to the
 * letter's language where it comes from the register description; the templates add only the
 * fixed wording from the message catalogs. No I/O, no database rows.
 */
import type { Language, RefusalGround } from '../domain/request';

/** A postal/phone/e-mail contact as printed in a letter head or signature. */
export interface ContactBlock {
  name: string;
  title?: string;
  organisation?: string;
  address?: string;
  phone?: string;
  email?: string;
  web?: string;
}

/** What every letter carries (LEGAL-RULES.md 5). Dates are ISO calendar dates (YYYY-MM-DD, Helsinki). */
export interface LetterBase {
  language: Language;
  reference: string;
  issuedOn: string;
  receivedOn: string;
  deadline: string;
  /** Set once the deadline was extended. */
  extendedDeadline?: string;
  registerName: string;
  controller: ContactBlock & { businessId?: string };
  dpo: ContactBlock;
  /** Hallintolaki 434/2003 44 §: the contact person who gives more information. */
  contactPerson: ContactBlock;
  /** The supervisory authority, for the complaint right (GDPR 77). */
  supervisoryAuthority: ContactBlock;
  /** The official who approved the letter (Hallintolaki 44 §), printed above the contact person. */
  signedBy?: ContactBlock;
  /** The administrative court for appeals (GDPR 79, Laki oikeudenkäynnistä hallintoasioissa 808/2019). */
  appealCourt?: ContactBlock;
}

/** One labelled value in the data report. */
export interface ReportField {
  label: string;
  value: string;
}

/** One record (row) of the subject's data, as printed. */
export interface ReportRecord {
  fields: ReportField[];
}

/** The subject's data from one table, grouped under its data category and source system. */
export interface ReportSection {
  category: string;
  categoryLabel: string;
  system: string;
  legalBasis: string;
  records: ReportRecord[];
  /** Items withheld under Data Protection Act 34 § or similar, with the ground, printed as such. */
  withheld?: { description: string; ground: string }[];
}

/** The GDPR 15(1) and 15(2) information items, resolved to the letter's language. */
export interface ProcessingInformation {
  purposes: string[];
  categories: { label: string; legalBasis: string; retention: string }[];
  recipients: string[];
  retention: string;
  sources: string[];
  automatedDecisionMaking: string;
  transfersOutsideEea: string;
  rights: string[];
}

export interface AccessAnswerLetter extends LetterBase {
  kind: 'access_answer';
  /** GDPR 15(1): whether personal data concerning the subject is processed at all. */
  processed: boolean;
  information: ProcessingInformation;
  sections: ReportSection[];
  /** GDPR 15(4): how many mentions of other people were redacted from the copy. */
  redactions: number;
}

export interface ExtensionLetter extends LetterBase {
  kind: 'extension';
  reasons: string;
  extendedDeadline: string;
}

export interface RefusalLetter extends LetterBase {
  kind: 'refusal';
  ground: RefusalGround;
  reasons: string;
  /** 'whole' or 'partial' refusal. */
  scope: 'whole' | 'partial';
}

export interface UnidentifiableLetter extends LetterBase {
  kind: 'unidentifiable';
  reasons: string;
}

export type Letter = AccessAnswerLetter | ExtensionLetter | RefusalLetter | UnidentifiableLetter;
export type LetterKind = Letter['kind'];

/**
 * E-mails never carry personal data (DESIGN.md "Answers and delivery"): only the reference,
 * dates and a link. The subject's own address is the envelope recipient, not body text.
 */
export type EmailMessage =
  | { kind: 'acknowledgement'; language: Language; reference: string; receivedOn: string; deadline: string; statusUrl: string }
  | { kind: 'document_ready'; language: Language; reference: string; downloadUrl: string; expiresOn: string; letterKind: LetterKind }
  | { kind: 'handler_reminder'; language: Language; reference: string; deadline: string; daysLeft: number; consoleUrl: string }
  | { kind: 'deadline_escalation'; language: Language; reference: string; deadline: string; daysOverdue: number; consoleUrl: string };

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}
