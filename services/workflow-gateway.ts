/**
 * The API's only door to Temporal: start a request's workflow (workflow id = request id, so a double
 * start starts nothing twice), send it a decision, ask its status.
 */
import { Client, WorkflowExecutionAlreadyStartedError, type Connection } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import type { RequestStatus } from '../workflows/messages';
import * as messages from '../workflows/messages';

export type DecisionName =
  | 'verifyIdentity'
  | 'approveAnswer'
  | 'extendDeadline'
  | 'refuseRequest'
  | 'decideCategories'
  | 'withdrawRequest'
  | 'announceFee'
  | 'recordPayment'
  | 'withholdItems'
  | 'retryStep';

export interface WorkflowGateway {
  /** Starts the workflow unless it already exists; true when this call started it. */
  start(requestId: string): Promise<boolean>;
  decide(requestId: string, decision: DecisionName, input: Record<string, unknown>): Promise<unknown>;
  status(requestId: string): Promise<RequestStatus>;
  /** GDPR 18(3): starts the lift of a restriction, which first tells the subject. */
  startRestrictionLift(requestId: string, liftKey: string): Promise<boolean>;
}

const UPDATES = {
  verifyIdentity: messages.verifyIdentityUpdate,
  approveAnswer: messages.approveAnswerUpdate,
  extendDeadline: messages.extendDeadlineUpdate,
  refuseRequest: messages.refuseRequestUpdate,
  decideCategories: messages.decideCategoriesUpdate,
  withdrawRequest: messages.withdrawRequestUpdate,
  announceFee: messages.announceFeeUpdate,
  recordPayment: messages.recordPaymentUpdate,
  withholdItems: messages.withholdItemsUpdate,
  retryStep: messages.retryStepUpdate,
} as const;

/** How long intake waits for Temporal before leaving the start to the reconciler. */
const START_DEADLINE_MS = 5000;

export function temporalGateway(options: { connection: Connection; namespace: string; taskQueue: string; dataConverter?: DataConverter }): WorkflowGateway {
  const client = new Client({ connection: options.connection, namespace: options.namespace, dataConverter: options.dataConverter });
  return {
    async start(requestId) {
      try {
        await client.withDeadline(Date.now() + START_DEADLINE_MS, () =>
          client.workflow.start('dsrRequestWorkflow', {
            workflowId: requestId,
            taskQueue: options.taskQueue,
            args: [{ requestId }],
          }),
        );
        return true;
      } catch (error) {
        if (error instanceof WorkflowExecutionAlreadyStartedError) return false;
        throw error;
      }
    },
    async decide(requestId, decision, input) {
      const handle = client.workflow.getHandle(requestId);
      return handle.executeUpdate(UPDATES[decision] as never, { args: [input] as never });
    },
    async status(requestId) {
      return client.workflow.getHandle(requestId).query(messages.statusQuery);
    },
    async startRestrictionLift(requestId, liftKey) {
      try {
        await client.workflow.start('restrictionLiftWorkflow', {
          workflowId: `${requestId}:${liftKey}`,
          taskQueue: options.taskQueue,
          args: [{ requestId, liftKey }],
        });
        return true;
      } catch (error) {
        if (error instanceof WorkflowExecutionAlreadyStartedError) return false;
        throw error;
      }
    },
  };
}
