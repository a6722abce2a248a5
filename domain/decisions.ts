/**
 * Rights decided per data category (LEGAL-RULES.md 3). The engine proposes an outcome for every
 * category from its legal basis; a handler confirms or overrides each proposal with a reason.
 * Expected partial outcomes are values, not exceptions.
 */
import type { CategoryLegalBasis, DataCategory, RegisterDescription } from './register-description';
import type { Right } from './request';

export const CATEGORY_OUTCOMES = ['granted', 'refused', 'not_applicable'] as const;
export type CategoryOutcome = (typeof CATEGORY_OUTCOMES)[number];

/**
 * Why a category got its outcome. Each cites the provision it rests on; the wording of each is in
 * the letter catalogs under `grounds.<key>`.
 */
export const DECISION_GROUNDS = [
  'gdpr_15_1_access', // GDPR 15(1): a copy is given
  'gdpr_16_inaccurate', // GDPR 16: inaccurate data rectified
  'gdpr_16_accurate', // GDPR 16: the data is accurate; rectification rejected
  'gdpr_17_1_b_consent_withdrawn', // GDPR 17(1)(b): processing rests on consent
  'gdpr_17_1_a_no_longer_needed', // GDPR 17(1)(a): no longer necessary (overrides 17(3)(b))
  'gdpr_17_1_d_unlawful', // GDPR 17(1)(d): unlawfully processed (overrides 17(3)(b))
  'gdpr_17_1_contract_ended', // GDPR 17(1)(a): contract data no longer needed
  'gdpr_17_1_c_objection_upheld', // GDPR 17(1)(c): public-task data after a successful objection (overrides 17(3)(b))
  'gdpr_17_3_b_legal_obligation', // GDPR 17(3)(b): kept to comply with a legal obligation
  'gdpr_17_3_b_public_task', // GDPR 17(3)(b): kept for a task in the public interest
  'gdpr_18_1_restricted', // GDPR 18(1): processing restricted
  'gdpr_20_1_a_provided', // GDPR 20(1): exported in a machine-readable format
  'gdpr_20_1_a_basis', // GDPR 20(1)(a): not processed on consent or contract: access offered instead
  'gdpr_20_1_b_not_automated', // GDPR 20(1)(b): not processed by automated means
  'gdpr_21_1_stopped', // GDPR 21(1): processing for the public task stopped
  'gdpr_21_1_compelling_grounds', // GDPR 21(1): compelling legitimate grounds recorded
  'gdpr_21_1_not_public_task', // GDPR 21(1): the right to object does not cover this basis
  'gdpr_7_3_withdrawn', // GDPR 7(3): consent withdrawn; earlier processing stays lawful
  'gdpr_7_3_not_consent', // GDPR 7(3): the category does not rest on consent
  'dpa_34_health_or_rights', // Tietosuojalaki 1050/2018 34 §: withheld
] as const;
export type DecisionGround = (typeof DECISION_GROUNDS)[number];

/** The engine's proposal, or the handler's decision, for one category. */
export interface CategoryDecision {
  category: string;
  outcome: CategoryOutcome;
  ground: DecisionGround;
  /** The handler's reasons where the law asks for them (overrides, refusals, compelling grounds). */
  reason: string | null;
  /** 'engine' for a proposal; the staff member's id once confirmed or overridden. */
  decidedBy: string;
}

/** Rights that are decided per category; the others (access and the information-only kinds) are not. */
export const CATEGORY_DECIDED_RIGHTS = ['erasure', 'restriction', 'portability', 'objection', 'consent_withdrawal', 'rectification'] as const satisfies readonly Right[];

const CONSENT_BASES = new Set(['consent', 'explicit_consent']);

/** The four columns of LEGAL-RULES.md 3: 9(2)(a) explicit consent is decided as consent. */
export const RIGHTS_BASES = ['consent', 'contract', 'legal_obligation', 'public_task'] as const;
export type RightsBasis = (typeof RIGHTS_BASES)[number];

/** The column of the table a category's legal basis falls in. */
export function rightsBasisOf(legalBasis: CategoryLegalBasis): RightsBasis {
  return legalBasis === 'explicit_consent' ? 'consent' : legalBasis;
}

/** What the table needs to know of a category: its key, legal basis and whether it is processed by automated means. */
export type CategoryLaw = Pick<DataCategory, 'key' | 'legalBasis' | 'automatedProcessing'>;

/** One allowed decision: this outcome on this ground, for these bases (and, where it matters, automated processing). */
interface Allowed {
  outcome: CategoryOutcome;
  ground: DecisionGround;
  bases: readonly RightsBasis[];
  /** GDPR 20(1)(b): true only for automated processing, false only for the rest; absent when irrelevant. */
  automated?: boolean;
}

const ALL = RIGHTS_BASES;
const CONSENT_OR_CONTRACT = ['consent', 'contract'] as const;

/**
 * LEGAL-RULES.md 3 and "Overrides stay inside the table": every decision a category may get, by
 * right. Anything not listed is refused, whether the engine proposes it or a handler overrides.
 */
const LAW: Partial<Record<Right, readonly Allowed[]>> = {
  erasure: [
    { outcome: 'granted', ground: 'gdpr_17_1_b_consent_withdrawn', bases: ['consent'] }, // 17(1)(b): only consent data
    { outcome: 'granted', ground: 'gdpr_17_1_contract_ended', bases: ['contract'] },
    // 17(1)(a) and (d) lift the 17(3)(b) exception; they apply to every basis.
    { outcome: 'granted', ground: 'gdpr_17_1_a_no_longer_needed', bases: ALL },
    { outcome: 'granted', ground: 'gdpr_17_1_d_unlawful', bases: ALL },
    { outcome: 'granted', ground: 'gdpr_17_1_c_objection_upheld', bases: ['public_task'] }, // 17(1)(c) with 21(1)
    { outcome: 'refused', ground: 'gdpr_17_3_b_legal_obligation', bases: ['legal_obligation'] },
    { outcome: 'refused', ground: 'gdpr_17_3_b_public_task', bases: ['public_task'] },
  ],
  rectification: [
    { outcome: 'granted', ground: 'gdpr_16_inaccurate', bases: ALL },
    { outcome: 'refused', ground: 'gdpr_16_accurate', bases: ALL },
  ],
  restriction: [{ outcome: 'granted', ground: 'gdpr_18_1_restricted', bases: ALL }],
  portability: [
    { outcome: 'granted', ground: 'gdpr_20_1_a_provided', bases: CONSENT_OR_CONTRACT, automated: true },
    { outcome: 'not_applicable', ground: 'gdpr_20_1_a_basis', bases: ['legal_obligation', 'public_task'] },
    { outcome: 'not_applicable', ground: 'gdpr_20_1_b_not_automated', bases: ALL, automated: false },
  ],
  objection: [
    { outcome: 'granted', ground: 'gdpr_21_1_stopped', bases: ['public_task'] },
    { outcome: 'refused', ground: 'gdpr_21_1_compelling_grounds', bases: ['public_task'] },
    { outcome: 'not_applicable', ground: 'gdpr_21_1_not_public_task', bases: ['consent', 'contract', 'legal_obligation'] },
  ],
  consent_withdrawal: [
    { outcome: 'granted', ground: 'gdpr_7_3_withdrawn', bases: ['consent'] },
    { outcome: 'not_applicable', ground: 'gdpr_7_3_not_consent', bases: ['contract', 'legal_obligation', 'public_task'] },
  ],
};

/** Why a decision is outside the law: a stable code with the category, its basis and the decision, for the pages to word. */
export interface DecisionRefusal {
  code: 'decision_not_allowed_for_basis';
  params: { category: string; basis: CategoryLegalBasis; right: Right; outcome: CategoryOutcome; ground: DecisionGround };
}

/** LEGAL-RULES.md 3: whether a category of this legal basis may get this outcome on this ground for this right. */
export function decisionAllowed(right: Right, category: CategoryLaw, outcome: CategoryOutcome, ground: DecisionGround): boolean {
  const basis = rightsBasisOf(category.legalBasis);
  return (LAW[right] ?? []).some(
    (r) => r.outcome === outcome && r.ground === ground && r.bases.includes(basis) && (r.automated === undefined || r.automated === category.automatedProcessing),
  );
}

/** The refusal of a decision outside the table, or null when the law allows it. */
export function checkDecision(right: Right, category: CategoryLaw, outcome: CategoryOutcome, ground: DecisionGround): DecisionRefusal | null {
  if (decisionAllowed(right, category, outcome, ground)) return null;
  return { code: 'decision_not_allowed_for_basis', params: { category: category.key, basis: category.legalBasis, right, outcome, ground } };
}

/** The decisions a category of this basis may get for a right (the choices a form offers for that category). */
export function decisionsAllowedFor(right: Right, category: CategoryLaw): { outcome: CategoryOutcome; ground: DecisionGround }[] {
  return (LAW[right] ?? []).filter((r) => decisionAllowed(right, category, r.outcome, r.ground)).map(({ outcome, ground }) => ({ outcome, ground }));
}

/** LEGAL-RULES.md 3, the table: the outcome a category's legal basis gives a right, before any override. */
export function proposeForCategory(right: Right, category: DataCategory): Omit<CategoryDecision, 'decidedBy' | 'reason'> {
  const basis = category.legalBasis;
  const of = (outcome: CategoryOutcome, ground: DecisionGround) => ({ category: category.key, outcome, ground });
  switch (right) {
    case 'erasure':
      if (CONSENT_BASES.has(basis)) return of('granted', 'gdpr_17_1_b_consent_withdrawn');
      if (basis === 'contract') return of('granted', 'gdpr_17_1_contract_ended');
      // GDPR 17(3)(b): unless no longer needed or unlawful; the handler overrides with a reason.
      return of('refused', basis === 'legal_obligation' ? 'gdpr_17_3_b_legal_obligation' : 'gdpr_17_3_b_public_task');
    case 'restriction':
      return of('granted', 'gdpr_18_1_restricted');
    case 'portability':
      if (!CONSENT_BASES.has(basis) && basis !== 'contract') return of('not_applicable', 'gdpr_20_1_a_basis');
      if (!category.automatedProcessing) return of('not_applicable', 'gdpr_20_1_b_not_automated');
      return of('granted', 'gdpr_20_1_a_provided');
    case 'objection':
      // GDPR 21(1): processing stops unless the handler records compelling legitimate grounds.
      return basis === 'public_task' ? of('granted', 'gdpr_21_1_stopped') : of('not_applicable', 'gdpr_21_1_not_public_task');
    case 'consent_withdrawal':
      return CONSENT_BASES.has(basis) ? of('granted', 'gdpr_7_3_withdrawn') : of('not_applicable', 'gdpr_7_3_not_consent');
    case 'rectification':
      return of('granted', 'gdpr_16_inaccurate');
    default:
      return of('granted', 'gdpr_15_1_access');
  }
}

/** Proposals for every category of the register description, in description order. */
export function proposeOutcomes(right: Right, description: RegisterDescription, categories?: readonly string[]): CategoryDecision[] {
  return description.categories
    .filter((c) => !categories || categories.includes(c.key))
    .map((c) => ({ ...proposeForCategory(right, c), reason: null, decidedBy: 'engine' }));
}

/** Which grounds a handler may choose for an outcome of a right, for some legal basis (the choices a form offers). */
export function groundsAllowed(right: Right, outcome: CategoryOutcome): DecisionGround[] {
  return [...new Set((LAW[right] ?? []).filter((r) => r.outcome === outcome).map((r) => r.ground))];
}

/** Whether an override of the engine's proposal needs a written reason (the controller bears the burden of proof). */
export function overrideNeedsReason(proposal: CategoryDecision, decision: Pick<CategoryDecision, 'outcome' | 'ground'>): boolean {
  return proposal.outcome !== decision.outcome || proposal.ground !== decision.ground;
}

/** What the decisions will change, approved with the draft letter: counts and table names only. */
export interface ChangePreview {
  /** Whether the subject has any data in the categories the request is about. */
  dataFound: boolean;
  /** Every decided category: its outcome, the subject's rows in it, and the tables a granted change will touch. */
  categories: { category: string; outcome: string; rows: number; changes: { table: string; rows: number }[] }[];
  /** GDPR 16: the accepted corrections, one row each. */
  corrections: { category: string; table: string; rows: number }[];
}
