/**
 * The state one request workflow keeps between steps, and the waiting primitive every step uses:
 * a wait ends when its own condition holds or when a refusal interrupts the procedure.
 */
import { condition } from '@temporalio/workflow';
import type { RequestState, RequestSummary } from '../domain/request';
import type { RetryBound } from './activities';
import type { CategoryDecision } from '../domain/decisions';
import type { AnnounceFeeInput, ApproveAnswerInput, DecideCategoriesInput, RefuseRequestInput, VerifyIdentityInput, WithdrawInput } from './messages';

export interface AlarmPolicy {
  reminderDaysBefore: number[];
  overdueRepeatDays: number;
  /** LEGAL-RULES.md 1: pause the clock while identity information is awaited (a setting, off by default). */
  pauseWhileAwaitingIdentity: boolean;
  identityReminderDays: number;
  identityCloseDays: number;
}

/** A step that failed for good: what people see while the request is in `needs_attention`. */
export interface Attention {
  step: string;
  errorType: string;
  message: string;
  since: string;
  /** The state the request returns to when the step is retried. */
  resumeState: RequestState;
  episode: number;
}

export class RequestContext {
  state: RequestState = 'received';
  identityVerified = false;
  summary!: RequestSummary;
  policy!: AlarmPolicy & { retry?: RetryBound };
  systems: string[] = [];
  /** False until the request has been loaded; handlers registered before refuse decisions until then. */
  loaded = false;
  identityDecision: VerifyIdentityInput | null = null;
  draftDocumentId: string | null = null;
  approval: ApproveAnswerInput | null = null;
  refusal: RefuseRequestInput | null = null;
  withdrawal: WithdrawInput | null = null;
  /** Per-category proposals of the right's module (category keys and outcomes only). */
  proposals: CategoryDecision[] = [];
  /** GDPR 7(3): the categories where a consent is recorded (consent withdrawal only; null: not known). */
  withdrawable: string[] | null = null;
  /** Fields (table.column) of the subject's proposed corrections, by index. */
  corrections: string[] = [];
  decisions: DecideCategoriesInput | null = null;
  /** Set once changes reached the register: from then on the request can no longer be withdrawn. */
  changesApplied = false;
  fee: (AnnounceFeeInput & { paid: boolean }) | null = null;
  /** Tietosuojalaki 34 §: how many times items were withheld, and whether a new draft is being rendered. */
  withholdings = 0;
  redrafting = false;
  extending = false;
  closed = false;
  /** Bumped whenever the deadline moves, so the deadline watch re-plans its alarms. */
  deadlineVersion = 0;
  alarmsRaised: string[] = [];
  /** Set while a step has failed for good; a person's retry clears it and bumps `retries`. */
  attention: Attention | null = null;
  attentionEpisodes = 0;
  retries = 0;

  constructor(readonly requestId: string) {}

  load(summary: RequestSummary, policy: AlarmPolicy, systems: string[]): void {
    this.summary = summary;
    this.policy = policy;
    this.systems = systems;
    this.state = summary.state;
    this.identityVerified = summary.identityMethod !== null && summary.identityMethod !== 'none';
    this.loaded = true;
  }

  /** The deadline in force (the extended one after an extension), as an instant in ms. */
  get deadlineAtMs(): number {
    return Date.parse(this.summary.extended ? this.summary.extendedDeadlineAt : this.summary.deadlineAt);
  }

  get deadlineDate(): string {
    return this.summary.extended ? this.summary.extendedDeadline : this.summary.deadline;
  }

  get interrupted(): boolean {
    return this.refusal !== null || this.withdrawal !== null;
  }

  get feePending(): boolean {
    return this.fee !== null && !this.fee.paid;
  }

  /** Waits until `ready` holds or a refusal arrives; true when it was `ready`. */
  async waitFor(ready: () => boolean): Promise<boolean> {
    await condition(() => ready() || this.interrupted);
    return !this.interrupted;
  }
}
