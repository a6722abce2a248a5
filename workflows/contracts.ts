/**
 * The shapes that cross between workflows and activities: types only, so the activities implement
 * them and the workflows call with them (`import type` both ways) without either loading the other.
 * They travel through Temporal's history, so they hold ids, kinds, dates, counts and staff reasons
 * only: never the subject's personal data.
 */
import type { CategoryOutcome, DecisionGround } from '../domain/decisions';
import type { IdentityMethod, Outcome, RefusalGround, RequestState, RequestSummary } from '../domain/request';

/** Timestamps are taken by the activity when it runs ('now'), not carried from workflow code. */
export interface TransitionChange {
  state?: RequestState;
  outcome?: Outcome;
  closedAt?: 'now';
  extendedAt?: 'now';
  identityMethod?: IdentityMethod;
  identityVerifiedAt?: 'now';
}

export interface TransitionRequest {
  requestId: string;
  businessKey: string;
  type: string;
  actor: string;
  reason?: string | null;
  data?: Record<string, unknown>;
  change?: TransitionChange;
}

export interface LoadedRequest {
  summary: RequestSummary;
  policy: {
    reminderDaysBefore: number[];
    overdueRepeatDays: number;
    pauseWhileAwaitingIdentity: boolean;
    identityReminderDays: number;
    identityCloseDays: number;
    /** The bound on transient retries; absent: the workflow's default. */
    retry?: { maximumAttempts: number; scheduleToCloseMinutes: number };
  };
  /** Source systems holding register data, each gathered by its own activity. */
  systems: string[];
}

export type LetterRequest =
  | { kind: 'access_answer'; version?: number }
  | { kind: 'confirmation' }
  | { kind: 'privacy_notice' }
  | { kind: 'automated_decisions' }
  | { kind: 'decision' }
  | { kind: 'information_request'; needed: string; reminder: boolean; round: number }
  | { kind: 'fee_notice' }
  | { kind: 'withdrawal_confirmation' }
  | { kind: 'restriction_lift_notice'; liftKey: string }
  | { kind: 'extension'; reasons: string }
  | { kind: 'refusal'; ground: RefusalGround; reasons: string; scope: 'whole' | 'partial' }
  | { kind: 'unidentifiable'; reasons: string };

export interface RenderedDocumentRef {
  documentId: string;
  sha256: string;
}

export interface AlarmRequest {
  requestId: string;
  businessKey: string;
  kind: 'reminder' | 'due_today' | 'overdue';
  deadline: string;
  days: number;
}

export interface StaffAction {
  /** The staff member's id as authenticated by the API. */
  actor: string;
}

/** A handler's decision on one category: confirms the proposal, or overrides it with a reason. */
export interface CategoryDecisionInput {
  category: string;
  outcome: CategoryOutcome;
  ground: DecisionGround;
  reason?: string;
}

/** GDPR 16: the handler accepts or rejects each proposed correction; rejections need reasons. */
export interface CorrectionDecisionInput {
  index: number;
  accepted: boolean;
  reason?: string;
  /** Which row the correction applies to, where the table holds several rows of the subject. */
  rowId?: string;
}

export interface DecideCategoriesInput extends StaffAction {
  /** Only the categories whose proposal changes need be listed; the others are confirmed as proposed. */
  decisions: CategoryDecisionInput[];
  corrections?: CorrectionDecisionInput[];
}
