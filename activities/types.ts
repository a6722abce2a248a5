/**
 * The shapes that cross between workflows and activities. They travel through Temporal's history,
 * so they hold ids, kinds, dates, counts and staff reasons only: never the subject's personal data.
 */
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
