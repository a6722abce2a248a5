/**
 * The request workflow's message handlers. Each handler is one line that hands the message to the
 * state object or to a step; its validator sits beside it and refuses a message that does not fit
 * the request's state, so a refused update changes nothing and leaves no trace in history.
 */
import { ApplicationFailure, setHandler } from '@temporalio/workflow';
import { ExtensionNotAllowedError, InvalidDecisionError, WrongStateError } from '../domain/errors';
import {
  CATEGORY_OUTCOMES,
  DECISION_GROUNDS,
  checkDecision,
  groundsAllowed,
  overrideNeedsReason,
  type CategoryOutcome,
  type DecisionGround,
} from '../domain/decisions';
import { helsinkiDate } from '../domain/deadline';
import { MIN_REASON_LENGTH, REFUSAL_GROUNDS } from '../domain/request';
import type { RequestContext } from './context';
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
  type AnnounceFeeInput,
  type ApproveAnswerInput,
  type DecideCategoriesInput,
  type ExtendDeadlineInput,
  type RefuseRequestInput,
  type RetryStepInput,
  type StaffAction,
  type VerifyIdentityInput,
  type WithdrawInput,
  type WithholdItemsInput,
} from './messages';
import { retryStep } from './steps/attention';
import { announceFee, recordPayment } from './steps/fee';
import { extend } from './steps/shared';
import { withholdItems } from './steps/withholding';

/** Registers every handler; called before anything else, so a query never meets a workflow without them. */
export function registerHandlers(ctx: RequestContext): void {
  setHandler(statusQuery, () => ctx.status());
  setHandler(verifyIdentityUpdate, (input) => ctx.decideIdentity(input), { validator: (input) => validateIdentityDecision(ctx, input) });
  setHandler(approveAnswerUpdate, (input) => ctx.approve(input), { validator: (input) => validateApproval(ctx, input) });
  setHandler(extendDeadlineUpdate, async (input) => ({ extendedDeadline: await extend(ctx, input) }), { validator: (input) => validateExtension(ctx, input) });
  setHandler(refuseRequestUpdate, (input) => ctx.refuse(input), { validator: (input) => validateRefusal(ctx, input) });
  setHandler(decideCategoriesUpdate, (input) => ctx.decide(input), { validator: (input) => validateDecisions(ctx, input) });
  setHandler(withholdItemsUpdate, (input) => withholdItems(ctx, input), { validator: (input) => validateWithholding(ctx, input) });
  setHandler(withdrawRequestUpdate, (input) => ctx.withdraw(input), { validator: (input) => validateWithdrawal(ctx, input) });
  setHandler(announceFeeUpdate, (input) => announceFee(ctx, input), { validator: (input) => validateFee(ctx, input) });
  setHandler(recordPaymentUpdate, (input) => recordPayment(ctx, input), { validator: (input) => validatePayment(ctx, input) });
  setHandler(retryStepUpdate, (input) => retryStep(ctx, input), { validator: (input) => validateRetry(ctx, input) });
}

function validateIdentityDecision(ctx: RequestContext, decision: VerifyIdentityInput): void {
  requireOpen(ctx);
  const waiting = ctx.state === 'awaiting_identity' || ctx.state === 'awaiting_information';
  if (!waiting || ctx.identityDecision) throw new WrongStateError('identity is not awaiting a decision');
  requireActor(decision.actor);
  if (!['verified', 'unidentifiable', 'request_information'].includes(decision.decision)) {
    throw new InvalidDecisionError('decision', "must be 'verified', 'unidentifiable' or 'request_information'");
  }
  requireReason('note', decision.note);
}

function validateApproval(ctx: RequestContext, approval: ApproveAnswerInput): void {
  requireOpen(ctx);
  if (ctx.state !== 'awaiting_approval' || ctx.approval || ctx.redrafting) throw new WrongStateError('no draft answer is awaiting approval');
  if (ctx.feePending) throw new WrongStateError('the announced fee has not been paid');
  requireActor(approval.actor);
  if (approval.documentId !== ctx.draftDocumentId) throw new InvalidDecisionError('documentId', 'is not the current draft answer');
  requirePlainText('note', approval.note);
}

function validateExtension(ctx: RequestContext, input: ExtendDeadlineInput): void {
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
}

function validateRefusal(ctx: RequestContext, input: RefuseRequestInput): void {
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
    requireWithinLaw(ctx, `decisions[${i}].ground`, d.category, d.outcome, d.ground);
    if (overrideNeedsReason(proposal, d)) requireReason(`decisions[${i}].reason`, d.reason);
  });
  // The proposals confirmed as they stand are held to the same table as the overrides.
  ctx.proposals.filter((p) => !seen.has(p.category)).forEach((p) => requireWithinLaw(ctx, 'decisions', p.category, p.outcome, p.ground));
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

/**
 * LEGAL-RULES.md 3, "Overrides stay inside the table": the category's legal basis must allow the
 * decision. The refusal carries a stable code and its parameters, so the pages word it in their language.
 */
function requireWithinLaw(ctx: RequestContext, field: string, category: string, outcome: CategoryOutcome, ground: DecisionGround): void {
  const law = ctx.categoryLaws.find((c) => c.key === category);
  // Histories recorded before the bases were carried are checked against the right alone (above).
  if (!law) return;
  // GDPR 7(3): a consent-basis category that records no consent has none to withdraw; 'not consent'
  // is then its one lawful answer (granted is refused below), whatever its description's basis.
  if (ctx.withdrawable && !ctx.withdrawable.includes(category) && outcome === 'not_applicable' && ground === 'gdpr_7_3_not_consent') return;
  const refusal = checkDecision(ctx.summary.right, law, outcome, ground);
  if (!refusal) return;
  const { basis } = refusal.params;
  throw ApplicationFailure.create({
    type: 'InvalidDecisionError',
    message: `${field}: '${outcome}' on the ground '${ground}' is not allowed for ${ctx.summary.right} of the category '${category}', whose legal basis is ${basis} (LEGAL-RULES.md 3)`,
    details: [{ field, ...refusal }],
  });
}

function validateWithholding(ctx: RequestContext, input: WithholdItemsInput): void {
  requireOpen(ctx);
  requireActor(input.actor);
  if (ctx.summary.right !== 'access') throw new WrongStateError('only an access answer can withhold items');
  if (ctx.state !== 'awaiting_approval' || ctx.approval || ctx.redrafting) throw new WrongStateError('no draft answer is awaiting approval');
  if (!Array.isArray(input.items) || input.items.length === 0) throw new InvalidDecisionError('items', 'must name at least one withheld item');
  input.items.forEach((item, i) => {
    if (!/^[a-z][a-z0-9_]*$/.test(String(item.category))) throw new InvalidDecisionError(`items[${i}].category`, 'must be a category key');
    requireReason(`items[${i}].description`, item.description);
  });
}

function validateWithdrawal(ctx: RequestContext, input: WithdrawInput): void {
  requireOpen(ctx);
  requireActor(input.actor);
  if (ctx.refusal || ctx.withdrawal) throw new WrongStateError('the request has already been refused or withdrawn');
  if (ctx.changesApplied || ctx.approval || ctx.state === 'delivering') throw new WrongStateError('the answer has already been decided and carried out');
  requirePlainText('note', input.note);
}

function validateFee(ctx: RequestContext, input: AnnounceFeeInput): void {
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
}

function validatePayment(ctx: RequestContext, input: StaffAction): void {
  requireOpen(ctx);
  requireActor(input.actor);
  if (!ctx.feePending) throw new WrongStateError('no fee is awaiting payment');
}

function validateRetry(ctx: RequestContext, input: RetryStepInput): void {
  // Not requireOpen: loading the request is itself a step that may need a retry.
  if (ctx.closed) throw new WrongStateError('the request is closed');
  requireActor(input.actor);
  if (!ctx.attention) throw new WrongStateError('no step has failed: the request is not in needs_attention');
  requirePlainText('note', input.note);
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
