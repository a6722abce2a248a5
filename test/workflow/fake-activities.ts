/** Plain-object activities for workflow tests: they record every call and answer like the real ones. */
import { ApplicationFailure } from '@temporalio/activity';
import type { Activities } from '../../activities';
import type { AttentionRecord } from '../../activities/attention';
import { toFailure } from '../../activities/failures';
import { receiptActivities } from '../../activities/receipt';
import type { AlarmRequest, LetterRequest, TransitionRequest } from '../../workflows/contracts';
import type { RequestSummary } from '../../domain/request';
import { DAY_MS } from '../../domain/calendar';

export interface Recorded {
  decisionsRecorded: unknown[];
  applied: number;
  previewed: number;
  /** Approval, register changes and deliveries in the order they happened. */
  order: string[];
  notified: { changeKind: string; categories: string[] }[];
  exported: number;
  transmitted: number;
  fees: unknown[];
  payments: number;
  pauses: string[];
  transitions: TransitionRequest[];
  letters: LetterRequest[];
  delivered: string[];
  alarms: AlarmRequest[];
  approved: string[];
  acknowledged: number;
  gathered: string[];
  /** needs_attention episodes recorded (each also raises the staff alarm), and the retries. */
  attention: AttentionRecord[];
  retried: { episode: number; step: string; actor: string }[];
  /** Every activity call by name, in order (failed attempts included). */
  calls: string[];
}

/**
 * How an injected failure fails: permanent (non-retryable) or transient (retried within the bound);
 * `hang` (a dead worker) and `{ delayMs }` (a slow step that answers in the end) are late instead.
 */
export type InjectedFailure = 'permanent' | 'transient' | 'hang' | Error | { delayMs: number } | null;

/** How long a 'hang' holds its call: past the 30-second heartbeat timeout, short enough for the test worker to stop. */
const HANG_MS = 40_000;

/** A request received `now`, due in 30 days (extended: 90), as loadRequest would return it. */
export function summaryDueIn(now: number, overrides: Partial<RequestSummary> = {}): RequestSummary {
  const iso = (ms: number) => new Date(ms).toISOString();
  return {
    id: 'req-1',
    submissionId: 'sub-1',
    reference: 'DSR-2026-TEST01',
    right: 'access',
    state: 'received',
    outcome: null,
    language: 'fi',
    channel: 'e_form',
    receivedAt: iso(now),
    receivedOn: iso(now).slice(0, 10),
    deadline: iso(now + 30 * DAY_MS).slice(0, 10),
    deadlineAt: iso(now + 30 * DAY_MS),
    extendedDeadline: iso(now + 90 * DAY_MS).slice(0, 10),
    extendedDeadlineAt: iso(now + 90 * DAY_MS),
    deadlineRule: 'test',
    extended: false,
    identityMethod: 'strong_eid',
    assignedTo: null,
    closedAt: null,
    workflowStarted: true,
    ...overrides,
  };
}

/** Proposals the fake register gives: one consent category (granted) and one legal-obligation category (refused). */
export const FAKE_PROPOSALS: Record<string, { category: string; outcome: 'granted' | 'refused' | 'not_applicable'; ground: string }[]> = {
  erasure: [
    { category: 'photos', outcome: 'granted', ground: 'gdpr_17_1_b_consent_withdrawn' },
    { category: 'client_basic', outcome: 'refused', ground: 'gdpr_17_3_b_legal_obligation' },
  ],
  objection: [
    { category: 'client_surveys', outcome: 'granted', ground: 'gdpr_21_1_stopped' },
    { category: 'client_basic', outcome: 'not_applicable', ground: 'gdpr_21_1_not_public_task' },
  ],
  rectification: [{ category: 'client_basic', outcome: 'granted', ground: 'gdpr_16_inaccurate' }],
  portability: [
    { category: 'workspace_users', outcome: 'granted', ground: 'gdpr_20_1_a_provided' },
    { category: 'client_basic', outcome: 'not_applicable', ground: 'gdpr_20_1_a_basis' },
  ],
  consent_withdrawal: [
    { category: 'photos', outcome: 'granted', ground: 'gdpr_7_3_withdrawn' },
    { category: 'workspace_users', outcome: 'not_applicable', ground: 'gdpr_7_3_not_consent' },
    { category: 'client_newsletter', outcome: 'granted', ground: 'gdpr_7_3_withdrawn' },
  ],
};

/** The legal bases of the fake register's categories, as the description gives them. */
export const FAKE_LAWS = [
  { key: 'photos', legalBasis: 'consent', automatedProcessing: true },
  { key: 'client_basic', legalBasis: 'legal_obligation', automatedProcessing: true },
  { key: 'client_surveys', legalBasis: 'public_task', automatedProcessing: true },
  { key: 'workspace_users', legalBasis: 'contract', automatedProcessing: true },
  // Consent is its basis, but the register keeps no consent record for it (see withdrawable).
  { key: 'client_newsletter', legalBasis: 'consent', automatedProcessing: true },
] as const;

export function fakeActivities(
  summary: RequestSummary,
  options: {
    corrections?: string[];
    transmit?: boolean;
    pauseClock?: boolean;
    dataFound?: boolean;
    /** Decides, per call, whether the activity fails instead of answering. */
    fail?: (name: string, args: unknown[]) => InjectedFailure;
    retry?: { maximumAttempts: number; scheduleToCloseMinutes: number };
    /** Consent withdrawal: the categories where a consent is recorded. */
    withdrawable?: string[];
  } = {},
): { activities: Activities; recorded: Recorded } {
  const recorded: Recorded = {
    decisionsRecorded: [],
    applied: 0,
    previewed: 0,
    order: [],
    notified: [],
    exported: 0,
    transmitted: 0,
    fees: [],
    payments: 0,
    pauses: [],
    transitions: [],
    letters: [],
    delivered: [],
    alarms: [],
    approved: [],
    acknowledged: 0,
    gathered: [],
    attention: [],
    retried: [],
    calls: [],
  };
  const proposals = (FAKE_PROPOSALS[summary.right] ?? []).map((p) => ({ ...p, reason: null, decidedBy: 'engine' }));
  let documents = 0;
  const seenKeys = new Set<string>();
  // The merged steps record their events through the (failure-injected) recordTransition, as the real ones do.
  let record: (t: TransitionRequest) => Promise<unknown> = async () => undefined;
  const activities = {
    async loadRequest() {
      return {
        summary,
        policy: {
          reminderDaysBefore: [7, 2],
          overdueRepeatDays: 1,
          pauseWhileAwaitingIdentity: options.pauseClock ?? false,
          identityReminderDays: 14,
          identityCloseDays: 14,
          ...(options.retry ? { retry: options.retry } : {}),
        },
        systems: ['foreammatti', 'webropol'],
      };
    },
    async recordTransition(t: TransitionRequest) {
      if (seenKeys.has(t.businessKey)) return false;
      seenKeys.add(t.businessKey);
      recorded.transitions.push(t);
      return true;
    },
    async approveDocument(input: { requestId: string; documentId: string; actor: string; note: string | null; record?: boolean }) {
      if (input.record) {
        await record({ requestId: input.requestId, businessKey: `approved:${input.documentId}`, type: 'answer_approved', actor: input.actor, reason: input.note, data: { documentId: input.documentId }, change: { state: 'delivering' } });
      }
      recorded.approved.push(input.documentId);
      recorded.order.push('approved');
    },
    async sendAcknowledgement() {
      recorded.acknowledged += 1;
      return { sent: true };
    },
    async matchSubject() {
      return { found: true };
    },
    async gatherFromSystem({ system }: { system: string }) {
      recorded.gathered.push(system);
      return { rowCount: 3, redactions: 1 };
    },
    async renderLetter({ letter }: { letter: LetterRequest }) {
      recorded.letters.push(letter);
      documents += 1;
      return { documentId: `doc-${documents}-${letter.kind}`, sha256: 'f'.repeat(64) };
    },
    async deliverDocument({ requestId, documentId, record: withEvent }: { requestId: string; documentId: string; record?: boolean }) {
      recorded.delivered.push(documentId);
      recorded.order.push(`delivered:${documentId}`);
      if (withEvent) await record({ requestId, businessKey: `delivered:${documentId}`, type: 'document_delivered', actor: 'system', data: { documentId, channel: 'email' } });
      return { channel: 'email' as const };
    },
    async raiseAlarm(alarm: AlarmRequest) {
      recorded.alarms.push(alarm);
    },
    async listDeliverables() {
      return { documentIds: recorded.exported > 0 ? ['export-json', 'export-csv'] : [] };
    },
    async outcomeOf() {
      const last = recorded.decisionsRecorded.at(-1) as { input: { decisions: { outcome: string }[] } } | undefined;
      const outcomes = proposals.map((p) => last?.input.decisions.find((d: { outcome: string; category?: string }) => d.category === p.category)?.outcome ?? p.outcome);
      if (summary.right === 'erasure' && outcomes.includes('refused')) return outcomes.includes('granted') ? 'partially_refused' : 'refused';
      return 'answered';
    },
    async proposeDecisions() {
      const laws = FAKE_LAWS.filter((l) => proposals.some((p) => p.category === l.key));
      return { proposals, corrections: options.corrections ?? [], laws, ...(options.withdrawable ? { withdrawable: options.withdrawable } : {}) };
    },
    async recordDecisions(input: unknown) {
      recorded.decisionsRecorded.push(input);
    },
    async previewChanges() {
      recorded.previewed += 1;
      const categories = proposals.map((p) => ({ category: p.category, outcome: p.outcome, rows: 3, changes: p.outcome === 'granted' ? [{ table: `register.${p.category}`, rows: 3 }] : [] }));
      return { dataFound: options.dataFound ?? true, categories, corrections: [] };
    },
    async applyDecisions() {
      recorded.applied += 1;
      recorded.order.push('applied');
      const granted = proposals.filter((p) => p.outcome === 'granted').map((p) => p.category);
      return { granted, changed: granted, rows: 3 };
    },
    async notifyRecipients(input: { changeKind: string; categories: string[] }) {
      recorded.notified.push({ changeKind: input.changeKind, categories: input.categories });
      return { notified: 1, notNotified: 0, failed: 0 };
    },
    async exportPortability() {
      recorded.exported += 1;
      return { documentIds: ['export-json', 'export-csv'], transmit: options.transmit ?? false };
    },
    async transmitPortability() {
      recorded.transmitted += 1;
      return null;
    },
    async announceFee(input: unknown) {
      recorded.fees.push(input);
    },
    async recordPayment() {
      recorded.payments += 1;
    },
    async clockPause({ action }: { action: 'start' | 'end' }) {
      recorded.pauses.push(action);
      return { summary: action === 'end' ? { ...summary, deadline: '2099-01-01' } : null };
    },
  };
  const bookkeeping = {
    async recordAttention(a: AttentionRecord) {
      if (!recorded.attention.some((x) => x.episode === a.episode)) recorded.attention.push(a);
    },
    async resolveAttention(input: { episode: number; step: string; actor: string }) {
      if (!recorded.retried.some((x) => x.episode === input.episode)) recorded.retried.push({ episode: input.episode, step: input.step, actor: input.actor });
    },
  };
  // Failures are injected before the fake answers, so a failed call changes nothing.
  const inject = (name: string, fn: unknown) => async (...args: unknown[]) => {
    recorded.calls.push(name);
    const failure = options.fail?.(name, args) ?? null;
    if (failure === 'permanent') throw ApplicationFailure.nonRetryable(`injected permanent failure of ${name}`, 'InjectedPermanentError');
    if (failure === 'transient') throw ApplicationFailure.retryable(`injected transient failure of ${name}`, 'TransientError');
    // A dead worker: no answer and no heartbeat, until long after the attempt timed out.
    if (failure === 'hang') {
      await new Promise((r) => setTimeout(r, HANG_MS));
      throw ApplicationFailure.retryable(`${name}: this attempt's worker was gone`, 'TransientError');
    }
    // A real error goes through the real classifier, as in createActivities.
    if (failure instanceof Error) throw toFailure(failure);
    if (failure !== null && typeof failure === 'object') await new Promise((r) => setTimeout(r, failure.delayMs));
    return (fn as (...a: unknown[]) => Promise<unknown>)(...args);
  };
  const injected = Object.fromEntries(Object.entries(activities).map(([name, fn]) => [name, inject(name, fn)])) as unknown as typeof activities;
  record = injected.recordTransition;
  // Receipt is the real composition of the (fake, failure-injected) parts.
  const receipt = receiptActivities({
    ...injected,
    recordTransitions: async (ts: TransitionRequest[]) => {
      for (const t of ts) await injected.recordTransition(t);
    },
  });
  const merged = { receiveRequest: inject('receiveRequest', receipt.receiveRequest) };
  return { activities: { ...injected, ...merged, ...bookkeeping } as unknown as Activities, recorded };
}
