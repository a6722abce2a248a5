/**
 * The request workflow's invariants, checked on generated cases (fast-check) on the time-skipping
 * server: random sequences of staff updates and of time passing, with activities that fail
 * transiently or permanently at random. Whatever happens:
 * - every request ends closed, or in needs_attention with an alarm raised;
 * - a closed request has exactly one final letter (the approved answer, a refusal or a withdrawal);
 * - no extension after the deadline, and never two (GDPR 12(3));
 * - no answer is delivered before a handler approved it;
 * - a refused update changes nothing;
 * - the history replays on the workflow code, also with a workflow task cut after any local step
 *   (what a worker under load writes), so a worker that lost its cache carries on where it was.
 * A counterexample is replayed with `SEED=<seed> FC_PATH=<path>` from fast-check's report.
 */
import { WorkflowUpdateStage } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import fc from 'fast-check';
import type { Right } from '../../domain/request';
import {
  announceFeeUpdate,
  approveAnswerUpdate,
  decideCategoriesUpdate,
  extendDeadlineUpdate,
  recordPaymentUpdate,
  refuseRequestUpdate,
  retryStepUpdate,
  statusQuery,
  withdrawRequestUpdate,
  type RequestStatus,
} from '../../workflows/messages';
import type { InjectedFailure, Recorded } from './fake-activities';
import { startHarness, type Harness, type RunningRequest } from './harness';

jest.setTimeout(600_000);

const DAY_MS = 86_400_000;
const REASONS = 'Perustelut on kirjattu asiakirjaan.';

type Action =
  | { type: 'approve' }
  | { type: 'approveOther' }
  | { type: 'extend' }
  | { type: 'refuse' }
  | { type: 'withdraw' }
  | { type: 'decide' }
  | { type: 'retry' }
  | { type: 'fee'; payByDays: number }
  | { type: 'pay' }
  | { type: 'sleep'; days: number };

interface FailurePlan {
  activity: string;
  mode: 'permanent' | 'transient';
  /** The first `times` calls fail. */
  times: number;
}

const action: fc.Arbitrary<Action> = fc.oneof(
  fc.constant<Action>({ type: 'approve' }),
  fc.constant<Action>({ type: 'approveOther' }),
  fc.constant<Action>({ type: 'extend' }),
  fc.constant<Action>({ type: 'refuse' }),
  fc.constant<Action>({ type: 'withdraw' }),
  fc.constant<Action>({ type: 'decide' }),
  fc.constant<Action>({ type: 'retry' }),
  fc.integer({ min: -3, max: 20 }).map((payByDays): Action => ({ type: 'fee', payByDays })),
  fc.constant<Action>({ type: 'pay' }),
  fc.integer({ min: 1, max: 40 }).map((days): Action => ({ type: 'sleep', days })),
);

const failure: fc.Arbitrary<FailurePlan> = fc.record({
  activity: fc.constantFrom('renderLetter', 'deliverDocument', 'recordTransition', 'gatherFromSystem', 'matchSubject', 'applyDecisions', 'approveDocument', 'proposeDecisions'),
  mode: fc.constantFrom<'permanent' | 'transient'>('permanent', 'transient'),
  times: fc.integer({ min: 1, max: 2 }),
});

const scenario = fc.record({
  right: fc.constantFrom<Right>('access', 'erasure', 'portability', 'information'),
  actions: fc.array(action, { maxLength: 6 }),
  failures: fc.array(failure, { maxLength: 2 }),
});

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness();
});

afterAll(async () => {
  await harness?.teardown();
});

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** What a refused update must leave as it was. */
function snapshot(status: RequestStatus, recorded: Recorded) {
  const { state, extended, draftDocumentId, awaiting, feePending, closed, deadline } = status;
  return { state, extended, draftDocumentId, awaiting, feePending, closed, deadline, transitions: recorded.transitions.length, letters: recorded.letters.length, fees: recorded.fees.length };
}

/** Waits until the workflow waits for a person (or needs attention, or closed) and its history stands still. */
async function settle(h: RunningRequest): Promise<RequestStatus> {
  let last = -1;
  for (let i = 0; i < 300; i++) {
    const status = await h.handle.query(statusQuery);
    const waiting = status.closed || status.awaiting !== null || status.state === 'needs_attention';
    const count = h.recorded.transitions.length + h.recorded.calls.length;
    if (waiting && count === last) return status;
    last = count;
    await pause(60);
  }
  throw new Error('the workflow did not settle');
}

/** Sends an update; true when accepted (validator passed), false when refused. Does not wait for it to finish. */
async function send(h: RunningRequest, a: Action, status: RequestStatus, now: number): Promise<boolean> {
  const actor = 'h.handler';
  const start = async <R, A>(update: UpdateDefinition<R, [A]>, arg: A) => {
    try {
      const handle = await h.handle.startUpdate(update, { args: [arg], waitForStage: WorkflowUpdateStage.ACCEPTED });
      // startUpdate does not throw when a validator refuses: the refusal comes back as the update's
      // outcome at once, so its result fails without waiting, where an accepted update is still running.
      const refused = await Promise.race([handle.result().then(() => false, () => true), pause(20).then(() => false)]);
      return !refused;
    } catch {
      return false;
    }
  };
  switch (a.type) {
    case 'approve':
      return start(approveAnswerUpdate, { actor, documentId: status.draftDocumentId ?? 'none' });
    case 'approveOther':
      return start(approveAnswerUpdate, { actor, documentId: 'not-the-draft' });
    case 'extend':
      return start(extendDeadlineUpdate, { actor, reasons: REASONS });
    case 'refuse':
      return start(refuseRequestUpdate, { actor, ground: 'gdpr_12_5_excessive', scope: 'whole', reasons: REASONS });
    case 'withdraw':
      return start(withdrawRequestUpdate, { actor: 'subject' });
    case 'decide':
      return start(decideCategoriesUpdate, { actor, decisions: [] });
    case 'retry':
      return start(retryStepUpdate, { actor });
    case 'fee':
      return start(announceFeeUpdate, { actor, amountCents: 2500, ground: 'gdpr_12_5_excessive', basis: REASONS, payBy: new Date(now + a.payByDays * DAY_MS).toISOString().slice(0, 10) });
    case 'pay':
      return start(recordPaymentUpdate, { actor });
    case 'sleep':
      return true;
  }
}

/** The person who finishes the work: retries a failed step, decides, pays, approves, until closed. */
async function finish(h: RunningRequest): Promise<RequestStatus> {
  for (let i = 0; i < 30; i++) {
    const status = await settle(h);
    if (status.closed) return status;
    const now = Number(await harness.env.currentTimeMs());
    const next: Action | null =
      status.state === 'needs_attention' ? { type: 'retry' } : status.awaiting === 'payment' ? { type: 'pay' } : status.awaiting === 'decision' ? { type: 'decide' } : status.awaiting === 'approval' ? { type: 'approve' } : null;
    if (next) await send(h, next, status, now);
    else await pause(100);
  }
  return settle(h);
}

const ANSWERS = /access_answer|decision|privacy_notice/;
const FINAL_NOTICES = new Set(['refusal', 'withdrawal_confirmation', 'unidentifiable']);

describe('the request workflow under generated cases', () => {
  it('keeps its invariants whatever the updates, the time and the failures', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async ({ right, actions, failures }) => {
        const remaining = failures.map((f) => ({ ...f }));
        const fail = (name: string): InjectedFailure => {
          const plan = remaining.find((f) => f.activity === name && f.times > 0);
          if (!plan) return null;
          plan.times -= 1;
          return plan.mode;
        };
        await harness.withRequest(
          { right },
          async (h) => {
            const { recorded, summary } = h;
            const extendedAt: number[] = [];
            for (const a of actions) {
              if (a.type === 'sleep') {
                await harness.env.sleep(a.days * DAY_MS);
                continue;
              }
              const before = await settle(h);
              const now = Number(await harness.env.currentTimeMs());
              const accepted = await send(h, a, before, now);
              if (accepted && a.type === 'extend') extendedAt.push(now);
              if (!accepted) {
                // A refused update changes nothing.
                expect(snapshot(await settle(h), recorded)).toEqual(snapshot(before, recorded));
              }
              // A failed step is a state people see: named, with its alarm raised.
              const after = await settle(h);
              if (after.state === 'needs_attention') {
                expect(after.attention?.step).toEqual(expect.any(String));
                expect(after.alarmsRaised.some((k) => k.startsWith('attention:'))).toBe(true);
                expect(recorded.attention.length).toBeGreaterThan(0);
              }
            }
            const end = await finish(h);
            // Whatever happened, the history replays, also with any workflow task cut after a local step.
            await h.replayWithCuts();

            // Every request ends closed, or in needs_attention with an alarm raised.
            if (!end.closed) {
              expect(end.state).toBe('needs_attention');
              expect(end.alarmsRaised.some((k) => k.startsWith('attention:'))).toBe(true);
              return;
            }
            await h.handle.result();
            const types = recorded.transitions.map((t) => t.type);
            expect(types.filter((t) => t === 'closed')).toHaveLength(1);
            // Exactly one final letter: the approved answer, or a refusal, or a withdrawal confirmation.
            const finals = recorded.approved.length + recorded.letters.filter((l) => FINAL_NOTICES.has(l.kind)).length;
            expect(finals).toBe(1);
            // No extension after the deadline, and never two.
            expect(types.filter((t) => t === 'deadline_extended').length).toBeLessThanOrEqual(1);
            expect(extendedAt.length).toBeLessThanOrEqual(1);
            for (const at of extendedAt) expect(at).toBeLessThan(Date.parse(summary.deadlineAt));
            // No answer delivered before a handler approved it.
            recorded.transitions.forEach((t, i) => {
              const documentId = String(t.data?.documentId ?? '');
              if (t.type !== 'document_delivered' || !ANSWERS.test(documentId)) return;
              const approvedAt = recorded.transitions.findIndex((x) => x.type === 'answer_approved' && x.data?.documentId === documentId);
              expect(approvedAt).toBeGreaterThanOrEqual(0);
              expect(approvedAt).toBeLessThan(i);
            });
          },
          { fail, retry: { maximumAttempts: 2, scheduleToCloseMinutes: 60 } },
        );
      }),
      { numRuns: 12, endOnFailure: true, ...(process.env.SEED ? { seed: Number(process.env.SEED), path: process.env.FC_PATH } : {}) },
    );
  });
});
