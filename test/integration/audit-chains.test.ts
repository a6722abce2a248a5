/**
 * One audit chain per request (issue 13, point 6), on real PostgreSQL: parallel transitions of many
 * requests append without waiting for each other and still give every chain contiguous places and
 * no fork; a link that commits after a checkpoint saw later ones is not lost from the checkpoints;
 * and a log begun before the per-request chains (a legacy global chain with its old checkpoint)
 * goes on verifying with new chains after it, tampering in either part found.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { Migrator, sql, type Kysely } from 'kysely';
import { createDb, type Database } from '../../db/database';
import { migrations } from '../../db/migrations';
import { migrateToLatest } from '../../db/migrate';
import { appendAudit, GENESIS_HASH, LEGACY_CHAIN, linkHash } from '../../db/repositories/audit';
import { auditKeys } from '../../db/repositories/audit-keys';
import { checkpointFile, MAX_HEADS, signCheckpoint, type ChainsCheckpoint } from '../../db/repositories/audit-checkpoints';
import { verifyAuditChain, verifyRequestLinks, type ChainVerification } from '../../db/repositories/audit-verify';
import { createTestDatabase, type TestDatabase } from '../helpers/db';

jest.setTimeout(60_000);

const open: TestDatabase[] = [];
const dirs: string[] = [];
afterAll(async () => {
  for (const t of open) await t.destroy();
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

function folder(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dsr-chains-'));
  dirs.push(dir);
  return dir;
}

function append(db: Kysely<Database>, requestId: string | null, i: number) {
  return db.transaction().execute((trx) => appendAudit(trx, { actor: 'kasittelija.1', action: 'staff_viewed_request', requestId, details: { i } }));
}

/** Runs `work` as the insider (superuser, triggers off) and checks the log inside that transaction, which is then rolled back. */
async function checkTampered(tdb: TestDatabase, dir: string, work: (trx: Kysely<Database>) => Promise<unknown>): Promise<ChainVerification> {
  let found: ChainVerification | undefined;
  await tdb.adminDb
    .transaction()
    .execute(async (trx) => {
      await sql`SET LOCAL session_replication_role = replica`.execute(trx);
      await work(trx);
      found = await verifyAuditChain(trx, { checkpointDir: dir, record: false });
      throw new Error('roll back');
    })
    .catch((e: Error) => {
      if (e.message !== 'roll back') throw e;
    });
  return found!;
}

describe('parallel appends', () => {
  let tdb: TestDatabase;
  const dir = folder();
  const requests = Array.from({ length: 20 }, () => randomUUID());

  beforeAll(async () => {
    tdb = await createTestDatabase();
    open.push(tdb);
  });

  test('20 requests x 10 links from 200 parallel transactions: every chain has places 1..10, each pointing back at the one before, and the log verifies', async () => {
    const pool = createDb(tdb.url, { max: 16 });
    try {
      const jobs = requests.flatMap((id) => Array.from({ length: 10 }, (_, i) => ({ id, i })));
      // Shuffled, so the same request's transitions race each other as well as other requests'.
      jobs.sort(() => Math.random() - 0.5);
      await Promise.all(jobs.map((j) => append(pool, j.id, j.i)));
    } finally {
      await pool.destroy();
    }
    const rows = await tdb.db.selectFrom('dsr.audit_log').select(['chain', 'chain_seq', 'prev_hash', 'hash', 'request_id']).orderBy('chain').orderBy('chain_seq').execute();
    expect(rows).toHaveLength(200);
    for (const id of requests) {
      const chain = rows.filter((r) => r.chain === id);
      expect(chain.map((r) => Number(r.chain_seq))).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      expect(chain.every((r) => r.request_id === id)).toBe(true);
      chain.forEach((r, k) => expect(r.prev_hash).toBe(k === 0 ? GENESIS_HASH : chain[k - 1].hash));
    }
    const verified = await verifyAuditChain(tdb.db, { checkpointDir: dir });
    expect(verified).toMatchObject({ valid: true, entries: 200 });
    expect((verified.recorded as ChainsCheckpoint).heads.map((h) => [h.c, h.n]).sort()).toEqual(requests.map((id) => [id, 10]).sort());
  });

  test('a continued check walks only the chains that changed since the checkpoint', async () => {
    await append(tdb.db, requests[0], 10);
    await append(tdb.db, requests[1], 10);
    const continued = await verifyAuditChain(tdb.db, { checkpointDir: dir, fromCheckpoint: true });
    expect(continued).toMatchObject({ valid: true, entries: 202, recorded: { number: 2, full: false } });
    // The two that grew (more only while another transaction on the server is older than the checkpoint).
    expect(continued.from!.chains).toBeGreaterThanOrEqual(2);
    expect(continued.from!.chains).toBeLessThan(requests.length);
    expect((continued.recorded as ChainsCheckpoint).heads.map((h) => [h.c, h.n]).sort()).toEqual([requests[0], requests[1]].sort().map((id) => [id, 11]));
  });

  test('one request is checked from its own chain, and its chain cut below the checkpoint is found there', async () => {
    expect(await verifyRequestLinks(tdb.db, requests[5], { checkpointDir: dir })).toMatchObject({ valid: true, links: 10, checkpoint: { number: 1 } });
    const head = await tdb.adminDb.selectFrom('dsr.audit_log').select('seq').where('chain', '=', requests[5]).where('chain_seq', '=', '10').executeTakeFirstOrThrow();
    let found: unknown;
    await tdb.adminDb
      .transaction()
      .execute(async (trx) => {
        await sql`SET LOCAL session_replication_role = replica`.execute(trx);
        await trx.deleteFrom('dsr.audit_log').where('seq', '=', head.seq).execute();
        found = await verifyRequestLinks(trx, requests[5], { checkpointDir: dir });
        throw new Error('roll back');
      })
      .catch(() => undefined);
    expect(found).toMatchObject({ valid: false, problem: 'chain_shorter_than_checkpoint' });
  });

  test('a link that commits after a checkpoint saw later links is in the next checkpoint, and its removal is found', async () => {
    const late = randomUUID();
    const early = randomUUID();
    const pool = createDb(tdb.url, { max: 2 });
    try {
      // The late transaction takes its number first and commits last.
      let release!: () => void;
      const held = new Promise<void>((r) => (release = r));
      let numbered!: () => void;
      const hasNumber = new Promise<void>((r) => (numbered = r));
      const slow = pool.transaction().execute(async (trx) => {
        const link = await appendAudit(trx, { actor: 'kasittelija.1', action: 'staff_viewed_request', requestId: late, details: {} });
        numbered();
        await held;
        return link;
      });
      await hasNumber;
      const fast = await append(tdb.db, early, 0);
      const seen = await verifyAuditChain(tdb.db, { checkpointDir: dir, fromCheckpoint: true });
      expect(seen.valid).toBe(true);
      expect((seen.recorded as ChainsCheckpoint).heads.map((h) => h.c)).toEqual([early]);
      release();
      const slowLink = await slow;
      expect(slowLink.seq).toBeLessThan(fast.seq);
      const next = await verifyAuditChain(tdb.db, { checkpointDir: dir, fromCheckpoint: true });
      expect(next.valid).toBe(true);
      expect((next.recorded as ChainsCheckpoint).heads.map((h) => [h.c, h.n])).toEqual([[late, 1]]);
    } finally {
      await pool.destroy();
    }
    const found = await checkTampered(tdb, dir, (trx) => trx.deleteFrom('dsr.audit_log').where('chain', '=', late).execute());
    expect(found).toMatchObject({ valid: false, problem: 'chain_shorter_than_checkpoint' });
  });
});

describe('a log begun before the per-request chains', () => {
  let tdb: TestDatabase;
  const dir = folder();
  const requestId = randomUUID();

  /** How links were appended before migration 0015: one global chain behind one lock. */
  async function appendLegacy(db: Kysely<Database>, i: number): Promise<void> {
    await db.transaction().execute(async (trx) => {
      await sql`SELECT pg_advisory_xact_lock(hashtext('dsr.audit_log'))`.execute(trx);
      const head = await trx.selectFrom('dsr.audit_log').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1).executeTakeFirst();
      const seq = head ? Number(head.seq) + 1 : 1;
      const prevHash = head?.hash ?? GENESIS_HASH;
      const entry = { seq, at: new Date(), actor: 'kasittelija.1', action: 'staff_viewed_request', requestId: i % 2 === 0 ? requestId : null, details: { i }, keyId: auditKeys().currentHmacId, ref: null, contentSha256: null, chain: null, chainSeq: null };
      const hash = linkHash(auditKeys(), prevHash, entry)!;
      await trx
        .insertInto('dsr.audit_log')
        .values({ seq: String(seq), at: entry.at, actor: entry.actor, action: entry.action, request_id: entry.requestId, details: JSON.stringify(entry.details), prev_hash: prevHash, hash, key_id: entry.keyId })
        .execute();
    });
  }

  beforeAll(async () => {
    tdb = await createTestDatabase({
      migrate: (db) => new Migrator({ db, provider: { getMigrations: async () => migrations }, migrationTableSchema: 'public' }).migrateTo('0014_recorded_purge'),
    });
    open.push(tdb);
    for (let i = 0; i < 12; i++) await appendLegacy(tdb.db, i);
    // The old checkpoint, stored and exported as before.
    const head = await tdb.db.selectFrom('dsr.audit_log').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1).executeTakeFirstOrThrow();
    const old = signCheckpoint(auditKeys(), { seq: Number(head.seq), head: head.hash, at: new Date() });
    await tdb.db.insertInto('dsr.audit_checkpoints').values({ seq: String(old.seq), hash: old.head, from_genesis: true, verified_at: new Date(old.at), key_id: old.keyId, signature: old.signature }).execute();
    fs.writeFileSync(path.join(dir, `checkpoint-${String(old.seq).padStart(12, '0')}-${old.at.replace(/[:.]/g, '')}.json`), checkpointFile(auditKeys(), old));
    await migrateToLatest(tdb.db);
    for (let i = 0; i < 4; i++) await append(tdb.db, requestId, i);
    await append(tdb.db, null, 0);
  });

  test('the legacy chain and the new chains after it verify; the legacy chain stays held by its old signed checkpoint', async () => {
    const verified = await verifyAuditChain(tdb.db, { checkpointDir: dir });
    expect(verified).toMatchObject({ valid: true, entries: 17, checkpoint: { v: 1, seq: 12 } });
    const heads = (verified.recorded as ChainsCheckpoint).heads.map((h) => [h.c, h.n]).sort();
    // The old checkpoint already vouches for the whole legacy chain: only the new chains' heads are added.
    expect(heads).toEqual([[requestId, 4], ['system', 1]].sort());
    expect(heads.map((h) => h[0])).not.toContain(LEGACY_CHAIN);
    // New links continue the global numbering after the legacy ones.
    const first = await tdb.db.selectFrom('dsr.audit_log').select('seq').where('chain', '=', requestId).where('chain_seq', '=', '1').executeTakeFirstOrThrow();
    expect(Number(first.seq)).toBe(13);
    expect(await verifyRequestLinks(tdb.db, requestId, { checkpointDir: dir })).toMatchObject({ valid: true, links: 10 });
  });

  test("a request's own view holds its legacy links and the legacy chain's old checkpoint too", async () => {
    let found: unknown;
    await tdb.adminDb
      .transaction()
      .execute(async (trx) => {
        await sql`SET LOCAL session_replication_role = replica`.execute(trx);
        await sql`DELETE FROM dsr.audit_log WHERE seq = 12`.execute(trx);
        found = await verifyRequestLinks(trx, requestId, { checkpointDir: dir });
        throw new Error('roll back');
      })
      .catch(() => undefined);
    expect(found).toMatchObject({ valid: false, problem: 'chain_shorter_than_checkpoint', brokenAt: 12 });
  });

  test.each([
    ['a legacy link changed', (trx: Kysely<Database>) => sql`UPDATE dsr.audit_log SET actor = 'joku.muu' WHERE seq = 5`.execute(trx), /^link_forged$/],
    ['the legacy tail deleted', (trx: Kysely<Database>) => sql`DELETE FROM dsr.audit_log WHERE seq = 12`.execute(trx), /^chain_shorter_than_checkpoint$/],
    ['a legacy link deleted in the middle', (trx: Kysely<Database>) => sql`DELETE FROM dsr.audit_log WHERE seq = 6`.execute(trx), /^sequence_gap$/],
    ['a new link changed', (trx: Kysely<Database>) => sql`UPDATE dsr.audit_log SET actor = 'joku.muu' WHERE chain = ${requestId} AND chain_seq = 2`.execute(trx), /^link_forged$/],
    ['a new link moved into the legacy chain', (trx: Kysely<Database>) => sql`UPDATE dsr.audit_log SET chain = NULL, chain_seq = NULL, tx = NULL WHERE chain = ${requestId} AND chain_seq = 4`.execute(trx), /^(sequence_gap|back_link_mismatch|link_forged|chain_shorter_than_checkpoint)$/],
    ['a chain-less link put in after the migration', (trx: Kysely<Database>) => sql`INSERT INTO dsr.audit_log (at, actor, action, details, prev_hash, hash) VALUES (now(), 'joku.muu', 'x', '{}', 'x', 'y')`.execute(trx), /^unkeyed_link$/],
  ])('%s: found', async (_what, work, problem) => {
    const found = await checkTampered(tdb, dir, work);
    expect(found.valid).toBe(false);
    expect(found.problem).toMatch(problem);
  });
});

describe('many chains advancing at once', () => {
  test('more heads than one checkpoint holds are signed as several chained checkpoints; each request finds its own, and one removed is found', async () => {
    const tdb = await createTestDatabase();
    open.push(tdb);
    const dir = folder();
    const ring = auditKeys();
    const ids = Array.from({ length: MAX_HEADS * 2 + 100 }, () => randomUUID());
    // Written in bulk as the engine would have, one link per request.
    const values = ids.map((id, k) => {
      const entry = { seq: k + 1, at: new Date(), actor: 'kasittelija.1', action: 'staff_viewed_request', requestId: id, details: {}, keyId: ring.currentHmacId, ref: null, contentSha256: null, chain: id, chainSeq: 1 };
      const hash = linkHash(ring, GENESIS_HASH, entry)!;
      return { seq: String(entry.seq), at: entry.at, actor: entry.actor, action: entry.action, request_id: id, details: '{}', prev_hash: GENESIS_HASH, hash, key_id: entry.keyId, chain: id, chain_seq: '1' };
    });
    await tdb.ownerDb.insertInto('dsr.audit_log').values(values).execute();
    const first = await verifyAuditChain(tdb.db, { checkpointDir: dir });
    expect(first).toMatchObject({ valid: true, entries: ids.length, recorded: { number: 3 } });
    const stored = await tdb.db.selectFrom('dsr.audit_checkpoints').select(['number', 'heads']).orderBy('number').execute();
    expect(stored.map((r) => [Number(r.number), r.heads!.length])).toEqual([[1, MAX_HEADS], [2, MAX_HEADS], [3, 100]]);
    expect(fs.readdirSync(dir)).toHaveLength(3);
    const last = ids.find((id) => stored[2].heads!.some((h) => h.c === id))!;
    expect(await verifyRequestLinks(tdb.db, last, { checkpointDir: dir })).toMatchObject({ valid: true, links: 1, checkpoint: { number: 3 } });
    expect(await verifyAuditChain(tdb.db, { checkpointDir: dir })).toMatchObject({ valid: true });
    const found = await checkTampered(tdb, dir, (trx) => trx.deleteFrom('dsr.audit_checkpoints').where('number', '=', '2').execute());
    expect(found).toMatchObject({ valid: false, problem: 'checkpoint_missing' });
  });
});
