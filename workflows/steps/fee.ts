/** GDPR 12(5)(a): a reasonable fee for a manifestly unfounded or excessive request, announced in writing. */
import { acts } from '../activities';
import type { RequestContext } from '../context';
import type { AnnounceFeeInput, StaffAction } from '../messages';
import { deliver } from './shared';

/** Records the fee and sends the subject the fee notice; the answer waits until it is paid. */
export async function announceFee(ctx: RequestContext, input: AnnounceFeeInput): Promise<{ accepted: true }> {
  ctx.fee = { ...input, paid: false };
  await acts.announceFee({ requestId: ctx.requestId, actor: input.actor, amountCents: input.amountCents, ground: input.ground, basis: input.basis, payBy: input.payBy });
  const letter = await acts.renderLetter({ requestId: ctx.requestId, letter: { kind: 'fee_notice' } });
  await deliver(ctx, letter.documentId);
  return { accepted: true };
}

/** Records that the announced fee was paid, which lets the approved answer go out. */
export async function recordPayment(ctx: RequestContext, input: StaffAction): Promise<{ accepted: true }> {
  await acts.recordPayment({ requestId: ctx.requestId, actor: input.actor });
  ctx.fee = { ...ctx.fee!, paid: true };
  return { accepted: true };
}
