/**
 * LEGAL-RULES.md 3 and "Overrides stay inside the table", written out here independently of the
 * engine's table: for every right, legal basis, automated processing, outcome and ground, the
 * engine allows exactly the decisions the rules allow and refuses the rest, naming category and basis.
 */
import { CATEGORY_DECIDED_RIGHTS, CATEGORY_OUTCOMES, DECISION_GROUNDS, checkDecision, decisionAllowed, proposeOutcomes, type CategoryOutcome, type DecisionGround } from '../../domain/decisions';
import { CATEGORY_LEGAL_BASES, type CategoryLegalBasis } from '../../domain/register-description';
import { REGISTER_COLUMNS } from '../../db/tables/register';
import { loadRegisterDescription } from '../../config/register-description';
import type { Right } from '../../domain/request';

type Basis = 'consent' | 'contract' | 'legal_obligation' | 'public_task';
const columnOf = (b: CategoryLegalBasis): Basis => (b === 'explicit_consent' ? 'consent' : b);

/** The rules as the text states them: which "outcome:ground" each column of the table allows. */
function allowedByRules(right: Right, basis: Basis, automated: boolean): string[] {
  switch (right) {
    case 'erasure': {
      // 17(1)(a) no longer needed and 17(1)(d) unlawful apply to every basis (the exceptions to 17(3)(b)).
      const always = ['granted:gdpr_17_1_a_no_longer_needed', 'granted:gdpr_17_1_d_unlawful'];
      if (basis === 'consent') return [...always, 'granted:gdpr_17_1_b_consent_withdrawn'];
      if (basis === 'contract') return [...always, 'granted:gdpr_17_1_contract_ended'];
      if (basis === 'legal_obligation') return [...always, 'refused:gdpr_17_3_b_legal_obligation'];
      return [...always, 'granted:gdpr_17_1_c_objection_upheld', 'refused:gdpr_17_3_b_public_task'];
    }
    case 'rectification':
      return ['granted:gdpr_16_inaccurate', 'refused:gdpr_16_accurate'];
    case 'restriction':
      return ['granted:gdpr_18_1_restricted'];
    case 'portability': {
      const covered = basis === 'consent' || basis === 'contract';
      const out: string[] = [];
      if (covered && automated) out.push('granted:gdpr_20_1_a_provided');
      if (!covered) out.push('not_applicable:gdpr_20_1_a_basis');
      if (!automated) out.push('not_applicable:gdpr_20_1_b_not_automated');
      return out;
    }
    case 'objection':
      return basis === 'public_task' ? ['granted:gdpr_21_1_stopped', 'refused:gdpr_21_1_compelling_grounds'] : ['not_applicable:gdpr_21_1_not_public_task'];
    case 'consent_withdrawal':
      return basis === 'consent' ? ['granted:gdpr_7_3_withdrawn'] : ['not_applicable:gdpr_7_3_not_consent'];
    default:
      return [];
  }
}

const cases: [Right, CategoryLegalBasis, boolean, CategoryOutcome, DecisionGround][] = [];
for (const right of CATEGORY_DECIDED_RIGHTS)
  for (const basis of CATEGORY_LEGAL_BASES)
    for (const automated of [true, false])
      for (const outcome of CATEGORY_OUTCOMES) for (const ground of DECISION_GROUNDS) cases.push([right, basis, automated, outcome, ground]);

describe('LEGAL-RULES.md 3: every right x legal basis x outcome x ground', () => {
  it.each(cases)('%s of %s data (automated: %s) as %s on %s: allowed exactly as the rules say', (right, basis, automated, outcome, ground) => {
    const category = { key: 'c', legalBasis: basis, automatedProcessing: automated };
    const expected = allowedByRules(right, columnOf(basis), automated).includes(`${outcome}:${ground}`);
    expect(decisionAllowed(right, category, outcome, ground)).toBe(expected);
    const refusal = checkDecision(right, category, outcome, ground);
    if (expected) expect(refusal).toBeNull();
    else expect(refusal).toEqual({ code: 'decision_not_allowed_for_basis', params: { category: 'c', basis, right, outcome, ground } });
  });
});

describe('the decisions the issue found accepted, each refused', () => {
  const description = loadRegisterDescription('config/register-description.kuopio.yaml', REGISTER_COLUMNS);
  const category = (key: string) => description.categories.find((c) => c.key === key)!;

  it('erasure of client basic information (legal obligation) on consent withdrawn, 17(1)(b)', () => {
    expect(category('client_basic').legalBasis).toBe('legal_obligation');
    expect(checkDecision('erasure', category('client_basic'), 'granted', 'gdpr_17_1_b_consent_withdrawn')).toMatchObject({ params: { category: 'client_basic', basis: 'legal_obligation' } });
    // What the law does allow: 17(1)(a) no longer needed, 17(1)(d) unlawful.
    expect(checkDecision('erasure', category('client_basic'), 'granted', 'gdpr_17_1_a_no_longer_needed')).toBeNull();
    expect(checkDecision('erasure', category('client_basic'), 'granted', 'gdpr_17_1_d_unlawful')).toBeNull();
  });

  it('portability of legal-obligation data', () => {
    expect(checkDecision('portability', category('client_basic'), 'granted', 'gdpr_20_1_a_provided')).toMatchObject({ params: { basis: 'legal_obligation' } });
  });

  it('an objection on legal-obligation data (Art. 21 does not cover 6(1)(c))', () => {
    expect(checkDecision('objection', category('client_basic'), 'granted', 'gdpr_21_1_stopped')).toMatchObject({ params: { category: 'client_basic', basis: 'legal_obligation' } });
    expect(checkDecision('objection', category('client_basic'), 'refused', 'gdpr_21_1_compelling_grounds')).not.toBeNull();
  });

  it('consent withdrawal of contract data', () => {
    expect(category('workspace_users').legalBasis).toBe('contract');
    expect(checkDecision('consent_withdrawal', category('workspace_users'), 'granted', 'gdpr_7_3_withdrawn')).toMatchObject({ params: { category: 'workspace_users', basis: 'contract' } });
  });

  it("the engine's own proposals for every category of the Kuopio register stay inside the table", () => {
    for (const right of CATEGORY_DECIDED_RIGHTS) {
      for (const p of proposeOutcomes(right, description)) {
        expect([right, p.category, checkDecision(right, category(p.category), p.outcome, p.ground)]).toEqual([right, p.category, null]);
      }
    }
  });
});
