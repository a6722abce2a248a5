/**
 * The API's only door to Temporal: start a request's workflow (workflow id = request id, so a double
 * start starts nothing twice), send it a decision, ask its status. Every call is typed by the
 * workflow's own definitions: the start arguments by the workflow function's type, each decision's
 * input and result by its update definition. The workflow code itself is imported as types only,
 * so the API process never loads it.
 */
import { Client, WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Connection } from '@temporalio/client';
import type { DataConverter, UpdateDefinition } from '@temporalio/common';
import type * as workflows from '../workflows';
import * as messages from '../workflows/messages';
import type { RequestStatus } from '../workflows/messages';

const DEFINITIONS = {
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
};
type Definitions = typeof DEFINITIONS;

/** A human decision the request workflow accepts, by the name the services use for it. */
export type DecisionName = keyof Definitions;
/** The argument a decision's update takes (the acting staff member's id included). */
export type DecisionInput<D extends DecisionName> = Definitions[D] extends UpdateDefinition<unknown, [infer A]> ? A : never;
/** What the workflow answers to a decision it accepts. */
export type DecisionResult<D extends DecisionName> = Definitions[D] extends UpdateDefinition<infer R, [unknown]> ? R : never;

/** The same definitions, typed per name, so a decision's name fixes its input and result types. */
const UPDATES: { [D in DecisionName]: UpdateDefinition<DecisionResult<D>, [DecisionInput<D>]> } = DEFINITIONS;

/** The workflow types the worker registers, checked against its exports. */
const REQUEST_WORKFLOW = 'dsrRequestWorkflow' satisfies keyof typeof workflows;
const RESTRICTION_LIFT_WORKFLOW = 'restrictionLiftWorkflow' satisfies keyof typeof workflows;

export interface WorkflowGateway {
  /** Starts the workflow unless it already exists; true when this call started it. */
  start(requestId: string): Promise<boolean>;
  decide<D extends DecisionName>(requestId: string, decision: D, input: DecisionInput<D>): Promise<DecisionResult<D>>;
  status(requestId: string): Promise<RequestStatus>;
  /** GDPR 18(3): starts the lift of a restriction, which first tells the subject. */
  startRestrictionLift(requestId: string, liftKey: string): Promise<boolean>;
}

/** How long intake waits for Temporal before leaving the start to the reconciler. */
const START_DEADLINE_MS = 5000;
/**
 * How long a decision waits for the workflow to take it. With no worker polling the task queue an
 * update would wait without end; past this the caller gets a 504 saying the decision was not
 * confirmed (services/errors.ts), well inside an HTTP client's or a proxy's patience.
 */
export const UPDATE_DEADLINE_MS = 20_000;

export function temporalGateway(options: {
  connection: Connection;
  namespace: string;
  taskQueue: string;
  dataConverter?: DataConverter;
  /** Tests shorten it; default UPDATE_DEADLINE_MS. */
  updateDeadlineMs?: number;
}): WorkflowGateway {
  const updateDeadlineMs = options.updateDeadlineMs ?? UPDATE_DEADLINE_MS;
  const client = new Client({ connection: options.connection, namespace: options.namespace, dataConverter: options.dataConverter });
  return {
    async start(requestId) {
      try {
        await client.withDeadline(Date.now() + START_DEADLINE_MS, () =>
          client.workflow.start<typeof workflows.dsrRequestWorkflow>(REQUEST_WORKFLOW, {
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
      const handle = client.workflow.getHandle<typeof workflows.dsrRequestWorkflow>(requestId);
      return client.withDeadline(Date.now() + updateDeadlineMs, () => handle.executeUpdate(UPDATES[decision], { args: [input] }));
    },
    async status(requestId) {
      // A query also needs a worker: bounded like a decision.
      return client.withDeadline(Date.now() + updateDeadlineMs, () => client.workflow.getHandle<typeof workflows.dsrRequestWorkflow>(requestId).query(messages.statusQuery));
    },
    async startRestrictionLift(requestId, liftKey) {
      try {
        await client.withDeadline(Date.now() + START_DEADLINE_MS, () =>
          client.workflow.start<typeof workflows.restrictionLiftWorkflow>(RESTRICTION_LIFT_WORKFLOW, {
            workflowId: `${requestId}:${liftKey}`,
            taskQueue: options.taskQueue,
            args: [{ requestId, liftKey }],
          }),
        );
        return true;
      } catch (error) {
        if (error instanceof WorkflowExecutionAlreadyStartedError) return false;
        throw error;
      }
    },
  };
}

/**
 * A gateway that, when a decision or a status question finds no workflow, lets `startStored` start
 * it (for a stored request whose start is still waiting or was lost, not for any id) and asks once
 * more: a resident who withdraws the moment the form is answered is not told to try again.
 */
export function startingWhenMissing(gateway: WorkflowGateway, startStored: (requestId: string) => Promise<boolean>): WorkflowGateway {
  async function again<T>(requestId: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      if (!(error instanceof WorkflowNotFoundError) || !(await startStored(requestId))) throw error;
      return call();
    }
  }
  return {
    start: (requestId) => gateway.start(requestId),
    decide: (requestId, decision, input) => again(requestId, () => gateway.decide(requestId, decision, input)),
    status: (requestId) => again(requestId, () => gateway.status(requestId)),
    startRestrictionLift: (requestId, liftKey) => gateway.startRestrictionLift(requestId, liftKey),
  };
}
