/**
 * Errors map to HTTP in one place, with stable machine-readable codes and a message naming the field.
 */
import type { NextFunction, Request, Response } from 'express';
import { ServiceError, WorkflowUpdateFailedError, WorkflowNotFoundError, WorkflowUpdateRPCTimeoutOrCancelledError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { Logger } from 'pino';
import type { z } from 'zod';

/** A bad field; `code` and `params` where the refusal has a stable reason the pages word in their language. */
export interface FieldError {
  field: string;
  message: string;
  code?: string;
  params?: Record<string, string>;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields?: FieldError[],
    /** Seconds a client should wait before trying again (503). */
    readonly retryAfter?: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Parses input with a schema or throws a 400 naming every bad field. Nothing has been changed yet. */
export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, where = 'body'): z.infer<S> {
  // A missing field reads better as "is required" than as a type mismatch with undefined.
  const parsed = schema.safeParse(value, { error: (issue) => (issue.code === 'invalid_type' && issue.input === undefined ? 'is required' : undefined) });
  if (parsed.success) return parsed.data;
  const fields = parsed.error.issues.map((issue) => ({
    field: issue.path.length ? issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : String(p))).join('.').replace(/\.\[/g, '[') : where,
    message: issue.code === 'unrecognized_keys' ? `unknown field(s): ${(issue as { keys?: string[] }).keys?.join(', ')}` : issue.message,
  }));
  const summary = fields.map((f) => `${f.field}: ${f.message}`).join('; ');
  throw new ApiError(400, 'validation_failed', summary, fields);
}

const DECISION_STATUS: Record<string, { status: number; code: string }> = {
  WrongStateError: { status: 409, code: 'wrong_state' },
  ExtensionNotAllowedError: { status: 409, code: 'extension_not_allowed' },
  InvalidDecisionError: { status: 422, code: 'invalid_decision' },
};

/** The express error handler: every error leaves as `{ error: { code, message, fields? } }`. */
export function errorHandler(logger: Logger) {
  return (error: unknown, req: Request, res: Response, _next: NextFunction): void => {
    const mapped = toApiError(error);
    if (mapped.status >= 500) logger.error({ err: describe(error), path: req.route?.path ?? req.path }, 'request failed');
    // A limit's refusal says when to come back (RFC 9110 10.2.3).
    const retryAfter = (mapped as { retryAfterSeconds?: unknown }).retryAfterSeconds;
    if (typeof retryAfter === 'number') res.set('Retry-After', String(retryAfter));
    if (mapped.retryAfter !== undefined) res.setHeader('Retry-After', String(mapped.retryAfter));
    res.status(mapped.status).json({ error: { code: mapped.code, message: mapped.message, ...(mapped.fields ? { fields: mapped.fields } : {}) } });
  };
}

export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof WorkflowUpdateFailedError) {
    const cause = error.cause;
    const type = cause instanceof ApplicationFailure ? cause.type ?? '' : cause?.name ?? '';
    const known = DECISION_STATUS[type] ?? { status: 409, code: 'decision_refused' };
    return new ApiError(known.status, known.code, cause?.message ?? error.message, cause instanceof ApplicationFailure ? coded(cause) : undefined);
  }
  if (error instanceof WorkflowNotFoundError) return new ApiError(409, 'workflow_not_started', 'the request is still being set up; try again shortly');
  const body = bodyError(error);
  if (body) return body;
  if (isDatabaseUnavailable(error)) return new ApiError(503, 'database_unavailable', 'the service is temporarily unavailable; try again shortly', undefined, RETRY_AFTER_S);
  const temporal = workflowServiceError(error);
  if (temporal) return temporal;
  return new ApiError(500, 'internal_error', 'an internal error occurred; it has been logged');
}

const RETRY_AFTER_S = 5;

/** body-parser's errors carry a `type` and a 4xx status; each becomes its own answer, never a 500. */
function bodyError(error: unknown): ApiError | null {
  if (typeof error !== 'object' || error === null) return null;
  const { type, status, code } = error as { type?: unknown; status?: unknown; code?: unknown };
  if (typeof status !== 'number' || status < 400 || status >= 500) return null;
  // A broken gzip or deflate stream comes from zlib (Z_DATA_ERROR, Z_BUF_ERROR) with body-parser's status 400 and no type.
  if (typeof type !== 'string' && !(typeof code === 'string' && code.startsWith('Z_'))) return null;
  switch (type) {
    case 'entity.too.large':
      return new ApiError(413, 'body_too_large', 'body: is too large');
    case 'charset.unsupported':
      return new ApiError(415, 'unsupported_charset', 'body: the charset is not supported; send UTF-8');
    case 'encoding.unsupported':
      return new ApiError(415, 'unsupported_encoding', 'body: the content encoding is not supported; send identity, gzip or deflate');
    case 'entity.parse.failed':
      return new ApiError(400, 'malformed_body', 'body: is not valid JSON');
    case 'request.size.invalid':
    case 'request.aborted':
      return new ApiError(400, 'malformed_body', 'body: was cut short');
    default:
      // A broken gzip or deflate stream and the like: body-parser's own 4xx, named as a body error.
      return new ApiError(400, 'malformed_body', 'body: could not be read (a broken encoding?)');
  }
}

/** A validator's refusal with a stable code (the workflow puts `{ field, code, params }` in its details). */
function coded(failure: ApplicationFailure): FieldError[] | undefined {
  const detail = failure.details?.[0] as { field?: unknown; code?: unknown; params?: unknown } | undefined;
  if (!detail || typeof detail.field !== 'string' || typeof detail.code !== 'string') return undefined;
  const params = detail.params && typeof detail.params === 'object' ? Object.fromEntries(Object.entries(detail.params).map(([k, v]) => [k, String(v)])) : {};
  const message = failure.message.startsWith(`${detail.field}: `) ? failure.message.slice(detail.field.length + 2) : failure.message;
  return [{ field: detail.field, message, code: detail.code, params }];
}

/** SQLSTATE classes and socket errors that mean "PostgreSQL cannot be reached now", not "this query is wrong". */
const UNAVAILABLE_SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300']);
const UNAVAILABLE_SOCKET = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', 'EAI_AGAIN']);
const UNAVAILABLE_MESSAGE = /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Connection refused/i;

/** True when the error, or an error it wraps, says the database is unreachable. */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let e = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if (typeof e !== 'object') return false;
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && (UNAVAILABLE_SQLSTATES.has(code) || code.startsWith('08') || UNAVAILABLE_SOCKET.has(code))) return true;
    if (e instanceof AggregateError && e.errors.some((inner) => isDatabaseUnavailable(inner))) return true;
    // pg's own errors carry no numeric code; gRPC's (Temporal) do, and are not about the database.
    if (e instanceof Error && !(e instanceof ServiceError) && typeof code !== 'number' && UNAVAILABLE_MESSAGE.test(e.message)) return true;
  }
  return false;
}

/** Temporal not answering in time, or not reachable: the decision was not confirmed. */
function workflowServiceError(error: unknown): ApiError | null {
  const grpcCode = (error instanceof ServiceError ? (error.cause as { code?: number } | undefined)?.code : undefined) ?? (error as { code?: number } | null)?.code;
  // The server may say so before the deadline: no worker has polled the queue lately (FAILED_PRECONDITION).
  const noPoller = error instanceof ServiceError && grpcCode === GRPC_FAILED_PRECONDITION && /no poller seen/i.test(`${error.message} ${error.cause?.message ?? ''}`);
  if (error instanceof WorkflowUpdateRPCTimeoutOrCancelledError || (error instanceof ServiceError && grpcCode === GRPC_DEADLINE_EXCEEDED) || noPoller) {
    return new ApiError(
      504,
      'workflow_timeout',
      'the request did not answer in time (its worker may be down); the decision was not confirmed: check the request before repeating it',
    );
  }
  if (error instanceof ServiceError && grpcCode === GRPC_UNAVAILABLE) {
    return new ApiError(503, 'workflow_unavailable', 'the workflow service is temporarily unavailable; try again shortly', undefined, RETRY_AFTER_S);
  }
  return null;
}

const GRPC_DEADLINE_EXCEEDED = 4;
const GRPC_FAILED_PRECONDITION = 9;
const GRPC_UNAVAILABLE = 14;

/** Error name and message only: request bodies (personal data) are never logged. */
function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
