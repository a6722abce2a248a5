/**
 * The paths a request can take, each driven on the time-skipping server with the recording fake
 * activities. `npm run record-histories` records one history per scenario; the replay test replays
 * them against the current workflow code. A scenario marked `open` stops mid-way: its history is
 * that of a request still open when new code is deployed, the case replay exists for.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkflowHandle } from '@temporalio/client';
import type { RequestSummary } from '../../domain/request';
import {
  announceFeeUpdate,
  approveAnswerUpdate,
  decideCategoriesUpdate,
  extendDeadlineUpdate,
  recordPaymentUpdate,
  refuseRequestUpdate,
  retryStepUpdate,
  verifyIdentityUpdate,
  withdrawRequestUpdate,
  withholdItemsUpdate,
  type RequestStatus,
} from '../../workflows/messages';
import type { InjectedFailure, fakeActivities } from '../workflow/fake-activities';

export interface Driver {
  handle: WorkflowHandle;
  env: TestWorkflowEnvironment;
  waitForState(pred: (s: RequestStatus) => boolean): Promise<RequestStatus>;
}

export interface RequestScenario {
  name: string;
  overrides?: Partial<RequestSummary>;
  options?: Parameters<typeof fakeActivities>[1];
  /** Left open at the end (a request in flight at deploy time). */
  open?: boolean;
  drive(d: Driver): Promise<void>;
}

const approve = async (d: Driver, actor = 'h.handler') => {
  const status = await d.waitForState((s) => s.awaiting === 'approval');
  await d.handle.executeUpdate(approveAnswerUpdate, { args: [{ actor, documentId: status.draftDocumentId! }] });
};
const confirmProposals = async (d: Driver) => {
  await d.waitForState((s) => s.awaiting === 'decision');
  await d.handle.executeUpdate(decideCategoriesUpdate, { args: [{ actor: 'h.handler', decisions: [] }] });
};
/** `step` fails for good (permanently) until the scenario's person retries it, once. */
const failingUntilRetried = (step: string) => {
  let broken = true;
  return {
    fail: (name: string): InjectedFailure => (broken && name === step ? 'permanent' : null),
    async retry(d: Driver, note: string) {
      await d.waitForState((s) => s.state === 'needs_attention' && s.alarmsRaised.length > 0);
      broken = false;
      await d.handle.executeUpdate(retryStepUpdate, { args: [{ actor: 'h.handler', note }] });
    },
  };
};
const letterFailing = failingUntilRetried('renderLetter');
const loadFailing = failingUntilRetried('loadRequest');
const transientlyDown = (() => {
  let down = true;
  return {
    fail: (name: string): InjectedFailure => (down && name === 'gatherFromSystem' ? 'transient' : null),
    recover: () => (down = false),
  };
})();

const simpleRight = (right: RequestSummary['right'], perCategory: boolean): RequestScenario => ({
  name: `${right}-answered`,
  overrides: { right },
  async drive(d) {
    if (perCategory) await confirmProposals(d);
    await approve(d);
  },
});

export const REQUEST_SCENARIOS: RequestScenario[] = [
  {
    name: 'access-answered',
    async drive(d) {
      await approve(d);
    },
  },
  {
    name: 'access-awaiting-approval-open',
    open: true,
    async drive(d) {
      await d.waitForState((s) => s.awaiting === 'approval');
      await d.env.sleep('3 days');
    },
  },
  {
    name: 'access-withheld-items',
    async drive(d) {
      await d.waitForState((s) => s.awaiting === 'approval');
      const { draftDocumentId } = await d.handle.executeUpdate(withholdItemsUpdate, { args: [{ actor: 'h.handler', items: [{ category: 'case_notes', description: 'Terveydentilaa koskeva lausunto' }] }] });
      await d.handle.executeUpdate(approveAnswerUpdate, { args: [{ actor: 'h.handler', documentId: draftDocumentId }] });
    },
  },
  {
    name: 'access-overdue-reminders-escalation',
    async drive(d) {
      await d.waitForState((s) => s.awaiting === 'approval');
      await d.env.sleep('33 days');
      await approve(d, 'dpo');
    },
  },
  {
    name: 'access-extended',
    async drive(d) {
      await d.waitForState((s) => s.awaiting === 'approval');
      await d.env.sleep('10 days');
      await d.handle.executeUpdate(extendDeadlineUpdate, { args: [{ actor: 'h.handler', reasons: 'Tietoja on useassa järjestelmässä.' }] });
      await d.env.sleep('80 days');
      await approve(d);
    },
  },
  {
    name: 'access-extended-open',
    open: true,
    async drive(d) {
      await d.waitForState((s) => s.awaiting === 'approval');
      await d.handle.executeUpdate(extendDeadlineUpdate, { args: [{ actor: 'h.handler', reasons: 'Pyyntöjä on poikkeuksellisen paljon.' }] });
      await d.env.sleep('40 days');
    },
  },
  {
    name: 'access-refused-whole',
    overrides: { identityMethod: null },
    async drive(d) {
      await d.waitForState((s) => s.awaiting === 'identity');
      await d.handle.executeUpdate(refuseRequestUpdate, { args: [{ actor: 'dpo', ground: 'gdpr_12_5_manifestly_unfounded', reasons: 'Ei koske pyytäjän tietoja.', scope: 'whole' }] });
    },
  },
  {
    name: 'identity-handler-verified',
    overrides: { identityMethod: null },
    async drive(d) {
      await d.waitForState((s) => s.awaiting === 'identity');
      await d.handle.executeUpdate(verifyIdentityUpdate, { args: [{ actor: 'h.handler', decision: 'verified', method: 'handler_verified', note: 'Henkilöllisyys tarkistettu.' }] });
      await approve(d);
    },
  },
  {
    name: 'identity-awaiting-open',
    overrides: { identityMethod: null },
    open: true,
    async drive(d) {
      await d.waitForState((s) => s.awaiting === 'identity');
      await d.env.sleep('8 days');
    },
  },
  {
    name: 'identity-unidentifiable-directly',
    overrides: { identityMethod: null },
    async drive(d) {
      await d.waitForState((s) => s.awaiting === 'identity');
      await d.handle.executeUpdate(verifyIdentityUpdate, { args: [{ actor: 'h.handler', decision: 'unidentifiable', note: 'Tiedot eivät täsmää.' }] });
    },
  },
  {
    name: 'identity-information-none-came',
    overrides: { identityMethod: null },
    async drive(d) {
      await d.waitForState((s) => s.awaiting === 'identity');
      await d.handle.executeUpdate(verifyIdentityUpdate, { args: [{ actor: 'h.handler', decision: 'request_information', note: 'Kopio henkilöllisyystodistuksesta.' }] });
      await d.waitForState((s) => s.awaiting === 'information');
      await d.env.sleep('30 days');
    },
  },
  {
    name: 'identity-information-arrived-clock-paused',
    overrides: { identityMethod: null },
    options: { pauseClock: true },
    async drive(d) {
      await d.waitForState((s) => s.awaiting === 'identity');
      await d.handle.executeUpdate(verifyIdentityUpdate, { args: [{ actor: 'h.handler', decision: 'request_information', note: 'Syntymäaika ja osoite.' }] });
      await d.waitForState((s) => s.awaiting === 'information');
      await d.env.sleep('3 days');
      await d.handle.executeUpdate(verifyIdentityUpdate, { args: [{ actor: 'h.handler', decision: 'verified', note: 'Tiedot täsmäävät.' }] });
      await approve(d);
    },
  },
  {
    name: 'erasure-partly-refused',
    overrides: { right: 'erasure' },
    async drive(d) {
      await confirmProposals(d);
      await approve(d);
    },
  },
  {
    name: 'erasure-override-with-reason',
    overrides: { right: 'erasure' },
    async drive(d) {
      await d.waitForState((s) => s.awaiting === 'decision');
      await d.handle.executeUpdate(decideCategoriesUpdate, {
        args: [{ actor: 'dpo', decisions: [{ category: 'client_basic', outcome: 'granted', ground: 'gdpr_17_1_a_no_longer_needed', reason: 'Säilytysaika on kulunut.' }] }],
      });
      await approve(d);
    },
  },
  {
    name: 'erasure-awaiting-decision-open',
    overrides: { right: 'erasure' },
    open: true,
    async drive(d) {
      await d.waitForState((s) => s.awaiting === 'decision');
    },
  },
  {
    name: 'erasure-refused-whole',
    overrides: { right: 'erasure' },
    async drive(d) {
      await d.waitForState((s) => s.awaiting === 'decision');
      await d.handle.executeUpdate(refuseRequestUpdate, { args: [{ actor: 'dpo', ground: 'gdpr_12_5_manifestly_unfounded', reasons: 'Ei omia tietoja.', scope: 'whole' }] });
    },
  },
  {
    name: 'objection-compelling-grounds',
    overrides: { right: 'objection' },
    async drive(d) {
      await d.waitForState((s) => s.awaiting === 'decision');
      await d.handle.executeUpdate(decideCategoriesUpdate, {
        args: [{ actor: 'dpo', decisions: [{ category: 'client_surveys', outcome: 'refused', ground: 'gdpr_21_1_compelling_grounds', reason: 'Lakisääteinen raportointi.' }] }],
      });
      await approve(d);
    },
  },
  {
    name: 'rectification-accepted-and-rejected',
    overrides: { right: 'rectification' },
    options: { corrections: ['register.persons.street_address', 'register.persons.phone'] },
    async drive(d) {
      await d.waitForState((s) => s.awaiting === 'decision');
      await d.handle.executeUpdate(decideCategoriesUpdate, {
        args: [{ actor: 'h.handler', decisions: [], corrections: [{ index: 0, accepted: true }, { index: 1, accepted: false, reason: 'Osoite on oikein.' }] }],
      });
      await approve(d);
    },
  },
  {
    name: 'portability-transmitted',
    overrides: { right: 'portability' },
    options: { transmit: true },
    async drive(d) {
      await confirmProposals(d);
      await approve(d);
    },
  },
  simpleRight('restriction', true),
  simpleRight('consent_withdrawal', true),
  simpleRight('confirmation', false),
  simpleRight('information', false),
  simpleRight('automated_decisions', false),
  {
    name: 'fee-announced-and-paid',
    async drive(d) {
      const status = await d.waitForState((s) => s.awaiting === 'approval');
      await d.handle.executeUpdate(announceFeeUpdate, {
        args: [{ actor: 'dpo', amountCents: 2500, ground: 'gdpr_12_5_excessive', basis: 'Neljäs samaa koskeva pyyntö.', payBy: '2099-01-31' }],
      });
      await d.handle.executeUpdate(recordPaymentUpdate, { args: [{ actor: 'dpo' }] });
      await d.handle.executeUpdate(approveAnswerUpdate, { args: [{ actor: 'dpo', documentId: status.draftDocumentId! }] });
    },
  },
  {
    name: 'fee-awaiting-payment-open',
    open: true,
    async drive(d) {
      await d.waitForState((s) => s.awaiting === 'approval');
      await d.handle.executeUpdate(announceFeeUpdate, {
        args: [{ actor: 'dpo', amountCents: 2500, ground: 'gdpr_12_5_excessive', basis: 'Toistuva pyyntö.', payBy: '2099-01-31' }],
      });
    },
  },
  {
    name: 'withdrawn-by-subject',
    overrides: { right: 'erasure' },
    async drive(d) {
      await d.waitForState((s) => s.awaiting === 'decision');
      await d.handle.executeUpdate(withdrawRequestUpdate, { args: [{ actor: 'subject' }] });
    },
  },
  {
    name: 'needs-attention-letter-open',
    options: { fail: (name) => (name === 'renderLetter' ? 'permanent' : null) },
    open: true,
    async drive(d) {
      await d.waitForState((s) => s.state === 'needs_attention' && s.alarmsRaised.length > 0);
      await d.env.sleep('2 days');
    },
  },
  {
    name: 'needs-attention-letter-retried',
    options: { fail: letterFailing.fail },
    async drive(d) {
      await letterFailing.retry(d, 'Fonttitiedosto palautettu.');
      await approve(d);
    },
  },
  {
    name: 'needs-attention-load-retried',
    options: { fail: loadFailing.fail },
    async drive(d) {
      await loadFailing.retry(d, 'Tietokanta palautettu.');
      await approve(d);
    },
  },
  {
    name: 'needs-attention-transient-exhausted-retried',
    options: { fail: transientlyDown.fail, retry: { maximumAttempts: 3, scheduleToCloseMinutes: 60 } },
    async drive(d) {
      await d.waitForState((s) => s.state === 'needs_attention' && s.alarmsRaised.length > 0);
      transientlyDown.recover();
      await d.handle.executeUpdate(retryStepUpdate, { args: [{ actor: 'h.handler', note: 'Lähdejärjestelmä on taas käytössä.' }] });
      await approve(d);
    },
  },
];
