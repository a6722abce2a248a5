/**
 * Identity (GDPR 12(2), 12(6)): strong electronic identification at intake verifies it; otherwise a
 * handler verifies it, asks the subject for the information needed (with a reminder, then closure
 * as unidentifiable if nothing comes), or decides that the subject cannot be identified.
 */
import { condition } from '@temporalio/workflow';
import { acts } from '../activities';
import type { RequestContext } from '../context';
import type { VerifyIdentityInput } from '../messages';
import { deliver, transition } from './shared';
import { DAY_MS } from '../../domain/calendar';

export type IdentityOutcome = 'verified' | 'unidentifiable' | 'interrupted';

export async function establishIdentity(ctx: RequestContext): Promise<IdentityOutcome> {
  if (ctx.identityVerified) return 'verified';
  // On the short-steps path receipt already recorded it (before, the state here was always 'received').
  if (ctx.state !== 'awaiting_identity') await transition(ctx, 'awaiting_identity', 'identity_requested', 'awaiting_identity');
  for (let round = 1; ; round++) {
    const decided = await ctx.waitFor(() => ctx.identityDecision !== null);
    if (!decided) return 'interrupted';
    const decision = ctx.identityDecision!;
    if (decision.decision === 'request_information') {
      const outcome = await askForInformation(ctx, decision, round);
      if (outcome !== 'answered') return outcome;
      continue;
    }
    if (decision.decision === 'unidentifiable') {
      await transition(ctx, 'identity:unidentifiable', 'identity_unidentifiable', ctx.state, { actor: decision.actor, reason: decision.note });
      return 'unidentifiable';
    }
    const method = decision.method ?? 'handler_verified';
    await transition(ctx, 'identity:verified', 'identity_verified', 'in_progress', {
      actor: decision.actor,
      reason: decision.note,
      data: { method },
      change: { identityMethod: method, identityVerifiedAt: 'now' },
    });
    ctx.identityVerified = true;
    return 'verified';
  }
}

/**
 * Sends the information request, reminds once, and closes as unidentifiable when nothing comes.
 * With the pause setting on, the clock stands still while the information is awaited.
 */
async function askForInformation(ctx: RequestContext, request: VerifyIdentityInput, round: number): Promise<'answered' | 'unidentifiable' | 'interrupted'> {
  await transition(ctx, `identity:information_requested:${round}`, 'identity_information_requested', 'awaiting_information', { actor: request.actor, reason: request.note });
  if (ctx.policy.pauseWhileAwaitingIdentity) await acts.clockPause({ requestId: ctx.requestId, action: 'start' });
  const letter = await acts.renderLetter({ requestId: ctx.requestId, letter: { kind: 'information_request', needed: request.note, reminder: false, round } });
  await deliver(ctx, letter.documentId);
  ctx.identityDecision = null;

  const answered = () => ctx.identityDecision !== null || ctx.interrupted;
  if (!(await condition(answered, ctx.policy.identityReminderDays * DAY_MS))) {
    const reminder = await acts.renderLetter({ requestId: ctx.requestId, letter: { kind: 'information_request', needed: request.note, reminder: true, round } });
    await deliver(ctx, reminder.documentId);
    await transition(ctx, `identity:information_reminded:${round}`, 'identity_information_reminded', 'awaiting_information');
    if (!(await condition(answered, ctx.policy.identityCloseDays * DAY_MS))) {
      await resumeClock(ctx);
      await transition(ctx, 'identity:unidentifiable', 'identity_unidentifiable', ctx.state, { reason: 'no_information_received' });
      ctx.identityDecision = { actor: 'system', decision: 'unidentifiable', note: 'no_information_received' };
      return 'unidentifiable';
    }
  }
  await resumeClock(ctx);
  if (ctx.interrupted) return 'interrupted';
  await transition(ctx, `identity:information_received:${round}`, 'identity_information_received', 'awaiting_identity', { actor: ctx.identityDecision!.actor });
  return 'answered';
}

async function resumeClock(ctx: RequestContext): Promise<void> {
  if (!ctx.policy.pauseWhileAwaitingIdentity) return;
  const { summary } = await acts.clockPause({ requestId: ctx.requestId, action: 'end' });
  if (summary) {
    ctx.summary = summary;
    ctx.deadlineVersion += 1;
  }
}
