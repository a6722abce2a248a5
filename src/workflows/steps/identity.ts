/**
 * Identity (GDPR 12(2), 12(6)): strong electronic identification at intake verifies it; otherwise a
 * handler verifies it, or decides that the subject cannot be identified.
 */
import type { RequestContext } from '../context';
import { transition } from './shared';

export type IdentityOutcome = 'verified' | 'unidentifiable' | 'interrupted';

export async function establishIdentity(ctx: RequestContext): Promise<IdentityOutcome> {
  if (ctx.identityVerified) return 'verified';
  await transition(ctx, 'awaiting_identity', 'identity_requested', 'awaiting_identity');
  const decided = await ctx.waitFor(() => ctx.identityDecision !== null);
  if (!decided) return 'interrupted';
  const decision = ctx.identityDecision!;
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
