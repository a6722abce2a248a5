/**
 * Lifting a restriction, as GDPR 18(3) orders it: tell the subject first, wait for the announced
 * day, then lift. Input: the request id and the key of the planned lift (no personal data).
 */
import { sleep } from '@temporalio/workflow';
import { acts } from './activities';

export interface RestrictionLiftInput {
  requestId: string;
  liftKey: string;
}

export async function restrictionLiftWorkflow({ requestId, liftKey }: RestrictionLiftInput): Promise<{ rows: number }> {
  const plan = await acts.loadLiftPlan({ requestId, liftKey });
  const notice = await acts.renderLetter({ requestId, letter: { kind: 'restriction_lift_notice', liftKey } });
  const { channel } = await acts.deliverDocument({ requestId, documentId: notice.documentId });
  await acts.recordTransition({ requestId, businessKey: `${liftKey}:notified`, type: 'restriction_lift_notified', actor: 'system', data: { documentId: notice.documentId, channel, liftOn: plan.liftOn } });
  const wait = plan.liftAtMs - Date.now();
  if (wait > 0) await sleep(wait);
  return acts.liftRestriction({ requestId, liftKey });
}
