/**
 * The audit chain's verification with checkpoints, on real PostgreSQL: a check continues from the
 * latest checkpoint whose link is unchanged; the full check from the genesis still finds a link
 * changed before it; a changed checkpoint link makes that checkpoint unusable.
 */
import { sql } from 'kysely';
import { appendAudit, verifyAuditChain } from '../../db/repositories/audit';
import { createTestDatabase, type TestDatabase } from '../helpers/db';

let tdb: TestDatabase;

beforeAll(async () => {
  tdb = await createTestDatabase();
});

afterAll(async () => {
  await tdb?.destroy();
});

async function append(n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    await tdb.db.transaction().execute((trx) => appendAudit(trx, { actor: 'tester', action: 'test_entry', requestId: null, details: { i } }));
  }
}

/** Changes one stored link behind the append-only trigger's back, as an intruder with the database's keys could. */
async function tamper(seq: number): Promise<void> {
  await sql`ALTER TABLE dsr.audit_log DISABLE TRIGGER audit_log_no_update`.execute(tdb.db);
  await sql`UPDATE dsr.audit_log SET details = '{"i": "changed"}'::jsonb WHERE seq = ${seq}`.execute(tdb.db);
  await sql`ALTER TABLE dsr.audit_log ENABLE TRIGGER audit_log_no_update`.execute(tdb.db);
}

test('a check continues from the last checkpoint, and leaves one at the head', async () => {
  await append(5);
  const full = await verifyAuditChain(tdb.db);
  expect(full).toMatchObject({ valid: true, entries: 5 });
  expect(full.from).toBeUndefined();

  await append(3);
  const continued = await verifyAuditChain(tdb.db, { fromCheckpoint: true });
  expect(continued).toMatchObject({ valid: true, entries: 8, from: { seq: 5, fromGenesis: true } });
  const again = await verifyAuditChain(tdb.db, { fromCheckpoint: true });
  expect(again).toMatchObject({ valid: true, entries: 8, from: { seq: 8, fromGenesis: false } });
});

test('a link changed before the checkpoint escapes the continued check but not the full one', async () => {
  await tamper(2);
  expect(await verifyAuditChain(tdb.db, { fromCheckpoint: true })).toMatchObject({ valid: true, from: { seq: 8 } });
  expect(await verifyAuditChain(tdb.db)).toMatchObject({ valid: false, brokenAt: 2, entries: 1, problem: 'content does not match its hash' });
});

test('a changed checkpoint link makes the check fall back to an earlier checkpoint, which finds it', async () => {
  await tamper(8);
  const result = await verifyAuditChain(tdb.db, { fromCheckpoint: true });
  expect(result).toMatchObject({ valid: false, brokenAt: 8, from: { seq: 5 } });
});
