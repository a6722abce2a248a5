/**
 * The reconciler: nothing a resident submits is lost. A request stored while Temporal was out of
 * reach (or whose start was never confirmed) gets its workflow started on a later pass.
 */
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Database } from '../db/database';
import { listUnstartedRequestIds } from '../db/repositories/requests';
import type { Intake } from './intake';

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
      const ids = await listUnstartedRequestIds(deps.db, new Date(Date.now() - (deps.graceMs ?? 5000)), 100);
      let started = 0;
      for (const id of ids) if (await deps.intake.startWorkflow(id)) started += 1;
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
