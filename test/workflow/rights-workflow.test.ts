/**
 * The per-category rights and the shared branches on the time-skipping server: the proposals (an
 * activity's answer, fixed here by the fake; the rules that make them are tested in
 * test/unit/decisions.test.ts) waiting for the handler's confirmations and overrides, register
 * changes, GDPR 19 notices, portability exports, fees, withdrawal, and identity information with
 * reminder and closure.
 */
import { WorkflowUpdateFailedError } from '@temporalio/client';
import {
  announceFeeUpdate,
  approveAnswerUpdate,
  decideCategoriesUpdate,
  recordPaymentUpdate,
  refuseRequestUpdate,
  statusQuery,
  verifyIdentityUpdate,
  withdrawRequestUpdate,
} from '../../workflows/messages';
import { startHarness, type Harness, type RunningRequest } from './harness';

jest.setTimeout(120_000);

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(async () => {
  await harness?.teardown();
});

/** Approves the draft answer once the request awaits approval. */
const approveDraft = async (h: Pick<RunningRequest, 'handle' | 'waitForState'>) => {
  const status = await h.waitForState((s) => s.awaiting === 'approval');
  await h.handle.executeUpdate(approveAnswerUpdate, { args: [{ actor: 'h.handler', documentId: status.draftDocumentId! }] });
};

describe('an erasure request', () => {
  it('shows the proposals it was given and changes nothing until a handler confirms them; then it erases, tells the recipients of the granted category and ends partly refused', async () => {
    await harness.withRequest({ right: 'erasure' }, async ({ handle, recorded, waitForState }) => {
      const status = await waitForState((s) => s.awaiting === 'decision');
      expect(status.proposals).toEqual([
        { category: 'photos', outcome: 'granted', ground: 'gdpr_17_1_b_consent_withdrawn' },
        { category: 'client_basic', outcome: 'refused', ground: 'gdpr_17_3_b_legal_obligation' },
      ]);
      expect(recorded.applied).toBe(0);
      await handle.executeUpdate(decideCategoriesUpdate, { args: [{ actor: 'dpo', decisions: [] }] });
      await approveDraft({ handle, waitForState });
      expect(await handle.result()).toEqual({ outcome: 'partially_refused' });
      expect(recorded.applied).toBe(1);
      expect(recorded.notified).toEqual([{ changeKind: 'erasure', categories: ['photos'] }]);
      expect(recorded.letters.map((l) => l.kind)).toEqual(['decision']);
    });
  });

  it('refuses an override without reasons, and one whose ground does not fit the outcome', async () => {
    await harness.withRequest({ right: 'erasure' }, async ({ handle, recorded, waitForState }) => {
      await waitForState((s) => s.awaiting === 'decision');
      const noReason = handle.executeUpdate(decideCategoriesUpdate, {
        args: [{ actor: 'dpo', decisions: [{ category: 'client_basic', outcome: 'granted', ground: 'gdpr_17_1_a_no_longer_needed' }] }],
      });
      await expect(noReason).rejects.toThrow(WorkflowUpdateFailedError);
      const wrongGround = await handle
        .executeUpdate(decideCategoriesUpdate, {
          args: [{ actor: 'dpo', decisions: [{ category: 'client_basic', outcome: 'granted', ground: 'gdpr_17_3_b_legal_obligation', reason: 'Tiedot eivät ole enää tarpeen.' }] }],
        })
        .catch((e: WorkflowUpdateFailedError) => e) as WorkflowUpdateFailedError;
      expect(wrongGround.cause?.message).toMatch(/cannot give the outcome 'granted'/);
      expect((await handle.query(statusQuery)).state).toBe('awaiting_decision');
      expect(recorded.applied).toBe(0);
      // A reasoned override (GDPR 17(1)(a): no longer needed) is accepted.
      await handle.executeUpdate(decideCategoriesUpdate, {
        args: [{ actor: 'dpo', decisions: [{ category: 'client_basic', outcome: 'granted', ground: 'gdpr_17_1_a_no_longer_needed', reason: 'Asiakkuus päättyi ja säilytysaika on kulunut.' }] }],
      });
      await approveDraft({ handle, waitForState });
      expect(await handle.result()).toEqual({ outcome: 'answered' });
      expect(recorded.decisionsRecorded).toHaveLength(1);
    });
  });
});

describe('irreversible changes after approval (DESIGN.md "Answers and delivery")', () => {
  it('drafts the letter with a preview of the changes and leaves the register untouched until the answer is approved; then applies, tells recipients and delivers', async () => {
    await harness.withRequest({ right: 'erasure' }, async ({ handle, recorded, waitForState }) => {
      await waitForState((s) => s.awaiting === 'decision');
      await handle.executeUpdate(decideCategoriesUpdate, { args: [{ actor: 'dpo', decisions: [] }] });
      const status = await waitForState((s) => s.awaiting === 'approval');
      expect(recorded.previewed).toBe(1);
      expect(recorded.letters.map((l) => l.kind)).toEqual(['decision']);
      // Nothing irreversible before approval: no register change, no recipient told, nothing delivered.
      expect(recorded.applied).toBe(0);
      expect(recorded.notified).toEqual([]);
      expect(recorded.delivered).toEqual([]);
      await handle.executeUpdate(approveAnswerUpdate, { args: [{ actor: 'h.handler', documentId: status.draftDocumentId! }] });
      await handle.result();
      expect(recorded.order).toEqual(['approved', 'applied', `delivered:${status.draftDocumentId}`]);
      expect(recorded.notified).toEqual([{ changeKind: 'erasure', categories: ['photos'] }]);
    });
  });

  it('a request refused before approval never reaches the register', async () => {
    await harness.withRequest({ right: 'erasure' }, async ({ handle, recorded, waitForState }) => {
      await waitForState((s) => s.awaiting === 'decision');
      await handle.executeUpdate(decideCategoriesUpdate, { args: [{ actor: 'dpo', decisions: [] }] });
      await waitForState((s) => s.awaiting === 'approval');
      await handle.executeUpdate(refuseRequestUpdate, { args: [{ actor: 'dpo', ground: 'gdpr_12_5_excessive', scope: 'whole', reasons: 'Sama pyyntö kolmatta kertaa kuukauden sisällä.' }] });
      expect(await handle.result()).toEqual({ outcome: 'refused' });
      expect(recorded.applied).toBe(0);
      expect(recorded.notified).toEqual([]);
    });
  });
});

describe('an objection', () => {
  it('records compelling legitimate grounds as a reasoned override, and processing is not stopped for that category', async () => {
    await harness.withRequest({ right: 'objection' }, async ({ handle, recorded, waitForState }) => {
      await waitForState((s) => s.awaiting === 'decision');
      await handle.executeUpdate(decideCategoriesUpdate, {
        args: [{ actor: 'dpo', decisions: [{ category: 'client_surveys', outcome: 'refused', ground: 'gdpr_21_1_compelling_grounds', reason: 'Kyselyn tulokset ovat välttämättömiä lakisääteiselle raportoinnille.' }] }],
      });
      await approveDraft({ handle, waitForState });
      await handle.result();
      expect(recorded.decisionsRecorded[0]).toMatchObject({ input: { decisions: [{ category: 'client_surveys', outcome: 'refused' }] } });
      // Objection is no GDPR 19 change: no recipients are told.
      expect(recorded.notified).toEqual([]);
    });
  });
});

describe('a rectification', () => {
  it('needs every proposed correction accepted or rejected, a rejection with reasons', async () => {
    await harness.withRequest({ right: 'rectification' }, async ({ handle, recorded, waitForState }) => {
      const status = await waitForState((s) => s.awaiting === 'decision');
      expect(status.corrections).toBe(2);
      await expect(handle.executeUpdate(decideCategoriesUpdate, { args: [{ actor: 'h.handler', decisions: [], corrections: [{ index: 0, accepted: true }] }] })).rejects.toThrow(
        WorkflowUpdateFailedError,
      );
      await expect(
        handle.executeUpdate(decideCategoriesUpdate, { args: [{ actor: 'h.handler', decisions: [], corrections: [{ index: 0, accepted: true }, { index: 1, accepted: false }] }] }),
      ).rejects.toThrow(WorkflowUpdateFailedError);
      await handle.executeUpdate(decideCategoriesUpdate, {
        args: [{ actor: 'h.handler', decisions: [], corrections: [{ index: 0, accepted: true }, { index: 1, accepted: false, reason: 'Väestötietojärjestelmän mukaan osoite on oikein.' }] }],
      });
      await approveDraft({ handle, waitForState });
      await handle.result();
      expect(recorded.notified).toEqual([{ changeKind: 'rectification', categories: ['client_basic'] }]);
    }, { corrections: ['register.persons.street_address', 'register.persons.phone'] });
  });
});

describe('a portability request', () => {
  it('exports the provided data, transmits it when asked, and delivers the export beside the letter', async () => {
    await harness.withRequest({ right: 'portability' }, async ({ handle, recorded, waitForState }) => {
      await waitForState((s) => s.awaiting === 'decision');
      await handle.executeUpdate(decideCategoriesUpdate, { args: [{ actor: 'h.handler', decisions: [] }] });
      await approveDraft({ handle, waitForState });
      await handle.result();
      expect(recorded.exported).toBe(1);
      expect(recorded.transmitted).toBe(1);
      expect(recorded.delivered).toEqual(expect.arrayContaining(['export-json', 'export-csv']));
    }, { transmit: true });
  });
});

describe('fees and withdrawal', () => {
  it('holds the answer until an announced fee is paid (GDPR 12(5)(a))', async () => {
    await harness.withRequest({}, async ({ handle, recorded, waitForState }) => {
      const status = await waitForState((s) => s.awaiting === 'approval');
      await handle.executeUpdate(announceFeeUpdate, {
        args: [{ actor: 'dpo', amountCents: 2500, ground: 'gdpr_12_5_excessive', basis: 'Neljäs samaa koskeva pyyntö kuuden kuukauden aikana.', payBy: '2099-01-31' }],
      });
      expect(recorded.letters.map((l) => l.kind)).toContain('fee_notice');
      expect((await handle.query(statusQuery)).awaiting).toBe('payment');
      const early = (await handle.executeUpdate(approveAnswerUpdate, { args: [{ actor: 'dpo', documentId: status.draftDocumentId! }] }).catch((e) => e)) as WorkflowUpdateFailedError;
      expect(early.cause?.message).toMatch(/fee has not been paid/);
      await handle.executeUpdate(recordPaymentUpdate, { args: [{ actor: 'dpo' }] });
      await handle.executeUpdate(approveAnswerUpdate, { args: [{ actor: 'dpo', documentId: status.draftDocumentId! }] });
      expect(await handle.result()).toEqual({ outcome: 'answered' });
      expect(recorded.payments).toBe(1);
    });
  });

  it('lets the subject withdraw before the decision is carried out, with a confirmation letter', async () => {
    await harness.withRequest({ right: 'erasure' }, async ({ handle, recorded, waitForState }) => {
      await waitForState((s) => s.awaiting === 'decision');
      await handle.executeUpdate(withdrawRequestUpdate, { args: [{ actor: 'subject' }] });
      expect(await handle.result()).toEqual({ outcome: 'withdrawn' });
      expect(recorded.applied).toBe(0);
      expect(recorded.letters.map((l) => l.kind)).toEqual(['withdrawal_confirmation']);
    });
  });
});

describe('identity in doubt (GDPR 12(6))', () => {
  it('asks for information, reminds after 14 days, and closes as unidentifiable when nothing comes', async () => {
    await harness.withRequest({ identityMethod: null }, async ({ handle, recorded, waitForState }) => {
      await waitForState((s) => s.awaiting === 'identity');
      await handle.executeUpdate(verifyIdentityUpdate, { args: [{ actor: 'h.handler', decision: 'request_information', note: 'Kopio henkilöllisyystodistuksesta tai tunnistautuminen Suomi.fi:ssä.' }] });
      await waitForState((s) => s.awaiting === 'information');
      expect(recorded.letters.map((l) => l.kind)).toEqual(['information_request']);
      await harness.env.sleep('15 days');
      expect(recorded.letters.map((l) => l.kind)).toEqual(['information_request', 'information_request']);
      await harness.env.sleep('15 days');
      expect(await handle.result()).toEqual({ outcome: 'unidentifiable' });
      expect(recorded.letters).toEqual([
        expect.objectContaining({ kind: 'information_request', reminder: false }),
        expect.objectContaining({ kind: 'information_request', reminder: true }),
        { kind: 'unidentifiable', reasons: 'no_information_received' },
      ]);
    });
  });

  it('continues when the information arrives, and the clock pause setting moves the deadline', async () => {
    await harness.withRequest({ identityMethod: null }, async ({ handle, recorded, waitForState }) => {
      await waitForState((s) => s.awaiting === 'identity');
      await handle.executeUpdate(verifyIdentityUpdate, { args: [{ actor: 'h.handler', decision: 'request_information', note: 'Tarvitsemme syntymäaikasi ja osoitteesi.' }] });
      await waitForState((s) => s.awaiting === 'information');
      await harness.env.sleep('3 days');
      await handle.executeUpdate(verifyIdentityUpdate, { args: [{ actor: 'h.handler', decision: 'verified', note: 'Tiedot täsmäävät väestötietoihin.' }] });
      await approveDraft({ handle, waitForState });
      await handle.result();
      expect(recorded.pauses).toEqual(['start', 'end']);
      expect(recorded.letters.filter((l) => l.kind === 'information_request')).toHaveLength(1);
    }, { pauseClock: true });
  });
});

describe('lifting a restriction (GDPR 18(3))', () => {
  it('tells the subject first, waits for the announced day, and only then lifts', async () => {
    const calls: string[] = [];
    const liftAtMs = Number(await harness.env.currentTimeMs()) + 3 * 24 * 60 * 60 * 1000;
    const activities = {
      loadLiftPlan: async () => ({ categories: ['case_notes'], liftOn: '2099-01-05', liftAtMs }),
      renderLetter: async ({ letter }: { letter: { kind: string } }) => {
        calls.push(`render:${letter.kind}`);
        return { documentId: 'notice-1', sha256: 'f'.repeat(64) };
      },
      deliverDocument: async () => {
        calls.push('deliver');
        return { channel: 'email' };
      },
      recordTransition: async ({ type }: { type: string }) => {
        calls.push(`event:${type}`);
        return true;
      },
      liftRestriction: async () => {
        calls.push('lift');
        return { rows: 4 };
      },
    };
    await harness.run('restrictionLiftWorkflow', [{ requestId: 'req-1', liftKey: 'lift:2099-01-05:case_notes' }], activities, async (handle) => {
      for (let i = 0; i < 100 && !calls.includes('event:restriction_lift_notified'); i++) await new Promise((r) => setTimeout(r, 50));
      expect(calls).toEqual(['render:restriction_lift_notice', 'deliver', 'event:restriction_lift_notified']);
      await harness.env.sleep('2 days');
      expect(calls).not.toContain('lift');
      await harness.env.sleep('2 days');
      expect(await handle.result()).toEqual({ rows: 4 });
      expect(calls.at(-1)).toBe('lift');
    });
  });
});

describe('a per-category right refused as a whole', () => {
  it('sends a refusal letter and changes nothing in the register when the request is manifestly unfounded', async () => {
    await harness.withRequest({ right: 'erasure' }, async ({ handle, recorded, waitForState }) => {
      await waitForState((s) => s.awaiting === 'decision');
      await handle.executeUpdate(refuseRequestUpdate, {
        args: [{ actor: 'dpo', ground: 'gdpr_12_5_manifestly_unfounded', reasons: 'Pyyntö ei koske pyytäjän omia tietoja.', scope: 'whole' }],
      });
      expect(await handle.result()).toEqual({ outcome: 'refused' });
      expect(recorded.applied).toBe(0);
      expect(recorded.notified).toEqual([]);
      expect(recorded.letters.map((l) => l.kind)).toEqual(['refusal']);
    });
  });
});
