/**
 * The reconciler: nothing a resident submits is lost. A request stored while Temporal was out of
 * reach (or whose start was never confirmed) gets its workflow started on a later pass.
 */
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Database } from '../db/database';
import { listUnstartedRequestIds } from '../db/repositories/requests';
import type { Intake } from './intake';

/** Requests per page of a pass, and pages per pass at most. */
const RECONCILE_PAGE = 100;
const RECONCILE_PAGES = 50;

export interface Reconciler {
  /** One pass; returns how many workflows it started. */
  runOnce(): Promise<number>;
  stop(): void;
}

export function startReconciler(deps: { db: Kysely<Database>; intake: Intake; logger: Logger; intervalMs: number; graceMs?: number }): Reconciler {
  let running = false;
  async function runOnce(): Promise<number> {
    if (running) return 0;
    running = true;
    try {
      // A grace period leaves fresh requests to the intake call that is starting them right now.
      // Pages of 100, as long as pages come full and every start in them succeeds (after a long
      // outage one pass starts the whole backlog, up to 5,000); a page with a failed start is the pass's last.
      let started = 0;
      for (let page = 0; page < RECONCILE_PAGES; page++) {
        const ids = await listUnstartedRequestIds(deps.db, new Date(Date.now() - (deps.graceMs ?? 5000)), RECONCILE_PAGE);
        let failed = false;
        for (const id of ids) {
          if (await deps.intake.startWorkflow(id)) started += 1;
          else failed = true;
        }
        if (failed || ids.length < RECONCILE_PAGE) break;
      }
      if (started > 0) deps.logger.info({ started }, 'reconciler started deferred workflows');
      return started;
    } catch (error) {
      deps.logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'reconciler pass failed');
      return 0;
    } finally {
      running = false;
    }
  }
  const timer = deps.intervalMs > 0 ? setInterval(() => void runOnce(), deps.intervalMs) : null;
  timer?.unref();
  return { runOnce, stop: () => timer && clearInterval(timer) };
}
