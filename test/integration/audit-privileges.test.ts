/**
 * Least privilege (issue 11, point 1): connected as the engine's role, as the engine runs, every
 * attempt to change, remove or switch off the protection of the append-only tables is refused by
 * PostgreSQL itself, while reading and adding (what the engine needs) works.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/database';
import { APPEND_ONLY_TABLES } from '../../db/privileges';
import { appendAudit } from '../../db/repositories/audit';
import { storeDocument } from '../../db/repositories/documents';
import { recordTransition } from '../../db/repositories/events';
import { storeProposals } from '../../db/repositories/decisions';
import { seedRegister } from '../../db/seed';
import { createTestDatabase, type TestDatabase } from '../helpers/db';

let tdb: TestDatabase;
let engine: Kysely<Database>;
let requestId: string;

beforeAll(async () => {
  tdb = await createTestDatabase();
  engine = tdb.db;
  await seedRegister(tdb.ownerDb, { persons: 3, seed: 3 });
  // A request row to hang events, decisions and documents on (as intake would write it).
  const { rows } = await sql<{ id: string }>`
    WITH s AS (INSERT INTO dsr.submissions (id, received_at, channel, language, access_code_hash) VALUES (gen_random_uuid(), now(), 'e_form', 'fi', 'x') RETURNING id)
    INSERT INTO dsr.requests (id, submission_id, reference, "right", state, language, channel, received_at, received_on, deadline, deadline_at,
      extended_deadline, extended_deadline_at, deadline_rule, subject_first_name, subject_last_name)
    SELECT gen_random_uuid(), s.id, 'DSR-2025-PRIV01', 'access', 'received', 'fi', 'e_form', now(), current_date, current_date + 30, now() + interval '30 days',
      current_date + 90, now() + interval '90 days', 'test', 'Testi', 'Henkilö' FROM s RETURNING id`.execute(engine);
  requestId = rows[0].id;
  await recordTransition(engine, { requestId, businessKey: 'received', type: 'received', actor: 'system' });
  await storeProposals(engine, requestId, [{ key: 'contact_details', kind: 'category', outcome: 'granted', ground: 'gdpr_15_1_access' }]);
  await storeDocument(engine, { requestId, businessKey: 'doc', kind: 'access_answer', language: 'fi', filename: 'a.pdf', mediaType: 'application/pdf', content: Buffer.from('%PDF-1.7\n') });
});

afterAll(async () => {
  await tdb?.destroy();
});

/** The error PostgreSQL gives `statement` run as the engine's role, or null when it ran. */
async function refusal(statement: string): Promise<string | null> {
  try {
    await sql.raw(statement).execute(engine);
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}

test('the engine connects as an ordinary role: not a superuser, and it owns none of the tables', async () => {
  const { rows } = await sql<{ user: string; rolsuper: boolean; owned: number }>`
    SELECT current_user AS user, r.rolsuper,
      (SELECT count(*)::int FROM pg_tables t WHERE t.tableowner = current_user) AS owned
    FROM pg_roles r WHERE r.rolname = current_user`.execute(engine);
  expect(rows[0]).toEqual({ user: 'dsr_engine', rolsuper: false, owned: 0 });
});

test('it reads and adds to the append-only tables, which is all the engine does with them', async () => {
  await engine.transaction().execute((trx) => appendAudit(trx, { actor: 'tester', action: 'test_entry', requestId: null, details: {} }));
  // A request's chain: the engine numbers its links and adds to it.
  await engine.transaction().execute((trx) => appendAudit(trx, { actor: 'tester', action: 'test_entry', requestId, details: {} }));
  for (const table of APPEND_ONLY_TABLES) expect(await refusal(`SELECT count(*) FROM ${table}`)).toBeNull();
  // A decision is decided, a document approved: the columns granted for that work.
  expect(await refusal(`UPDATE dsr.decisions SET outcome = 'refused', decided_by = 'x' WHERE request_id = '${requestId}'`)).toBeNull();
  expect(await refusal(`UPDATE dsr.documents SET approved_at = now(), approved_by = 'x' WHERE request_id = '${requestId}'`)).toBeNull();
});

const forbidden: [string, string, RegExp][] = [
  ['UPDATE a link', `UPDATE dsr.audit_log SET actor = 'someone else'`, /permission denied for table audit_log/],
  ['DELETE a link', `DELETE FROM dsr.audit_log`, /permission denied for table audit_log/],
  ['TRUNCATE the links', `TRUNCATE dsr.audit_log`, /permission denied for table audit_log/],
  ['UPDATE an event', `UPDATE dsr.events SET actor = 'someone else'`, /permission denied for table events/],
  ['DELETE an event', `DELETE FROM dsr.events`, /permission denied for table events/],
  ['TRUNCATE the events', `TRUNCATE dsr.events CASCADE`, /permission denied for table events/],
  ['UPDATE a decision\'s identity', `UPDATE dsr.decisions SET kind = 'correction'`, /permission denied for table decisions/],
  ['DELETE a decision', `DELETE FROM dsr.decisions`, /permission denied for table decisions/],
  ['TRUNCATE the decisions', `TRUNCATE dsr.decisions`, /permission denied for table decisions/],
  ['UPDATE a document\'s content', `UPDATE dsr.documents SET content = 'forged', sha256 = 'x'`, /permission denied for table documents/],
  ['DELETE a document', `DELETE FROM dsr.documents`, /permission denied for table documents/],
  ['TRUNCATE the documents', `TRUNCATE dsr.documents CASCADE`, /permission denied for table documents/],
  ['UPDATE a checkpoint', `UPDATE dsr.audit_checkpoints SET seq = 1`, /permission denied for table audit_checkpoints/],
  // The per-request chains (migration 0015): a link's chain and place, the checkpoints' heads and their chain, the numbering.
  ["UPDATE a link's chain", `UPDATE dsr.audit_log SET chain = 'system', request_id = NULL`, /permission denied for table audit_log/],
  ["UPDATE a link's place in its chain", `UPDATE dsr.audit_log SET chain_seq = chain_seq + 1`, /permission denied for table audit_log/],
  ["UPDATE a checkpoint's heads", `UPDATE dsr.audit_checkpoints SET heads = '[]'::jsonb`, /permission denied for table audit_checkpoints/],
  ["UPDATE a checkpoint's number and back-link", `UPDATE dsr.audit_checkpoints SET number = number + 1, prev_digest = 'x'`, /permission denied for table audit_checkpoints/],
  ['move the link numbering back (setval)', `SELECT setval('dsr.audit_log_seq', 1)`, /permission denied for sequence audit_log_seq/],
  ['DELETE the checkpoints', `DELETE FROM dsr.audit_checkpoints`, /permission denied for table audit_checkpoints/],
  ['ALTER TABLE ... DISABLE TRIGGER', `ALTER TABLE dsr.audit_log DISABLE TRIGGER audit_log_no_update`, /must be owner of table audit_log/],
  ['ALTER TABLE ... DISABLE TRIGGER ALL', `ALTER TABLE dsr.events DISABLE TRIGGER ALL`, /must be owner of table events/],
  ['DROP TRIGGER', `DROP TRIGGER audit_log_no_truncate ON dsr.audit_log`, /must be owner of (table|relation) audit_log/],
  ['SET session_replication_role = replica', `SET session_replication_role = replica`, /permission denied to set parameter "session_replication_role"/],
  ['ALTER the trigger function', `CREATE OR REPLACE FUNCTION dsr.audit_log_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$`, /must be owner of function|permission denied for schema dsr/],
  ['DROP the table', `DROP TABLE dsr.audit_log`, /must be owner of table audit_log/],
];

test.each(forbidden)('%s is refused', async (_what, statement, error) => {
  expect(await refusal(statement)).toMatch(error);
});

test('a refused change changed nothing', async () => {
  const { rows } = await sql<{ actors: string[] }>`SELECT array_agg(DISTINCT actor) AS actors FROM dsr.audit_log`.execute(tdb.adminDb);
  expect(rows[0].actors).not.toContain('someone else');
  const docs = await tdb.adminDb.selectFrom('dsr.documents').select(['sha256']).execute();
  expect(docs).toHaveLength(1);
  expect(docs[0].sha256).not.toBe('x');
});

test("the retention purge's one change to a document is allowed: its content cleared together with the purge mark, once", async () => {
  const refused = /a stored document's content does not change/;
  expect(await refusal(`UPDATE dsr.documents SET content = 'forged'`)).toMatch(refused);
  expect(await refusal(`UPDATE dsr.documents SET content = ''::bytea`)).toMatch(refused);
  expect(await refusal(`UPDATE dsr.documents SET purged_at = now()`)).toMatch(refused);
  expect(await refusal(`UPDATE dsr.documents SET content = 'forged', purged_at = now()`)).toMatch(refused);
  expect(await refusal(`UPDATE dsr.documents SET content = ''::bytea, purged_at = now()`)).toBeNull();
  // The mark stays where the purge put it.
  expect(await refusal(`UPDATE dsr.documents SET purged_at = NULL`)).toMatch(refused);
  expect(await refusal(`UPDATE dsr.documents SET purged_at = now() + interval '1 day'`)).toMatch(refused);
  expect(await refusal(`UPDATE dsr.documents SET content = 'forged', purged_at = NULL`)).toMatch(refused);
});
