/**
 * The pages' queries at a city's scale: the deadline console (list, counts, load by week) for the
 * DPO and for a handler, and the auditor's searches, over N requests in a fresh database of the
 * server at `serverUrl`; each query's median and 95th percentile of repeated runs.
 */
import { randomBytes } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { Client } from 'pg';
import { createDb, type Database } from '../db/database';
import { migrateToLatest } from '../db/migrate';
import { searchAuditRequests } from '../db/repositories/audit-search';
import { consoleCounts, listConsoleRequests, loadByDeadlineWeek, type ConsoleFilter } from '../db/repositories/console';

const RUNS = 25;

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

/** One query's timing. */
export interface QueryFigure {
  query: string;
  medianMs: number;
  p95Ms: number;
}

async function time(figures: QueryFigure[], name: string, work: () => Promise<unknown>): Promise<void> {
  await work();
  const ms: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = process.hrtime.bigint();
    await work();
    ms.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  ms.sort((a, b) => a - b);
  const at = (q: number) => Math.round(ms[Math.min(ms.length - 1, Math.floor(q * ms.length))] * 100) / 100;
  figures.push({ query: name, medianMs: at(0.5), p95Ms: at(0.95) });
}

/** Fills a fresh database with `requests` requests and times each query. */
export async function benchQueries(serverUrl: string, requests: number): Promise<QueryFigure[]> {
  const name = `dsr_bench_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const db = createDb(url.toString(), { max: 4 });
  const figures: QueryFigure[] = [];
  try {
    await migrateToLatest(db);
    await fill(db, requests);
    const now = new Date();
    const open: ConsoleFilter = { status: 'open', overdue: false, extended: false, identityPending: false };
    const page = { limit: 25, offset: 0 };
    await time(figures, 'console list, DPO, open', () => listConsoleRequests(db, open, now, page));
    await time(figures, 'console list, DPO, overdue', () => listConsoleRequests(db, { ...open, overdue: true }, now, page));
    await time(figures, 'console list, DPO, due within 7 days', () => listConsoleRequests(db, { ...open, dueWithinDays: 7 }, now, page));
    await time(figures, 'console list, DPO, awaiting identity', () => listConsoleRequests(db, { ...open, identityPending: true }, now, page));
    await time(figures, 'console list, DPO, all, page 200', () => listConsoleRequests(db, { ...open, status: 'all' }, now, { limit: 25, offset: 25 * 199 }));
    await time(figures, 'console list, handler, open', () => listConsoleRequests(db, { ...open, visibleTo: 'kasittelija.7' }, now, page));
    // A handler's whole history: the closed requests they handled are found through the events' actor.
    await time(figures, 'console list, handler, all', () => listConsoleRequests(db, { ...open, status: 'all', visibleTo: 'kasittelija.7' }, now, page));
    await time(figures, 'console counts, DPO', () => consoleCounts(db, now));
    await time(figures, 'console counts, handler', () => consoleCounts(db, now, 'kasittelija.7'));
    await time(figures, 'load by deadline week, DPO', () => loadByDeadlineWeek(db, now));
    await time(figures, 'audit search by reference', () => searchAuditRequests(db, { reference: `DSR-B-${String(Math.floor(requests / 2)).padStart(8, '0')}` }, { limit: 50, offset: 0 }));
    await time(figures, 'audit search, one month, erasure, refused', () =>
      searchAuditRequests(db, { receivedFrom: '2025-01-01', receivedTo: '2025-01-31', right: 'erasure', outcome: 'refused' }, { limit: 50, offset: 0 }),
    );
    return figures;
  } finally {
    await db.destroy();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}
