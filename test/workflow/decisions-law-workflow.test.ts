/**
 * LEGAL-RULES.md 3, "Overrides stay inside the table", at the workflow's update validator: each
 * decision the issue found accepted is refused with a reason naming the category and its legal
 * basis, and nothing changes (no decision recorded, nothing applied, still awaiting the decision).
 */
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { decideCategoriesUpdate, statusQuery, type CategoryDecisionInput } from '../../workflows/messages';
import type { Right } from '../../domain/request';
import { startHarness, type Harness } from './harness';

jest.setTimeout(120_000);

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(async () => {
  await harness?.teardown();
});

const REASON = 'Käsittelijän perustelut ratkaisulle.';

const FORBIDDEN: [string, Right, CategoryDecisionInput, string][] = [
  ['erasure of client basic information (legal obligation) on consent withdrawn, 17(1)(b)', 'erasure', { category: 'client_basic', outcome: 'granted', ground: 'gdpr_17_1_b_consent_withdrawn', reason: REASON }, 'legal_obligation'],
  ['erasure of legal-obligation data after an objection, 17(1)(c) (public task only)', 'erasure', { category: 'client_basic', outcome: 'granted', ground: 'gdpr_17_1_c_objection_upheld', reason: REASON }, 'legal_obligation'],
  ['portability of legal-obligation data', 'portability', { category: 'client_basic', outcome: 'granted', ground: 'gdpr_20_1_a_provided', reason: REASON }, 'legal_obligation'],
  ['an objection granted on legal-obligation data', 'objection', { category: 'client_basic', outcome: 'granted', ground: 'gdpr_21_1_stopped', reason: REASON }, 'legal_obligation'],
  ['consent withdrawal of contract data', 'consent_withdrawal', { category: 'workspace_users', outcome: 'granted', ground: 'gdpr_7_3_withdrawn', reason: REASON }, 'contract'],
];

describe('a decision outside the table is refused and changes nothing', () => {
  it.each(FORBIDDEN)('%s', async (_name, right, decision, basis) => {
    await harness.withRequest({ right }, async ({ handle, recorded, waitForState }) => {
      await waitForState((s) => s.awaiting === 'decision');
      const error = (await handle.executeUpdate(decideCategoriesUpdate, { args: [{ actor: 'dpo', decisions: [decision] }] }).catch((e: unknown) => e)) as WorkflowUpdateFailedError;
      expect(error).toBeInstanceOf(WorkflowUpdateFailedError);
      const cause = error.cause as ApplicationFailure;
      expect(cause.type).toBe('InvalidDecisionError');
      expect(cause.message).toContain(`'${decision.category}'`);
      expect(cause.message).toContain(basis);
      expect(cause.details?.[0]).toEqual({
        field: 'decisions[0].ground',
        code: 'decision_not_allowed_for_basis',
        params: { category: decision.category, basis, right, outcome: decision.outcome, ground: decision.ground },
      });
      const status = await handle.query(statusQuery);
      expect(status.state).toBe('awaiting_decision');
      expect(recorded.decisionsRecorded).toEqual([]);
      expect(recorded.applied).toBe(0);
      expect(recorded.transitions.map((t) => t.type)).not.toContain('categories_decided');
    });
  });

  it('a decision the table allows for the basis is accepted: erasure of legal-obligation data on 17(1)(d), unlawfully processed', async () => {
    await harness.withRequest({ right: 'erasure' }, async ({ handle, recorded, waitForState }) => {
      await waitForState((s) => s.awaiting === 'decision');
      await handle.executeUpdate(decideCategoriesUpdate, { args: [{ actor: 'dpo', decisions: [{ category: 'client_basic', outcome: 'granted', ground: 'gdpr_17_1_d_unlawful', reason: REASON }] }] });
      await waitForState((s) => s.state !== 'awaiting_decision');
      expect(recorded.decisionsRecorded).toHaveLength(1);
    });
  });
});
