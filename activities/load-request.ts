/**
 * Loading the request an activity works on. A request missing from the database does not appear by
 * retrying, so its absence fails the activity for good: non-retryable, with the stable type name
 * the workflows' retry policy also names.
 */
import { ApplicationFailure } from '@temporalio/activity';
import type { Kysely } from 'kysely';
import type { Database } from '../db/database';
import { getRequestSubject, getRequestSummary } from '../db/repositories/requests';
import type { RequestSummary } from '../domain/request';

export type RequestSubject = NonNullable<Awaited<ReturnType<typeof getRequestSubject>>>;

/** The failure for a request (or a document of one) that is not in the database. */
export function requestNotFound(what: string): ApplicationFailure {
  return ApplicationFailure.create({ type: 'RequestNotFoundError', message: `${what} not found`, nonRetryable: true });
}

/** The request's summary, or a non-retryable RequestNotFoundError. */
export async function loadSummary(db: Kysely<Database>, requestId: string): Promise<RequestSummary> {
  const summary = await getRequestSummary(db, requestId);
  if (!summary) throw requestNotFound(`request ${requestId}`);
  return summary;
}

/** The request's subject (contact details and register person), or a non-retryable RequestNotFoundError. */
export async function loadSubject(db: Kysely<Database>, requestId: string): Promise<RequestSubject> {
  const subject = await getRequestSubject(db, requestId);
  if (!subject) throw requestNotFound(`request ${requestId}`);
  return subject;
}
