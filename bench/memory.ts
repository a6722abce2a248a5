/**
 * The worker's resident memory with many open requests. The worker runs as its own process
 * (worker/main.ts, configured from the environment as in production), so its RSS is its own and not
 * the benchmark's; intake runs here and drives `open` requests to "awaiting identity", where they
 * stay open. RSS is read from /proc/<pid>/status at the idle start, halfway and at the end.
 *
 * The estimate for 100,000 open requests: a waiting workflow costs the worker memory only while it
 * sits in the sticky workflow cache, which WORKER_MAX_CACHED_WORKFLOWS bounds; its history lives in
 * the Temporal server's database. Once more requests are open than the cache holds, the worker's RSS
 * should stop growing with the count, so the estimate extends the growth measured over the second
 * half of the run (from half to all of `open`) linearly to 100,000. That holds only when the cache was
 * already full at half (`open` / 2 >= the cache size); with fewer the slope is the cache filling.
 * The worker is the compiled one (`npm run build`, which bench/run.ts runs first) with its prebuilt
 * workflow bundle, as production runs it: no webpack in its memory.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../config/settings';
import { createLogger } from '../config/logger';
import { loadRegisterDescription } from '../config/register-description';
import { REGISTER_COLUMNS } from '../db/tables/register';
import { seedRegister } from '../db/seed';
import { buildApiServer } from '../api/server';
import { startMailSink } from '../embedded/mail-sink';
import { createTestDatabase } from '../test/helpers/db';
import { testEngineEnv } from '../test/helpers/engine-env';
import { hetuCheckCharacter } from '../domain/hetu';

/**
 * No old-space bound, as package.json's `worker` script runs it: V8's heap bound is one for the
 * whole process, rendering threads included, and at 256 MB a 10,000-record answer cannot render.
 * Compiled and unbounded, with 10,000 open requests the worker ended at 407 MB and peaked at 529 MB
 * during the burst (run from source, with webpack bundling in its memory: 525-542 and 628-765).
 */
const WORKER_HEAP_FLAGS: string[] = [];

export interface MemoryOptions {
  open: number;
  persons: number;
  /** Submissions in flight at once. */
  concurrency?: number;
}

export interface MemoryFigures {
  open: number;
  maxCachedWorkflows: number;
  idleRssMb: number;
  halfRssMb: number;
  rssMb: number;
  peakRssMb: number;
  /** Requests per second reaching "awaiting identity" over the whole run. */
  awaitingIdentityPerS: number;
  estimate100kMb: number;
  /** True when the cache was full for the whole second half (open / 2 >= the cache size), so the slope is past the cache. */
  estimatePastCache: boolean;
}

/** The resident set of a process in MB, from /proc (Linux). */
export function residentMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
  if (!kb) throw new Error(`benchmark: no VmRSS for process ${pid}`);
  return Number(kb[1]) / 1024;
}

/** A synthetic subject per request (a temporary henkilötunnus, 900-999, of a day in 1981). */
function subject(n: number) {
  const day = `${String(1 + (n % 28)).padStart(2, '0')}${String(1 + (Math.floor(n / 28) % 12)).padStart(2, '0')}81`;
  const individual = String(900 + (Math.floor(n / 336) % 100)).padStart(3, '0');
  return { firstName: 'Muisti', lastName: 'Mittari', hetu: `${day}-${individual}${hetuCheckCharacter(day + individual)}`, email: `memory.${n}@example.com` };
}

async function waitForExit(child: ChildProcess, ms: number): Promise<void> {
  if (child.exitCode !== null) return;
  await Promise.race([new Promise((r) => child.once('exit', r)), new Promise((r) => setTimeout(r, ms))]);
}

export async function benchMemory(options: MemoryOptions): Promise<MemoryFigures> {
  const concurrency = options.concurrency ?? 16;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dsr-bench-memory-'));
  const tdb = await createTestDatabase();
  const mail = await startMailSink(path.join(dir, 'mail'));
  const env = testEngineEnv(tdb.url, {
    TEMPORAL_ADDRESS: process.env.TEMPORAL_ADDRESS!,
    TEMPORAL_NAMESPACE: process.env.TEMPORAL_NAMESPACE ?? 'default',
    TEMPORAL_TASK_QUEUE: `bench-memory-${randomUUID()}`,
    SMTP_URL: mail.url,
    PUBLIC_BASE_URL: 'http://127.0.0.1:9',
    LOG_LEVEL: 'warn',
  });
  if (process.env.WORKER_MAX_CACHED_WORKFLOWS) env.WORKER_MAX_CACHED_WORKFLOWS = process.env.WORKER_MAX_CACHED_WORKFLOWS;
  const config = loadConfig(env);
  let worker: ChildProcess | null = null;
  const api = buildApiServer({ config, db: tdb.db, description: loadRegisterDescription(config.registerDescriptionPath, REGISTER_COLUMNS), logger: createLogger('silent') });
  try {
    // As the owner: the seeder defers indexes and foreign keys while it loads, which the engine role may not.
    await seedRegister(tdb.ownerDb, { persons: options.persons, seed: 11 });
    // The compiled worker `npm run worker` runs (built by bench/run.ts), with its prebuilt workflow
    // bundle; Node itself, so the pid is the worker's own (npm would put a process between).
    worker = spawn(process.execPath, [...WORKER_HEAP_FLAGS, path.join(__dirname, '..', 'dist', 'worker', 'main.js')], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    const pid = worker.pid!;
    const stateCount = async (state: string) =>
      Number((await tdb.db.selectFrom('dsr.requests').select((eb) => eb.fn.countAll<string>().as('n')).where('state', '=', state).executeTakeFirstOrThrow()).n);

    // Warm the worker with one request and let it settle before the idle reading.
    await api.ctx.intake.submit(submission(-1));
    await until(async () => (await stateCount('awaiting_identity')) === 1, 300_000, 'the first request');
    await new Promise((r) => setTimeout(r, 2000));
    const idleRssMb = residentMb(pid);

    let peakRssMb = idleRssMb;
    const sampler = setInterval(() => {
      if (worker?.exitCode === null) peakRssMb = Math.max(peakRssMb, residentMb(pid));
    }, 500);
    const started = performance.now();
    let halfRssMb = NaN;
    try {
      let next = 0;
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          while (next < options.open) await api.ctx.intake.submit(submission(next++));
        }),
      );
      const target = options.open + 1;
      await until(
        async () => {
          const n = await stateCount('awaiting_identity');
          if (Number.isNaN(halfRssMb) && n >= target / 2) halfRssMb = residentMb(pid);
          if (worker?.exitCode !== null) throw new Error(`benchmark: the worker exited (${worker?.exitCode})`);
          return n >= target;
        },
        Math.max(600_000, options.open * 500),
        'the open requests reaching awaiting identity',
      );
    } finally {
      clearInterval(sampler);
    }
    const seconds = (performance.now() - started) / 1000;
    await new Promise((r) => setTimeout(r, 2000));
    const rssMb = residentMb(pid);
    peakRssMb = Math.max(peakRssMb, rssMb);
    const slope = Math.max(0, (rssMb - halfRssMb) / (options.open / 2));
    return {
      open: options.open,
      maxCachedWorkflows: config.workerMaxCachedWorkflows,
      idleRssMb,
      halfRssMb,
      rssMb,
      peakRssMb,
      awaitingIdentityPerS: options.open / seconds,
      estimate100kMb: rssMb + slope * Math.max(0, 100_000 - options.open),
      estimatePastCache: options.open / 2 >= config.workerMaxCachedWorkflows,
    };
  } finally {
    if (worker && worker.exitCode === null) {
      worker.kill('SIGTERM');
      await waitForExit(worker, 15_000);
      if (worker.exitCode === null) worker.kill('SIGKILL');
    }
    await api.close();
    await mail.close();
    await tdb.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function submission(n: number) {
  return {
    rights: ['access' as const],
    language: 'fi' as const,
    channel: 'e_form' as const,
    receivedAt: new Date(),
    identityMethod: null,
    subject: subject(n + 1),
    idempotencyKey: null,
    enteredBy: 'subject',
  };
}

async function until(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`benchmark: ${what} did not happen within ${Math.round(timeoutMs / 1000)} s`);
    await new Promise((r) => setTimeout(r, 500));
  }
}
