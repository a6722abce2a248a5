/**
 * The state one request workflow keeps between steps, and the waiting primitive every step uses:
 * a wait ends when its own condition holds or when a refusal interrupts the procedure. The message
 * handlers (handlers.ts) act through its methods: a decision is recorded here, and the procedure
 * waiting for it carries it out.
 */
import { condition } from '@temporalio/workflow';
import type { RequestState, RequestSummary } from '../domain/request';
import type { RetryBound } from './activities';
import type { PatchId } from './patches';
import type { CategoryDecision, CategoryLaw } from '../domain/decisions';
import type {
  AnnounceFeeInput,
  ApproveAnswerInput,
  DecideCategoriesInput,
  RefuseRequestInput,
  RequestStatus,
  VerifyIdentityInput,
  WithdrawInput,
} from './messages';

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
  /** The legal basis of each proposed category, against which every decision is checked (LEGAL-RULES.md 3). */
  categoryLaws: CategoryLaw[] = [];
  /** GDPR 7(3): the categories where a consent is recorded (consent withdrawal only; null: not known). */
  withdrawable: string[] | null = null;
  /** Fields (table.column) of the subject's proposed corrections, by index. */
  corrections: string[] = [];
  decisions: DecideCategoriesInput | null = null;
  /** From the preview of the changes: whether the subject has data in the categories asked about. */
  dataFound: boolean | null = null;
  /** GDPR 20(2): the export documents to transmit once the answer is approved, when the subject asked. */
  transmit: string[] | null = null;
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
  /** The patches this run takes, decided in its first task (patches.ts). */
  patches = {} as Record<PatchId, boolean>;

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

  /** The handler's identity decision, which the identity step is waiting for. */
  decideIdentity(decision: VerifyIdentityInput): { accepted: true } {
    this.identityDecision = decision;
    return { accepted: true };
  }

  /** The approval of the current draft: the procedure then delivers it. */
  approve(approval: ApproveAnswerInput): { accepted: true } {
    this.approval = approval;
    return { accepted: true };
  }

  /** A refusal interrupts the procedure, which then takes the refusal branch (GDPR 12(4)). */
  refuse(refusal: RefuseRequestInput): { accepted: true } {
    this.refusal = refusal;
    return { accepted: true };
  }

  /** The handler's confirmations and overrides of the proposals, which the right's work waits for. */
  decide(decisions: DecideCategoriesInput): { accepted: true } {
    this.decisions = decisions;
    return { accepted: true };
  }

  /** A withdrawal interrupts the procedure, which then confirms it in writing. */
  withdraw(withdrawal: WithdrawInput): { accepted: true } {
    this.withdrawal = withdrawal;
    return { accepted: true };
  }

  /** What the status query answers: ids, keys, states and dates only. */
  status(): RequestStatus {
    if (!this.loaded) {
      return {
        state: this.state,
        deadline: '',
        deadlineAt: '',
        extended: false,
        identityVerified: false,
        draftDocumentId: null,
        awaiting: this.attention ? 'retry' : null,
        alarmsRaised: [...this.alarmsRaised],
        closed: false,
        proposals: [],
        corrections: 0,
        feePending: false,
        attention: this.attentionStatus(),
      };
    }
    return {
      state: this.state,
      deadline: this.deadlineDate,
      deadlineAt: new Date(this.deadlineAtMs).toISOString(),
      extended: this.summary.extended,
      identityVerified: this.identityVerified,
      draftDocumentId: this.draftDocumentId,
      awaiting: this.awaiting(),
      alarmsRaised: [...this.alarmsRaised],
      closed: this.closed,
      proposals: this.proposals.map(({ category, outcome, ground }) => ({ category, outcome, ground })),
      corrections: this.corrections.length,
      feePending: this.feePending,
      attention: this.attentionStatus(),
    };
  }

  /** The failed step, if any: which, how, since when (no personal data). */
  private attentionStatus(): RequestStatus['attention'] {
    return this.attention && { step: this.attention.step, errorType: this.attention.errorType, message: this.attention.message, since: this.attention.since };
  }

  /** Which human action the request waits for, if any. */
  private awaiting(): RequestStatus['awaiting'] {
    if (this.closed) return null;
    if (this.attention) return 'retry';
    if (this.feePending) return 'payment';
    switch (this.state) {
      case 'awaiting_identity':
        return 'identity';
      case 'awaiting_information':
        return 'information';
      case 'awaiting_decision':
        return 'decision';
      case 'awaiting_approval':
        return 'approval';
      default:
        return null;
    }
  }
}
