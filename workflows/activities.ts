/**
 * Activity proxies for workflow code, typed from the activity factory (type import only).
 *
 * Retries are bounded (DESIGN.md "Nothing retries silently forever"): transient failures retry with
 * backoff up to the configured number of attempts and time, permanent ones (non-retryable, typed by
 * activities/failures.ts) not at all. Every call goes through the step guard the workflow binds: a
 * step that fails for good puts the request in `needs_attention` and waits there for a person's
 * retry, instead of failing the workflow or retrying in silence.
 */
import { ActivityFailure, ApplicationFailure, proxyActivities, proxyLocalActivities, type RetryPolicy } from '@temporalio/workflow';
import type { Activities } from '../activities';

/** The retry bound from the settings (ACTIVITY_MAX_ATTEMPTS, ACTIVITY_RETRY_MINUTES), as loadRequest gives it. */
export interface RetryBound {
  maximumAttempts: number;
  scheduleToCloseMinutes: number;
}

// Twelve attempts with backoff from 1 s to 5 min try for about 25 minutes: long enough for a database restart.
export const DEFAULT_RETRY_BOUND: RetryBound = { maximumAttempts: 12, scheduleToCloseMinutes: 60 };

/** Activities that may run long: they heartbeat (LONG_ACTIVITIES in activities/failures.ts), so the work of a killed worker moves on within a minute. */
const LONG_RUNNING = new Set<string>(['gatherFromSystem', 'renderLetter', 'exportPortability', 'applyDecisions', 'notifyRecipients', 'transmitPortability', 'liftRestriction']);

/**
 * Short, idempotent database steps (each keyed by a business key, or a plain read) and the single
 * e-mails sent through the outbox's once-only send: run as local activities they cost no round trip
 * to the server and no workflow task of their own (a run of them completes inside one task). Their
 * retries are bounded the same way; a failure for good is an ActivityFailure like any other, so the
 * step guard puts it in needs_attention. Long steps stay ordinary activities: a local activity
 * cannot heartbeat, and a crashed worker's long step must move to another worker.
 */
const LOCAL_STEPS = new Set<string>([
  'receiveRequest',
  'loadRequest',
  'recordTransition',
  'sendAcknowledgement',
  'matchSubject',
  'approveDocument',
  'deliverDocument',
  'listDeliverables',
  'outcomeOf',
  'clockPause',
  'raiseAlarm',
]);

export type StepGuard = (step: string, run: () => Promise<unknown>) => Promise<unknown>;

function proxiesFor(bound: RetryBound) {
  const retry: RetryPolicy = { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '5 minutes', maximumAttempts: bound.maximumAttempts };
  const scheduleToCloseTimeout = bound.scheduleToCloseMinutes * 60_000;
  return {
    short: proxyActivities<Activities>({ startToCloseTimeout: '2 minutes', scheduleToCloseTimeout, retry }),
    long: proxyActivities<Activities>({ startToCloseTimeout: '10 minutes', heartbeatTimeout: '30 seconds', scheduleToCloseTimeout, retry }),
    // A retry's wait is a workflow timer, not a wait inside the workflow task: while a local step
    // retries (an e-mail server down), queries and updates still reach the workflow at once.
    local: proxyLocalActivities<Activities>({ startToCloseTimeout: '2 minutes', scheduleToCloseTimeout, retry, localRetryThreshold: '1 second' }),
  };
}

let proxies = proxiesFor(DEFAULT_RETRY_BOUND);
let guard: StepGuard = (_step, run) => run();
let localSteps = false;

/**
 * Sets the retry bound and the step guard for this workflow's activity calls (module state is per
 * workflow run). `local` (PATCHES['local-short-steps']) runs the short steps as local activities.
 */
export function bindActivities(bound: RetryBound, stepGuard: StepGuard, options: { local?: boolean } = {}): void {
  proxies = proxiesFor(bound);
  guard = stepGuard;
  localSteps = options.local ?? false;
}

/** Whether this run takes the short-steps path (PATCHES['local-short-steps']): merged steps and local activities. */
export function shortSteps(): boolean {
  return localSteps;
}

function proxyFor(name: string) {
  if (LONG_RUNNING.has(name)) return proxies.long;
  return localSteps && LOCAL_STEPS.has(name) ? proxies.local : proxies.short;
}

function call(name: string) {
  return (...args: unknown[]) =>
    guard(name, () => {
      const proxy = proxyFor(name) as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>;
      const running = proxy[name](...args);
      return proxy === proxies.local ? running.catch((error: unknown) => Promise.reject(asActivityFailure(name, error))) : running;
    });
}

/**
 * The server wraps a failed activity's error in an ActivityFailure; a local activity's own failure
 * reaches the workflow unwrapped (only its timeouts and cancellations are wrapped). Wrapped here
 * the same way, so the step guard and the failure's description treat both kinds of step alike.
 */
function asActivityFailure(name: string, error: unknown): unknown {
  if (!(error instanceof ApplicationFailure)) return error;
  const retryState = error.nonRetryable ? 'NON_RETRYABLE_FAILURE' : 'MAXIMUM_ATTEMPTS_REACHED';
  return new ActivityFailure('Local activity failed', name, undefined, retryState, undefined, error);
}

/** Every activity, guarded: a call that fails for good becomes `needs_attention` and is re-run on a retry. */
export const acts = new Proxy({} as Activities, { get: (_target, name) => (typeof name === 'string' ? call(name) : undefined) });

/** Gathering heartbeats with a longer start-to-close; the same guarded calls (kept for the modules that name it). */
export const gatherActs = acts;

/**
 * The bookkeeping of `needs_attention` itself, unguarded: it is what tells people, so it keeps
 * trying (with backoff up to five minutes) while PostgreSQL is away; the status query already says
 * `needs_attention` meanwhile.
 */
export const attentionActs = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});
