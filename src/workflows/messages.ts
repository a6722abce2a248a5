/**
 * The messages a request workflow accepts and answers. Human decisions enter as updates (each with
 * a validator: a refused update changes nothing); status leaves as a query. Arguments carry the
 * acting staff member's id and the reasons the law asks for, never the subject's personal data.
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { IdentityMethod, RefusalGround, RequestState } from '../domain/request';

export interface StaffAction {
  /** The staff member's id as authenticated by the API. */
  actor: string;
}

export interface VerifyIdentityInput extends StaffAction {
  decision: 'verified' | 'unidentifiable';
  method?: Extract<IdentityMethod, 'handler_verified' | 'in_person'>;
  /** What the identity was checked against, or why it could not be established. */
  note: string;
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

export interface RequestStatus {
  state: RequestState;
  deadline: string;
  deadlineAt: string;
  extended: boolean;
  identityVerified: boolean;
  draftDocumentId: string | null;
  awaiting: 'identity' | 'approval' | null;
  alarmsRaised: string[];
  closed: boolean;
}

export const verifyIdentityUpdate = defineUpdate<{ accepted: true }, [VerifyIdentityInput]>('verifyIdentity');
export const approveAnswerUpdate = defineUpdate<{ accepted: true }, [ApproveAnswerInput]>('approveAnswer');
export const extendDeadlineUpdate = defineUpdate<{ extendedDeadline: string }, [ExtendDeadlineInput]>('extendDeadline');
export const refuseRequestUpdate = defineUpdate<{ accepted: true }, [RefuseRequestInput]>('refuseRequest');
export const statusQuery = defineQuery<RequestStatus>('status');
