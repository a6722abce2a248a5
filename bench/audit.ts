/**
 * The audit chain under parallel transitions, in a fresh database of the server at `serverUrl`:
 * transitions per second (each a transaction that appends one link and records a little work, then
 * commits) on distinct requests, with the per-request chain lock the engine takes, against the same
 * appends behind one global lock as before migration 0015 (the baseline, kept here), at concurrency
 * 1 and 16. Then how long verification takes over a log of `links` links: the whole log, one
 * request's chain (its pages and exports), and the search page's continued check.
 */
import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { Client } from 'pg';
import { createDb, type Database } from '../db/database';
import { migrateToLatest } from '../db/migrate';
import { appendAudit, GENESIS_HASH, linkHash } from '../db/repositories/audit';
import { auditKeys, installAuditKeys, keyRingFrom } from '../db/repositories/audit-keys';
import { verifyAuditChain, verifyRequestLinks } from '../db/repositories/audit-verify';

export interface AuditFigures {
  perRequestC1PerS: number;
  globalC1PerS: number;
  perRequestC16PerS: number;
  globalC16PerS: number;
  /** perRequestC16PerS / globalC16PerS. */
  ratioC16: number;
  links: number;
  verifyWholeMs: number;
  verifyRequestMs: number;
  verifyContinuedMs: number;
}

type Lock = 'per-request' | 'global';

/** One transition: the link and a row of work in one transaction, as a state change writes its event with its link. */
async function transition(db: Kysely<Database>, lock: Lock, requestId: string, i: number): Promise<void> {
  await db.transaction().execute(async (trx) => {
    // The baseline: how every transition serialised before, one lock for the whole log until commit.
    if (lock === 'global') await sql`SELECT pg_advisory_xact_lock(hashtext('dsr.audit_log'))`.execute(trx);
    await appendAudit(trx, { actor: 'bench', action: 'state_changed', requestId, details: { i } });
    await sql`INSERT INTO bench_work (request_id, i) VALUES (${requestId}::uuid, ${i})`.execute(trx);
  });
}

/** Transitions per second: `total` transitions on distinct requests by `concurrency` workers. */
async function rate(db: Kysely<Database>, lock: Lock, concurrency: number, total: number): Promise<number> {
  const requests = Array.from({ length: total }, () => randomUUID());
  let next = 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < total; i = next++) await transition(db, lock, requests[i], i);
    }),
  );
  return total / (Number(process.hrtime.bigint() - started) / 1e9);
}

/** Adds `perRequest` keyed links to each of `requests` new chains, written in bulk (verification reads them as any other). */
async function fillChains(db: Kysely<Database>, requests: number, perRequest: number): Promise<string[]> {
  const ring = auditKeys();
  const ids = Array.from({ length: requests }, () => randomUUID());
  const { rows } = await sql<{ seq: string }>`SELECT nextval('dsr.audit_log_seq') AS seq`.execute(db);
  let seq = Number(rows[0].seq);
  const prev = new Map<string, string>();
  for (let n = 1; n <= perRequest; n++) {
    for (let k = 0; k < ids.length; k += 1000) {
      const values = ids.slice(k, k + 1000).map((id) => {
        const entry = { seq: seq++, at: new Date(), actor: 'bench', action: 'state_changed', requestId: id, details: { n }, keyId: ring.currentHmacId, ref: null, contentSha256: null, chain: id, chainSeq: n };
        const prevHash = prev.get(id) ?? GENESIS_HASH;
        const hash = linkHash(ring, prevHash, entry)!;
        prev.set(id, hash);
        return { seq: String(entry.seq), at: entry.at, actor: entry.actor, action: entry.action, request_id: id, details: JSON.stringify(entry.details), prev_hash: prevHash, hash, key_id: entry.keyId, chain: id, chain_seq: String(n) };
      });
      await db.insertInto('dsr.audit_log').values(values).execute();
    }
  }
  await sql`SELECT setval('dsr.audit_log_seq', ${seq})`.execute(db);
  await sql`ANALYZE dsr.audit_log`.execute(db);
  return ids;
}

async function timed(work: () => Promise<unknown>, runs: number): Promise<number> {
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = process.hrtime.bigint();
    await work();
    ms.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  return ms.sort((a, b) => a - b)[Math.floor(ms.length / 2)];
}

/** Made-up keys, unless another section of the run installed the process's keys already (those stay). */
function installBenchKeys(): void {
  try {
    auditKeys();
  } catch {
    const signingKey = generateKeyPairSync('ed25519').privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64');
    installAuditKeys(keyRingFrom({ hmacKeyId: 'bench', hmacKey: randomBytes(32).toString('base64'), oldHmacKeys: {}, signingKey, oldPublicKeys: [], legacyUntilSeq: 0 }));
  }
}

/** Measures the figures in a throwaway database; `transitions` per rate, `links` in the verified log. */
export async function benchAudit(serverUrl: string, options: { transitions: number; links: number }): Promise<AuditFigures> {
  const name = `dsr_bench_audit_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const db = createDb(url.toString(), { max: 17 });
  try {
    await migrateToLatest(db);
    await sql`CREATE TABLE bench_work (request_id uuid NOT NULL, i int NOT NULL)`.execute(db);
    installBenchKeys();
    // Each measured twice, the two locks alternating, so a busy moment of the shared machine falls on both; the better run counts.
    const c1 = Math.max(50, Math.floor(options.transitions / 4));
    const best = async (lock: Lock, concurrency: number, total: number, into: number[]) => into.push(await rate(db, lock, concurrency, total));
    const [g1, p1, g16, p16]: number[][] = [[], [], [], []];
    for (let round = 0; round < 2; round++) {
      await best('global', 1, c1, g1);
      await best('per-request', 1, c1, p1);
      await best('global', 16, options.transitions, g16);
      await best('per-request', 16, options.transitions, p16);
    }
    const [globalC1PerS, perRequestC1PerS, globalC16PerS, perRequestC16PerS] = [g1, p1, g16, p16].map((runs) => Math.max(...runs));

    const have = Number((await sql<{ n: string }>`SELECT count(*) AS n FROM dsr.audit_log`.execute(db)).rows[0].n);
    // At least the 20 chains the search page's check moves on below, even when the rate runs already wrote `links`.
    const ids = await fillChains(db, Math.max(20, Math.ceil((options.links - have) / 10)), 10);
    const links = Number((await sql<{ n: string }>`SELECT count(*) AS n FROM dsr.audit_log`.execute(db)).rows[0].n);
    const verifyWholeMs = await timed(async () => {
      const v = await verifyAuditChain(db, { record: false });
      if (!v.valid) throw new Error(`bench: the log does not verify (${v.problem} at ${v.brokenAt})`);
    }, 3);
    const verifyRequestMs = await timed(() => verifyRequestLinks(db, ids[Math.floor(ids.length / 2)]), 9);
    // The search page: a checkpoint of the whole log, then 20 requests move on before the next page.
    await verifyAuditChain(db);
    for (let i = 0; i < 20; i++) await transition(db, 'per-request', ids[i], i);
    const verifyContinuedMs = await timed(() => verifyAuditChain(db, { fromCheckpoint: true, record: false }), 5);
    return { perRequestC1PerS, globalC1PerS, perRequestC16PerS, globalC16PerS, ratioC16: perRequestC16PerS / globalC16PerS, links, verifyWholeMs, verifyRequestMs, verifyContinuedMs };
  } finally {
    await db.destroy();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}
