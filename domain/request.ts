/**
 * Request kinds, states and channels: string-literal unions driven by `as const` arrays,
 * so the same lists feed validation (zod), the OpenAPI document and the type checker.
 */

/** The rights a data subject can exercise (seed section 17, LEGAL-RULES.md section 3). */
export const RIGHTS = [
  'access', // GDPR 15
  'rectification', // GDPR 16
  'erasure', // GDPR 17
  'restriction', // GDPR 18
  'portability', // GDPR 20
  'objection', // GDPR 21
  'consent_withdrawal', // GDPR 7(3)
  'confirmation', // GDPR 15(1): only whether data is processed
  'information', // GDPR 13/14: information about processing (the privacy notice)
  'automated_decisions', // GDPR 22: questions about automated decision-making
] as const;
export type Right = (typeof RIGHTS)[number];

export const LANGUAGES = ['fi', 'sv', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

/** Official channels through which a request can reach the controller (LEGAL-RULES.md 1: receipt). */
export const CHANNELS = ['e_form', 'mail', 'registry', 'phone', 'in_person'] as const;
export type Channel = (typeof CHANNELS)[number];

/** Lifecycle of one request (DESIGN.md "Lifecycle of a request"). */
export const REQUEST_STATES = [
  'received',
  'awaiting_identity',
  'awaiting_information', // GDPR 12(6): more information asked for to confirm identity
  'awaiting_payment', // GDPR 12(5)(a): a fee was announced
  'in_progress',
  'awaiting_decision', // per-category proposals await a handler's decision
  'awaiting_approval',
  'delivering',
  'needs_attention', // a step failed for good: named, alarmed, retried by a person once the cause is fixed
  'closed',
] as const;
export type RequestState = (typeof REQUEST_STATES)[number];

/** How a request ended. */
export const OUTCOMES = ['answered', 'refused', 'partially_refused', 'withdrawn', 'unidentifiable'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** How identity was established (LEGAL-RULES.md 2: identity). */
export const IDENTITY_METHODS = ['strong_eid', 'handler_verified', 'in_person', 'none'] as const;
export type IdentityMethod = (typeof IDENTITY_METHODS)[number];

export const STAFF_ROLES = ['handler', 'dpo', 'auditor', 'admin'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

/**
 * Legal grounds a refusal (whole or partial) may rest on. Each names the provision it cites;
 * the letter text for each lives in the message catalogs.
 */
export const REFUSAL_GROUNDS = [
  'gdpr_12_5_manifestly_unfounded', // GDPR 12(5)(b)
  'gdpr_12_5_excessive', // GDPR 12(5)(b)
  'gdpr_15_4_rights_of_others', // GDPR 15(4)
  'gdpr_17_3_b_legal_obligation', // GDPR 17(3)(b)
  'gdpr_17_3_d_archiving', // GDPR 17(3)(d)
  'dpa_34_health_or_rights', // Tietosuojalaki 1050/2018 34 §
  'publicity_act_secrecy', // Julkisuuslaki 621/1999 24 §
] as const;
export type RefusalGround = (typeof REFUSAL_GROUNDS)[number];

/**
 * The shortest text accepted as a staff member's reasons (an extension, a refusal, an override, a
 * recipient not notified): the law asks for reasons the subject can read (GDPR 12(3), 12(4), 19).
 */
export const MIN_REASON_LENGTH = 10;

/**
 * What the workflow and the staff lists may know of a request: ids, kinds, dates and states.
 * Deliberately free of personal data (DESIGN.md non-negotiables), so it may travel through Temporal.
 */
export interface RequestSummary {
  id: string;
  submissionId: string;
  reference: string;
  right: Right;
  state: RequestState;
  outcome: Outcome | null;
  language: Language;
  channel: Channel;
  receivedAt: string;
  receivedOn: string;
  deadline: string;
  deadlineAt: string;
  extendedDeadline: string;
  extendedDeadlineAt: string;
  deadlineRule: string;
  extended: boolean;
  identityMethod: IdentityMethod | null;
  assignedTo: string | null;
  closedAt: string | null;
  workflowStarted: boolean;
}

/** The data subject as the request names them. Personal data: never logged, never sent to Temporal. */
export interface SubjectDetails {
  firstName: string;
  lastName: string;
  hetu: string | null;
  email: string | null;
  phone: string | null;
  address: string | null;
}

/** The deadline that applies now: the extended one once an extension was decided. */
export function currentDeadline(summary: Pick<RequestSummary, 'extended' | 'deadline' | 'deadlineAt' | 'extendedDeadline' | 'extendedDeadlineAt'>): {
  date: string;
  at: string;
} {
  return summary.extended
    ? { date: summary.extendedDeadline, at: summary.extendedDeadlineAt }
    : { date: summary.deadline, at: summary.deadlineAt };
}
