/**
 * A failed step is a state people see (DESIGN.md `needs_attention`): on the time-skipping server, an
 * activity that fails for good (permanently, or transiently past its bounded retries) puts the
 * request in needs_attention with the step named and an alarm raised; nothing retries in silence;
 * a person's retry runs the step again where it stopped; the deadline watch runs on meanwhile.
 */
import { ApplicationFailure } from '@temporalio/activity';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { WorkflowUpdateStage } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import {
  announceFeeUpdate,
  approveAnswerUpdate,
  decideCategoriesUpdate,
  extendDeadlineUpdate,
  refuseRequestUpdate,
  retryStepUpdate,
  statusQuery,
  withdrawRequestUpdate,
} from '../../workflows/messages';
import { NoConsentRecordError } from '../../db/repositories/register-changes/errors';
import type { InjectedFailure } from './fake-activities';
import { startHarness, type Harness } from './harness';

jest.setTimeout(60_000);

let harness: Harness;
let env: TestWorkflowEnvironment;

beforeAll(async () => {
  harness = await startHarness();
  env = harness.env;
});

afterAll(async () => {
  await harness?.teardown();
});

const RETRY = { maximumAttempts: 3, scheduleToCloseMinutes: 60 };

describe('a step that fails for good', () => {
  it('a permanent failure of the letter is not retried: the request needs attention, the alarm is raised, and a retry resumes it', async () => {
    let broken = true;
    const fail = (name: string): InjectedFailure => (broken && name === 'renderLetter' ? 'permanent' : null);
    await harness.withRequest(
      {},
      async ({ handle, recorded, waitForState }) => {
        // The alarm counts as raised once its activity has recorded it.
        const status = await waitForState((s) => s.state === 'needs_attention' && s.alarmsRaised.length > 0);
        expect(status.awaiting).toBe('retry');
        expect(status.attention).toMatchObject({ step: 'renderLetter', errorType: 'InjectedPermanentError' });
        expect(recorded.calls.filter((c) => c === 'renderLetter')).toHaveLength(1);
        expect(recorded.attention).toHaveLength(1);
        expect(recorded.attention[0]).toMatchObject({ step: 'renderLetter', errorType: 'InjectedPermanentError', resumeState: 'in_progress', episode: 1 });
        expect(status.alarmsRaised).toContain('attention:1');

        // While it waits, nothing is approved and nothing retried in silence.
        await expect(handle.executeUpdate(approveAnswerUpdate, { args: [{ actor: 'h.handler', documentId: 'doc-1-access_answer' }] })).rejects.toThrow(WorkflowUpdateFailedError);
        await new Promise((r) => setTimeout(r, 500));
        expect(recorded.calls.filter((c) => c === 'renderLetter')).toHaveLength(1);

        broken = false;
        expect(await handle.executeUpdate(retryStepUpdate, { args: [{ actor: 'h.handler', note: 'font file restored' }] })).toEqual({ step: 'renderLetter' });
        const ready = await waitForState((s) => s.awaiting === 'approval');
        expect(ready.attention).toBeNull();
        expect(recorded.retried).toEqual([{ episode: 1, step: 'renderLetter', actor: 'h.handler' }]);
        await handle.executeUpdate(approveAnswerUpdate, { args: [{ actor: 'h.handler', documentId: ready.draftDocumentId! }] });
        expect(await handle.result()).toEqual({ outcome: 'answered' });
        // The step ran again where it stopped: one letter, gathered once, delivered once.
        expect(recorded.letters).toEqual([{ kind: 'access_answer' }]);
        expect(recorded.gathered.sort()).toEqual(['foreammatti', 'webropol']);
        expect(recorded.delivered).toEqual([ready.draftDocumentId]);
      },
      { fail, retry: RETRY },
    );
  });

  it('a transient failure is retried with backoff up to the configured attempts, then the step needs attention', async () => {
    let down = true;
    await harness.withRequest(
      {},
      async ({ handle, recorded, waitForState }) => {
        const status = await waitForState((s) => s.state === 'needs_attention');
        expect(status.attention).toMatchObject({ step: 'matchSubject', errorType: 'TransientError' });
        expect(recorded.calls.filter((c) => c === 'matchSubject')).toHaveLength(RETRY.maximumAttempts);
        down = false;
        await handle.executeUpdate(retryStepUpdate, { args: [{ actor: 'dpo' }] });
        await waitForState((s) => s.awaiting === 'approval');
        expect(recorded.calls.filter((c) => c === 'matchSubject')).toHaveLength(RETRY.maximumAttempts + 1);
      },
      { fail: (name) => (down && name === 'matchSubject' ? 'transient' : null), retry: RETRY },
    );
  });

  it('loading the request is a step too (part of receipt): when it fails for good, a retry loads it and the work goes on', async () => {
    let down = true;
    await harness.withRequest(
      {},
      async ({ handle, waitForState }) => {
        const failed = await waitForState((s) => s.state === 'needs_attention' && s.alarmsRaised.length > 0);
        // Receipt (load, received, acknowledgement, awaiting identity) is one step; the failure inside it keeps its type.
        expect(failed.attention).toMatchObject({ step: 'receiveRequest', errorType: 'InjectedPermanentError' });
        down = false;
        await handle.executeUpdate(retryStepUpdate, { args: [{ actor: 'dpo' }] });
        await waitForState((s) => s.awaiting === 'approval');
      },
      // Permanent: before the request is loaded, its retry bound is the default one (about 25 minutes).
      { fail: (name) => (down && name === 'loadRequest' ? 'permanent' : null), retry: RETRY },
    );
  });

  it('a retry is refused unless the request needs attention, and changes nothing', async () => {
    await harness.withRequest({}, async ({ handle, recorded, waitForState }) => {
      await waitForState((s) => s.awaiting === 'approval');
      const before = recorded.transitions.length;
      await expect(handle.executeUpdate(retryStepUpdate, { args: [{ actor: 'h.handler' }] })).rejects.toThrow(WorkflowUpdateFailedError);
      expect(recorded.transitions.length).toBe(before);
      expect(recorded.retried).toEqual([]);
      expect((await handle.query(statusQuery)).awaiting).toBe('approval');
    });
  });

  it('two parallel steps failing together share one episode and one alarm; one retry resumes both', async () => {
    let broken = true;
    await harness.withRequest(
      {},
      async ({ handle, recorded, waitForState }) => {
        await waitForState((s) => s.state === 'needs_attention');
        await new Promise((r) => setTimeout(r, 300));
        expect(recorded.attention).toHaveLength(1);
        broken = false;
        await handle.executeUpdate(retryStepUpdate, { args: [{ actor: 'h.handler' }] });
        await waitForState((s) => s.awaiting === 'approval');
        expect(recorded.gathered.sort()).toEqual(['foreammatti', 'webropol']);
      },
      { fail: (name) => (broken && name === 'gatherFromSystem' ? 'permanent' : null), retry: RETRY },
    );
  });
});

describe('a fee', () => {
  it('whose pay-by date is today or past is refused by the validator and changes nothing', async () => {
    await harness.withRequest({}, async ({ handle, recorded, waitForState }) => {
      await waitForState((s) => s.awaiting === 'approval');
      const today = new Date(Number(await env.currentTimeMs())).toISOString().slice(0, 10);
      for (const payBy of ['2020-01-01', today]) {
        await expect(
          handle.executeUpdate(announceFeeUpdate, { args: [{ actor: 'h.handler', amountCents: 2500, ground: 'gdpr_12_5_excessive', basis: 'Kolmas samanlainen pyyntö kuukauden sisällä.', payBy }] }),
        ).rejects.toThrow(WorkflowUpdateFailedError);
      }
      expect(recorded.fees).toEqual([]);
      expect((await handle.query(statusQuery)).feePending).toBe(false);
    });
  });

  it('whose letter fails for good holds the closing: the request is not closed while the fee step waits for its retry', async () => {
    let broken = true;
    await harness.withRequest(
      {},
      async ({ handle, recorded, waitForState }) => {
        await waitForState((s) => s.awaiting === 'approval');
        const payBy = new Date(Number(await env.currentTimeMs()) + 20 * 86_400_000).toISOString().slice(0, 10);
        await handle.startUpdate(announceFeeUpdate, {
          args: [{ actor: 'h.handler', amountCents: 2500, ground: 'gdpr_12_5_excessive', basis: 'Kolmas samanlainen pyyntö kuukauden sisällä.', payBy }],
          waitForStage: WorkflowUpdateStage.ACCEPTED,
        });
        await waitForState((s) => s.state === 'needs_attention');
        await handle.executeUpdate(refuseRequestUpdate, { args: [{ actor: 'dpo', ground: 'gdpr_12_5_excessive', scope: 'whole', reasons: 'Pyyntö toistaa aiempia pyyntöjä.' }] });
        await new Promise((r) => setTimeout(r, 1000));
        expect(recorded.transitions.map((t) => t.type)).not.toContain('closed');
        expect((await handle.query(statusQuery)).closed).toBe(false);

        broken = false;
        await handle.executeUpdate(retryStepUpdate, { args: [{ actor: 'dpo' }] });
        expect(await handle.result()).toEqual({ outcome: 'refused' });
        const types = recorded.transitions.map((t) => t.type);
        expect(types.at(-1)).toBe('closed');
        expect(recorded.letters.map((l) => l.kind)).toEqual(['access_answer', 'refusal', 'fee_notice']);
      },
      { fail: (name, args) => (broken && name === 'renderLetter' && (args[0] as { letter: { kind: string } }).letter.kind === 'fee_notice' ? 'permanent' : null), retry: RETRY },
    );
  });
});

describe('a restriction lift dated in the past', () => {
  it('is not retried in silence: the notice refuses it, the handler and the DPO are alarmed, the restriction stays', async () => {
    const calls: string[] = [];
    const attention: unknown[] = [];
    const activities = {
      loadLiftPlan: async () => ({ categories: ['case_notes'], liftOn: '2020-01-05', liftAtMs: Date.parse('2020-01-04T22:00:00Z') }),
      renderLetter: async () => {
        calls.push('render');
        throw ApplicationFailure.nonRetryable('restriction_lift_notice: liftOn 2020-01-05 must be after issuedOn 2026-12-07', 'LetterRefusedError');
      },
      deliverDocument: async () => calls.push('deliver'),
      recordTransition: async () => calls.push('event'),
      liftRestriction: async () => calls.push('lift'),
      recordAttention: async (a: unknown) => attention.push(a),
    };
    await harness.run('restrictionLiftWorkflow', [{ requestId: 'req-1', liftKey: 'lift:2020-01-05:case_notes' }], activities, async (handle) => {
      await expect(handle.result()).rejects.toThrow();
    });
    expect(calls).toEqual(['render']);
    expect(attention).toEqual([
      expect.objectContaining({ requestId: 'req-1', episode: 'lift:2020-01-05:case_notes', step: 'renderLetter', errorType: 'LetterRefusedError', keepState: true }),
    ]);
  });
});

describe('a consent withdrawal', () => {
  it('granted for a category with no consent record is refused by the validator and changes nothing; decided right, it is carried out', async () => {
    await harness.withRequest(
      { right: 'consent_withdrawal' },
      async ({ handle, recorded, waitForState }) => {
        await waitForState((s) => s.awaiting === 'decision');
        // client_newsletter (consent basis) is proposed as granted but records no consent; photos does.
        await expect(handle.executeUpdate(decideCategoriesUpdate, { args: [{ actor: 'h.handler', decisions: [] }] })).rejects.toThrow(WorkflowUpdateFailedError);
        const refused = await handle
          .executeUpdate(decideCategoriesUpdate, {
            args: [{ actor: 'h.handler', decisions: [{ category: 'client_newsletter', outcome: 'granted', ground: 'gdpr_7_3_withdrawn', reason: 'Asiakas pyysi kaikkien tietojen osalta.' }] }],
          })
          .catch((e: unknown) => e);
        expect(refused).toBeInstanceOf(WorkflowUpdateFailedError);
        expect(String((refused as WorkflowUpdateFailedError).cause?.message)).toMatch(/records no consent/);
        expect(recorded.decisionsRecorded).toEqual([]);
        expect(recorded.applied).toBe(0);
        await handle.executeUpdate(decideCategoriesUpdate, {
          args: [{ actor: 'h.handler', decisions: [{ category: 'client_newsletter', outcome: 'not_applicable', ground: 'gdpr_7_3_not_consent', reason: 'Uutiskirjeelle ei ole kirjattu suostumusta.' }] }],
        });
        const status = await waitForState((s) => s.awaiting === 'approval');
        // Register changes wait for the approval of the decision letter.
        expect(recorded.applied).toBe(0);
        await handle.executeUpdate(approveAnswerUpdate, { args: [{ actor: 'h.handler', documentId: status.draftDocumentId! }] });
        await waitForState(() => recorded.applied === 1);
        expect(recorded.applied).toBe(1);
      },
      { withdrawable: ['photos'] },
    );
  });

  it('that fails in the register all the same (NoConsentRecordError) needs attention instead of retrying forever', async () => {
    await harness.withRequest(
      { right: 'consent_withdrawal' },
      async ({ handle, recorded, waitForState }) => {
        await waitForState((s) => s.awaiting === 'decision');
        await handle.executeUpdate(decideCategoriesUpdate, { args: [{ actor: 'h.handler', decisions: [] }] });
        // The register changes are applied after the approval: that is where the register refuses.
        const ready = await waitForState((s) => s.awaiting === 'approval');
        expect(recorded.calls.filter((c) => c === 'applyDecisions')).toHaveLength(0);
        await handle.executeUpdate(approveAnswerUpdate, { args: [{ actor: 'h.handler', documentId: ready.draftDocumentId! }] });
        const status = await waitForState((s) => s.state === 'needs_attention');
        expect(status.attention).toMatchObject({ step: 'applyDecisions', errorType: 'NoConsentRecordError' });
        expect(recorded.calls.filter((c) => c === 'applyDecisions')).toHaveLength(1);
      },
      {
        fail: (name) => (name === 'applyDecisions' ? new NoConsentRecordError('client_newsletter', 'register.newsletter_subscribers') : null),
        retry: RETRY,
      },
    );
  });
});

describe('free text with a NUL character', () => {
  it('is refused by the update validators (withdrawal note, extension reasons, refusal reasons) and changes nothing', async () => {
    await harness.withRequest({}, async ({ handle, recorded, waitForState }) => {
      await waitForState((s) => s.awaiting === 'approval');
      const before = recorded.transitions.length;
      const nul = 'Peruutan pyynnön\u0000 heti.';
      await expect(handle.executeUpdate(withdrawRequestUpdate, { args: [{ actor: 'subject', note: nul }] })).rejects.toThrow(WorkflowUpdateFailedError);
      await expect(handle.executeUpdate(extendDeadlineUpdate, { args: [{ actor: 'h.handler', reasons: nul }] })).rejects.toThrow(WorkflowUpdateFailedError);
      await expect(handle.executeUpdate(refuseRequestUpdate, { args: [{ actor: 'dpo', ground: 'gdpr_12_5_excessive', scope: 'whole', reasons: nul }] })).rejects.toThrow(WorkflowUpdateFailedError);
      expect(recorded.transitions.length).toBe(before);
      const status = await handle.query(statusQuery);
      expect(status).toMatchObject({ awaiting: 'approval', extended: false, closed: false });
      // A line break is no control character to refuse.
      await handle.executeUpdate(withdrawRequestUpdate, { args: [{ actor: 'subject', note: 'Peruutan pyynnön.\nKiitos.' }] });
      expect(await handle.result()).toEqual({ outcome: 'withdrawn' });
    });
  });
});
