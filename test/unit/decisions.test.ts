/**
 * LEGAL-RULES.md 3, the table: every right decided per category from the legal basis of the real
 * register description, with the fully granted, partly refused and refused cases of each right.
 */
import { groundsAllowed, overrideNeedsReason, proposeOutcomes } from '../../domain/decisions';
import { loadRegisterDescription } from '../../config/register-description';
import { REGISTER_COLUMNS } from '../../db/tables/register';
import type { Right } from '../../domain/request';

const description = loadRegisterDescription('config/register-description.kuopio.yaml', REGISTER_COLUMNS);
const basisOf = (key: string) => description.categories.find((c) => c.key === key)!.legalBasis;
const outcomes = (right: Right, categories?: string[]) => Object.fromEntries(proposeOutcomes(right, description, categories).map((p) => [p.category, `${p.outcome}:${p.ground}`]));

describe('proposals per category from the legal basis', () => {
  it('erasure: consent data erased, contract data erased when no longer needed, legal-obligation and public-task data kept under 17(3)(b)', () => {
    const all = outcomes('erasure');
    expect(basisOf('photos')).toBe('consent');
    expect(all.photos).toBe('granted:gdpr_17_1_b_consent_withdrawn');
    expect(all.work_ability).toBe('granted:gdpr_17_1_b_consent_withdrawn');
    expect(all.workspace_users).toBe('granted:gdpr_17_1_contract_ended');
    expect(all.client_basic).toBe('refused:gdpr_17_3_b_legal_obligation');
    expect(all.employment_projects).toBe('refused:gdpr_17_3_b_public_task');
    // Fully granted when only consent data is asked for; refused when only legal-obligation data is.
    expect(Object.values(outcomes('erasure', ['photos', 'visibility_consents'])).every((o) => o.startsWith('granted'))).toBe(true);
    expect(Object.values(outcomes('erasure', ['client_basic', 'decisions'])).every((o) => o.startsWith('refused'))).toBe(true);
  });

  it('restriction and rectification: granted for every basis', () => {
    expect(Object.values(outcomes('restriction')).every((o) => o === 'granted:gdpr_18_1_restricted')).toBe(true);
    expect(Object.values(outcomes('rectification')).every((o) => o === 'granted:gdpr_16_inaccurate')).toBe(true);
  });

  it('portability: only consent and contract data processed by automated means; the legal-obligation data is not covered', () => {
    const all = outcomes('portability');
    expect(all.workspace_users).toBe('granted:gdpr_20_1_a_provided');
    expect(all.client_basic).toBe('not_applicable:gdpr_20_1_a_basis');
    const nonAutomated = description.categories.find((c) => ['consent', 'contract', 'explicit_consent'].includes(c.legalBasis) && !c.automatedProcessing);
    if (nonAutomated) expect(all[nonAutomated.key]).toBe('not_applicable:gdpr_20_1_b_not_automated');
    expect(Object.values(outcomes('portability', ['client_basic', 'decisions'])).every((o) => o.startsWith('not_applicable'))).toBe(true);
  });

  it('objection: public-task processing stops; other bases are not covered by GDPR 21(1)', () => {
    const all = outcomes('objection');
    expect(basisOf('client_surveys')).toBe('public_task');
    expect(all.client_surveys).toBe('granted:gdpr_21_1_stopped');
    expect(all.client_basic).toBe('not_applicable:gdpr_21_1_not_public_task');
    expect(all.photos).toBe('not_applicable:gdpr_21_1_not_public_task');
  });

  it('consent withdrawal: only the categories that rest on consent', () => {
    const all = outcomes('consent_withdrawal');
    expect(all.photos).toBe('granted:gdpr_7_3_withdrawn');
    expect(all.visibility_consents).toBe('granted:gdpr_7_3_withdrawn');
    expect(all.client_basic).toBe('not_applicable:gdpr_7_3_not_consent');
  });

  it('lets a handler override only with a ground that fits, and asks for reasons when the proposal changes', () => {
    expect(groundsAllowed('erasure', 'granted')).toContain('gdpr_17_1_a_no_longer_needed');
    expect(groundsAllowed('erasure', 'granted')).not.toContain('gdpr_17_3_b_legal_obligation');
    expect(groundsAllowed('objection', 'refused')).toEqual(['gdpr_21_1_compelling_grounds']);
    expect(groundsAllowed('restriction', 'refused')).toEqual([]);
    const proposal = proposeOutcomes('erasure', description, ['client_basic'])[0];
    expect(overrideNeedsReason(proposal, { outcome: 'refused', ground: 'gdpr_17_3_b_legal_obligation' })).toBe(false);
    expect(overrideNeedsReason(proposal, { outcome: 'granted', ground: 'gdpr_17_1_a_no_longer_needed' })).toBe(true);
  });
});
