/**
 * The production scripts, each run once as an operator runs them: `npm run build` compiles to dist/
 * with the workflow bundle built ahead of time; `npm run migrate` brings an empty database to the
 * latest schema (a second run finds nothing to do); `npm run api` and `npm run worker` start the
 * compiled code against the test PostgreSQL and Temporal server, the API answers /ready and the
 * worker says it runs, and both stop on SIGTERM. npm does not pass a SIGTERM on to the script it
 * runs, so the signal goes to the whole process group, as a process manager (systemd, a container
 * runtime) sends it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { freePort } from '../../embedded/ports';
import { migrations } from '../../db/migrations';
import { createTestDatabase, testAuditEnv, type TestDatabase } from '../helpers/db';

const ROOT = path.resolve(__dirname, '../..');
// The build compiles the whole project on a shared machine: minutes, not seconds.
jest.setTimeout(600_000);

interface Running {
  /** npm, the leader of its own process group (whose id is its pid). */
  child: ChildProcess;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Runs `npm run <script>` at the project root with only the given environment (plus PATH and HOME). */
function npmRun(script: string, env: Record<string, string>): Running {
  const child = spawn('npm', ['run', '--silent', script], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  return { child, output: () => output, exited };
}

/** The live (not zombie) processes of a process group, from /proc. */
function groupMembers(pgid: number): number[] {
  return fs.readdirSync('/proc').flatMap((entry) => {
    if (!/^\d+$/.test(entry)) return [];
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      // After the command name in parentheses: state, ppid, pgrp, ...
      const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return Number(pgrp) === pgid && state !== 'Z' ? [Number(entry)] : [];
    } catch {
      return [];
    }
  });
}

/** Sends SIGTERM to the group of `run` and waits until none of its processes is left. */
async function terminated(run: Running, limitMs: number): Promise<string> {
  const pgid = run.child.pid!;
  process.kill(-pgid, 'SIGTERM');
  const end = Date.now() + limitMs;
  while (groupMembers(pgid).length > 0) {
    if (Date.now() > end) throw new Error(`still running ${limitMs} ms after SIGTERM:\n${run.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await run.exited;
  return run.output();
}

async function finished(run: Running, limitMs: number): Promise<{ code: number | null; output: string }> {
  const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`still running after ${limitMs} ms:\n${run.output()}`)), limitMs).unref());
  const { code } = await Promise.race([run.exited, timeout]);
  return { code, output: run.output() };
}

/** Polls `ready` until it holds; fails naming what the process printed. */
async function until(ready: () => Promise<boolean> | boolean, run: Running, what: string, limitMs = 60_000): Promise<void> {
  const end = Date.now() + limitMs;
  let exited = false;
  void run.exited.then(() => (exited = true));
  while (Date.now() < end) {
    if (await ready()) return;
    if (exited) throw new Error(`${what}: the process exited first:\n${run.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${what}: not within ${limitMs} ms:\n${run.output()}`);
}

async function answers(url: string): Promise<boolean> {
  try {
    return (await fetch(url)).ok;
  } catch {
    return false;
  }
}

let tdb: TestDatabase;
const started: Running[] = [];

beforeAll(async () => {
  // An empty database: the migrations are what `npm run migrate` is to run.
  tdb = await createTestDatabase({ migrate: async () => undefined });
});

afterAll(async () => {
  for (const run of started) if (groupMembers(run.child.pid!).length > 0) process.kill(-run.child.pid!, 'SIGKILL');
  await tdb?.destroy();
});

describe('the production build and its scripts', () => {
  it('build compiles to dist/ with the workflow bundle, and the scripts run the compiled code, not TypeScript', async () => {
    const build = await finished(npmRun('build', {}), 420_000);
    expect(build.code).toBe(0);
    for (const file of ['api/main.js', 'worker/main.js', 'scripts/migrate.js', 'workflow-bundle.js']) {
      expect(fs.existsSync(path.join(ROOT, 'dist', file))).toBe(true);
    }
    const scripts = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).scripts as Record<string, string>;
    expect(scripts.api).toBe('node dist/api/main.js');
    expect(scripts.worker).toBe('node dist/worker/main.js');
    expect(scripts.migrate).toBe('node dist/scripts/migrate.js');
  });

  it('migrate brings an empty database to the latest schema, and a second run finds it current', async () => {
    const before = await sql<{ n: number }>`SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'dsr'`.execute(tdb.db);
    expect(before.rows[0].n).toBe(0);

    const first = await finished(npmRun('migrate', { DATABASE_URL: tdb.url }), 120_000);
    expect(first.code).toBe(0);
    expect(first.output).toContain(`migrated: ${Object.keys(migrations).join(', ')}`);
    const applied = await sql<{ name: string }>`SELECT name FROM kysely_migration ORDER BY name`.execute(tdb.db);
    expect(applied.rows.map((r) => r.name)).toEqual(Object.keys(migrations));
    const requests = await sql<{ n: number }>`SELECT count(*)::int AS n FROM dsr.requests`.execute(tdb.db);
    expect(requests.rows[0].n).toBe(0);

    const second = await finished(npmRun('migrate', { DATABASE_URL: tdb.url }), 120_000);
    expect(second.code).toBe(0);
    expect(second.output).toContain('migrated: the schema is current');
  });

  it('api and worker start from dist/ against PostgreSQL and Temporal, run, and stop on SIGTERM', async () => {
    const temporalAddress = process.env.TEMPORAL_ADDRESS;
    if (!temporalAddress) throw new Error('TEMPORAL_ADDRESS is not set: run through jest, whose globalSetup starts Temporal');
    const port = await freePort();
    const env: Record<string, string> = {
      DATABASE_URL: tdb.url,
      TEMPORAL_ADDRESS: temporalAddress,
      TEMPORAL_NAMESPACE: process.env.TEMPORAL_NAMESPACE ?? 'default',
      // A queue of its own, so this worker takes no task of another test file.
      TEMPORAL_TASK_QUEUE: `production-build-${randomBytes(4).toString('hex')}`,
      HTTP_HOST: '127.0.0.1',
      HTTP_PORT: String(port),
      PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
      // No mail is sent here; nodemailer connects only to send.
      SMTP_URL: 'smtp://127.0.0.1:2525',
      STAFF_NOTIFY_EMAIL: 'tietosuoja@example.com',
      AUTH_TOKEN_SECRET: randomBytes(32).toString('hex'),
      PAYLOAD_CODEC_KEY: randomBytes(32).toString('base64'),
      LOG_LEVEL: 'info',
      ...testAuditEnv(),
    };

    const worker = npmRun('worker', env);
    const api = npmRun('api', env);
    started.push(worker, api);

    await until(() => answers(`http://127.0.0.1:${port}/ready`), api, 'the API answers /ready');
    expect(await (await fetch(`http://127.0.0.1:${port}/health`)).json()).toEqual({ status: 'ok' });
    await until(() => /"msg":"worker running"/.test(worker.output()), worker, 'the worker says it runs');
    expect(worker.output()).toContain(env.TEMPORAL_TASK_QUEUE);

    // Each stops its own way: the API closes its server, pool and Temporal client; the worker drains.
    const [apiOutput, workerOutput] = await Promise.all([terminated(api, 30_000), terminated(worker, 60_000)]);
    expect(apiOutput).toMatch(/"msg":"API stopped"/);
    expect(workerOutput).toMatch(/"msg":"worker stopped"/);
    expect(await answers(`http://127.0.0.1:${port}/health`)).toBe(false);
  });
});
