/**
 * One workflow per data-subject request. Input: the request id only. It owns the procedure:
 * receipt, identity, the right's own work, approval, delivery and closure, with the deadline watch
 * beside it and the extension and refusal branches open to the handler throughout.
 */
import { allHandlersFinished, condition, setHandler } from '@temporalio/workflow';
import { ExtensionNotAllowedError, InvalidDecisionError, WrongStateError } from '../domain/errors';
import { CATEGORY_OUTCOMES, DECISION_GROUNDS, groundsAllowed, overrideNeedsReason } from '../domain/decisions';
import { helsinkiDate } from '../domain/deadline';
import { REFUSAL_GROUNDS, type Outcome } from '../domain/request';
import { DEFAULT_RETRY_BOUND, acts, bindActivities } from './activities';
import { RequestContext } from './context';
import {
  announceFeeUpdate,
  approveAnswerUpdate,
  decideCategoriesUpdate,
  extendDeadlineUpdate,
  recordPaymentUpdate,
  refuseRequestUpdate,
  retryStepUpdate,
  statusQuery,
  verifyIdentityUpdate,
  withdrawRequestUpdate,
  withholdItemsUpdate,
  type DecideCategoriesInput,
  type WithholdItemsInput,
  type RequestStatus,
} from './messages';
import { RIGHT_MODULES } from './rights';
import { retryStep, stepGuardFor } from './steps/attention';
import { watchDeadline } from './steps/deadline-watch';
import { establishIdentity } from './steps/identity';
import { close, closeAsUnidentifiable, deliver, extend, interruption, transition } from './steps/shared';

const MIN_REASON_LENGTH = 10;

export interface RequestWorkflowInput {
  requestId: string;
}

export async function dsrRequestWorkflow(input: RequestWorkflowInput): Promise<{ outcome: Outcome }> {
  // Handlers first, so a status query never meets a workflow without them.
  const ctx = new RequestContext(input.requestId);
  registerHandlers(ctx);
  // Every activity call is a step: one that fails for good waits in needs_attention for a person's retry.
  bindActivities(DEFAULT_RETRY_BOUND, stepGuardFor(ctx));
  const loaded = await acts.loadRequest({ requestId: input.requestId });
  ctx.load(loaded.summary, loaded.policy, loaded.systems);
  if (loaded.policy.retry) bindActivities(loaded.policy.retry, stepGuardFor(ctx));

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
  await acts.approveDocument({ requestId: ctx.requestId, documentId: answer, actor: approval.actor, note: approval.note ?? null });
  await transition(ctx, `approved:${answer}`, 'answer_approved', 'delivering', { actor: approval.actor, reason: approval.note ?? null, data: { documentId: answer } });
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

function registerHandlers(ctx: RequestContext): void {
  setHandler(statusQuery, (): RequestStatus => {
    if (!ctx.loaded) {
      return {
        state: ctx.state,
        deadline: '',
        deadlineAt: '',
        extended: false,
        identityVerified: false,
        draftDocumentId: null,
        awaiting: ctx.attention ? 'retry' : null,
        alarmsRaised: [...ctx.alarmsRaised],
        closed: false,
        proposals: [],
        corrections: 0,
        feePending: false,
        attention: attentionOf(ctx),
      };
    }
    return {
      state: ctx.state,
      deadline: ctx.deadlineDate,
      deadlineAt: new Date(ctx.deadlineAtMs).toISOString(),
      extended: ctx.summary.extended,
      identityVerified: ctx.identityVerified,
      draftDocumentId: ctx.draftDocumentId,
      awaiting: awaiting(ctx),
      alarmsRaised: [...ctx.alarmsRaised],
      closed: ctx.closed,
      proposals: ctx.proposals.map(({ category, outcome, ground }) => ({ category, outcome, ground })),
      corrections: ctx.corrections.length,
      feePending: ctx.feePending,
      attention: attentionOf(ctx),
    };
  });

  setHandler(retryStepUpdate, (input) => retryStep(ctx, input), {
    validator: (input) => {
      // Not requireOpen: loading the request is itself a step that may need a retry.
      if (ctx.closed) throw new WrongStateError('the request is closed');
      requireActor(input.actor);
      if (!ctx.attention) throw new WrongStateError('no step has failed: the request is not in needs_attention');
      requirePlainText('note', input.note);
    },
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
        const waiting = ctx.state === 'awaiting_identity' || ctx.state === 'awaiting_information';
        if (!waiting || ctx.identityDecision) throw new WrongStateError('identity is not awaiting a decision');
        requireActor(decision.actor);
        if (!['verified', 'unidentifiable', 'request_information'].includes(decision.decision)) {
          throw new InvalidDecisionError('decision', "must be 'verified', 'unidentifiable' or 'request_information'");
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
        if (ctx.state !== 'awaiting_approval' || ctx.approval || ctx.redrafting) throw new WrongStateError('no draft answer is awaiting approval');
        if (ctx.feePending) throw new WrongStateError('the announced fee has not been paid');
        requireActor(approval.actor);
        if (approval.documentId !== ctx.draftDocumentId) throw new InvalidDecisionError('documentId', 'is not the current draft answer');
        requirePlainText('note', approval.note);
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
        if (ctx.interrupted) throw new WrongStateError('the request has already been refused or withdrawn');
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
        if (ctx.refusal || ctx.withdrawal) throw new WrongStateError('the request has already been refused or withdrawn');
        if (ctx.changesApplied) throw new WrongStateError('the decision has already been carried out in the register');
        if (ctx.approval || ctx.state === 'delivering') throw new WrongStateError('the answer is already approved');
        if (!(REFUSAL_GROUNDS as readonly string[]).includes(input.ground)) {
          throw new InvalidDecisionError('ground', `must be one of ${REFUSAL_GROUNDS.join(', ')}`);
        }
        if (input.scope !== 'whole' && input.scope !== 'partial') throw new InvalidDecisionError('scope', "must be 'whole' or 'partial'");
        requireReason('reasons', input.reasons);
      },
    },
  );

  setHandler(
    decideCategoriesUpdate,
    (input) => {
      ctx.decisions = input;
      return { accepted: true } as const;
    },
    { validator: (input) => validateDecisions(ctx, input) },
  );

  setHandler(
    withholdItemsUpdate,
    async (input: WithholdItemsInput) => {
      // Tietosuojalaki 34 §: the withheld data leaves the copy, the rest is still given; a new draft replaces the old.
      ctx.redrafting = true;
      try {
        ctx.withholdings += 1;
        const version = ctx.withholdings + 1;
        await acts.recordTransition({
          requestId: ctx.requestId,
          businessKey: `withheld:${version}`,
          type: 'items_withheld',
          actor: input.actor,
          reason: input.items.map((i) => i.description).join('; '),
          data: { items: input.items, ground: 'dpa_34_health_or_rights' },
        });
        const draft = await acts.renderLetter({ requestId: ctx.requestId, letter: { kind: 'access_answer', version } });
        ctx.draftDocumentId = draft.documentId;
        await transition(ctx, `draft:${draft.documentId}`, 'draft_ready', 'awaiting_approval', { data: { documentId: draft.documentId, version } });
        return { draftDocumentId: draft.documentId };
      } finally {
        ctx.redrafting = false;
      }
    },
    {
      validator: (input: WithholdItemsInput) => {
        requireOpen(ctx);
        requireActor(input.actor);
        if (ctx.summary.right !== 'access') throw new WrongStateError('only an access answer can withhold items');
        if (ctx.state !== 'awaiting_approval' || ctx.approval || ctx.redrafting) throw new WrongStateError('no draft answer is awaiting approval');
        if (!Array.isArray(input.items) || input.items.length === 0) throw new InvalidDecisionError('items', 'must name at least one withheld item');
        input.items.forEach((item, i) => {
          if (!/^[a-z][a-z0-9_]*$/.test(String(item.category))) throw new InvalidDecisionError(`items[${i}].category`, 'must be a category key');
          requireReason(`items[${i}].description`, item.description);
        });
      },
    },
  );

  setHandler(
    withdrawRequestUpdate,
    (input) => {
      ctx.withdrawal = input;
      return { accepted: true } as const;
    },
    {
      validator: (input) => {
        requireOpen(ctx);
        requireActor(input.actor);
        if (ctx.refusal || ctx.withdrawal) throw new WrongStateError('the request has already been refused or withdrawn');
        if (ctx.changesApplied || ctx.approval || ctx.state === 'delivering') throw new WrongStateError('the answer has already been decided and carried out');
        requirePlainText('note', input.note);
      },
    },
  );

  setHandler(
    announceFeeUpdate,
    async (input) => {
      ctx.fee = { ...input, paid: false };
      await acts.announceFee({ requestId: ctx.requestId, actor: input.actor, amountCents: input.amountCents, ground: input.ground, basis: input.basis, payBy: input.payBy });
      const letter = await acts.renderLetter({ requestId: ctx.requestId, letter: { kind: 'fee_notice' } });
      await deliver(ctx, letter.documentId);
      return { accepted: true } as const;
    },
    {
      validator: (input) => {
        requireOpen(ctx);
        requireActor(input.actor);
        if (ctx.fee) throw new WrongStateError('a fee has already been announced for this request');
        // The fee moves the request to awaiting_payment, which would hide the failed step from the console.
        if (ctx.attention) throw new WrongStateError('a step has failed: retry it before announcing a fee');
        if (ctx.approval || ctx.changesApplied || ctx.interrupted) throw new WrongStateError('the request has already been decided');
        if (input.ground !== 'gdpr_12_5_manifestly_unfounded' && input.ground !== 'gdpr_12_5_excessive') {
          throw new InvalidDecisionError('ground', "must be 'gdpr_12_5_manifestly_unfounded' or 'gdpr_12_5_excessive'");
        }
        if (!Number.isInteger(input.amountCents) || input.amountCents <= 0) throw new InvalidDecisionError('amountCents', 'must be a positive whole number of cents');
        if (!/^\d{4}-\d{2}-\d{2}$/.test(input.payBy)) throw new InvalidDecisionError('payBy', 'must be a date YYYY-MM-DD');
        // The notice must give the subject time to pay: a pay-by date of today or before cannot be met.
        if (input.payBy <= helsinkiDate(new Date())) throw new InvalidDecisionError('payBy', 'must be a date after today');
        requireReason('basis', input.basis);
      },
    },
  );

  setHandler(
    recordPaymentUpdate,
    async (input) => {
      await acts.recordPayment({ requestId: ctx.requestId, actor: input.actor });
      ctx.fee = { ...ctx.fee!, paid: true };
      return { accepted: true } as const;
    },
    {
      validator: (input) => {
        requireOpen(ctx);
        requireActor(input.actor);
        if (!ctx.feePending) throw new WrongStateError('no fee is awaiting payment');
      },
    },
  );
}

function attentionOf(ctx: RequestContext): RequestStatus['attention'] {
  return ctx.attention && { step: ctx.attention.step, errorType: ctx.attention.errorType, message: ctx.attention.message, since: ctx.attention.since };
}

/** Which human action the request waits for, if any. */
function awaiting(ctx: RequestContext): RequestStatus['awaiting'] {
  if (ctx.closed) return null;
  if (ctx.attention) return 'retry';
  if (ctx.feePending) return 'payment';
  switch (ctx.state) {
    case 'awaiting_identity':
      return 'identity';
    case 'awaiting_information':
      return 'information';
    case 'awaiting_decision':
      return 'decision';
    case 'awaiting_approval':
      return 'approval';
    default:
      return null;
  }
}

/** GDPR 12(5) burden of proof and the table of LEGAL-RULES.md 3: every override is allowed by its right and reasoned. */
function validateDecisions(ctx: RequestContext, input: DecideCategoriesInput): void {
  requireOpen(ctx);
  requireActor(input.actor);
  if (ctx.state !== 'awaiting_decision' || ctx.decisions) throw new WrongStateError('no proposals are awaiting a decision');
  if (ctx.feePending) throw new WrongStateError('the announced fee has not been paid');
  if (!Array.isArray(input.decisions)) throw new InvalidDecisionError('decisions', 'must be a list');
  const seen = new Set<string>();
  input.decisions.forEach((d, i) => {
    const proposal = ctx.proposals.find((p) => p.category === d.category);
    if (!proposal) throw new InvalidDecisionError(`decisions[${i}].category`, `'${d.category}' is not a category of this request`);
    if (seen.has(d.category)) throw new InvalidDecisionError(`decisions[${i}].category`, `'${d.category}' is decided twice`);
    seen.add(d.category);
    if (!(CATEGORY_OUTCOMES as readonly string[]).includes(d.outcome)) throw new InvalidDecisionError(`decisions[${i}].outcome`, `must be one of ${CATEGORY_OUTCOMES.join(', ')}`);
    if (!(DECISION_GROUNDS as readonly string[]).includes(d.ground)) throw new InvalidDecisionError(`decisions[${i}].ground`, 'is not a known ground');
    const allowed = groundsAllowed(ctx.summary.right, d.outcome);
    if (!allowed.includes(d.ground)) {
      throw new InvalidDecisionError(`decisions[${i}].ground`, `'${d.ground}' cannot give the outcome '${d.outcome}' for ${ctx.summary.right}; allowed: ${allowed.join(', ') || 'none'}`);
    }
    if (overrideNeedsReason(proposal, d)) requireReason(`decisions[${i}].reason`, d.reason);

  });
  // GDPR 7(3): a consent can only be withdrawn where one is recorded; refused here rather than failing in the register.
  if (ctx.withdrawable) {
    const withdrawable = ctx.withdrawable;
    ctx.proposals.forEach((p) => {
      const i = input.decisions.findIndex((d) => d.category === p.category);
      const outcome = i >= 0 ? input.decisions[i].outcome : p.outcome;
      if (outcome === 'granted' && !withdrawable.includes(p.category)) {
        throw new InvalidDecisionError(i >= 0 ? `decisions[${i}].outcome` : 'decisions', `'${p.category}' records no consent, so none can be withdrawn`);
      }
    });
  }
  const corrections = input.corrections ?? [];
  for (let index = 0; index < ctx.corrections.length; index++) {
    const c = corrections.find((x) => x.index === index);
    if (!c) throw new InvalidDecisionError(`corrections[${index}]`, 'every proposed correction must be accepted or rejected');
    if (typeof c.accepted !== 'boolean') throw new InvalidDecisionError(`corrections[${index}].accepted`, 'must be true or false');
    // GDPR 16 with Hallintolaki 45 §: a rejection gives its reasons.
    if (!c.accepted) requireReason(`corrections[${index}].reason`, c.reason);
  }
  if (corrections.some((c) => c.index < 0 || c.index >= ctx.corrections.length)) {
    throw new InvalidDecisionError('corrections', 'names a correction the subject did not propose');
  }
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
  requirePlainText(field, text);
}

/** Control characters other than tab and line breaks (NUL above all) cannot be stored: refused here, not by PostgreSQL later. */
function isControlCharacter(code: number): boolean {
  return (code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d) || code === 0x7f;
}

function requirePlainText(field: string, text: unknown): void {
  if (typeof text !== 'string') return;
  for (let i = 0; i < text.length; i++) {
    if (isControlCharacter(text.charCodeAt(i))) throw new InvalidDecisionError(field, 'must not contain control characters');
  }
}
