/**
 * Plain data the letter and e-mail templates take. Everything here is already resolved to the
 * letter's language where it comes from the register description; the templates add only the
 * fixed wording from the message catalogs. No I/O, no database rows.
 */
import type { CATEGORY_DECIDED_RIGHTS, CategoryOutcome, DecisionGround } from '../domain/decisions';
import type { Language, RefusalGround, Right } from '../domain/request';

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
  /** The time limit of the appeal in days (808/2019 13 §: 30), from the register description. */
  appealDays?: number;
  /** Whether a complaint to the supervisory authority has a time limit, in the letter's language. */
  complaintTimeLimit?: string;
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
  /**
   * CJEU C-579/21; KHO:2025:51: the consultations of the subject's data in the source systems'
   * usage logs (time as printed, system and purpose by name; the employee only where the register
   * description says so). Absent: the register keeps no usage log.
   */
  consultations?: ConsultationLine[];
  /** Whether the employees' names are left out of `consultations` (the description's choice). */
  consultationEmployeesWithheld?: boolean;
  /** The engine's own record of staff views of this request (time as printed; the employee as above). */
  staffViews?: { at: string; employee?: string }[];
}

/** One consultation of the subject's data, ready to print. */
export interface ConsultationLine {
  at: string;
  system: string;
  purpose: string;
  employee?: string;
}

export interface ExtensionLetter extends LetterBase {
  kind: 'extension';
  reasons: string;
  extendedDeadline: string;
}

export interface RefusalLetter extends LetterBase {
  kind: 'refusal';
  /** LEGAL-RULES.md 6: the right whose request is refused. */
  right?: Right;
  ground: RefusalGround;
  reasons: string;
  /** 'whole' or 'partial' refusal. */
  scope: 'whole' | 'partial';
}

export interface UnidentifiableLetter extends LetterBase {
  kind: 'unidentifiable';
  reasons: string;
}

/** The request was received: what was asked for and what happens next (GDPR 12(3), 12(6)). */
export interface AcknowledgementLetter extends LetterBase {
  kind: 'acknowledgement';
  right: Right;
  /** True when identity was already verified (e.g. strong electronic identification). */
  identityVerified: boolean;
}

/** GDPR 12(6): identity is in reasonable doubt, so more information is asked for. */
export interface InformationRequestLetter extends LetterBase {
  kind: 'information_request';
  /** The handler's text: what is needed and why. */
  needed: string;
  /** The date by which the information should reach us. */
  respondBy: string;
  /** A reminder: "we have not yet received ...". */
  reminder: boolean;
  /** For a reminder: when the information was first asked for. */
  firstRequestedOn?: string;
  /** EDPB Guidelines 01/2022: the deadline is suspended while the information is awaited (a setting). */
  clockPaused: boolean;
}

/** The grounds on which GDPR 12(5)(a) allows a fee. */
export type FeeGround = Extract<RefusalGround, 'gdpr_12_5_manifestly_unfounded' | 'gdpr_12_5_excessive'>;

/** GDPR 12(5)(a): a fee for a manifestly unfounded or excessive request, announced so it can be withdrawn. */
export interface FeeNoticeLetter extends LetterBase {
  kind: 'fee_notice';
  ground: FeeGround;
  /** In euros, at most two decimals (the workflow's cents divided by 100). */
  amount: number;
  /** The handler's text: why the request is manifestly unfounded or excessive (the controller's burden of proof). */
  basis: string;
  payBy: string;
}

/** The rights decided per data category (LEGAL-RULES.md 3). */
export type CategoryRight = (typeof CATEGORY_DECIDED_RIGHTS)[number];

/** The outcome for one data category, as printed. */
export interface CategoryDecisionLine {
  categoryLabel: string;
  outcome: CategoryOutcome;
  /** Printed from the catalog, `grounds.<ground>`, with the provision it cites. */
  ground: DecisionGround;
  /** The handler's reasons, where given (required for compelling grounds under GDPR 21(1)). */
  reason: string | null;
  /** For data that is kept: how long and on what basis (required for kept data in an erasure). */
  retention: string | null;
  /** What was done, e.g. "12 rows erased". */
  changes: string | null;
}

/** GDPR 16: one correction the subject proposed, and the handler's answer. */
export interface CorrectionLine {
  field: string;
  proposed: string;
  accepted: boolean;
  /** Required when the correction is rejected. */
  reason: string | null;
}

/** GDPR 19: a recipient that could not be told, and why ("impossible or disproportionate"). */
export interface RecipientNotNotified {
  name: string;
  reason: string;
}

/** The decision on a per-category right: rectification, erasure, restriction, portability, objection, consent withdrawal. */
export interface DecisionLetter extends LetterBase {
  kind: 'decision';
  right: CategoryRight;
  categories: CategoryDecisionLine[];
  /** Rectification only: every proposed correction with its outcome. */
  corrections?: CorrectionLine[];
  /** Portability only: the controller the export was actually transmitted to (GDPR 20(2)), or null; printed only when something was exported. */
  transmittedTo?: string | null;
  /** Portability only: the controller the subject asked the export to be sent to, when it is sent once the decision is carried out. */
  transmitTo?: string | null;
  /** GDPR 19: recipients told about the rectification, erasure or restriction. */
  recipientsNotified: string[];
  recipientsNotNotified: RecipientNotNotified[];
  /** GDPR 19: recipients the changed data was disclosed to, who are told once the decision is carried out. */
  recipientsToNotify?: string[];
  /**
   * LEGAL-RULES.md 6: false when the subject has no data in the categories asked about; the letter
   * then says no data was found (and, for a change right, that nothing was changed), never "granted".
   */
  dataFound?: boolean;
}

/** The subject withdrew the request; nothing further is done. */
export interface WithdrawalConfirmationLetter extends LetterBase {
  kind: 'withdrawal_confirmation';
  withdrawnOn: string;
}

/** GDPR 18(3): the subject is told before a restriction is lifted. */
export interface RestrictionLiftNoticeLetter extends LetterBase {
  kind: 'restriction_lift_notice';
  /** Labels of the restricted categories whose restriction is lifted. */
  categories: string[];
  liftOn: string;
  /** The handler's reasons for lifting. */
  reason: string;
}

/** The changes GDPR 19 asks the controller to pass on to recipients. */
export type RecipientChange = 'rectification' | 'erasure' | 'restriction';

/**
 * GDPR 19: notice to a recipient (an authority or a processor) of a rectification, erasure or
 * restriction. It goes to the recipient, not the subject, usually in Finnish; the subject is
 * identified only by `subjectIdentifier`, because the recipient needs it to find the data.
 */
export interface RecipientNoticeLetter extends LetterBase {
  kind: 'recipient_notice';
  recipientName: string;
  change: RecipientChange;
  /** Labels of the categories concerned. */
  categories: string[];
  decidedOn: string;
  /** E.g. a henkilötunnus: only what the recipient needs to identify the data. */
  subjectIdentifier: string;
  /** What exactly changed, where the recipient needs it (e.g. the corrected value), or null. */
  details?: string | null;
}

/** GDPR 13 and 14: the information about processing, with the controller's, representative's and DPO's contacts. */
export interface PrivacyNoticeLetter extends LetterBase {
  kind: 'privacy_notice';
  information: ProcessingInformation;
  /** The controller's representative (seed section 3). */
  representative: ContactBlock;
}

/** GDPR 15(1), first sentence only: whether personal data about the subject is processed. */
export interface ConfirmationLetter extends LetterBase {
  kind: 'confirmation';
  processed: boolean;
}

/** GDPR 22: whether the register makes decisions based solely on automated processing. */
export interface AutomatedDecisionsLetter extends LetterBase {
  kind: 'automated_decisions';
  /** From the register description (seed section 13), in the letter's language. */
  statement: string;
}

export type Letter =
  | AccessAnswerLetter
  | ExtensionLetter
  | RefusalLetter
  | UnidentifiableLetter
  | AcknowledgementLetter
  | InformationRequestLetter
  | FeeNoticeLetter
  | DecisionLetter
  | WithdrawalConfirmationLetter
  | RestrictionLiftNoticeLetter
  | RecipientNoticeLetter
  | PrivacyNoticeLetter
  | ConfirmationLetter
  | AutomatedDecisionsLetter;
export type LetterKind = Letter['kind'];

/** Files delivered beside the letters: GDPR 20 portability exports. */
export const DELIVERABLE_KINDS = ['portability_json', 'portability_csv'] as const;
export type DeliverableKind = (typeof DELIVERABLE_KINDS)[number];
/** Everything a document_ready e-mail can announce. */
export type DocumentKind = LetterKind | DeliverableKind;

/**
 * E-mails never carry personal data (DESIGN.md "Answers and delivery"): only the reference,
 * dates and a link. The subject's own address is the envelope recipient, not body text.
 */
export type EmailMessage =
  | { kind: 'acknowledgement'; language: Language; reference: string; receivedOn: string; deadline: string; statusUrl: string }
  | { kind: 'document_ready'; language: Language; reference: string; downloadUrl: string; expiresOn: string; letterKind: DocumentKind }
  | { kind: 'handler_reminder'; language: Language; reference: string; deadline: string; daysLeft: number; consoleUrl: string }
  | { kind: 'deadline_escalation'; language: Language; reference: string; deadline: string; daysOverdue: number; consoleUrl: string }
  /** To the handlers and the DPO: a step failed for good and the request is in needs_attention. */
  | { kind: 'step_failed'; language: Language; reference: string; step: string; errorType: string; since: string; consoleUrl: string }
  /** GDPR 19: to a recipient; says only that a notice about our reference is waiting. */
  | { kind: 'recipient_notice_ready'; language: Language; reference: string; downloadUrl: string; expiresOn: string }
  /** To the DPO: a verification found the audit chain broken (the link's number, what was wrong, when). */
  | { kind: 'audit_chain_broken'; language: Language; reference: string; brokenAt: number | null; problem: string; detectedAt: string; consoleUrl: string };

/** Whose e-mail this is, for residents (GDPR 13(1)(a)-(b)): from the register description. */
export interface EmailSender {
  controller: string;
  privacyWeb: string;
  dpoEmail: string;
  dpoPhone: string;
}

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}
