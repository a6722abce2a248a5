/**
 * Retention of the engine's own data (GDPR 5(1)(e)) on real PostgreSQL and the real Temporal dev
 * server: answer documents and exports are deleted the set number of days after their download
 * window ends, not a day earlier; a closed request's subject details are anonymised after the
 * register description's case-record period, not a day earlier; each run that does something leaves
 * one audit link with counts only, a repeated run does nothing, and the chain still verifies. The
 * purge runs as a Temporal Schedule that start-up creates once and updates after.
 */
import { Client, Connection } from '@temporalio/client';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/database';
import { verifyAuditChain } from '../../db/repositories/audit-verify';
import { getDocumentContent } from '../../db/repositories/documents';
import { purgeExpiredData } from '../../db/repositories/retention';
import { loadRegisterDescription } from '../../config/register-description';
import { REGISTER_COLUMNS } from '../../db/tables/register';
import { ensurePurgeSchedule, purgeScheduleId } from '../../worker/purge-schedule';
import { namespaceRetentionDays, setNamespaceRetention } from '../../embedded/namespace-retention';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { SUBJECT, seedRequest, sha256, type Seeded } from '../helpers/seed-request';
import { startEngine, type Engine } from '../helpers/engine';

jest.setTimeout(180_000);

const DAY_MS = 24 * 60 * 60 * 1000;

async function documentState(db: Kysely<Database>, id: string) {
  const row = await db.selectFrom('dsr.documents').select(['content', 'purged_at', 'sha256']).where('id', '=', id).executeTakeFirstOrThrow();
  return { bytes: row.content.length, purged: row.purged_at !== null, sha256: row.sha256 };
}

async function purgeLinks(db: Kysely<Database>) {
  return db.selectFrom('dsr.audit_log').selectAll().where('action', '=', 'retention_purge').orderBy('seq').execute();
}

describe('the retention purge at its boundaries', () => {
  let tdb: TestDatabase;
  const description = loadRegisterDescription('config/register-description.kuopio.yaml', REGISTER_COLUMNS);
  const years = description.requestRecords.retentionYears;
  // Closed as the download window ended, so the linked documents' clock and the draft's start together.
  const linkExpiresAt = new Date('2026-02-03T10:00:00Z');
  const closedAt = linkExpiresAt;
  const rules = (now: Date) => ({ now, documentDays: 30, requestRecordYears: years });
  let closed: Seeded;
  let open: Seeded;

  beforeAll(async () => {
    tdb = await createTestDatabase();
    closed = await seedRequest(tdb.db, { closedAt, linkExpiresAt });
    open = await seedRequest(tdb.db, { closedAt: null, linkExpiresAt: new Date('2026-12-31T00:00:00Z') });
  });
  afterAll(async () => {
    await tdb?.destroy();
  });

  it('the register description sets the case-record period (the Kuopio description: 5 years)', () => {
    expect(years).toBe(5);
  });

  it('one day before the 30 days after the download window end, the answer and export are kept', async () => {
    const counts = await purgeExpiredData(tdb.db, rules(new Date(linkExpiresAt.getTime() + 29 * DAY_MS)));
    expect(counts).toEqual({ documentsPurged: 0, reportPartsDeleted: 0, requestsAnonymised: 0 });
    expect(await documentState(tdb.db, closed.documents.access_answer)).toMatchObject({ purged: false, bytes: expect.any(Number) });
    expect((await documentState(tdb.db, closed.documents.access_answer)).bytes).toBeGreaterThan(0);
    expect(await purgeLinks(tdb.db)).toHaveLength(0);
  });

  it('a day after it, the answer, the export and the unsent draft lose their content (row and SHA-256 stay); the decision letter, a case record, stays whole', async () => {
    const counts = await purgeExpiredData(tdb.db, rules(new Date(linkExpiresAt.getTime() + 31 * DAY_MS)));
    expect(counts).toEqual({ documentsPurged: 3, reportPartsDeleted: 1, requestsAnonymised: 0 });
    expect(await documentState(tdb.db, closed.documents.draft)).toMatchObject({ bytes: 0, purged: true });
    expect(await documentState(tdb.db, closed.documents.access_answer)).toEqual({ bytes: 0, purged: true, sha256: sha256(Buffer.from(`${SUBJECT.hetu} access_answer`)) });
    expect(await documentState(tdb.db, closed.documents.portability_json)).toMatchObject({ bytes: 0, purged: true });
    expect(await documentState(tdb.db, closed.documents.decision)).toMatchObject({ purged: false });
    // Reading a purged document finds none (not a broken file, not a checksum failure).
    expect(await getDocumentContent(tdb.db, closed.documents.access_answer)).toBeNull();
    expect(await getDocumentContent(tdb.db, closed.documents.decision)).not.toBeNull();
    // The open request's answer is still in its download window: untouched.
    expect(await documentState(tdb.db, open.documents.access_answer)).toMatchObject({ purged: false });
    expect(await tdb.db.selectFrom('dsr.report_parts').select('request_id').execute()).toEqual([{ request_id: open.requestId }]);
  });

  it('run again, it does nothing and writes no second link', async () => {
    const counts = await purgeExpiredData(tdb.db, rules(new Date(linkExpiresAt.getTime() + 32 * DAY_MS)));
    expect(counts).toEqual({ documentsPurged: 0, reportPartsDeleted: 0, requestsAnonymised: 0 });
    expect(await purgeLinks(tdb.db)).toHaveLength(1);
  });

  it(`one day before the case-record period ends the subject's details are kept; a day after, they are anonymised`, async () => {
    const end = new Date(closedAt);
    end.setUTCFullYear(end.getUTCFullYear() + years);
    expect((await purgeExpiredData(tdb.db, rules(new Date(end.getTime() - DAY_MS)))).requestsAnonymised).toBe(0);
    const before = await tdb.db.selectFrom('dsr.requests').selectAll().where('id', '=', closed.requestId).executeTakeFirstOrThrow();
    expect(before.subject_hetu).toBe(SUBJECT.hetu);

    expect((await purgeExpiredData(tdb.db, rules(new Date(end.getTime() + DAY_MS)))).requestsAnonymised).toBe(1);
    const after = await tdb.db.selectFrom('dsr.requests').selectAll().where('id', '=', closed.requestId).executeTakeFirstOrThrow();
    expect(after).toMatchObject({ subject_first_name: '', subject_last_name: '', subject_hetu: null, subject_email: null, subject_phone: null, subject_address: null, person_id: null, details: {} });
    expect(after.anonymised_at).not.toBeNull();
    // The case record stays: reference, dates, right and outcome.
    expect(after).toMatchObject({ reference: before.reference, right: 'access', outcome: 'answered', received_on: before.received_on });
    const stillOpen = await tdb.db.selectFrom('dsr.requests').select('subject_hetu').where('id', '=', open.requestId).executeTakeFirstOrThrow();
    expect(stillOpen.subject_hetu).toBe(SUBJECT.hetu);
  });

  it('records each run as an audit link with counts and no personal data, and the chain verifies from its start', async () => {
    const links = await purgeLinks(tdb.db);
    expect(links.map((l) => l.details)).toEqual([
      expect.objectContaining({ documentsPurged: 3, reportPartsDeleted: 1, requestsAnonymised: 0 }),
      // Years later the open request's download window has long ended too: its answer and export go; its unsent draft waits for closure.
      expect.objectContaining({ documentsPurged: 2, reportPartsDeleted: 0, requestsAnonymised: 0 }),
      expect.objectContaining({ documentsPurged: 0, reportPartsDeleted: 0, requestsAnonymised: 1 }),
    ]);
    const text = JSON.stringify(links);
    for (const value of Object.values(SUBJECT)) expect(text).not.toContain(value);
    expect(links.every((l) => l.actor === 'system' && l.request_id === null)).toBe(true);
    const verified = await verifyAuditChain(tdb.db);
    expect(verified).toMatchObject({ valid: true });
    expect(verified.entries).toBeGreaterThanOrEqual(2);
  });
});

describe('the purge schedule on the Temporal dev server', () => {
  let engine: Engine;
  let connection: Connection;
  beforeAll(async () => {
    engine = await startEngine({ persons: 5, env: { RETENTION_PURGE_EVERY_HOURS: '24' } });
    connection = await Connection.connect({ address: process.env.TEMPORAL_ADDRESS! });
  });
  afterAll(async () => {
    await connection?.close();
    await engine?.stop();
  });

  it('is created once, updated on a later start, and a triggered run purges what is due', async () => {
    expect(await ensurePurgeSchedule(connection, engine.config)).toBe('created');
    expect(await ensurePurgeSchedule(connection, engine.config)).toBe('updated');
    const due = await seedRequest(engine.tdb.db, { closedAt: new Date(Date.now() - 90 * DAY_MS), linkExpiresAt: new Date(Date.now() - 60 * DAY_MS) });
    const client = new Client({ connection, namespace: engine.config.temporal.namespace });
    const handle = client.schedule.getHandle(purgeScheduleId(engine.config.temporal.taskQueue));
    const described = await handle.describe();
    expect(described.spec.intervals?.[0].every).toBe(24 * 60 * 60 * 1000);
    await handle.trigger();
    for (let i = 0; i < 150 && !(await documentState(engine.tdb.db, due.documents.access_answer)).purged; i++) await new Promise((r) => setTimeout(r, 200));
    expect(await documentState(engine.tdb.db, due.documents.access_answer)).toMatchObject({ purged: true, bytes: 0 });
    expect(await purgeLinks(engine.tdb.db)).toHaveLength(1);
    await handle.delete();
  });

  it("sets how long the dev server's namespace keeps closed workflows", async () => {
    await setNamespaceRetention(connection, engine.config.temporal.namespace, engine.config.retention.temporalDays);
    expect(await namespaceRetentionDays(connection, engine.config.temporal.namespace)).toBe(30);
  });
});
