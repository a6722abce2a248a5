/**
 * One workflow per data-subject request. Input: the request id only. It owns the procedure:
 * receipt, identity, the right's own work, approval, delivery and closure, with the deadline watch
 * beside it and the extension and refusal branches open to the handler throughout. The handlers
 * of its messages live in handlers.ts.
 */
import { allHandlersFinished, condition } from '@temporalio/workflow';
import type { Outcome } from '../domain/request';
import { DEFAULT_RETRY_BOUND, acts, bindActivities } from './activities';
import { RequestContext } from './context';
import { patchesAtStart } from './patches';
import { registerHandlers } from './handlers';
import { RIGHT_MODULES } from './rights';
import { stepGuardFor } from './steps/attention';
import { watchDeadline } from './steps/deadline-watch';
import { establishIdentity } from './steps/identity';
import { close, closeAsUnidentifiable, deliver, interruption, transition } from './steps/shared';

export interface RequestWorkflowInput {
  requestId: string;
}

export async function dsrRequestWorkflow(input: RequestWorkflowInput): Promise<{ outcome: Outcome }> {
  // Handlers first, so a status query never meets a workflow without them.
  const ctx = new RequestContext(input.requestId);
  registerHandlers(ctx);
  // Every patch is decided here, at the first task (patches.ts says why): a request started before a
  // patch keeps its old branch throughout, e.g. ordinary activities before local-short-steps.
  ctx.patches = patchesAtStart();
  const local = ctx.patches['local-short-steps'];
  // Every activity call is a step: one that fails for good waits in needs_attention for a person's retry.
  bindActivities(DEFAULT_RETRY_BOUND, stepGuardFor(ctx), { local });
  // Receipt in one step on the new path; before it, loading here and receipt in runProcedure.
  const loaded = local ? await acts.receiveRequest({ requestId: input.requestId }) : await acts.loadRequest({ requestId: input.requestId });
  ctx.load(loaded.summary, loaded.policy, loaded.systems);
  if (loaded.policy.retry) bindActivities(loaded.policy.retry, stepGuardFor(ctx), { local });
  // Acknowledged once the workflow already waits in the state receipt recorded, so a handler's
  // decision is accepted even while the e-mail is still on its way.
  if (local) await acts.sendAcknowledgement({ requestId: input.requestId });

  const watch = watchDeadline(ctx);
  const outcome = await runProcedure(ctx, local);
  await watch;
  // Let an update that is still running (say, an extension letter) finish before the workflow ends.
  await condition(allHandlersFinished);
  return { outcome };
}

async function runProcedure(ctx: RequestContext, received: boolean): Promise<Outcome> {
  if (!received) {
    await transition(ctx, 'received', 'received', 'received', { data: { right: ctx.summary.right, deadline: ctx.summary.deadline } });
    await acts.sendAcknowledgement({ requestId: ctx.requestId });
  }

  const identity = await establishIdentity(ctx);
  if (identity === 'interrupted') return interruption(ctx);
  if (identity === 'unidentifiable') return closeAsUnidentifiable(ctx, ctx.identityDecision!.note);

  const module = RIGHT_MODULES[ctx.summary.right];
  await transition(ctx, 'work_started', 'work_started', 'in_progress');
  const draft = await module.prepareAnswer(ctx);
  if (draft === null || ctx.interrupted) return interruption(ctx);
  ctx.draftDocumentId = draft;
  await transition(ctx, `draft:${draft}`, 'draft_ready', 'awaiting_approval', { data: { documentId: draft } });

  // GDPR 12(5)(a): an announced fee is paid before the answer is given (or the request withdrawn).
  const approved = await ctx.waitFor(() => ctx.approval !== null && !ctx.feePending);
  if (!approved) return interruption(ctx);
  await waitForExtensionLetter(ctx);
  const approval = ctx.approval!;
  // The approved draft: a withholding (Tietosuojalaki 34 §) may have replaced the first one.
  const answer = approval.documentId;
  if (received) {
    // The approval and its event in one step (the same event as the transition below records).
    await acts.approveDocument({ requestId: ctx.requestId, documentId: answer, actor: approval.actor, note: approval.note ?? null, record: true });
    ctx.state = 'delivering';
  } else {
    await acts.approveDocument({ requestId: ctx.requestId, documentId: answer, actor: approval.actor, note: approval.note ?? null });
    await transition(ctx, `approved:${answer}`, 'answer_approved', 'delivering', { actor: approval.actor, reason: approval.note ?? null, data: { documentId: answer } });
  }
  // Irreversible changes only now, after the letter and the preview of the changes were approved.
  if (module.carryOut) await module.carryOut(ctx);
  await deliver(ctx, answer);
  const extra = await acts.listDeliverables({ requestId: ctx.requestId });
  for (const documentId of extra.documentIds) await deliver(ctx, documentId);
  const outcome = await acts.outcomeOf({ requestId: ctx.requestId });
  await close(ctx, outcome);
  return outcome;
}

/** An extension letter being sent goes out before the answer, so the order the subject sees is right. */
async function waitForExtensionLetter(ctx: RequestContext): Promise<void> {
  await condition(() => !ctx.extending);
}
