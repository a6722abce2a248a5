/**
 * What a decision or a status question answers when Temporal says no: the Temporal server tells a
 * query on a queue no worker has polled lately, before the client's deadline, with
 * FAILED_PRECONDITION "no poller seen for task queue recently, worker may be down". That is the
 * worker being down, as a deadline is: 504, never a 500. Other refusals keep their own answers.
 */
import { ServiceError } from '@temporalio/client';
import { toApiError } from '../../services/errors';

function grpcError(code: number, details: string): Error {
  return Object.assign(new Error(`${code} ${details}`), { code, details });
}

it('FAILED_PRECONDITION "no poller seen" from the server is the worker being down: 504, like a deadline', () => {
  const noPoller = new ServiceError('Failed to query Workflow', { cause: grpcError(9, 'FAILED_PRECONDITION: no poller seen for task queue recently, worker may be down') });
  const deadline = new ServiceError('Failed to query Workflow', { cause: grpcError(4, 'DEADLINE_EXCEEDED: Deadline exceeded') });
  for (const error of [noPoller, deadline]) {
    const mapped = toApiError(error);
    expect([mapped.status, mapped.code]).toEqual([504, 'workflow_timeout']);
    expect(mapped.message).toMatch(/worker may be down/);
  }
});

it('another FAILED_PRECONDITION is not taken for a worker that is down', () => {
  const other = new ServiceError('Failed to query Workflow', { cause: grpcError(9, 'FAILED_PRECONDITION: workflow task in failed state') });
  expect(toApiError(other).status).toBe(500);
});
