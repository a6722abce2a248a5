/**
 * Receipt as one step: load the request, record 'received' and, unless strong identification at
 * intake verified the subject, that identity is awaited (one transaction). One local activity
 * instead of three activities and their workflow tasks, so a burst of submissions reaches
 * "awaiting identity" quickly. Each event is idempotent on its business key, so a retry after a
 * failure part-way does only what is missing.
 *
 * The acknowledgement is the workflow's next step, not part of this one: once the database says
 * "awaiting identity" a handler may act on it, and the workflow must already be waiting by then
 * (an e-mail server that is slow or down would otherwise hold the workflow in receipt, refusing
 * the handler's decision, for as long as it takes).
 */
import type { RequestState } from '../domain/request';
import type { LoadedRequest, TransitionRequest } from '../workflows/contracts';

/** The parts receipt is made of, as the activity factory builds them. */
export interface ReceiptParts {
  loadRequest(input: { requestId: string }): Promise<LoadedRequest>;
  recordTransitions(ts: TransitionRequest[]): Promise<void>;
}

export function receiptActivities(parts: ReceiptParts) {
  return {
    /** The loaded request (as loadRequest gives it) with the state receipt left it in. */
    async receiveRequest({ requestId }: { requestId: string }): Promise<LoadedRequest> {
      const loaded = await parts.loadRequest({ requestId });
      const { summary } = loaded;
      // As the workflow decides it (RequestContext.load): a method other than 'none' verified the subject at intake.
      const verified = summary.identityMethod !== null && summary.identityMethod !== 'none';
      const state: RequestState = verified ? 'received' : 'awaiting_identity';
      const received: TransitionRequest = { requestId, businessKey: 'received', type: 'received', actor: 'system', reason: null, data: { right: summary.right, deadline: summary.deadline }, change: { state: 'received' } };
      const awaiting: TransitionRequest = { requestId, businessKey: 'awaiting_identity', type: 'identity_requested', actor: 'system', reason: null, data: {}, change: { state: 'awaiting_identity' } };
      // Both events in one transaction.
      await parts.recordTransitions(verified ? [received] : [received, awaiting]);
      return { ...loaded, summary: { ...summary, state } };
    },
  };
}
