/**
 * The engine on a Temporal dev server beside bare Temporal on the same server: intake over HTTP
 * against a bare `client.workflow.start`, approve -> closed against a bare update-driven close, and
 * the time from identity verified to the access answer's draft for a subject with many rows.
 *
 * The engine runs as production runs it: the compiled API and worker, each a process of its own
 * (bench/processes.ts), driven from here over HTTP. The bare baseline's client and its worker run
 * here, in the driver. Both share the machine's cores with PostgreSQL and the Temporal server.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/database';
import { DEMO_HETU, seedRegister } from '../db/seed';
import { hetuCheckCharacter } from '../domain/hetu';
import { startMailSink } from '../embedded/mail-sink';
import { createTestDatabase } from '../test/helpers/db';
import { testEngineEnv } from '../test/helpers/engine-env';
import { bareWorkflow, closeBareUpdate } from './bare-workflow';
import { freePort, startProcess, type EngineProcess } from './processes';

export interface TemporalFigures {
  intakeC1P50Ms: number;
  bareStartC1P50Ms: number;
  intakeC32PerS: number;
  bareStartC32PerS: number;
  /** Requests per second reaching "awaiting identity" after a burst of submissions. */
  awaitingIdentityPerS: number;
  /** Where a burst request's time to "awaiting identity" goes (medians over its histories): waiting for a worker to take its first task, and that task with its steps. */
  burstFirstTaskWaitMs: number;
  burstFirstTaskMs: number;
  closePerS: number;
  bareClosePerS: number;
  accessRows: number;
  accessDraftMedianMs: number;
  /** Every sample, in order. */
  accessDraftMs: number[];
  /** Workflow tasks and activities in the history of one closed access request. */
  workflowTasksPerRequest: number;
  activitiesPerRequest: number;
  localActivitiesPerRequest: number;
  /** The activities in that history by type (local ones by the type their marker names), to see which steps remain round trips. */
  activityTypes: Record<string, number>;
}

export interface TemporalOptions {
  persons: number;
  intakeC1: number;
  intakeC32: number;
  close: number;
  accessRows: number;
  accessRuns: number;
  /** Only the intake figures (c=1, c=32, burst -> awaiting identity); the rest are NaN. */
  intakeOnly?: boolean;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Runs `total` jobs, `concurrency` at a time; returns the seconds it took. */
async function burst(total: number, concurrency: number, job: (i: number) => Promise<unknown>): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) await job(next++);
    }),
  );
  return (performance.now() - started) / 1000;
}

async function timed(job: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await job();
  return performance.now() - started;
}

async function poll<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 600_000, intervalMs = 20): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`benchmark: ${what} did not happen within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

let subjects = 0;

/** A different synthetic subject each time (a temporary henkilötunnus, 900-999, of a day in 1980). */
function nextSubject(): { firstName: string; lastName: string; hetu: string; email: string } {
  const n = subjects++;
  const day = `${String(1 + (n % 28)).padStart(2, '0')}${String(1 + (Math.floor(n / 28) % 12)).padStart(2, '0')}80`;
  const individual = String(900 + (Math.floor(n / 336) % 100)).padStart(3, '0');
  return { firstName: 'Bench', lastName: 'Marker', hetu: `${day}-${individual}${hetuCheckCharacter(day + individual)}`, email: `bench.${n}@example.com` };
}

/**
 * The load generator's HTTP client: node:http with kept-alive connections. fetch (undici) costs
 * the driver about 3.6 ms of CPU per request here, against 2.1 ms for a bare start's gRPC call,
 * and on two cores the driver's CPU is taken from the engine it measures.
 */
class Http {
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  constructor(readonly base: string) {}

  post(path: string, body: unknown, headers: Record<string, string> = {}): Promise<Record<string, unknown>> {
    const payload = JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const req = http.request(this.base + path, { method: 'POST', agent: this.agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload), ...headers } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          if ((res.statusCode ?? 500) >= 300) reject(new Error(`benchmark: POST ${path} answered ${res.statusCode}: ${text.slice(0, 200)}`));
          else resolve(JSON.parse(text) as Record<string, unknown>);
        });
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(payload);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

async function submit(http: Http, subject = nextSubject()): Promise<string> {
  const body = await http.post('/api/v1/requests', { rights: ['access'], language: 'fi', subject }, { 'Idempotency-Key': randomUUID() });
  return body.id as string;
}

async function statesOf(db: Kysely<Database>, ids: string[]): Promise<Map<string, string>> {
  const rows = await db.selectFrom('dsr.requests').select(['id', 'state']).where('id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.id, r.state]));
}

async function allIn(db: Kysely<Database>, ids: string[], state: string): Promise<boolean> {
  const states = await statesOf(db, ids);
  return ids.every((id) => states.get(id) === state);
}

/** Gives the demo person about `rows` register rows by copying other people's rows of each person table to them. */
async function growSubject(db: Kysely<Database>, rows: number): Promise<number> {
  const person = await db.selectFrom('register.persons').select('id').where('hetu', '=', DEMO_HETU).executeTakeFirstOrThrow();
  const tables = await sql<{ table_name: string }>`
    SELECT table_name FROM information_schema.columns
    WHERE table_schema = 'register' AND column_name = 'person_id' AND table_name <> 'persons' ORDER BY table_name`.execute(db);
  const per = Math.ceil(rows / tables.rows.length);
  for (const { table_name: table } of tables.rows) {
    const columns = await sql<{ column_name: string }>`
      SELECT column_name FROM information_schema.columns
      WHERE table_schema = 'register' AND table_name = ${table} AND column_name NOT IN ('id', 'person_id') ORDER BY ordinal_position`.execute(db);
    const list = columns.rows.map((c) => `"${c.column_name}"`).join(', ');
    await sql
      .raw(
        `INSERT INTO register."${table}" (person_id${list ? ', ' + list : ''})
         SELECT '${person.id}'${list ? ', ' + list : ''} FROM register."${table}" WHERE person_id <> '${person.id}' ORDER BY id LIMIT ${per}
         ON CONFLICT DO NOTHING`,
      )
      .execute(db);
  }
  let total = 0;
  for (const { table_name: table } of tables.rows) {
    const { rows: counted } = await sql.raw<{ n: string }>(`SELECT count(*)::text AS n FROM register."${table}" WHERE person_id = '${person.id}'`).execute(db);
    total += Number(counted[0].n);
  }
  await sql`ANALYZE`.execute(db);
  return total;
}

/** Medians over the requests' histories: workflow started -> first task started, and first task started -> awaiting identity recorded (its last event). */
async function firstTaskTimes(client: Client, ids: string[]): Promise<{ waitMs: number; runMs: number }> {
  const waits: number[] = [];
  const runs: number[] = [];
  const ms = (t: { seconds?: unknown; nanos?: number | null } | null | undefined) => Number(t?.seconds ?? 0) * 1000 + (t?.nanos ?? 0) / 1e6;
  for (const id of ids.slice(0, 32)) {
    const events = (await client.workflow.getHandle(id).fetchHistory()).events ?? [];
    const started = events.find((e) => e.workflowExecutionStartedEventAttributes);
    const taskStarted = events.find((e) => e.workflowTaskStartedEventAttributes);
    const taskCompleted = events.find((e) => e.workflowTaskCompletedEventAttributes);
    if (!started || !taskStarted || !taskCompleted) continue;
    waits.push(ms(taskStarted.eventTime) - ms(started.eventTime));
    runs.push(ms(taskCompleted.eventTime) - ms(taskStarted.eventTime));
  }
  return { waitMs: median(waits), runMs: median(runs) };
}

export async function benchTemporal(options: TemporalOptions): Promise<TemporalFigures> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dsr-bench-temporal-'));
  const tdb = await createTestDatabase();
  const db = tdb.db;
  // As the owner: the seeder defers indexes and foreign keys while it loads, which the engine role may not.
  await seedRegister(tdb.ownerDb, { persons: options.persons, seed: 7 });
  const mail = await startMailSink(path.join(dir, 'mail'));
  const port = await freePort();
  const address = process.env.TEMPORAL_ADDRESS!;
  const namespace = process.env.TEMPORAL_NAMESPACE ?? 'default';
  const env = testEngineEnv(tdb.url, {
    TEMPORAL_ADDRESS: address,
    TEMPORAL_NAMESPACE: namespace,
    TEMPORAL_TASK_QUEUE: `bench-${randomUUID()}`,
    HTTP_HOST: '127.0.0.1',
    HTTP_PORT: String(port),
    PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
    SMTP_URL: mail.url,
    AUTH_DEV_SIGN_IN: 'true',
    // The processes say when they are ready at info; nothing else is logged per request.
    LOG_LEVEL: 'info',
  });
  const processes: EngineProcess[] = [];
  const http = new Http(`http://127.0.0.1:${port}`);
  const connection = await Connection.connect({ address });
  const client = new Client({ connection, namespace });
  const bareQueue = `bench-bare-${randomUUID()}`;
  const native = await NativeConnection.connect({ address });
  const bareWorker = await Worker.create({ connection: native, taskQueue: bareQueue, workflowsPath: require.resolve('./bare-workflow'), namespace });
  const bareRunning = bareWorker.run();
  const bareStart = () => client.workflow.start(bareWorkflow, { taskQueue: bareQueue, workflowId: `bench-${randomUUID()}` });
  try {
    processes.push(await startProcess('worker/main.js', env, /"msg":"worker running"/, process.env.BENCH_WORKER_NODE_ARGS?.split(' ') ?? []));
    processes.push(await startProcess('api/main.js', env, /"msg":"API listening"/, process.env.BENCH_API_NODE_ARGS?.split(' ') ?? []));
    // Warm both paths.
    await Promise.all(Array.from({ length: 4 }, () => bareStart()));
    await submit(http);

    const bareC1: number[] = [];
    const intakeC1: number[] = [];
    for (let i = 0; i < options.intakeC1; i++) {
      bareC1.push(await timed(bareStart));
      let id = '';
      intakeC1.push(await timed(async () => (id = await submit(http))));
      // Intake answers once the request is stored; its workflow starts and runs its first steps
      // after the answer. The next bare start waits for that, so neither measures the other's work.
      await poll('the request awaiting identity', async () => ((await allIn(db, [id], 'awaiting_identity')) ? true : undefined));
    }

    const cpu0 = cpuByProcess();
    const bareSeconds = await burst(options.intakeC32, 32, () => bareStart());
    const cpu1 = cpuByProcess();
    const submitted: string[] = [];
    const burstStarted = performance.now();
    const intakeSeconds = await burst(options.intakeC32, 32, async () => submitted.push(await submit(http)));
    const cpu2 = cpuByProcess();
    if (process.env.BENCH_CPU) console.log(JSON.stringify({ bareCpuS: diff(cpu0, cpu1, processes), intakeCpuS: diff(cpu1, cpu2, processes), bareSeconds, intakeSeconds }));
    // Every 100 ms: the driver's polling takes CPU from the engine it measures.
    await poll('the burst reaching awaiting identity', async () => ((await allIn(db, submitted, 'awaiting_identity')) ? true : undefined), 600_000, 100);
    const identitySeconds = (performance.now() - burstStarted) / 1000;
    if (process.env.BENCH_CPU) console.log(JSON.stringify({ identityCpuS: diff(cpu2, cpuByProcess(), processes), identitySeconds }));
    const firstTask = await firstTaskTimes(client, submitted);
    const intakeFigures = {
      burstFirstTaskWaitMs: firstTask.waitMs,
      burstFirstTaskMs: firstTask.runMs,
      intakeC1P50Ms: median(intakeC1),
      bareStartC1P50Ms: median(bareC1),
      intakeC32PerS: options.intakeC32 / intakeSeconds,
      bareStartC32PerS: options.intakeC32 / bareSeconds,
      awaitingIdentityPerS: submitted.length / identitySeconds,
    };
    if (options.intakeOnly) {
      return { ...intakeFigures, closePerS: NaN, bareClosePerS: NaN, accessRows: 0, accessDraftMedianMs: NaN, accessDraftMs: [], workflowTasksPerRequest: NaN, activitiesPerRequest: NaN, localActivitiesPerRequest: NaN, activityTypes: {} };
    }

    // Approve -> closed, against updates closing bare workflows.
    const handler = await fetch(`${http.base}/api/v1/auth/dev-sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user: 'b.kasittelija', roles: ['dpo'] }),
    }).then(async (r) => `Bearer ${((await r.json()) as { token: string }).token}`);
    const auth = { Authorization: handler };
    const closing = submitted.slice(0, options.close);
    await burst(closing.length, 8, (i) =>
      http.post(`/api/v1/staff/requests/${closing[i]}/identity`, { decision: 'verified', method: 'handler_verified', note: 'Henkilöllisyys tarkistettu vertailua varten.' }, auth),
    );
    await poll('the requests reaching awaiting approval', async () => ((await allIn(db, closing, 'awaiting_approval')) ? true : undefined));
    const drafts = await db.selectFrom('dsr.documents').select(['request_id', 'id']).where('request_id', 'in', closing).where('kind', '=', 'access_answer').execute();
    const draftOf = new Map(drafts.map((d) => [d.request_id, d.id]));
    const closeStarted = performance.now();
    await burst(closing.length, closing.length, (i) => http.post(`/api/v1/staff/requests/${closing[i]}/approve`, { documentId: draftOf.get(closing[i]) }, auth));
    await poll('the approved requests closing', async () => ((await allIn(db, closing, 'closed')) ? true : undefined));
    const closeSeconds = (performance.now() - closeStarted) / 1000;

    const bareHandles = await Promise.all(Array.from({ length: closing.length }, () => bareStart()));
    const bareCloseStarted = performance.now();
    await Promise.all(bareHandles.map(async (h) => {
      await h.executeUpdate(closeBareUpdate);
      await h.result();
    }));
    const bareCloseSeconds = (performance.now() - bareCloseStarted) / 1000;

    const history = await client.workflow.getHandle(closing[0]).fetchHistory();
    const events = history.events ?? [];
    const count = (pick: (e: (typeof events)[number]) => unknown) => events.filter((e) => Boolean(pick(e))).length;
    const markers = events.filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_local_activity').length;
    const activityTypes: Record<string, number> = {};
    for (const e of events) {
      const name = e.activityTaskScheduledEventAttributes?.activityType?.name;
      if (name) activityTypes[name] = (activityTypes[name] ?? 0) + 1;
    }

    // Identity verified -> draft ready, for a subject with many rows.
    const accessRows = await growSubject(tdb.ownerDb, options.accessRows);
    const drafting: number[] = [];
    for (let i = 0; i < options.accessRuns; i++) {
      const id = await submit(http, { firstName: 'Testi', lastName: 'Demo', hetu: DEMO_HETU, email: `demo.${i}@example.com` });
      await poll('the request awaiting identity', async () => ((await allIn(db, [id], 'awaiting_identity')) ? true : undefined));
      const started = performance.now();
      await http.post(`/api/v1/staff/requests/${id}/identity`, { decision: 'verified', method: 'handler_verified', note: 'Henkilöllisyys tarkistettu vertailua varten.' }, auth);
      // Every 5 ms (one row by its key): the poll's interval is the figure's resolution.
      await poll('the draft', async () => ((await allIn(db, [id], 'awaiting_approval')) ? true : undefined), 600_000, 5);
      drafting.push(performance.now() - started);
      if (process.env.BENCH_TRACE && i === options.accessRuns - 1) await printTimeline(client, id);
    }

    return {
      ...intakeFigures,
      closePerS: closing.length / closeSeconds,
      bareClosePerS: closing.length / bareCloseSeconds,
      accessRows,
      accessDraftMedianMs: median(drafting),
      accessDraftMs: drafting.map((ms) => Math.round(ms)),
      workflowTasksPerRequest: count((e) => e.workflowTaskCompletedEventAttributes),
      activitiesPerRequest: count((e) => e.activityTaskScheduledEventAttributes),
      localActivitiesPerRequest: markers,
      activityTypes,
    };
  } finally {
    http.close();
    for (const p of processes.reverse()) await p.stop();
    bareWorker.shutdown();
    await bareRunning.catch(() => undefined);
    await native.close();
    await connection.close();
    await mail.close();
    await tdb.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** CPU seconds (user + system) of every process on the machine, by pid and name, from /proc. */
function cpuByProcess(): Map<number, { name: string; s: number }> {
  const out = new Map<number, { name: string; s: number }>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(Number(entry), { name, s: (Number(fields[11]) + Number(fields[12])) / 100 });
    } catch {
      // gone
    }
  }
  return out;
}

function diff(a: Map<number, { name: string; s: number }>, b: Map<number, { name: string; s: number }>, engine: EngineProcess[]): Record<string, number> {
  const sums: Record<string, number> = {};
  for (const [pid, after] of b) {
    const d = after.s - (a.get(pid)?.s ?? 0);
    if (d <= 0) continue;
    const name = pid === process.pid ? 'driver' : pid === engine[0]?.pid ? 'worker' : pid === engine[1]?.pid ? 'api' : after.name;
    sums[name] = Math.round(((sums[name] ?? 0) + d) * 100) / 100;
  }
  return sums;
}

/** BENCH_TRACE=1: the last access request's history from the task that took the identity decision on, each event's offset in ms. */
async function printTimeline(client: Client, id: string): Promise<void> {
  const events = (await client.workflow.getHandle(id).fetchHistory()).events ?? [];
  const ms = (t: { seconds?: unknown; nanos?: number | null } | null | undefined) => Number(t?.seconds ?? 0) * 1000 + (t?.nanos ?? 0) / 1e6;
  const accepted = events.findIndex((e) => e.workflowExecutionUpdateAcceptedEventAttributes);
  if (accepted < 0) return;
  let from = accepted;
  while (from > 0 && !events[from].workflowTaskScheduledEventAttributes) from--;
  const t0 = ms(events[from].eventTime);
  for (const e of events.slice(from)) {
    const kind = Object.keys(e).find((k) => k.endsWith('EventAttributes')) ?? '?';
    const attributes = (e as Record<string, { activityType?: { name?: string }; markerName?: string }>)[kind];
    console.log(`${(ms(e.eventTime) - t0).toFixed(1).padStart(8)} ${kind.replace('EventAttributes', '')} ${attributes?.activityType?.name ?? ''}`);
  }
}
