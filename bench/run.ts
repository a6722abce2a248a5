/**
 * Benchmarks of the pages' queries at a city's scale: the deadline console (list, counts, load by
 * week) for the DPO and for a handler, and the auditor's searches, over N requests (default
 * 100,000, a decade of a large city's requests). Prints one JSON line per query with the median
 * and 95th percentile of repeated runs, and the plan's top node.
 *
 *   npm run bench                       # a throwaway PostgreSQL cluster from Debian's binaries
 *   npm run bench -- --requests 500000  # more
 *   DATABASE_URL=postgres://… npm run bench   # an existing server (a fresh database is made in it)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { Client } from 'pg';
import { createDb, type Database } from '../db/database';
import { migrateToLatest } from '../db/migrate';
import { searchAuditRequests } from '../db/repositories/audit-search';
import { consoleCounts, listConsoleRequests, loadByDeadlineWeek, type ConsoleFilter } from '../db/repositories/console';
import { startPostgresCluster } from '../embedded/postgres-cluster';

const RUNS = 25;

function argument(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  const value = at >= 0 ? Number(process.argv[at + 1]) : fallback;
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name}: must be a positive whole number`);
  return value;
}

/** N requests over ten years: a quarter open, deadlines around now, a few extended, 20 handlers. */
async function fill(db: Kysely<Database>, n: number): Promise<void> {
  await sql`
    INSERT INTO dsr.submissions (id, received_at, channel, language, access_code_hash)
    SELECT md5('s' || i)::uuid, now() - (i % 3650) * interval '1 day', 'e_form', 'fi', 'x'
    FROM generate_series(1, ${n}) AS i`.execute(db);
  await sql`
    INSERT INTO dsr.requests (id, submission_id, reference, "right", state, outcome, language, channel, received_at, received_on,
      deadline, deadline_at, extended_deadline, extended_deadline_at, deadline_rule, extended_at, subject_first_name, subject_last_name,
      subject_email, assigned_to, closed_at)
    SELECT md5('r' || i)::uuid, md5('s' || i)::uuid, 'DSR-B-' || lpad(i::text, 8, '0'),
      (ARRAY['access','rectification','erasure','restriction','portability','objection'])[1 + i % 6],
      CASE WHEN i % 4 = 0 THEN (ARRAY['awaiting_identity','in_progress','awaiting_decision','awaiting_approval'])[1 + (i / 4) % 4] ELSE 'closed' END,
      CASE WHEN i % 4 = 0 THEN NULL ELSE (ARRAY['answered','refused','withdrawn'])[1 + i % 3] END,
      'fi', 'e_form', r.at, r.at::date, (r.at + interval '1 month')::date, r.at + interval '1 month',
      (r.at + interval '3 months')::date, r.at + interval '3 months', 'gdpr_12_3',
      CASE WHEN i % 23 = 0 THEN r.at + interval '10 days' END,
      'Etu' || i, 'Suku' || i, 'henkilo' || i || '@example.fi',
      CASE WHEN i % 5 = 0 THEN NULL ELSE 'kasittelija.' || (i % 20) END,
      CASE WHEN i % 4 = 0 THEN NULL ELSE r.at + interval '20 days' END
    FROM generate_series(1, ${n}) AS i,
      LATERAL (SELECT CASE WHEN i % 4 = 0 THEN now() - (i % 45) * interval '1 day' ELSE now() - (i % 3650) * interval '1 day' END AS at) AS r`.execute(db);
  await sql`ANALYZE dsr.requests`.execute(db);
}

async function time(name: string, work: () => Promise<unknown>): Promise<void> {
  await work();
  const ms: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = process.hrtime.bigint();
    await work();
    ms.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  ms.sort((a, b) => a - b);
  const at = (q: number) => Math.round(ms[Math.min(ms.length - 1, Math.floor(q * ms.length))] * 100) / 100;
  console.log(JSON.stringify({ query: name, runs: RUNS, medianMs: at(0.5), p95Ms: at(0.95) }));
}

async function main(): Promise<void> {
  const requests = argument('requests', 100_000);
  let stop = async () => undefined as unknown;
  let serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dsr-bench-'));
    fs.chmodSync(dir, 0o755);
    const cluster = await startPostgresCluster({ dataDir: path.join(dir, 'pg'), persistent: false });
    serverUrl = cluster.url;
    stop = async () => {
      await cluster.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    };
  }
  const name = `dsr_bench_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const db = createDb(url.toString(), { max: 4 });
  try {
    await migrateToLatest(db);
    const filling = Date.now();
    await fill(db, requests);
    console.log(JSON.stringify({ requests, fillSeconds: Math.round((Date.now() - filling) / 100) / 10 }));

    const now = new Date();
    const open: ConsoleFilter = { status: 'open', overdue: false, extended: false, identityPending: false };
    const page = { limit: 25, offset: 0 };
    await time('console list, DPO, open', () => listConsoleRequests(db, open, now, page));
    await time('console list, DPO, overdue', () => listConsoleRequests(db, { ...open, overdue: true }, now, page));
    await time('console list, DPO, due within 7 days', () => listConsoleRequests(db, { ...open, dueWithinDays: 7 }, now, page));
    await time('console list, DPO, awaiting identity', () => listConsoleRequests(db, { ...open, identityPending: true }, now, page));
    await time('console list, DPO, all, page 200', () => listConsoleRequests(db, { ...open, status: 'all' }, now, { limit: 25, offset: 25 * 199 }));
    await time('console list, handler, open', () => listConsoleRequests(db, { ...open, visibleTo: 'kasittelija.7' }, now, page));
    // A handler's whole history: the closed requests they handled are found through the events' actor.
    await time('console list, handler, all', () => listConsoleRequests(db, { ...open, status: 'all', visibleTo: 'kasittelija.7' }, now, page));
    await time('console counts, DPO', () => consoleCounts(db, now));
    await time('console counts, handler', () => consoleCounts(db, now, 'kasittelija.7'));
    await time('load by deadline week, DPO', () => loadByDeadlineWeek(db, now));
    await time('audit search by reference', () => searchAuditRequests(db, { reference: `DSR-B-${String(Math.floor(requests / 2)).padStart(8, '0')}` }, { limit: 50, offset: 0 }));
    await time('audit search, one month, erasure, refused', () =>
      searchAuditRequests(db, { receivedFrom: '2025-01-01', receivedTo: '2025-01-31', right: 'erasure', outcome: 'refused' }, { limit: 50, offset: 0 }),
    );
  } finally {
    await db.destroy();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
    await stop();
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
