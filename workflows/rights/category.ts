/**
 * The rights decided per data category (GDPR 16, 17, 18, 20, 21, 7(3)), as a DPO would describe
 * them: the engine proposes an outcome for every category from its legal basis; a handler confirms
 * or overrides each with a reason; the granted changes reach the register in one transaction each;
 * every recipient the data was disclosed to is told (GDPR 19); then the decision letter is drafted.
 */
import type { Right } from '../../domain/request';
import { acts } from '../activities';
import type { RequestContext } from '../context';
import { transition } from '../steps/shared';
import type { RightModule } from './module';

/** GDPR 19: the changes recipients must be told of. */
const NOTIFIED_CHANGES: Partial<Record<Right, 'rectification' | 'erasure' | 'restriction'>> = {
  rectification: 'rectification',
  erasure: 'erasure',
  restriction: 'restriction',
};

async function prepareDecision(ctx: RequestContext): Promise<string | null> {
  const { found } = await acts.matchSubject({ requestId: ctx.requestId });
  const proposed = await acts.proposeDecisions({ requestId: ctx.requestId });
  ctx.proposals = proposed.proposals;
  ctx.corrections = proposed.corrections;
  await transition(ctx, 'decisions_proposed', 'decisions_proposed', 'awaiting_decision', {
    data: { found, proposals: ctx.proposals.map((p) => `${p.category}:${p.outcome}:${p.ground}`), corrections: ctx.corrections.length },
  });

  if (!(await ctx.waitFor(() => ctx.decisions !== null))) return null;
  const decisions = ctx.decisions!;
  await acts.recordDecisions({ requestId: ctx.requestId, input: decisions });
  // An entry that repeats its proposal confirms it; only a changed outcome or ground is an override.
  const overrides = decisions.decisions.filter((d) => ctx.proposals.some((p) => p.category === d.category && (p.outcome !== d.outcome || p.ground !== d.ground))).length;
  await transition(ctx, 'decided', 'categories_decided', 'in_progress', { actor: decisions.actor, data: { overrides } });

  const applied = await acts.applyDecisions({ requestId: ctx.requestId });
  ctx.changesApplied = true;
  const changeKind = NOTIFIED_CHANGES[ctx.summary.right];
  if (changeKind && applied.granted.length > 0) {
    await acts.notifyRecipients({ requestId: ctx.requestId, changeKind, categories: applied.granted });
  }
  if (ctx.summary.right === 'portability' && applied.granted.length > 0) {
    const exported = await acts.exportPortability({ requestId: ctx.requestId });
    if (exported.transmit) await acts.transmitPortability({ requestId: ctx.requestId, documentIds: exported.documentIds });
  }
  const draft = await acts.renderLetter({ requestId: ctx.requestId, letter: { kind: 'decision' } });
  return draft.documentId;
}

function categoryRight(right: Right): RightModule {
  return { right, prepareAnswer: prepareDecision };
}

export const rectificationRight = categoryRight('rectification');
export const erasureRight = categoryRight('erasure');
export const restrictionRight = categoryRight('restriction');
export const portabilityRight = categoryRight('portability');
export const objectionRight = categoryRight('objection');
export const consentWithdrawalRight = categoryRight('consent_withdrawal');
