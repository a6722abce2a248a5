import { appendAudit } from '../../db/repositories/audit';
import { verifyAuditChain, verifyRequestLinks } from '../../db/repositories/audit-verify';
import { recordTransition } from '../../db/repositories/events';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { sql } from 'kysely';
jest.setTimeout(600_000);
let tdb: TestDatabase;
beforeAll(async () => { tdb = await createTestDatabase(); });
afterAll(async () => { await tdb.destroy(); });
test('measure', async () => {
  const { rows } = await sql<{ id: string }>`
    WITH s AS (INSERT INTO dsr.submissions (id, received_at, channel, language, access_code_hash) VALUES (gen_random_uuid(), now(), 'e_form', 'fi', 'x') RETURNING id)
    INSERT INTO dsr.requests (id, submission_id, reference, "right", state, language, channel, received_at, received_on, deadline, deadline_at,
      extended_deadline, extended_deadline_at, deadline_rule, subject_first_name, subject_last_name)
    SELECT gen_random_uuid(), s.id, 'DSR-2025-MEAS01', 'access', 'received', 'fi', 'e_form', now(), current_date, current_date + 30, now() + interval '30 days',
      current_date + 90, now() + interval '90 days', 'test', 'Testi', 'Henkilö' FROM s RETURNING id`.execute(tdb.db);
  const requestId = rows[0].id;
  const N = Number(process.env.N ?? 20000);
  let t = Date.now();
  await tdb.db.transaction().execute(async (trx) => {
    for (let i = 0; i < N; i++) {
      if (i % 2 === 0) await appendAudit(trx, { actor: 'x', action: 'staff_viewed_request', requestId: i % 100 === 0 ? requestId : null, details: { i } });
    }
  });
  for (let i = 0; i < N / 2; i++) await recordTransition(tdb.db, { requestId: i % 100 === 0 ? requestId : requestId, businessKey: `k${i}`, type: 'note', actor: 'x' });
  const appendMs = Date.now() - t;
  t = Date.now();
  const full = await verifyAuditChain(tdb.db, { record: false });
  const fullMs = Date.now() - t;
  t = Date.now();
  const req = await verifyRequestLinks(tdb.db, requestId);
  const reqMs = Date.now() - t;
  console.log(JSON.stringify({ N, appendMs, perAppendMs: appendMs / N, full: full.valid, entries: full.entries, fullMs, reqLinks: req.links, reqMs }));
});
