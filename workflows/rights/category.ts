/**
 * The rights decided per data category (GDPR 16, 17, 18, 20, 21, 7(3)), as a DPO would describe
 * them: the engine proposes an outcome for every category from its legal basis; a handler confirms
 * or overrides each with a reason; the decision letter is drafted with a preview of the register
 * changes; once both are approved, the changes reach the register in one transaction and every
 * recipient the changed data was disclosed to is told (GDPR 19).
 */
import type { Right } from '../../domain/request';
import { acts } from '../activities';
import type { RequestContext } from '../context';
import { transition } from '../steps/shared';
import type { RightModule } from './module';
import { askedWhereRecorded } from '../patches';

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
  ctx.categoryLaws = proposed.laws ?? [];
  ctx.corrections = proposed.corrections;
  ctx.withdrawable = proposed.withdrawable ?? null;
  await transition(ctx, 'decisions_proposed', 'decisions_proposed', 'awaiting_decision', {
    data: { found, proposals: ctx.proposals.map((p) => `${p.category}:${p.outcome}:${p.ground}`), corrections: ctx.corrections.length },
  });

  if (!(await ctx.waitFor(() => ctx.decisions !== null))) return null;
  const decisions = ctx.decisions!;
  await acts.recordDecisions({ requestId: ctx.requestId, input: decisions });
  // An entry that repeats its proposal confirms it; only a changed outcome or ground is an override.
  const overrides = decisions.decisions.filter((d) => ctx.proposals.some((p) => p.category === d.category && (p.outcome !== d.outcome || p.ground !== d.ground))).length;
  await transition(ctx, 'decided', 'categories_decided', 'in_progress', { actor: decisions.actor, data: { overrides } });

  // Histories recorded before patches were asked at the start ask here, where they recorded it.
  if (!(ctx.patches['changes-after-approval'] || askedWhereRecorded('changes-after-approval'))) return legacyApplyThenDraft(ctx);
  // Nothing irreversible yet: the preview of the changes is approved together with the draft letter.
  const preview = await acts.previewChanges({ requestId: ctx.requestId });
  ctx.dataFound = preview.dataFound;
  if (ctx.summary.right === 'portability' && preview.categories.some((c) => c.outcome === 'granted' && c.rows > 0)) {
    const exported = await acts.exportPortability({ requestId: ctx.requestId });
    ctx.transmit = exported.transmit ? exported.documentIds : null;
  }
  const draft = await acts.renderLetter({ requestId: ctx.requestId, letter: { kind: 'decision' } });
  return draft.documentId;
}

/**
 * Requests started before changes waited for approval replay the old order: changes, notices and
 * export first, then the draft. Only histories without the patch marker take this path.
 */
async function legacyApplyThenDraft(ctx: RequestContext): Promise<string> {
  const applied = await acts.applyDecisions({ requestId: ctx.requestId });
  ctx.changesApplied = true;
  const changeKind = NOTIFIED_CHANGES[ctx.summary.right];
  if (changeKind && applied.granted.length > 0) await acts.notifyRecipients({ requestId: ctx.requestId, changeKind, categories: applied.granted });
  if (ctx.summary.right === 'portability' && applied.granted.length > 0) {
    const exported = await acts.exportPortability({ requestId: ctx.requestId });
    if (exported.transmit) await acts.transmitPortability({ requestId: ctx.requestId, documentIds: exported.documentIds });
  }
  const draft = await acts.renderLetter({ requestId: ctx.requestId, letter: { kind: 'decision' } });
  return draft.documentId;
}

/** After approval: the register changes in one transaction, then GDPR 19 notices and GDPR 20(2) transmission. */
async function carryOutDecision(ctx: RequestContext): Promise<void> {
  if (ctx.changesApplied) return; // applied before the draft (a request started before the patch)
  const applied = await acts.applyDecisions({ requestId: ctx.requestId });
  ctx.changesApplied = true;
  const changeKind = NOTIFIED_CHANGES[ctx.summary.right];
  // GDPR 19: only the categories whose data actually changed.
  const changed = applied.changed ?? applied.granted;
  if (changeKind && changed.length > 0) {
    await acts.notifyRecipients({ requestId: ctx.requestId, changeKind, categories: changed });
  }
  if (ctx.transmit) await acts.transmitPortability({ requestId: ctx.requestId, documentIds: ctx.transmit });
}

function categoryRight(right: Right): RightModule {
  return { right, prepareAnswer: prepareDecision, carryOut: carryOutDecision };
}

export const rectificationRight = categoryRight('rectification');
export const erasureRight = categoryRight('erasure');
export const restrictionRight = categoryRight('restriction');
export const portabilityRight = categoryRight('portability');
export const objectionRight = categoryRight('objection');
export const consentWithdrawalRight = categoryRight('consent_withdrawal');
