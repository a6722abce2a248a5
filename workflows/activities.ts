/**
 * Activity proxies for workflow code, typed from the activity factory (type import only).
 *
 * Retries are bounded (DESIGN.md "Nothing retries silently forever"): transient failures retry with
 * backoff up to the configured number of attempts and time, permanent ones (non-retryable, typed by
 * activities/failures.ts) not at all. Every call goes through the step guard the workflow binds: a
 * step that fails for good puts the request in `needs_attention` and waits there for a person's
 * retry, instead of failing the workflow or retrying in silence.
 */
import { proxyActivities, type RetryPolicy } from '@temporalio/workflow';
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

export type StepGuard = (step: string, run: () => Promise<unknown>) => Promise<unknown>;

function proxiesFor(bound: RetryBound) {
  const retry: RetryPolicy = { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '5 minutes', maximumAttempts: bound.maximumAttempts };
  const scheduleToCloseTimeout = bound.scheduleToCloseMinutes * 60_000;
  return {
    short: proxyActivities<Activities>({ startToCloseTimeout: '2 minutes', scheduleToCloseTimeout, retry }),
    long: proxyActivities<Activities>({ startToCloseTimeout: '10 minutes', heartbeatTimeout: '30 seconds', scheduleToCloseTimeout, retry }),
  };
}

let proxies = proxiesFor(DEFAULT_RETRY_BOUND);
let guard: StepGuard = (_step, run) => run();

/** Sets the retry bound and the step guard for this workflow's activity calls (module state is per workflow run). */
export function bindActivities(bound: RetryBound, stepGuard: StepGuard): void {
  proxies = proxiesFor(bound);
  guard = stepGuard;
}

function call(name: string) {
  return (...args: unknown[]) =>
    guard(name, () => {
      const proxy = (LONG_RUNNING.has(name) ? proxies.long : proxies.short) as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>;
      return proxy[name](...args);
    });
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
