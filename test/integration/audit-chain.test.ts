/**
 * The audit chain's verification with signed checkpoints, on real PostgreSQL: the default check
 * walks every link and leaves a signed checkpoint at the head, stored and exported to the folder;
 * the fast path continues only from a checkpoint whose signature verifies, never from a forged row.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { appendAudit } from '../../db/repositories/audit';
import { auditKeys, publicKeyBase64 } from '../../db/repositories/audit-keys';
import { checkpointDigest, checkpointSignatureValid, parseCheckpoint, type SignedCheckpoint } from '../../db/repositories/audit-checkpoints';
import { verifyAuditChain } from '../../db/repositories/audit-verify';
import { createTestDatabase, type TestDatabase } from '../helpers/db';

let tdb: TestDatabase;
let dir: string;
let first: SignedCheckpoint;

beforeAll(async () => {
  tdb = await createTestDatabase();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dsr-checkpoints-'));
});

afterAll(async () => {
  await tdb?.destroy();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function append(n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    await tdb.db.transaction().execute((trx) => appendAudit(trx, { actor: 'tester', action: 'test_entry', requestId: null, details: { i } }));
  }
}

test('a full check leaves a signed checkpoint at the head, in the table and as a file with the public key', async () => {
  await append(5);
  const full = await verifyAuditChain(tdb.db, { checkpointDir: dir });
  // One chain here (the system chain: links of no request); the checkpoint records its head.
  expect(full).toMatchObject({ valid: true, entries: 5, checkpoint: null, recorded: { v: 2, number: 1, seq: 5, full: true, heads: [{ c: 'system', n: 5, s: 5, h: full.headHash }] } });
  first = full.recorded!;
  const files = fs.readdirSync(dir);
  expect(files).toHaveLength(1);
  const file = JSON.parse(fs.readFileSync(path.join(dir, files[0]), 'utf8')) as Record<string, unknown>;
  expect(file).toMatchObject({ format: 'dsr-audit-checkpoint/2', number: 1, seq: 5, heads: [{ c: 'system', n: 5, h: full.headHash }], publicKey: publicKeyBase64(auditKeys().signing.publicKey) });
  expect(checkpointSignatureValid(auditKeys(), parseCheckpoint(file)!)).toBe(true);
  // The same chain again: nothing new to checkpoint.
  expect((await verifyAuditChain(tdb.db, { checkpointDir: dir })).recorded).toBeUndefined();
});

test('the fast path continues from the signed checkpoint, and its checkpoint names the one before', async () => {
  await append(3);
  const continued = await verifyAuditChain(tdb.db, { fromCheckpoint: true, checkpointDir: dir });
  expect(continued).toMatchObject({ valid: true, entries: 8, from: { seq: 5, chains: 1 }, recorded: { number: 2, seq: 8, full: false, heads: [{ c: 'system', n: 8 }] } });
  expect((continued.recorded as { prev: string }).prev).toBe(checkpointDigest(first));
});

test('a forged checkpoint row is not trusted by the fast path, and is reported as tampering', async () => {
  await append(2);
  // An insider adds a checkpoint at the head without the signing key: a made-up signature.
  const head = await tdb.adminDb.selectFrom('dsr.audit_log').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1).executeTakeFirstOrThrow();
  await sql`INSERT INTO dsr.audit_checkpoints (seq, hash, from_genesis, key_id, signature) VALUES (${head.seq}, ${head.hash}, true, ${auditKeys().signing.keyId}, ${Buffer.alloc(64).toString('base64')})`.execute(tdb.adminDb);
  const result = await verifyAuditChain(tdb.db, { fromCheckpoint: true, checkpointDir: dir });
  expect(result).toMatchObject({ valid: false, problem: 'checkpoint_forged', brokenAt: 10, from: { seq: 8 } });
  expect(result.recorded).toBeUndefined();
});
