/**
 * Short steps without round trips (PATCHES['local-short-steps']): on the time-skipping server, a new
 * access request runs its short database steps and single e-mails as local activities and merges
 * receipt, approval and delivery with their events, yet records the same events in the same order
 * as before; a merged step that fails for good still needs attention, and its retry records each
 * event once.
 */
import { approveAnswerUpdate, retryStepUpdate, verifyIdentityUpdate } from '../../workflows/messages';
import { startHarness, type Harness } from './harness';

jest.setTimeout(120_000);

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness();
});

afterAll(async () => {
  await harness?.teardown();
});

describe('a new access request', () => {
  it('schedules only its long steps as activities (gathering, the letter); receipt is one local step', async () => {
    await harness.withRequest({ identityMethod: null }, async ({ handle, recorded, waitForState }) => {
      await waitForState((s) => s.awaiting === 'identity');
      // Receipt: one step, made of the load and the two events; then the acknowledgement.
      expect(recorded.calls).toEqual(['receiveRequest', 'loadRequest', 'recordTransition', 'recordTransition', 'sendAcknowledgement']);
      expect(recorded.transitions.map((t) => t.type)).toEqual(['received', 'identity_requested']);
      expect(recorded.acknowledged).toBe(1);

      await handle.executeUpdate(verifyIdentityUpdate, { args: [{ actor: 'h.handler', decision: 'verified', note: 'Passi tarkistettu.' }] });
      const ready = await waitForState((s) => s.awaiting === 'approval');
      await handle.executeUpdate(approveAnswerUpdate, { args: [{ actor: 'h.handler', documentId: ready.draftDocumentId! }] });
      expect(await handle.result()).toEqual({ outcome: 'answered' });
      expect(recorded.transitions.map((t) => t.type)).toEqual([
        'received', 'identity_requested', 'identity_verified', 'work_started', 'subject_matched', 'data_gathered', 'draft_ready', 'answer_approved', 'document_delivered', 'closed',
      ]);
      expect(recorded.transitions.find((t) => t.type === 'answer_approved')).toMatchObject({ actor: 'h.handler', data: { documentId: ready.draftDocumentId } });

      const events = (await handle.fetchHistory()).events ?? [];
      const scheduled = events.flatMap((e) => (e.activityTaskScheduledEventAttributes ? [e.activityTaskScheduledEventAttributes.activityType?.name] : []));
      expect(scheduled.sort()).toEqual(['gatherFromSystem', 'gatherFromSystem', 'renderLetter']);
      const local = events.filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_local_activity').length;
      expect(local).toBeGreaterThan(0);
    });
  });

  it('accepts a handler\'s identity decision as soon as receipt recorded "awaiting identity", even while the acknowledgement is still failing', async () => {
    let mailDown = true;
    await harness.withRequest(
      { identityMethod: null },
      async ({ handle, recorded, waitForState }) => {
        // The database says "awaiting identity" from receipt on; the e-mail server is down.
        await waitForState(() => recorded.transitions.some((t) => t.type === 'identity_requested') && recorded.calls.filter((c) => c === 'sendAcknowledgement').length >= 2);
        expect(recorded.acknowledged).toBe(0);
        await handle.executeUpdate(verifyIdentityUpdate, { args: [{ actor: 'h.handler', decision: 'verified', note: 'Passi tarkistettu.' }] });
        mailDown = false;
        const ready = await waitForState((s) => s.awaiting === 'approval');
        expect(recorded.acknowledged).toBe(1);
        const types = recorded.transitions.map((t) => t.type);
        expect(types.slice(0, 3)).toEqual(['received', 'identity_requested', 'identity_verified']);
        await handle.executeUpdate(approveAnswerUpdate, { args: [{ actor: 'h.handler', documentId: ready.draftDocumentId! }] });
        expect(await handle.result()).toEqual({ outcome: 'answered' });
      },
      { fail: (name) => (mailDown && name === 'sendAcknowledgement' ? 'transient' : null) },
    );
  });

  it('whose delivery fails for good while recording its event needs attention; the retry delivers and records the event once', async () => {
    let broken = true;
    await harness.withRequest(
      {},
      async ({ handle, recorded, waitForState }) => {
        const ready = await waitForState((s) => s.awaiting === 'approval');
        await handle.executeUpdate(approveAnswerUpdate, { args: [{ actor: 'h.handler', documentId: ready.draftDocumentId! }] });
        const failed = await waitForState((s) => s.state === 'needs_attention');
        expect(failed.attention).toMatchObject({ step: 'deliverDocument', errorType: 'InjectedPermanentError' });
        expect(recorded.transitions.map((t) => t.type)).not.toContain('document_delivered');
        broken = false;
        await handle.executeUpdate(retryStepUpdate, { args: [{ actor: 'dpo' }] });
        expect(await handle.result()).toEqual({ outcome: 'answered' });
        expect(recorded.transitions.filter((t) => t.type === 'document_delivered')).toHaveLength(1);
        expect(recorded.transitions.at(-1)?.type).toBe('closed');
      },
      { fail: (name, args) => (broken && name === 'recordTransition' && (args[0] as { businessKey: string }).businessKey.startsWith('delivered:') ? 'permanent' : null) },
    );
  });
});
