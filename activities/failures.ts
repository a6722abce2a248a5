/**
 * One classifier for every activity's failures (DESIGN.md "Every failure is classified"). A permanent
 * failure (bad data, a constraint PostgreSQL refuses, a missing catalog text, a business rule) is
 * thrown as a non-retryable ApplicationFailure with a stable type name, so the workflow stops
 * retrying and puts the request in `needs_attention`; a transient one (a connection, a timeout)
 * stays retryable, bounded by the retry policy the workflow gives. Failure messages travel into
 * Temporal's history and onto the staff pages, so they never carry a value, only codes and names.
 */
import { ApplicationFailure, Context } from '@temporalio/activity';

/** Failure types the engine gives permanent failures that have no domain name of their own. */
export const PERMANENT_TYPES = {
  invalidData: 'InvalidDataError',
  constraint: 'ConstraintViolationError',
  programming: 'ProgrammingError',
} as const;

/** The type of a transient failure whose retries ran out (or that is retried). */
export const TRANSIENT_TYPE = 'TransientError';

/**
 * Names of errors that are refusals by their nature: retrying gives the same answer. Domain errors
 * (domain/errors.ts), register-change refusals, template refusals and the catalog's missing text.
 */
const PERMANENT_NAMES = new Set([
  'WrongStateError',
  'ExtensionNotAllowedError',
  'InvalidDecisionError',
  'RequestNotFoundError',
  'UnknownCategoryError',
  'NoConsentRecordError',
  'RectificationTargetError',
  'RectificationValueError',
  'MissingCatalogTextError',
  'LetterRefusedError',
  'ZodError',
]);

/** PostgreSQL SQLSTATE classes that mean "the server is (momentarily) not there or busy". */
const TRANSIENT_SQLSTATE = /^(08|40|53|57|58|55P03|HV)/;
/** Node's network error codes. */
const TRANSIENT_ERRNO = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNABORTED', 'ESOCKET', 'ECONNECTION', 'ETIMEOUT', 'EDNS']);
/** pg and pg-pool report some connection losses without a code. */
const TRANSIENT_MESSAGE = /(Connection terminated|timeout|timed out|Client has encountered a connection error|socket hang up|Connection ended)/i;

export interface Classified {
  permanent: boolean;
  type: string;
  /** Safe to store and show: codes and names only. */
  message: string;
}

/** Decides whether an error is permanent and gives it a stable type and a value-free message. */
export function classify(error: unknown): Classified {
  if (error instanceof ApplicationFailure) {
    return { permanent: error.nonRetryable === true, type: error.type ?? TRANSIENT_TYPE, message: error.message };
  }
  const e = (error ?? {}) as { name?: string; code?: unknown; message?: unknown; responseCode?: unknown; severity?: unknown };
  const name = typeof e.name === 'string' ? e.name : 'Error';
  const code = typeof e.code === 'string' ? e.code : undefined;
  const message = typeof e.message === 'string' ? e.message : String(error);

  // PostgreSQL: its own messages may quote the refused value, so only the SQLSTATE is kept.
  if (code && typeof e.severity === 'string' && /^[0-9A-Z]{5}$/.test(code)) {
    if (TRANSIENT_SQLSTATE.test(code)) return { permanent: false, type: TRANSIENT_TYPE, message: `PostgreSQL is unavailable or busy (SQLSTATE ${code})` };
    if (code.startsWith('23')) return { permanent: true, type: PERMANENT_TYPES.constraint, message: `PostgreSQL refused the change: a constraint does not hold (SQLSTATE ${code})` };
    return { permanent: true, type: PERMANENT_TYPES.invalidData, message: `PostgreSQL refused the data (SQLSTATE ${code})` };
  }
  if (code && TRANSIENT_ERRNO.has(code)) return { permanent: false, type: TRANSIENT_TYPE, message: `network failure (${code})` };
  // SMTP: a 4xx answer is "try later", a 5xx answer is final (RFC 5321 4.2.1).
  if (typeof e.responseCode === 'number') {
    const permanent = e.responseCode >= 500;
    return { permanent, type: permanent ? 'MailRefusedError' : TRANSIENT_TYPE, message: `the SMTP server answered ${e.responseCode}` };
  }
  if (PERMANENT_NAMES.has(name)) return { permanent: true, type: name, message: firstLine(message) };
  // A TypeError or RangeError is a bug or impossible data: the same input fails the same way again.
  if (error instanceof TypeError || error instanceof RangeError || error instanceof SyntaxError) {
    return { permanent: true, type: PERMANENT_TYPES.programming, message: `${name} in the activity; see the worker log` };
  }
  if (TRANSIENT_MESSAGE.test(message)) return { permanent: false, type: TRANSIENT_TYPE, message: 'connection lost or timed out' };
  // Unknown: retried, but within the workflow's bound, after which the step counts as failed.
  return { permanent: false, type: TRANSIENT_TYPE, message: `${name}; see the worker log` };
}

/** The ApplicationFailure an activity throws for an error. */
export function toFailure(error: unknown): ApplicationFailure {
  if (error instanceof ApplicationFailure) return error;
  const c = classify(error);
  return c.permanent ? ApplicationFailure.nonRetryable(c.message, c.type) : ApplicationFailure.retryable(c.message, c.type);
}

function firstLine(message: string): string {
  return message.split('\n')[0].slice(0, 300);
}

/**
 * Activities that may run long: they heartbeat, so a killed worker's work moves on within a minute.
 * The same list as LONG_RUNNING in workflows/activities.ts, which gives them their heartbeat timeout
 * (workflow code may not import this file, so the list is written twice).
 */
export const LONG_ACTIVITIES = new Set(['gatherFromSystem', 'renderLetter', 'exportPortability', 'applyDecisions', 'notifyRecipients', 'transmitPortability', 'liftRestriction']);

const HEARTBEAT_EVERY_MS = 5_000;

/** Heartbeats while `run` runs, when called inside an activity (tests may call activities directly). */
async function withHeartbeat<T>(run: () => Promise<T>): Promise<T> {
  let context: Context | null = null;
  try {
    context = Context.current();
  } catch {
    return run();
  }
  context.heartbeat();
  const timer = setInterval(() => context!.heartbeat(), HEARTBEAT_EVERY_MS);
  try {
    return await run();
  } finally {
    clearInterval(timer);
  }
}

/** Wraps every activity of a set: failures classified, long ones heartbeating. */
export function classified<T extends object>(activities: T): T {
  const wrapped: Record<string, unknown> = {};
  for (const [name, fn] of Object.entries(activities)) {
    if (typeof fn !== 'function') {
      wrapped[name] = fn;
      continue;
    }
    const long = LONG_ACTIVITIES.has(name);
    wrapped[name] = async (...args: unknown[]) => {
      try {
        const run = () => Promise.resolve((fn as (...a: unknown[]) => unknown)(...args));
        return await (long ? withHeartbeat(run) : run());
      } catch (error) {
        throw toFailure(error);
      }
    };
  }
  return wrapped as T;
}
