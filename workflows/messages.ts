/**
 * The messages a request workflow accepts and answers. Human decisions enter as updates (each with
 * a validator: a refused update changes nothing); status leaves as a query. Arguments carry the
 * acting staff member's id and the reasons the law asks for, never the subject's personal data.
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { CategoryOutcome, DecisionGround } from '../domain/decisions';
import type { IdentityMethod, RefusalGround, RequestState } from '../domain/request';
import type { DecideCategoriesInput, StaffAction } from './contracts';

// The decision shapes also travel to the activity that records them, so they live in the contracts.
export type { CategoryDecisionInput, CorrectionDecisionInput, DecideCategoriesInput, StaffAction } from './contracts';

export interface VerifyIdentityInput extends StaffAction {
  /** GDPR 12(6): 'request_information' asks the subject for what is needed to confirm identity. */
  decision: 'verified' | 'unidentifiable' | 'request_information';
  method?: Extract<IdentityMethod, 'handler_verified' | 'in_person'>;
  /** What the identity was checked against, why it could not be established, or what is needed. */
  note: string;
}

/** Tietosuojalaki 1050/2018 34 §: data of a category withheld from the copy, with the ground; the rest is given. */
export interface WithholdItemsInput extends StaffAction {
  items: { category: string; description: string }[];
}

export interface WithdrawInput {
  /** 'subject' when the resident withdraws, else the staff member who recorded it. */
  actor: string;
  note?: string;
}

export interface AnnounceFeeInput extends StaffAction {
  /** GDPR 12(5)(a): a reasonable fee, in cents. */
  amountCents: number;
  ground: 'gdpr_12_5_manifestly_unfounded' | 'gdpr_12_5_excessive';
  /** Why the request is manifestly unfounded or excessive: the controller bears the burden of proof. */
  basis: string;
  payBy: string;
}

export interface ApproveAnswerInput extends StaffAction {
  documentId: string;
  note?: string;
}

export interface ExtendDeadlineInput extends StaffAction {
  /** GDPR 12(3): the reasons, given to the subject. */
  reasons: string;
}

export interface RefuseRequestInput extends StaffAction {
  ground: RefusalGround;
  reasons: string;
  scope: 'whole' | 'partial';
}

/** A person retries the step that failed, once its cause is fixed. */
export interface RetryStepInput extends StaffAction {
  note?: string;
}

/** The step that failed for good while the request is in `needs_attention` (no personal data). */
export interface AttentionStatus {
  step: string;
  errorType: string;
  message: string;
  since: string;
}

export interface RequestStatus {
  state: RequestState;
  deadline: string;
  deadlineAt: string;
  extended: boolean;
  identityVerified: boolean;
  draftDocumentId: string | null;
  awaiting: 'identity' | 'information' | 'decision' | 'approval' | 'payment' | 'retry' | null;
  /** Set while a step has failed for good: which, how, since when. */
  attention?: AttentionStatus | null;
  /** The engine's proposals and the handler's decisions, per category (ids and keys only). */
  proposals: { category: string; outcome: CategoryOutcome; ground: DecisionGround }[];
  corrections: number;
  feePending: boolean;
  alarmsRaised: string[];
  closed: boolean;
}

export const verifyIdentityUpdate = defineUpdate<{ accepted: true }, [VerifyIdentityInput]>('verifyIdentity');
export const approveAnswerUpdate = defineUpdate<{ accepted: true }, [ApproveAnswerInput]>('approveAnswer');
export const extendDeadlineUpdate = defineUpdate<{ extendedDeadline: string }, [ExtendDeadlineInput]>('extendDeadline');
export const refuseRequestUpdate = defineUpdate<{ accepted: true }, [RefuseRequestInput]>('refuseRequest');
export const decideCategoriesUpdate = defineUpdate<{ accepted: true }, [DecideCategoriesInput]>('decideCategories');
export const withholdItemsUpdate = defineUpdate<{ draftDocumentId: string }, [WithholdItemsInput]>('withholdItems');
export const withdrawRequestUpdate = defineUpdate<{ accepted: true }, [WithdrawInput]>('withdrawRequest');
export const announceFeeUpdate = defineUpdate<{ accepted: true }, [AnnounceFeeInput]>('announceFee');
export const recordPaymentUpdate = defineUpdate<{ accepted: true }, [StaffAction]>('recordPayment');
export const retryStepUpdate = defineUpdate<{ step: string }, [RetryStepInput]>('retryStep');
export const statusQuery = defineQuery<RequestStatus>('status');
