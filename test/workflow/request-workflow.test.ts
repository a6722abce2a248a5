/**
 * The request workflow on Temporal's time-skipping test server: the deadline clock, reminders,
 * escalation, extension and refusal, with activities that record what the workflow asked for.
 */
import { WorkflowUpdateFailedError } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import {
  approveAnswerUpdate,
  extendDeadlineUpdate,
  refuseRequestUpdate,
  statusQuery,
  verifyIdentityUpdate,
} from '../../workflows/messages';
import type { Recorded } from './fake-activities';
import { startHarness, type Harness, type RunningRequest } from './harness';
import type { RequestSummary } from '../../domain/request';

jest.setTimeout(120_000);

let harness: Harness;
let env: TestWorkflowEnvironment;

beforeAll(async () => {
  harness = await startHarness();
  env = harness.env;
});

afterAll(async () => {
  await harness?.teardown();
});

const withRequest = (overrides: Partial<RequestSummary>, body: (h: RunningRequest) => Promise<void>) => harness.withRequest(overrides, body);

const types = (r: Recorded) => r.transitions.map((t) => t.type);

describe('an access request', () => {
  it('answered and approved before the deadline is delivered and closed, with no alarms raised', async () => {
    await withRequest({}, async ({ handle, recorded, waitForState }) => {
      const status = await waitForState((s) => s.awaiting === 'approval');
      expect(recorded.gathered.sort()).toEqual(['foreammatti', 'webropol']);
      await handle.executeUpdate(approveAnswerUpdate, { args: [{ actor: 'h.handler', documentId: status.draftDocumentId! }] });
      expect(await handle.result()).toEqual({ outcome: 'answered' });
      expect(recorded.letters).toEqual([{ kind: 'access_answer' }]);
      expect(recorded.approved).toEqual([status.draftDocumentId]);
      expect(recorded.delivered).toEqual([status.draftDocumentId]);
      expect(recorded.acknowledged).toBe(1);
      expect(recorded.alarms).toEqual([]);
      expect(types(recorded)).toEqual(['received', 'work_started', 'subject_matched', 'data_gathered', 'draft_ready', 'answer_approved', 'document_delivered', 'closed']);
      expect(recorded.transitions.find((t) => t.type === 'answer_approved')?.actor).toBe('h.handler');
    });
  });

  it('left unanswered raises reminders 7 and 2 days before, escalates on the deadline day, then stays overdue until closed', async () => {
    await withRequest({}, async ({ handle, recorded, waitForState, summary }) => {
      const status = await waitForState((s) => s.awaiting === 'approval');
      await env.sleep('29 days');
      expect(recorded.alarms.map((a) => `${a.kind}:${a.days}`)).toEqual(['reminder:7', 'reminder:2', 'due_today:0']);
      expect(recorded.alarms.every((a) => a.deadline === summary.deadline)).toBe(true);
      await env.sleep('3 days');
      const overdue = recorded.alarms.filter((a) => a.kind === 'overdue');
      expect(overdue.length).toBeGreaterThanOrEqual(2);
      expect(overdue[0].days).toBe(0);
      expect(new Set(recorded.alarms.map((a) => a.businessKey)).size).toBe(recorded.alarms.length);
      await handle.executeUpdate(approveAnswerUpdate, { args: [{ actor: 'dpo', documentId: status.draftDocumentId! }] });
      expect(await handle.result()).toEqual({ outcome: 'answered' });
      const raised = recorded.alarms.length;
      await env.sleep('5 days');
      expect(recorded.alarms.length).toBe(raised);
    });
  });

  it('extended before the deadline sends an extension letter and moves the deadline and its alarms', async () => {
    await withRequest({}, async ({ handle, recorded, waitForState, summary }) => {
      const status = await waitForState((s) => s.awaiting === 'approval');
      await env.sleep('10 days');
      const result = await handle.executeUpdate(extendDeadlineUpdate, { args: [{ actor: 'h.handler', reasons: 'Tietoja on useassa järjestelmässä ja pyyntöjä on paljon.' }] });
      expect(result).toEqual({ extendedDeadline: summary.extendedDeadline });
      const after = await handle.query(statusQuery);
      expect(after.extended).toBe(true);
      expect(after.deadline).toBe(summary.extendedDeadline);
      expect(recorded.letters).toContainEqual({ kind: 'extension', reasons: 'Tietoja on useassa järjestelmässä ja pyyntöjä on paljon.' });
      expect(recorded.delivered).toContain('doc-2-extension');
      // The first deadline passes without an alarm: the extended one is in force.
      await env.sleep('25 days');
      expect(recorded.alarms).toEqual([]);
      await env.sleep('50 days');
      expect(recorded.alarms.map((a) => `${a.kind}:${a.deadline}`)).toEqual([`reminder:${summary.extendedDeadline}`]);
      await handle.executeUpdate(approveAnswerUpdate, { args: [{ actor: 'h.handler', documentId: status.draftDocumentId! }] });
      expect(await handle.result()).toEqual({ outcome: 'answered' });
    });
  });

  it('an extension asked for after the deadline is rejected and changes nothing', async () => {
    await withRequest({}, async ({ handle, recorded, waitForState }) => {
      const status = await waitForState((s) => s.awaiting === 'approval');
      await env.sleep('31 days');
      const before = await handle.query(statusQuery);
      const lettersBefore = recorded.letters.length;
      const error = await handle
        .executeUpdate(extendDeadlineUpdate, { args: [{ actor: 'h.handler', reasons: 'Asia on monimutkainen ja laaja.' }] })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(WorkflowUpdateFailedError);
      expect((error as WorkflowUpdateFailedError).cause?.message).toMatch(/has passed/);
      const after = await handle.query(statusQuery);
      expect(after.extended).toBe(false);
      expect(after.deadline).toBe(before.deadline);
      expect(recorded.letters.length).toBe(lettersBefore);
      expect(types(recorded)).not.toContain('deadline_extended');
      await handle.executeUpdate(approveAnswerUpdate, { args: [{ actor: 'h.handler', documentId: status.draftDocumentId! }] });
      await handle.result();
    });
  });

  it('a second extension is rejected', async () => {
    await withRequest({}, async ({ handle, waitForState }) => {
      await waitForState((s) => s.awaiting === 'approval');
      await handle.executeUpdate(extendDeadlineUpdate, { args: [{ actor: 'h.handler', reasons: 'Pyyntöjä on poikkeuksellisen paljon.' }] });
      await expect(handle.executeUpdate(extendDeadlineUpdate, { args: [{ actor: 'h.handler', reasons: 'Vielä lisää aikaa tarvitaan.' }] })).rejects.toThrow(WorkflowUpdateFailedError);
      await handle.executeUpdate(refuseRequestUpdate, { args: [{ actor: 'dpo', ground: 'gdpr_12_5_excessive', reasons: 'Toistuva pyyntö samoista tiedoista.', scope: 'whole' }] });
      await handle.result();
    });
  });

  it('refused sends a refusal letter with the ground and reasons, and closes as refused', async () => {
    await withRequest({ identityMethod: null }, async ({ handle, recorded, waitForState }) => {
      await waitForState((s) => s.awaiting === 'identity');
      await handle.executeUpdate(refuseRequestUpdate, {
        args: [{ actor: 'dpo', ground: 'gdpr_12_5_manifestly_unfounded', reasons: 'Pyyntö ei koske pyytäjän omia tietoja.', scope: 'whole' }],
      });
      expect(await handle.result()).toEqual({ outcome: 'refused' });
      expect(recorded.letters).toEqual([{ kind: 'refusal', ground: 'gdpr_12_5_manifestly_unfounded', reasons: 'Pyyntö ei koske pyytäjän omia tietoja.', scope: 'whole' }]);
      expect(recorded.delivered).toEqual(['doc-1-refusal']);
      expect(recorded.gathered).toEqual([]);
      const refused = recorded.transitions.find((t) => t.type === 'refused');
      expect(refused).toMatchObject({ actor: 'dpo', reason: 'Pyyntö ei koske pyytäjän omia tietoja.' });
    });
  });

  it('a refusal without reasons or with an unknown ground is rejected by the validator', async () => {
    await withRequest({ identityMethod: null }, async ({ handle, recorded, waitForState }) => {
      await waitForState((s) => s.awaiting === 'identity');
      await expect(handle.executeUpdate(refuseRequestUpdate, { args: [{ actor: 'dpo', ground: 'gdpr_12_5_excessive', reasons: 'no', scope: 'whole' }] })).rejects.toThrow(WorkflowUpdateFailedError);
      await expect(
        handle.executeUpdate(refuseRequestUpdate, { args: [{ actor: 'dpo', ground: 'because' as never, reasons: 'Ei mitään perusteita tähän.', scope: 'whole' }] }),
      ).rejects.toThrow(WorkflowUpdateFailedError);
      expect(recorded.letters).toEqual([]);
      expect((await handle.query(statusQuery)).state).toBe('awaiting_identity');
      await handle.executeUpdate(verifyIdentityUpdate, { args: [{ actor: 'h.handler', decision: 'unidentifiable', note: 'Henkilöllisyyttä ei voitu todentaa asiakirjoista.' }] });
      expect(await handle.result()).toEqual({ outcome: 'unidentifiable' });
      expect(recorded.letters.map((l) => l.kind)).toEqual(['unidentifiable']);
    });
  });

  it('waits for a handler to verify identity before gathering any data', async () => {
    await withRequest({ identityMethod: null }, async ({ handle, recorded, waitForState }) => {
      await waitForState((s) => s.awaiting === 'identity');
      expect(recorded.gathered).toEqual([]);
      await expect(handle.executeUpdate(approveAnswerUpdate, { args: [{ actor: 'h.handler', documentId: 'x' }] })).rejects.toThrow(WorkflowUpdateFailedError);
      await handle.executeUpdate(verifyIdentityUpdate, { args: [{ actor: 'h.handler', decision: 'verified', method: 'in_person', note: 'Passi tarkistettu asiakaspalvelussa.' }] });
      const status = await waitForState((s) => s.awaiting === 'approval');
      expect(recorded.gathered.length).toBe(2);
      const verified = recorded.transitions.find((t) => t.type === 'identity_verified');
      expect(verified).toMatchObject({ actor: 'h.handler', change: { identityMethod: 'in_person', identityVerifiedAt: 'now', state: 'in_progress' } });
      await handle.executeUpdate(approveAnswerUpdate, { args: [{ actor: 'h.handler', documentId: status.draftDocumentId! }] });
      expect(await handle.result()).toEqual({ outcome: 'answered' });
    });
  });
});
