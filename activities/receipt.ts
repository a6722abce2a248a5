/**
 * Receipt as one step: load the request, record 'received', acknowledge it to the subject and,
 * unless strong identification at intake verified the subject, record that identity is awaited.
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
  recordTransition(t: TransitionRequest): Promise<boolean>;
  sendAcknowledgement(input: { requestId: string }): Promise<{ sent: boolean }>;
}

export function receiptActivities(parts: ReceiptParts) {
  return {
    /** The loaded request (as loadRequest gives it) with the state receipt left it in. */
    async receiveRequest({ requestId }: { requestId: string }): Promise<LoadedRequest> {
      const loaded = await parts.loadRequest({ requestId });
      const { summary } = loaded;
      await parts.recordTransition({ requestId, businessKey: 'received', type: 'received', actor: 'system', reason: null, data: { right: summary.right, deadline: summary.deadline }, change: { state: 'received' } });
      await parts.sendAcknowledgement({ requestId });
      // As the workflow decides it (RequestContext.load): a method other than 'none' verified the subject at intake.
      const verified = summary.identityMethod !== null && summary.identityMethod !== 'none';
      let state: RequestState = 'received';
      if (!verified) {
        await parts.recordTransition({ requestId, businessKey: 'awaiting_identity', type: 'identity_requested', actor: 'system', reason: null, data: {}, change: { state: 'awaiting_identity' } });
        state = 'awaiting_identity';
      }
      return { ...loaded, summary: { ...summary, state } };
    },
  };
}
