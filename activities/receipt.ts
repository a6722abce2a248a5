/**
 * Receipt as one step: load the request, record 'received' and, unless strong
 * identification at intake verified the subject, that identity is awaited (one transaction); then
 * acknowledge it to the subject.
 * One local activity instead of four activities and their workflow tasks, so a burst of submissions
 * reaches "awaiting identity" quickly. Each part is idempotent on its own business key (the two
 * events by theirs, the acknowledgement by `mail:acknowledgement:<id>` in the outbox), so a retry
 * after a failure part-way does only what is missing.
 */
import type { RequestState } from '../domain/request';
import type { LoadedRequest, TransitionRequest } from '../workflows/contracts';

/** The parts receipt is made of, as the activity factory builds them. */
export interface ReceiptParts {
  loadRequest(input: { requestId: string }): Promise<LoadedRequest>;
  recordTransitions(ts: TransitionRequest[]): Promise<void>;
  sendAcknowledgement(input: { requestId: string }): Promise<{ sent: boolean }>;
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
      // Both events in one transaction (one turn at the audit chain), then the acknowledgement.
      await parts.recordTransitions(verified ? [received] : [received, awaiting]);
      await parts.sendAcknowledgement({ requestId });
      return { ...loaded, summary: { ...summary, state } };
    },
  };
}
