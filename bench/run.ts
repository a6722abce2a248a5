/**
 * `npm run bench`: every speed figure of the engine beside its baseline, measured in one run on
 * this machine, and a table with the ratios:
 *   - letters: the renderer against raw pdfkit drawing the same strings on the same pages;
 *   - intake: POST /api/v1/requests (durable, workflow started) against a bare workflow start, one
 *     at a time (median latency) and 32 at a time (rate); how fast a burst reaches "awaiting identity";
 *   - closing: approve -> closed for a batch of requests against a bare update-driven close;
 *   - an access answer: identity verified -> draft ready for a subject with about 1,000 rows;
 *   - the console's and auditor's queries over many requests;
 *   - the audit chain: parallel transitions with per-request chains against one global lock, and verification times.
 * The last line is the summary:
 *   bench: letters_vs_pdfkit=R1 intake_c1_p50_vs_bare=R2 intake_c32_rate_vs_bare=R3 close_vs_bare=R4 access_1000_rows_ms=T
 *
 *   npm run bench                 # the full run (a 1,000,000-person register; some 20 minutes)
 *   npm run bench -- --quick      # a few minutes: smaller register, fewer runs
 *   npm run bench -- --requests 500000   # more requests for the query benchmarks
 *   npm run bench -- --quick --only intake   # one section: letters, temporal, intake, queries, memory or audit
 *   npm run bench -- --only memory --open 10000   # the worker's resident memory with that many open requests
 * PostgreSQL and the Temporal dev server are started here (throwaway), unless DATABASE_URL and
 * TEMPORAL_ADDRESS point at servers to use.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startPostgresCluster } from '../embedded/postgres-cluster';
import { startTemporalDevServer } from '../embedded/temporal-dev-server';
import { benchAudit } from './audit';
import { benchLetters } from './letters';
import { benchQueries } from './queries';
import { benchMemory } from './memory';
import { benchTemporal } from './temporal';
import { buildProduction } from './processes';
import { installTemporalRuntime } from '../worker/worker';

function argument(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  const value = at >= 0 ? Number(process.argv[at + 1]) : fallback;
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name}: must be a positive whole number`);
  return value;
}

/** The sections `--only` picks one of; `intake` is the intake part of `temporal`. */
const SECTIONS = ['letters', 'temporal', 'intake', 'queries', 'memory', 'audit'];

const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

/** One row of the printed table. */
interface Line {
  figure: string;
  ours: string;
  baseline: string;
  ratio: string;
}

function printTable(lines: Line[]): void {
  const head: Line = { figure: 'figure', ours: 'engine', baseline: 'baseline', ratio: 'ratio' };
  const widths = (Object.keys(head) as (keyof Line)[]).map((k) => Math.max(...[head, ...lines].map((l) => l[k].length)));
  for (const l of [head, ...lines]) console.log([l.figure, l.ours, l.baseline, l.ratio].map((v, i) => v.padEnd(widths[i])).join('  '));
}

async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  const onlyAt = process.argv.indexOf('--only');
  const only = onlyAt >= 0 ? process.argv[onlyAt + 1] : null;
  if (only !== null && !SECTIONS.includes(only)) throw new Error(`--only: must be one of ${SECTIONS.join(', ')}`);
  const wants = (section: string) => only === null || only === section;
  installTemporalRuntime('warn');
  const requests = argument('requests', quick ? 20_000 : 100_000);
  const stops: (() => Promise<unknown>)[] = [];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dsr-bench-'));
  fs.chmodSync(dir, 0o755);
  stops.push(async () => fs.rmSync(dir, { recursive: true, force: true }));
  try {
    if (!process.env.DATABASE_URL) {
      const cluster = await startPostgresCluster({ dataDir: path.join(dir, 'pg'), persistent: false });
      stops.unshift(() => cluster.stop());
      process.env.DATABASE_URL = cluster.url;
    }
    if (!process.env.TEMPORAL_ADDRESS) {
      const temporal = await startTemporalDevServer({ dataDir: path.join(dir, 'temporal') });
      stops.unshift(() => temporal.stop());
      process.env.TEMPORAL_ADDRESS = temporal.address;
      process.env.TEMPORAL_NAMESPACE ??= temporal.namespace;
    }

    // The engine's processes in the temporal and memory sections are the compiled ones production runs.
    if (wants('temporal') || only === 'intake' || wants('memory')) buildProduction();
    const letters = wants('letters') ? await benchLetters(quick ? 1500 : 5000, quick ? 3 : 7) : null;
    if (letters) console.log(JSON.stringify({ section: 'letters', ...letters }));
    const temporalOptions = quick
      ? { persons: 2000, intakeC1: 20, intakeC32: 128, close: 40, accessRows: 1000, accessRuns: argument('access-runs', 3) }
      : { persons: 1_000_000, intakeC1: 100, intakeC32: 1000, close: 200, accessRows: 1000, accessRuns: argument('access-runs', 7) };
    const temporal = wants('temporal') || only === 'intake' ? await benchTemporal({ ...temporalOptions, intakeOnly: only === 'intake' }) : null;
    if (temporal) console.log(JSON.stringify({ section: 'temporal', ...temporal }));
    const queries = wants('queries') ? await benchQueries(process.env.DATABASE_URL!, requests) : [];
    for (const q of queries) console.log(JSON.stringify({ section: 'queries', requests, ...q }));
    const audit = wants('audit') ? await benchAudit(process.env.DATABASE_URL!, { transitions: quick ? 800 : 4000, links: 20_000 }) : null;
    if (audit) console.log(JSON.stringify({ section: 'audit', ...audit }));
    const memory = wants('memory') ? await benchMemory({ open: argument('open', quick ? 1000 : 10_000), persons: quick ? 2000 : 100_000 }) : null;
    if (memory) console.log(JSON.stringify({ section: 'memory', ...memory }));

    const ratios = {
      letters: letters ? letters.ratio : NaN,
      intakeC1: temporal ? temporal.bareStartC1P50Ms / temporal.intakeC1P50Ms : NaN,
      intakeC32: temporal ? temporal.intakeC32PerS / temporal.bareStartC32PerS : NaN,
      close: temporal ? temporal.closePerS / temporal.bareClosePerS : NaN,
    };
    const lines: Line[] = [];
    if (letters) {
      lines.push(
        { figure: 'letter pages/s (long access answer)', ours: `${round(letters.pagesPerSecond, 0)}`, baseline: `${round(letters.rawPagesPerSecond, 0)} raw pdfkit`, ratio: `${round(ratios.letters)}x` },
        { figure: 'letter bytes/page', ours: `${round(letters.bytesPerPage, 0)}`, baseline: `${round(letters.rawBytesPerPage, 0)} raw pdfkit`, ratio: '' },
        { figure: 'small letter ms (median)', ours: `${round(letters.smallLetterMs, 1)}`, baseline: '', ratio: '' },
      );
    }
    if (temporal) {
      lines.push(
        { figure: 'intake c=1 p50 ms', ours: `${round(temporal.intakeC1P50Ms, 1)}`, baseline: `${round(temporal.bareStartC1P50Ms, 1)} bare start`, ratio: `${round(ratios.intakeC1)}x` },
        { figure: 'intake c=32 requests/s', ours: `${round(temporal.intakeC32PerS, 1)}`, baseline: `${round(temporal.bareStartC32PerS, 1)} bare start`, ratio: `${round(ratios.intakeC32)}x` },
        { figure: 'burst -> awaiting identity /s', ours: `${round(temporal.awaitingIdentityPerS, 1)}`, baseline: '', ratio: '' },
      );
    }
    if (temporal && only !== 'intake') {
      lines.push(
        { figure: 'approve -> closed /s', ours: `${round(temporal.closePerS, 1)}`, baseline: `${round(temporal.bareClosePerS, 1)} bare update`, ratio: `${round(ratios.close)}x` },
        { figure: 'workflow tasks / activities / local activities per access request', ours: `${temporal.workflowTasksPerRequest} / ${temporal.activitiesPerRequest} / ${temporal.localActivitiesPerRequest}`, baseline: '', ratio: '' },
        { figure: `identity -> draft ms (${temporal.accessRows} rows)`, ours: `${round(temporal.accessDraftMedianMs, 0)}`, baseline: '', ratio: '' },
      );
    }
    if (audit) {
      lines.push(
        { figure: 'audit transitions/s c=1, distinct requests', ours: `${round(audit.perRequestC1PerS, 0)}`, baseline: `${round(audit.globalC1PerS, 0)} one global lock`, ratio: `${round(audit.perRequestC1PerS / audit.globalC1PerS)}x` },
        { figure: 'audit transitions/s c=16, distinct requests', ours: `${round(audit.perRequestC16PerS, 0)}`, baseline: `${round(audit.globalC16PerS, 0)} one global lock`, ratio: `${round(audit.ratioC16)}x` },
        { figure: `audit verify ms, whole log (${audit.links} links)`, ours: `${round(audit.verifyWholeMs, 0)}`, baseline: '', ratio: '' },
        { figure: 'audit verify ms, one request / search page (continued)', ours: `${round(audit.verifyRequestMs, 1)} / ${round(audit.verifyContinuedMs, 1)}`, baseline: '', ratio: '' },
      );
    }
    lines.push(...queries.map((q) => ({ figure: `query: ${q.query}`, ours: `${q.medianMs} ms`, baseline: `p95 ${q.p95Ms} ms`, ratio: '' })));
    if (memory) {
      lines.push(
        { figure: `worker RSS MB, ${memory.open} open requests`, ours: `${round(memory.rssMb, 0)}`, baseline: `${round(memory.idleRssMb, 0)} idle worker`, ratio: '' },
        { figure: 'worker RSS MB, 100,000 open (estimate)', ours: `${round(memory.estimate100kMb, 0)}`, baseline: memory.estimatePastCache ? 'cache full' : 'cache not yet full: not an estimate', ratio: '' },
        { figure: 'open requests -> awaiting identity /s', ours: `${round(memory.awaitingIdentityPerS, 1)}`, baseline: '', ratio: '' },
      );
    }
    console.log('');
    printTable(lines);
    console.log(
      `bench: letters_vs_pdfkit=${round(ratios.letters)} intake_c1_p50_vs_bare=${round(ratios.intakeC1)} intake_c32_rate_vs_bare=${round(ratios.intakeC32)} close_vs_bare=${round(ratios.close)} access_1000_rows_ms=${temporal ? round(temporal.accessDraftMedianMs, 0) : NaN}` +
        (memory ? ` worker_rss_mb_${memory.open}_open=${round(memory.rssMb, 0)}` : '') +
        (audit ? ` audit_c16_vs_global_lock=${round(audit.ratioC16)}` : ''),
    );
  } finally {
    for (const stop of stops) await stop().catch(() => undefined);
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.stack ?? error.message : error);
  process.exitCode = 1;
});
