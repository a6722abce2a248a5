/**
 * Steps every right shares: recording transitions, delivering a letter, closing, and the refusal,
 * extension and unidentifiable branches.
 */
import { allHandlersFinished, condition } from '@temporalio/workflow';
import type { Outcome, RequestState } from '../../domain/request';
import { acts, shortSteps } from '../activities';
import type { TransitionChange } from '../contracts';
import type { RequestContext } from '../context';
import type { ExtendDeadlineInput } from '../messages';

const SYSTEM_ACTOR = 'system';

/** Moves the request to a new state, recording the event and its audit link once. */
export async function transition(
  ctx: RequestContext,
  businessKey: string,
  type: string,
  state: RequestState,
  extra: { actor?: string; reason?: string | null; data?: Record<string, unknown>; change?: Omit<TransitionChange, 'state'> } = {},
): Promise<void> {
  await acts.recordTransition({
    requestId: ctx.requestId,
    businessKey,
    type,
    actor: extra.actor ?? SYSTEM_ACTOR,
    reason: extra.reason ?? null,
    data: extra.data ?? {},
    change: { ...extra.change, state },
  });
  ctx.state = state;
}

/** Sends a finished letter to the subject over the secure download (or marks it for post). */
export async function deliver(ctx: RequestContext, documentId: string): Promise<void> {
  // On the short-steps path the delivery records its own event (the same one as below), in one step.
  if (shortSteps()) {
    await acts.deliverDocument({ requestId: ctx.requestId, documentId, record: true });
    return;
  }
  const { channel } = await acts.deliverDocument({ requestId: ctx.requestId, documentId });
  await acts.recordTransition({
    requestId: ctx.requestId,
    businessKey: `delivered:${documentId}`,
    type: 'document_delivered',
    actor: SYSTEM_ACTOR,
    data: { documentId, channel },
  });
}

/**
 * Closes the request with its outcome; the deadline watch stops with it. An update still at work
 * (a fee letter, an extension letter) finishes first, so the database never shows closed while
 * the workflow is still doing something.
 */
export async function close(ctx: RequestContext, outcome: Outcome): Promise<void> {
  await condition(allHandlersFinished);
  await acts.recordTransition({
    requestId: ctx.requestId,
    businessKey: 'closed',
    type: 'closed',
    actor: SYSTEM_ACTOR,
    data: { outcome },
    change: { state: 'closed', outcome, closedAt: 'now' },
  });
  ctx.state = 'closed';
  ctx.closed = true;
}

/** GDPR 12(4): a written, reasoned refusal with the complaint and judicial-remedy rights. */
export async function refuse(ctx: RequestContext): Promise<Outcome> {
  const refusal = ctx.refusal!;
  await acts.recordTransition({
    requestId: ctx.requestId,
    businessKey: 'refused',
    type: 'refused',
    actor: refusal.actor,
    reason: refusal.reasons,
    data: { ground: refusal.ground, scope: refusal.scope },
  });
  const letter = await acts.renderLetter({
    requestId: ctx.requestId,
    letter: { kind: 'refusal', ground: refusal.ground, reasons: refusal.reasons, scope: refusal.scope },
  });
  await deliver(ctx, letter.documentId);
  const outcome: Outcome = refusal.scope === 'whole' ? 'refused' : 'partially_refused';
  await close(ctx, outcome);
  return outcome;
}

/** GDPR 12(3): two further months, decided and told with reasons before the first deadline. */
export async function extend(ctx: RequestContext, input: ExtendDeadlineInput): Promise<string> {
  ctx.extending = true;
  try {
    await acts.recordTransition({
      requestId: ctx.requestId,
      businessKey: 'extended',
      type: 'deadline_extended',
      actor: input.actor,
      reason: input.reasons,
      data: { deadline: ctx.summary.deadline, extendedDeadline: ctx.summary.extendedDeadline },
      change: { extendedAt: 'now' },
    });
    ctx.summary = { ...ctx.summary, extended: true };
    ctx.deadlineVersion += 1;
    const letter = await acts.renderLetter({ requestId: ctx.requestId, letter: { kind: 'extension', reasons: input.reasons } });
    await deliver(ctx, letter.documentId);
    return ctx.summary.extendedDeadline;
  } finally {
    ctx.extending = false;
  }
}

/** LEGAL-RULES.md 2: a subject who cannot be identified is told why, and the request closes. */
export async function closeAsUnidentifiable(ctx: RequestContext, reasons: string): Promise<Outcome> {
  const letter = await acts.renderLetter({ requestId: ctx.requestId, letter: { kind: 'unidentifiable', reasons } });
  await deliver(ctx, letter.documentId);
  await close(ctx, 'unidentifiable');
  return 'unidentifiable';
}

/** The subject withdrew the request: confirm it in writing and close; nothing further is done. */
export async function withdraw(ctx: RequestContext): Promise<Outcome> {
  const withdrawal = ctx.withdrawal!;
  await acts.recordTransition({
    requestId: ctx.requestId,
    businessKey: 'withdrawn',
    type: 'withdrawn',
    actor: withdrawal.actor,
    reason: withdrawal.note ?? null,
  });
  const letter = await acts.renderLetter({ requestId: ctx.requestId, letter: { kind: 'withdrawal_confirmation' } });
  await deliver(ctx, letter.documentId);
  await close(ctx, 'withdrawn');
  return 'withdrawn';
}

/** A refusal or a withdrawal ended the procedure early: take the branch that applies. */
export async function interruption(ctx: RequestContext): Promise<Outcome> {
  return ctx.withdrawal ? withdraw(ctx) : refuse(ctx);
}
