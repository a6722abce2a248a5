/**
 * Errors map to HTTP in one place, with stable machine-readable codes and a message naming the field.
 */
import type { NextFunction, Request, Response } from 'express';
import { WorkflowUpdateFailedError, WorkflowNotFoundError } from '@temporalio/client';
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
  if (isBodyParserError(error)) return new ApiError(400, 'malformed_body', 'body: is not valid JSON');
  return new ApiError(500, 'internal_error', 'an internal error occurred; it has been logged');
}

/** A validator's refusal with a stable code (the workflow puts `{ field, code, params }` in its details). */
function coded(failure: ApplicationFailure): FieldError[] | undefined {
  const detail = failure.details?.[0] as { field?: unknown; code?: unknown; params?: unknown } | undefined;
  if (!detail || typeof detail.field !== 'string' || typeof detail.code !== 'string') return undefined;
  const params = detail.params && typeof detail.params === 'object' ? Object.fromEntries(Object.entries(detail.params).map(([k, v]) => [k, String(v)])) : {};
  const message = failure.message.startsWith(`${detail.field}: `) ? failure.message.slice(detail.field.length + 2) : failure.message;
  return [{ field: detail.field, message, code: detail.code, params }];
}

function isBodyParserError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { type?: string }).type === 'entity.parse.failed';
}

/** Error name and message only: request bodies (personal data) are never logged. */
function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
