/**
 * The activity factory: all I/O of the request workflows, built from narrow dependencies.
 * Workflow code imports only the type of what this returns.
 */
import { attentionActivities } from './attention';
import { decisionActivities } from './decisions';
import { classified } from './failures';
import { deliveryActivities } from './delivery';
import type { ActivityDeps } from './deps';
import { recipientActivities, type RecipientDeps } from './recipients';
import { restrictionLiftActivities } from './restriction-lift';
import { retentionActivities } from './retention';
import { getRequestDetails } from '../db/repositories/requests';
import { parseRequestDetails } from '../domain/request-details';
import { gatherActivities } from './gather';
import { letterActivities } from './letters';
import { requestActivities } from './requests';
import { receiptActivities } from './receipt';

export function createActivities(deps: ActivityDeps & Omit<RecipientDeps, keyof ActivityDeps>) {
  const recipients = recipientActivities(deps);
  const requests = requestActivities(deps);
  const delivery = deliveryActivities(deps);
  // One classifier for all: permanent failures non-retryable and typed, transient ones retried (bounded by the workflow).
  return classified({
    ...attentionActivities(deps),
    ...requests,
    ...gatherActivities(deps),
    ...letterActivities(deps),
    ...delivery,
    ...receiptActivities({ loadRequest: requests.loadRequest, recordTransitions: requests.recordTransitions }),
    ...decisionActivities(deps),
    ...restrictionLiftActivities(deps),
    ...retentionActivities(deps),
    ...recipients,
    /** GDPR 20(2): the export sent to the endpoint the subject named at intake. */
    async transmitPortability({ requestId, documentIds }: { requestId: string; documentIds: string[] }) {
      const { transmitTo } = parseRequestDetails(await getRequestDetails(deps.db, requestId));
      if (!transmitTo) return null;
      return recipients.transmitPortableData({ requestId, documentIds, endpoint: transmitTo });
    },
  });
}

export type Activities = ReturnType<typeof createActivities>;
export type { ActivityDeps, ActivitySettings, Mailer } from './deps';
