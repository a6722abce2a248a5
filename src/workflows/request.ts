/**
 * One workflow per data-subject request. Input: the request id only. It owns the procedure:
 * receipt, identity, the right's own work, approval, delivery and closure, with the deadline watch
 * beside it and the extension and refusal branches open to the handler throughout.
 */
import { allHandlersFinished, condition, setHandler } from '@temporalio/workflow';
import { ExtensionNotAllowedError, InvalidDecisionError, WrongStateError } from '../domain/errors';
import { REFUSAL_GROUNDS, type Outcome } from '../domain/request';
import { acts } from './activities';
import { RequestContext } from './context';
import {
  approveAnswerUpdate,
  extendDeadlineUpdate,
  refuseRequestUpdate,
  statusQuery,
  verifyIdentityUpdate,
  type RequestStatus,
} from './messages';
import { RIGHT_MODULES } from './rights';
import { watchDeadline } from './steps/deadline-watch';
import { establishIdentity } from './steps/identity';
import { close, closeAsUnidentifiable, deliver, extend, refuse, transition } from './steps/shared';

const MIN_REASON_LENGTH = 10;

export interface RequestWorkflowInput {
  requestId: string;
}

export async function dsrRequestWorkflow(input: RequestWorkflowInput): Promise<{ outcome: Outcome }> {
  // Handlers first, so a status query never meets a workflow without them.
  const ctx = new RequestContext(input.requestId);
  registerHandlers(ctx);
  const loaded = await acts.loadRequest({ requestId: input.requestId });
  ctx.load(loaded.summary, loaded.policy, loaded.systems);

  const watch = watchDeadline(ctx);
  const outcome = await runProcedure(ctx);
  await watch;
  // Let an update that is still running (say, an extension letter) finish before the workflow ends.
  await condition(allHandlersFinished);
  return { outcome };
}

async function runProcedure(ctx: RequestContext): Promise<Outcome> {
  await transition(ctx, 'received', 'received', 'received', { data: { right: ctx.summary.right, deadline: ctx.summary.deadline } });
  await acts.sendAcknowledgement({ requestId: ctx.requestId });

  const identity = await establishIdentity(ctx);
  if (identity === 'interrupted') return refuse(ctx);
  if (identity === 'unidentifiable') return closeAsUnidentifiable(ctx, ctx.identityDecision!.note);

  const module = RIGHT_MODULES[ctx.summary.right];
  if (!module) throw new WrongStateError(`no procedure for the right '${ctx.summary.right}'`);
  await transition(ctx, 'work_started', 'work_started', 'in_progress');
  const draft = await module.prepareAnswer(ctx);
  if (ctx.interrupted) return refuse(ctx);
  ctx.draftDocumentId = draft;
  await transition(ctx, `draft:${draft}`, 'draft_ready', 'awaiting_approval', { data: { documentId: draft } });

  const approved = await ctx.waitFor(() => ctx.approval !== null);
  if (!approved) return refuse(ctx);
  await waitForExtensionLetter(ctx);
  const approval = ctx.approval!;
  await acts.approveDocument({ requestId: ctx.requestId, documentId: draft, actor: approval.actor, note: approval.note ?? null });
  await transition(ctx, `approved:${draft}`, 'answer_approved', 'delivering', { actor: approval.actor, reason: approval.note ?? null, data: { documentId: draft } });
  await deliver(ctx, draft);
  await close(ctx, 'answered');
  return 'answered';
}

/** An extension letter being sent goes out before the answer, so the order the subject sees is right. */
async function waitForExtensionLetter(ctx: RequestContext): Promise<void> {
  await condition(() => !ctx.extending);
}

function registerHandlers(ctx: RequestContext): void {
  setHandler(statusQuery, (): RequestStatus => {
    if (!ctx.loaded) {
      return { state: 'received', deadline: '', deadlineAt: '', extended: false, identityVerified: false, draftDocumentId: null, awaiting: null, alarmsRaised: [], closed: false };
    }
    return {
      state: ctx.state,
      deadline: ctx.deadlineDate,
      deadlineAt: new Date(ctx.deadlineAtMs).toISOString(),
      extended: ctx.summary.extended,
      identityVerified: ctx.identityVerified,
      draftDocumentId: ctx.draftDocumentId,
      awaiting: ctx.state === 'awaiting_identity' ? 'identity' : ctx.state === 'awaiting_approval' ? 'approval' : null,
      alarmsRaised: [...ctx.alarmsRaised],
      closed: ctx.closed,
    };
  });

  setHandler(
    verifyIdentityUpdate,
    (decision) => {
      ctx.identityDecision = decision;
      return { accepted: true } as const;
    },
    {
      validator: (decision) => {
        requireOpen(ctx);
        if (ctx.state !== 'awaiting_identity' || ctx.identityDecision) throw new WrongStateError('identity is not awaiting a decision');
        requireActor(decision.actor);
        if (decision.decision !== 'verified' && decision.decision !== 'unidentifiable') {
          throw new InvalidDecisionError('decision', "must be 'verified' or 'unidentifiable'");
        }
        requireReason('note', decision.note);
      },
    },
  );

  setHandler(
    approveAnswerUpdate,
    (approval) => {
      ctx.approval = approval;
      return { accepted: true } as const;
    },
    {
      validator: (approval) => {
        requireOpen(ctx);
        if (ctx.state !== 'awaiting_approval' || ctx.approval) throw new WrongStateError('no draft answer is awaiting approval');
        requireActor(approval.actor);
        if (approval.documentId !== ctx.draftDocumentId) throw new InvalidDecisionError('documentId', 'is not the current draft answer');
      },
    },
  );

  setHandler(
    extendDeadlineUpdate,
    async (input) => ({ extendedDeadline: await extend(ctx, input) }),
    {
      validator: (input) => {
        requireOpen(ctx);
        requireActor(input.actor);
        // GDPR 12(3): one extension, decided and told before the one-month deadline.
        if (ctx.summary.extended || ctx.extending) throw new ExtensionNotAllowedError('the deadline has already been extended once');
        if (Date.now() >= Date.parse(ctx.summary.deadlineAt)) {
          throw new ExtensionNotAllowedError(`the deadline ${ctx.summary.deadline} has passed; an extension must be decided before it`);
        }
        if (ctx.approval || ctx.state === 'delivering') throw new WrongStateError('the answer is already approved');
        requireReason('reasons', input.reasons);
      },
    },
  );

  setHandler(
    refuseRequestUpdate,
    (input) => {
      ctx.refusal = input;
      return { accepted: true } as const;
    },
    {
      validator: (input) => {
        requireOpen(ctx);
        requireActor(input.actor);
        if (ctx.refusal) throw new WrongStateError('the request has already been refused');
        if (ctx.approval || ctx.state === 'delivering') throw new WrongStateError('the answer is already approved');
        if (!(REFUSAL_GROUNDS as readonly string[]).includes(input.ground)) {
          throw new InvalidDecisionError('ground', `must be one of ${REFUSAL_GROUNDS.join(', ')}`);
        }
        if (input.scope !== 'whole' && input.scope !== 'partial') throw new InvalidDecisionError('scope', "must be 'whole' or 'partial'");
        requireReason('reasons', input.reasons);
      },
    },
  );
}

function requireOpen(ctx: RequestContext): void {
  if (!ctx.loaded) throw new WrongStateError('the request is still being loaded; try again shortly');
  if (ctx.closed) throw new WrongStateError('the request is closed');
}

function requireActor(actor: unknown): void {
  if (typeof actor !== 'string' || actor.trim() === '') throw new InvalidDecisionError('actor', 'must name the staff member');
}

function requireReason(field: string, text: unknown): void {
  if (typeof text !== 'string' || text.trim().length < MIN_REASON_LENGTH) {
    throw new InvalidDecisionError(field, `must state the reasons (at least ${MIN_REASON_LENGTH} characters)`);
  }
}
