/**
 * Lifting a restriction, as GDPR 18(3) orders it: tell the subject first, wait for the announced
 * day, then lift. Input: the request id and the key of the planned lift (no personal data).
 * A step that fails for good (say, a lift dated in the past, which the notice refuses) is not
 * retried in silence: the handler and the DPO are alarmed and the timeline says which step failed;
 * the restriction stays, and a new lift can be planned.
 */
import { ActivityFailure, ApplicationFailure, sleep } from '@temporalio/workflow';
import { acts, attentionActs } from './activities';

export interface RestrictionLiftInput {
  requestId: string;
  liftKey: string;
}

export async function restrictionLiftWorkflow(input: RestrictionLiftInput): Promise<{ rows: number }> {
  let step = 'loadLiftPlan';
  try {
    return await liftAfterNotice(input, (name) => (step = name));
  } catch (error) {
    if (!(error instanceof ActivityFailure)) throw error;
    const cause = error.cause;
    const errorType = cause instanceof ApplicationFailure ? (cause.type ?? 'ApplicationFailure') : (cause?.name ?? 'ActivityFailure');
    const message = (cause?.message ?? error.message).slice(0, 300);
    await attentionActs.recordAttention({ requestId: input.requestId, episode: input.liftKey, step, errorType, message, since: new Date().toISOString(), resumeState: 'closed', keepState: true });
    throw ApplicationFailure.nonRetryable(`restriction lift ${input.liftKey} failed at ${step}: ${errorType}`, 'RestrictionLiftFailedError');
  }
}

async function liftAfterNotice({ requestId, liftKey }: RestrictionLiftInput, at: (step: string) => void): Promise<{ rows: number }> {
  const plan = await acts.loadLiftPlan({ requestId, liftKey });
  at('renderLetter');
  const notice = await acts.renderLetter({ requestId, letter: { kind: 'restriction_lift_notice', liftKey } });
  at('deliverDocument');
  const { channel } = await acts.deliverDocument({ requestId, documentId: notice.documentId });
  at('recordTransition');
  await acts.recordTransition({ requestId, businessKey: `${liftKey}:notified`, type: 'restriction_lift_notified', actor: 'system', data: { documentId: notice.documentId, channel, liftOn: plan.liftOn } });
  const wait = plan.liftAtMs - Date.now();
  if (wait > 0) await sleep(wait);
  at('liftRestriction');
  return acts.liftRestriction({ requestId, liftKey });
}
