/**
 * The changes the rights make to the client register (GDPR 16, 17, 18, 20, 21, 7(3)), against a real
 * PostgreSQL register of 20 synthetic people plus the demo person, who has rows in every table.
 * Most tests run inside a transaction that is rolled back, so each starts from the seeded register;
 * the retry and race tests commit, on people no other test touches.
 */
import path from 'node:path';
import { createHash } from 'node:crypto';
import { sql, type Kysely, type Migration } from 'kysely';
import type { Database } from '../../db/database';
import { canonicalJson } from '../../db/repositories/audit';
import { findPersonIdByHetu, type RegisterSubject } from '../../db/repositories/register-data';
import {
  ANONYMISED_MARK,
  applyRectification,
  CSV_HEADER,
  eraseCategories,
  exportPortableData,
  liftRestriction,
  listRectifiableFields,
  NoConsentRecordError,
  processingLimits,
  RectificationTargetError,
  RectificationValueError,
  restrictCategories,
  subjectHasProcessingLimit,
  UnknownCategoryError,
  withdrawConsent,
  WITHDRAWN_MARK,
  type PortableDocument,
  type TableChange,
} from '../../db/repositories/register-changes';
import * as m0003 from '../../db/migrations/0003_processing_limits';
import { DEMO_EMAIL, DEMO_HETU, seedRegister } from '../../db/seed';
import { REGISTER_COLUMNS, type ColumnKind } from '../../db/tables/register';
import { proposeOutcomes } from '../../domain/decisions';
import { loadRegisterDescription } from '../../config/register-description';
import type { RegisterDescription } from '../../domain/register-description';
import { createTestDatabase, type TestDatabase } from '../helpers/db';

const processingLimitsMigration: Migration = m0003;
const EMPTY_DIGEST = createHash('sha256').update('[]').digest('hex');
const TABLES = Object.keys(REGISTER_COLUMNS);
const KINDS = REGISTER_COLUMNS as Record<string, Record<string, ColumnKind>>;

let testDb: TestDatabase;
let db: Kysely<Database>;
let description: RegisterDescription;
let demo: RegisterSubject & { personId: string };
let allCategories: string[];

beforeAll(async () => {
  testDb = await createTestDatabase();
  db = testDb.db;
  description = loadRegisterDescription(path.join(__dirname, '../../config/register-description.kuopio.yaml'), REGISTER_COLUMNS);
  // Seeding is a bulk load (it drops and rebuilds indexes): the owner's work, not the engine's.
  await seedRegister(testDb.ownerDb, { persons: 20, seed: 11, description, batchSize: 10 });
  demo = { personId: (await findPersonIdByHetu(db, DEMO_HETU)) as string, email: DEMO_EMAIL };
  allCategories = description.categories.map((c) => c.key);
}, 120_000);

afterAll(async () => {
  await testDb?.destroy();
});

class RolledBack extends Error {}

/** Runs `work` in a transaction that is always rolled back, so the next test sees the seeded register. */
async function rolledBack(work: (trx: Kysely<Database>) => Promise<void>, on: Kysely<Database> = db): Promise<void> {
  // A failed expectation inside is passed on as it is, so its message says what went wrong.
  const outcome = await on
    .transaction()
    .execute(async (trx) => {
      await work(trx);
      throw new RolledBack();
    })
    .catch((error: unknown) => error);
  if (!(outcome instanceof RolledBack)) throw outcome;
}

function tableOf(category: string): string {
  return description.categories.find((c) => c.key === category)!.tables[0].table;
}

/** The subject's rows of a register table (or its processing view), all columns, in key order. */
async function rowsOf(trx: Kysely<Database>, table: string, subject: RegisterSubject, schema = 'register'): Promise<Record<string, unknown>[]> {
  const name = `${schema}.${table.split('.')[1]}`;
  const where =
    table === 'register.persons'
      ? sql`id = ${subject.personId}`
      : table === 'register.employer_contacts'
        ? sql`lower(email) = lower(${subject.email})`
        : sql`person_id = ${subject.personId}`;
  const { rows } = await sql<Record<string, unknown>>`select * from ${sql.table(name)} where ${where} order by id`.execute(trx);
  return rows;
}

/** Every row of every register table that is not the subject's, as JSON. */
async function othersSnapshot(trx: Kysely<Database>, subject: RegisterSubject): Promise<Record<string, unknown[]>> {
  const snapshot: Record<string, unknown[]> = {};
  for (const table of TABLES) {
    const where =
      table === 'register.persons'
        ? sql`id <> ${subject.personId}`
        : table === 'register.employer_contacts'
          ? sql`lower(email) <> lower(${subject.email})`
          : sql`person_id <> ${subject.personId}`;
    const { rows } = await sql<{ row: unknown }>`select to_jsonb(t) as row from ${sql.table(table)} as t where ${where} order by id`.execute(trx);
    snapshot[table] = rows.map((r) => r.row);
  }
  return snapshot;
}

function totalRows(changes: readonly TableChange[]): number {
  return changes.reduce((n, c) => n + c.rows, 0);
}

/** A second run found nothing to do: no rows, and both digests are those of no rows. */
function expectNothingDone(changes: readonly TableChange[]): void {
  for (const change of changes) expect(change).toEqual({ ...change, rows: 0, beforeDigest: EMPTY_DIGEST, afterDigest: EMPTY_DIGEST });
}

/** The summary carries digests, never the demo person's data. */
function expectNoPersonalData(changes: readonly TableChange[]): void {
  const text = JSON.stringify(changes);
  for (const secret of [DEMO_HETU, 'Testi', 'Demo', DEMO_EMAIL, '040 123 4567', demo.personId]) expect(text).not.toContain(secret);
  for (const change of changes) {
    expect(Object.keys(change).sort()).toEqual(['action', 'afterDigest', 'beforeDigest', 'category', 'rows', 'table']);
    expect(change.beforeDigest).toMatch(/^[0-9a-f]{64}$/);
    expect(change.afterDigest).toMatch(/^[0-9a-f]{64}$/);
  }
}

/** People whose changes were committed: tests that need an untouched register leave them alone. */
const committed: string[] = [];

/** A synthetic person (not the demo person, not one changed for good) with the most rows in `table`. */
async function someoneWithRowsIn(table: string, except: string[] = committed): Promise<RegisterSubject & { personId: string }> {
  const { rows } = await sql<{ person_id: string }>`
    select person_id from ${sql.table(table)} where person_id <> all(${[demo.personId, ...except]}::uuid[])
     group by person_id order by count(*) desc, person_id limit 1`.execute(db);
  if (rows.length === 0) throw new Error(`the seed gave no one but the demo person rows in ${table}`);
  return { personId: rows[0].person_id, email: null };
}

describe('migration 0003: processing limits', () => {
  it('gives every register table a restriction ground and a processing view', async () => {
    const { rows } = await sql<{ table_schema: string; table_name: string }>`
      select table_schema, table_name from information_schema.columns
       where column_name = 'restriction_ground' and table_schema in ('register', 'processing')`.execute(db);
    const names = (schema: string) => rows.filter((r) => r.table_schema === schema).map((r) => `register.${r.table_name}`).sort();
    expect(names('register')).toEqual([...TABLES].sort());
    expect(names('processing')).toEqual([...TABLES].sort());
  });

  it('shows ordinary processing no row whose consent was withdrawn, and every other row', async () => {
    await rolledBack(async (trx) => {
      for (const table of ['photo_consents', 'visibility_consents', 'diet_restrictions', 'work_ability']) {
        const { rows: marked } = await sql<{ id: string }>`
          update ${sql.table(`register.${table}`)} set consent_withdrawn_at = now()
           where id = (select min(id) from ${sql.table(`register.${table}`)} where consent_withdrawn_at is null) returning id`.execute(trx);
        expect(marked).toHaveLength(1);
        const { rows } = await sql<{ usable: number; viewed: number; hidden: number }>`
          select (select count(*)::int from ${sql.table(`register.${table}`)} where consent_withdrawn_at is null) as usable,
                 (select count(*)::int from ${sql.table(`processing.${table}`)}) as viewed,
                 (select count(*)::int from ${sql.table(`processing.${table}`)} where id = ${marked[0].id}) as hidden`.execute(trx);
        expect({ table, ...rows[0] }).toEqual({ table, usable: rows[0].usable, viewed: rows[0].usable, hidden: 0 });
      }
    });
  });

  it('down drops the views and the column; up brings them back', async () => {
    await rolledBack(async (trx) => {
      await processingLimitsMigration.down?.(trx);
      const after = await sql<{ n: number }>`
        select count(*)::int as n from information_schema.columns
         where column_name = 'restriction_ground' or table_schema = 'processing'`.execute(trx);
      expect(after.rows[0].n).toBe(0);
      await processingLimitsMigration.up(trx);
      const again = await sql<{ n: number }>`select count(*)::int as n from information_schema.views where table_schema = 'processing'`.execute(trx);
      expect(again.rows[0].n).toBe(TABLES.length);
      // Migrations are the owner's: the engine's role may not drop or create views.
    }, testDb.ownerDb);
  });
});

describe('erasure (GDPR 17)', () => {
  it('deletes or anonymises, per the description, only the subject’s rows; a second run changes nothing', async () => {
    await rolledBack(async (trx) => {
      const before: Record<string, Record<string, unknown>[]> = {};
      for (const table of TABLES) before[table] = await rowsOf(trx, table, demo);
      const others = await othersSnapshot(trx, demo);

      const changes = await eraseCategories(trx, description, demo, allCategories);
      expect(changes.map((c) => c.table).sort()).toEqual([...TABLES].sort());
      // Children first: the person's own row, which the others refer to, comes last.
      expect(changes[changes.length - 1]).toMatchObject({ table: 'register.persons', action: 'anonymise', rows: 1 });

      for (const category of description.categories) {
        const table = category.tables[0].table;
        const change = changes.find((c) => c.table === table)!;
        const after = await rowsOf(trx, table, demo);
        expect(before[table].length).toBeGreaterThan(0);
        expect({ table, rows: change.rows }).toEqual({ table, rows: before[table].length });
        // The described fields changed, unless all that were not statistics were empty already (then only the link was cut).
        const t0 = category.tables[0];
        const emptied = t0.fields.filter((f) => !t0.statistics.includes(f.column)).map((f) => f.column);
        const hadData = change.action === 'delete' || before[table].some((row) => emptied.some((c) => !isBlank(row[c])));
        expect({ table, changed: change.beforeDigest !== change.afterDigest }).toEqual({ table, changed: hadData });
        if (change.action === 'delete') {
          expect({ table, left: after.length }).toEqual({ table, left: 0 });
          expect(change.afterDigest).toBe(EMPTY_DIGEST);
        } else {
          // Cut from the person (except the person's own row) and stripped, the statistics kept.
          const kept = await rowsById(trx, table, before[table].map((r) => String(r.id)));
          expect(kept.map((r) => r.id)).toEqual(before[table].map((r) => r.id));
          if (table !== 'register.persons') expect({ table, linked: after.length }).toEqual({ table, linked: 0 });
          expectAnonymised(table, category.tables[0].fields.map((f) => f.column), category.tables[0].statistics, before[table], kept);
        }
      }
      expect(changes.filter((c) => c.action === 'delete').map((c) => c.category).sort()).toEqual(
        description.categories.filter((c) => c.erasure === 'delete').map((c) => c.key).sort(),
      );
      expect(await othersSnapshot(trx, demo)).toEqual(others);
      expectNoPersonalData(changes);

      expectNothingDone(await eraseCategories(trx, description, demo, allCategories));
    });
  });

  it('keeps the anonymised person’s row, so no other table loses its reference, and the henkilötunnus finds no one', async () => {
    // Even a description that says `delete` for the person's own row gets it anonymised.
    const deleting: RegisterDescription = {
      ...description,
      categories: description.categories.map((c) => (c.key === 'client_basic' ? { ...c, erasure: 'delete' as const } : c)),
    };
    await rolledBack(async (trx) => {
      const changes = await eraseCategories(trx, deleting, demo, ['client_basic']);
      expect(changes).toEqual([expect.objectContaining({ table: 'register.persons', action: 'anonymise', rows: 1 })]);
      const [person] = await rowsOf(trx, 'register.persons', demo);
      expect(person).toMatchObject({ first_name: ANONYMISED_MARK, last_name: ANONYMISED_MARK, email: null, phone: null, street_address: null });
      expect(person.hetu).toMatch(/^ANON-[0-9a-f-]{36}$/);
      expect(await findPersonIdByHetu(trx, DEMO_HETU)).toBeNull();
      // The other categories of the person are untouched and still point at an existing person.
      expect(await rowsOf(trx, 'register.case_notes', demo)).not.toHaveLength(0);
      for (const table of TABLES.filter((t) => KINDS[t].person_id)) {
        const { rows } = await sql<{ orphans: number }>`
          select count(*)::int as orphans from ${sql.table(table)} as t
           where t.person_id is not null and not exists (select 1 from register.persons p where p.id = t.person_id)`.execute(trx);
        expect({ table, orphans: rows[0].orphans }).toEqual({ table, orphans: 0 });
      }
    });
  });

  it('gives each anonymised person a placeholder of their own (the henkilötunnus column is unique)', async () => {
    await rolledBack(async (trx) => {
      const other = await someoneWithRowsIn('register.case_notes');
      await eraseCategories(trx, description, demo, ['client_basic']);
      await eraseCategories(trx, description, other, ['client_basic']);
      const { rows } = await sql<{ hetu: string }>`select hetu from register.persons where hetu like 'ANON-%'`.execute(trx);
      expect(new Set(rows.map((r) => r.hetu)).size).toBe(2);
    });
  });

  it('digests the described fields of the affected rows as they were', async () => {
    await rolledBack(async (trx) => {
      const table = tableOf('workspace_users');
      const fields = description.categories.find((c) => c.key === 'workspace_users')!.tables[0].fields.map((f) => f.column);
      const { rows } = await sql<Record<string, unknown>>`
        select ${sql.join(fields.map((f) => sql.ref(f)))} from ${sql.table(table)} where person_id = ${demo.personId} order by id`.execute(trx);
      const expected = createHash('sha256').update(canonicalJson(rows)).digest('hex');
      const [change] = await eraseCategories(trx, description, demo, ['workspace_users']);
      expect(change).toEqual({ table, category: 'workspace_users', action: 'delete', rows: rows.length, beforeDigest: expected, afterDigest: EMPTY_DIGEST });
    });
  });

  it('survives a retry in a new transaction: the second run reports 0 rows', async () => {
    const subject = await someoneWithRowsIn('register.event_registrations');
    committed.push(subject.personId);
    const first = await eraseCategories(db, description, subject, ['event_participation', 'client_basic']);
    expect(totalRows(first)).toBeGreaterThan(1);
    expectNothingDone(await eraseCategories(db, description, subject, ['event_participation', 'client_basic']));
  });

  it('refuses a category the description does not know, before changing anything', async () => {
    await rolledBack(async (trx) => {
      await expect(eraseCategories(trx, description, demo, ['photos', 'no_such_category'])).rejects.toThrow(UnknownCategoryError);
      expect(await rowsOf(trx, tableOf('photos'), demo)).not.toHaveLength(0);
    });
  });
});

/** Every described text is blanked (null, the marker, or a placeholder); dates, times and numbers stay. */
/** The rows with these keys, whoever they belong to now. */
async function rowsById(trx: Kysely<Database>, table: string, ids: string[]): Promise<Record<string, unknown>[]> {
  if (ids.length === 0) return [];
  const { rows } = await sql<Record<string, unknown>>`select * from ${sql.table(table)} where id::text = any(${ids}::text[]) order by id`.execute(trx);
  return rows;
}

/** A field holds nothing of anyone: NULL, the mark, a placeholder, or an empty list. */
function isBlank(value: unknown): boolean {
  return value === null || value === ANONYMISED_MARK || (typeof value === 'string' && value.startsWith('ANON-')) || (Array.isArray(value) && value.length === 0);
}

/**
 * LEGAL-RULES.md 3, "Erasure means no linkable data": the row no longer points at the person, every
 * described field except the statistics is empty, the statistics are as they were.
 */
function expectAnonymised(table: string, fields: string[], statistics: string[], before: Record<string, unknown>[], after: Record<string, unknown>[]): void {
  after.forEach((row, i) => {
    if (table !== 'register.persons' && 'person_id' in row) expect({ table, person_id: row.person_id }).toEqual({ table, person_id: null });
    for (const field of fields) {
      const value = row[field];
      if (statistics.includes(field)) expect({ table, field, value }).toEqual({ table, field, value: before[i][field] });
      else expect({ table, field, value, blank: isBlank(value) }).toEqual({ table, field, value, blank: true });
    }
    if (table === 'register.case_notes') expect(row.mentions).toEqual([]);
  });
}

describe('erasure leaves nothing linkable (LEGAL-RULES.md 3)', () => {
  it.each(loadRegisterDescription(path.join(__dirname, '../../config/register-description.kuopio.yaml'), REGISTER_COLUMNS).categories.map((c) => [c.key, c.erasure]))(
    'after erasing %s (%s), no row linked to the person holds a personal field of it',
    async (key) => {
      const category = description.categories.find((c) => c.key === key)!;
      await rolledBack(async (trx) => {
        const before = new Map<string, Record<string, unknown>[]>();
        for (const t of category.tables) before.set(t.table, await rowsOf(trx, t.table, demo));
        expect([...before.values()].some((rows) => rows.length > 0)).toBe(true);
        await eraseCategories(trx, description, demo, [key]);
        for (const t of category.tables) {
          const fields = t.fields.map((f) => f.column);
          // Every row still linked to the person (by person or by e-mail), straight from PostgreSQL.
          const linked = await rowsOf(trx, t.table, demo);
          if (t.table === 'register.persons') {
            expect(linked).toHaveLength(1);
            for (const field of fields) expect({ field, blank: isBlank(linked[0][field]) }).toEqual({ field, blank: true });
            expect(await findPersonIdByHetu(trx, DEMO_HETU)).toBeNull();
          } else {
            expect({ table: t.table, linked: linked.length }).toEqual({ table: t.table, linked: 0 });
          }
          // The former rows: gone, or cut and stripped down to the statistics.
          const former = await rowsById(trx, t.table, before.get(t.table)!.map((r) => String(r.id)));
          if (category.erasure === 'delete' && t.table !== 'register.persons') expect(former).toEqual([]);
          else expectAnonymised(t.table, fields, t.statistics, before.get(t.table)!, former);
          // And nothing of the person's identity is left in them.
          const text = JSON.stringify(former);
          // (The person's own row keeps its key: the rows kept under 17(3)(b) refer to it.)
          const secrets = t.table === 'register.persons' ? [DEMO_HETU, DEMO_EMAIL] : [DEMO_HETU, DEMO_EMAIL, demo.personId];
          for (const secret of secrets) expect(text).not.toContain(secret);
        }
      });
    },
  );
});

describe('restriction (GDPR 18) and objection (GDPR 21)', () => {
  const at = new Date('2025-07-01T09:00:00Z');

  it('takes the rows out of the processing views but keeps them in the register; lifting brings them back', async () => {
    await rolledBack(async (trx) => {
      const others = await othersSnapshot(trx, demo);
      const registered: Record<string, number> = {};
      for (const table of TABLES) registered[table] = (await rowsOf(trx, table, demo)).length;

      const changes = await restrictCategories(trx, description, demo, allCategories, 'gdpr_18', at);
      expectNoPersonalData(changes);
      for (const change of changes) {
        expect(change.action).toBe('restrict');
        expect({ table: change.table, rows: change.rows }).toEqual({ table: change.table, rows: registered[change.table] });
        expect(change.afterDigest).not.toBe(change.beforeDigest);
        const kept = await rowsOf(trx, change.table, demo);
        expect(kept).toHaveLength(registered[change.table]);
        for (const row of kept) expect(row).toMatchObject({ restricted_at: at, restriction_ground: 'gdpr_18' });
        expect({ table: change.table, processed: (await rowsOf(trx, change.table, demo, 'processing')).length }).toEqual({ table: change.table, processed: 0 });
      }
      expect(await othersSnapshot(trx, demo)).toEqual(others);
      expectNothingDone(await restrictCategories(trx, description, demo, allCategories, 'gdpr_18', new Date('2025-08-01T00:00:00Z')));
      expect(await subjectHasProcessingLimit(trx, description, demo, ['case_notes'], 'gdpr_18')).toBe(true);

      // An objection's lifting does not lift a restriction.
      expectNothingDone(await liftRestriction(trx, description, demo, allCategories, 'gdpr_21'));
      const lifted = await liftRestriction(trx, description, demo, allCategories, 'gdpr_18');
      expect(totalRows(lifted)).toBe(totalRows(changes));
      for (const change of lifted) {
        expect(change.action).toBe('lift_restriction');
        const processed = await rowsOf(trx, change.table, demo, 'processing');
        const consent = KINDS[change.table].consent_withdrawn_at ? (await rowsOf(trx, change.table, demo)).filter((r) => r.consent_withdrawn_at !== null).length : 0;
        expect({ table: change.table, processed: processed.length }).toEqual({ table: change.table, processed: registered[change.table] - consent });
      }
      expect(await othersSnapshot(trx, demo)).toEqual(others);
      expectNothingDone(await liftRestriction(trx, description, demo, allCategories, 'gdpr_18'));
      expect(await subjectHasProcessingLimit(trx, description, demo, allCategories, 'gdpr_18')).toBe(false);
    });
  });

  it('lets an upheld objection supersede a restriction made while it was pending, keeping the restriction’s time', async () => {
    await rolledBack(async (trx) => {
      const categories = ['event_participation', 'client_surveys'];
      const restricted = await restrictCategories(trx, description, demo, categories, 'gdpr_18', at);
      const objected = await restrictCategories(trx, description, demo, categories, 'gdpr_21', new Date('2025-07-15T09:00:00Z'));
      expect(totalRows(objected)).toBe(totalRows(restricted));
      expect(totalRows(objected)).toBeGreaterThan(0);
      for (const row of await rowsOf(trx, tableOf('client_surveys'), demo)) expect(row).toMatchObject({ restricted_at: at, restriction_ground: 'gdpr_21' });

      // Lifting the GDPR 18 restriction now must not restart the processing the objection stopped.
      expectNothingDone(await liftRestriction(trx, description, demo, categories, 'gdpr_18'));
      expect(await rowsOf(trx, tableOf('client_surveys'), demo, 'processing')).toHaveLength(0);
      const limits = await processingLimits(trx, description, demo, categories);
      expect(limits.map((l) => l.restricted.gdpr_21)).toEqual(objected.map((c) => c.rows));
      expect(limits.every((l) => l.restricted.gdpr_18 === 0 && l.consentWithdrawn === null)).toBe(true);
    });
  });

  it('restricts each row once when two retries race', async () => {
    const subject = await someoneWithRowsIn('register.disclosures');
    committed.push(subject.personId);
    const categories = ['disclosure_log', 'case_notes', 'client_basic'];
    const [a, b] = await Promise.all([
      restrictCategories(db, description, subject, categories, 'gdpr_18', at),
      restrictCategories(db, description, subject, categories, 'gdpr_18', at),
    ]);
    const expected = (await Promise.all(categories.map((c) => rowsOf(db, tableOf(c), subject)))).reduce((n, rows) => n + rows.length, 0);
    expect(totalRows(a) + totalRows(b)).toBe(expected);
  });
});

describe('consent withdrawal (GDPR 7(3))', () => {
  const at = new Date('2025-07-02T10:00:00Z');
  const earlier = new Date('2024-01-15T08:00:00Z');

  it('records the withdrawal, takes photos out of use and deletes nothing; a second run changes nothing', async () => {
    await rolledBack(async (trx) => {
      // An earlier withdrawal whose photo was still referenced keeps its time and loses the photo now.
      await sql`insert into register.photo_consents (person_id, consent_name, consent_phone, photo_ref, consent_given_at, consent_withdrawn_at)
                values (${demo.personId}, 'Testi Demo', null, 'kuvat/2023/vanha.jpg', '2023-05-01T10:00:00Z', ${earlier})`.execute(trx);
      const others = await othersSnapshot(trx, demo);
      const photosBefore = await rowsOf(trx, 'register.photo_consents', demo);
      const visibleBefore = await rowsOf(trx, 'register.visibility_consents', demo);

      const changes = await withdrawConsent(trx, description, demo, ['photos', 'visibility_consents'], at);
      expectNoPersonalData(changes);
      expect(changes.map((c) => [c.table, c.action])).toEqual([
        ['register.photo_consents', 'withdraw_consent'],
        ['register.visibility_consents', 'withdraw_consent'],
      ]);
      expect(changes[0].rows).toBe(photosBefore.length);
      expect(changes[1].rows).toBe(visibleBefore.filter((r) => r.consent_withdrawn_at === null).length);

      const photos = await rowsOf(trx, 'register.photo_consents', demo);
      expect(photos.map((p) => p.id)).toEqual(photosBefore.map((p) => p.id));
      photos.forEach((photo, i) => {
        expect(photo.photo_ref).toBe(WITHDRAWN_MARK);
        expect(photo.consent_withdrawn_at).toEqual(photosBefore[i].consent_withdrawn_at ?? at);
        expect(photo.consent_name).toBe(photosBefore[i].consent_name);
      });
      expect(photos.some((p) => (p.consent_withdrawn_at as Date).getTime() === earlier.getTime())).toBe(true);
      const visible = await rowsOf(trx, 'register.visibility_consents', demo);
      expect(visible.map((v) => v.visible_to)).toEqual(visibleBefore.map((v) => v.visible_to));
      expect(visible.every((v) => v.consent_withdrawn_at !== null)).toBe(true);
      expect(await rowsOf(trx, 'register.photo_consents', demo, 'processing')).toHaveLength(0);
      expect(await rowsOf(trx, 'register.visibility_consents', demo, 'processing')).toHaveLength(0);
      const [limit] = await processingLimits(trx, description, demo, ['photos']);
      expect(limit.consentWithdrawn).toBe(photos.length);

      expect(await othersSnapshot(trx, demo)).toEqual(others);
      expectNothingDone(await withdrawConsent(trx, description, demo, ['photos', 'visibility_consents'], new Date()));
    });
  });

  it('refuses a category that records no consent, and changes nothing', async () => {
    await rolledBack(async (trx) => {
      const before = await rowsOf(trx, 'register.photo_consents', demo);
      await expect(withdrawConsent(trx, description, demo, ['photos', 'client_basic'], at)).rejects.toThrow(NoConsentRecordError);
      expect(await rowsOf(trx, 'register.photo_consents', demo)).toEqual(before);
    });
  });
});

describe('rectification (GDPR 16)', () => {
  it('corrects the subject’s only row of a table when no row is named; the same correction again changes nothing', async () => {
    await rolledBack(async (trx) => {
      const others = await othersSnapshot(trx, demo);
      const correction = { table: 'register.persons', column: 'city', rowId: null, value: 'Siilinjärvi' };
      const change = await applyRectification(trx, description, demo, correction);
      expect(change).toMatchObject({ table: 'register.persons', category: 'client_basic', action: 'rectify', rows: 1 });
      expect(change.beforeDigest).not.toBe(change.afterDigest);
      expectNoPersonalData([change]);
      expect((await rowsOf(trx, 'register.persons', demo))[0].city).toBe('Siilinjärvi');
      expect(await othersSnapshot(trx, demo)).toEqual(others);
      expectNothingDone([await applyRectification(trx, description, demo, correction)]);
    });
  });

  it('converts numbers, dates and times to the column’s type', async () => {
    await rolledBack(async (trx) => {
      const [situation] = await rowsOf(trx, 'register.employment_situations', demo);
      await applyRectification(trx, description, demo, { table: 'register.employment_situations', column: 'unemployment_months', rowId: String(situation.id), value: ' 14 ' });
      const [plan] = await rowsOf(trx, 'register.service_plans', demo);
      await applyRectification(trx, description, demo, { table: 'register.service_plans', column: 'valid_until', rowId: String(plan.id), value: '31.12.2025' });
      const [note] = await rowsOf(trx, 'register.case_notes', demo);
      await applyRectification(trx, description, demo, { table: 'register.case_notes', column: 'written_at', rowId: String(note.id), value: '2024-05-31T14:30' });

      expect((await rowsOf(trx, 'register.employment_situations', demo)).find((r) => r.id === situation.id)!.unemployment_months).toBe(14);
      expect((await rowsOf(trx, 'register.service_plans', demo)).find((r) => r.id === plan.id)!.valid_until).toBe('2025-12-31');
      // Without an offset, a time is Helsinki time (summer: UTC+3).
      expect((await rowsOf(trx, 'register.case_notes', demo)).find((r) => r.id === note.id)!.written_at).toEqual(new Date('2024-05-31T11:30:00Z'));
    });
  });

  it('rejects a value of the wrong type, naming the field and not the value', async () => {
    const [situation] = await rowsOf(db, 'register.employment_situations', demo);
    const attempt = (column: string, value: string, table = 'register.employment_situations', rowId: string | null = String(situation.id)) =>
      applyRectification(db, description, demo, { table, column, rowId, value });
    await expect(attempt('unemployment_months', 'kaksi')).rejects.toThrow(
      new RectificationValueError('register.employment_situations.unemployment_months', 'must be a whole number, e.g. 12'),
    );
    await expect(attempt('recorded_on', '30.2.2025')).rejects.toThrow(/register\.employment_situations\.recorded_on: must be a real date/);
    await expect(attempt('recorded_on', '')).rejects.toThrow(/recorded_on: is required and cannot be cleared/);
    const [survey] = await rowsOf(db, 'register.survey_responses', demo);
    const outOfRange = attempt('rating', '9', 'register.survey_responses', String(survey.id));
    await expect(outOfRange).rejects.toThrow(RectificationValueError);
    await expect(outOfRange).rejects.not.toThrow(/9/);
  });

  it('rejects a column the description does not list, a row of someone else and an ambiguous target', async () => {
    const other = await someoneWithRowsIn('register.case_notes');
    const [theirs] = await rowsOf(db, 'register.case_notes', other);
    const notes = await rowsOf(db, 'register.case_notes', demo);
    expect(notes.length).toBeGreaterThan(1);
    const attempt = (column: string, rowId: string | null) =>
      applyRectification(db, description, demo, { table: 'register.case_notes', column, rowId, value: 'x' });

    await expect(attempt('mentions', String(notes[0].id))).rejects.toMatchObject({
      name: 'RectificationTargetError',
      problem: 'not_described',
      message: 'register.case_notes.mentions: is not a field of the register description, so it cannot be rectified',
    });
    await expect(applyRectification(db, description, demo, { table: 'register.persons', column: 'restricted_at', rowId: null, value: '' })).rejects.toThrow(
      RectificationTargetError,
    );
    await expect(attempt('note', String(theirs.id))).rejects.toMatchObject({ problem: 'no_row', field: 'register.case_notes.note' });
    await expect(attempt('note', 'not-a-key')).rejects.toMatchObject({ problem: 'no_row' });
    await expect(attempt('note', null)).rejects.toMatchObject({
      problem: 'ambiguous',
      message: `register.case_notes.note: the subject has ${notes.length} rows in this table: name the row to correct`,
    });
    expect(await rowsOf(db, 'register.case_notes', other)).toContainEqual(theirs);
  });

  it('lists every described field, labelled in the language asked, and no other column', () => {
    const fields = listRectifiableFields(description, 'fi');
    expect(fields).toHaveLength(description.categories.flatMap((c) => c.tables.flatMap((t) => t.fields)).length);
    expect(fields).toContainEqual({ table: 'register.persons', column: 'city', category: 'client_basic', label: 'Postitoimipaikka' });
    expect(fields.find((f) => f.column === 'mentions' || f.column === 'restricted_at')).toBeUndefined();
    expect(listRectifiableFields(description, 'en').find((f) => f.column === 'city')!.label).toBe('Town');
  });
});

describe('portability (GDPR 20)', () => {
  const portable = () => proposeOutcomes('portability', description).filter((d) => d.outcome === 'granted').map((d) => d.category);

  it('exports exactly the provided fields of the named categories, as JSON and as CSV that parses back to the same', async () => {
    await rolledBack(async (trx) => {
      // Quotes, commas, a line break and ä/ö in one value: the CSV must carry them unchanged.
      const tricky = 'Äijä "Öljy", Kuopio\nrivi 2';
      await sql`insert into register.photo_consents (person_id, consent_name, consent_phone, photo_ref, consent_given_at)
                values (${demo.personId}, ${tricky}, null, 'kuvat/2025/uusi.jpg', '2025-06-01T10:00:00Z')`.execute(trx);
      const categories = portable();
      expect(categories).toEqual(expect.arrayContaining(['photos', 'workspace_users', 'diet_restrictions']));
      const exported = await exportPortableData(trx, description, demo, categories);
      const document = JSON.parse(exported.json.toString('utf8')) as PortableDocument;

      expect(document.categories.map((c) => c.category)).toEqual(categories);
      let records = 0;
      for (const category of document.categories) {
        const described = description.categories.find((c) => c.key === category.category)!;
        for (const table of category.tables) {
          const spec = described.tables.find((t) => t.table === table.table)!;
          expect(table.fields).toEqual(spec.fields.map((f) => f.column).filter((c) => spec.providedBySubject.includes(c)));
          expect(table.records).toHaveLength((await rowsOf(trx, table.table, demo)).length);
          for (const record of table.records) expect(Object.keys(record)).toEqual(table.fields);
          records += table.records.length;
        }
      }
      expect(exported.rows).toBe(records);
      const photos = document.categories.find((c) => c.category === 'photos')!.tables[0];
      expect(photos.fields).toEqual(['consent_name', 'consent_phone', 'photo_ref']);
      expect(photos.records.map((r) => r.consent_name)).toContain(tricky);

      expect([...exported.csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const lines = parseCsv(exported.csv.subarray(3).toString('utf8'));
      expect(lines[0]).toEqual([...CSV_HEADER]);
      const expected = document.categories.flatMap((c) =>
        c.tables.flatMap((t) => t.records.flatMap((r, i) => t.fields.map((f) => [c.category, t.table, String(i + 1), f, r[f] === null ? '' : String(r[f])]))),
      );
      expect(lines.slice(1)).toEqual(expected);
      expect(lines.slice(1).some((l) => l[4] === tricky)).toBe(true);
    });
  });

  it('gives the same bytes for the same data, and nothing of other people', async () => {
    const categories = portable();
    const first = await exportPortableData(db, description, demo, categories);
    const second = await exportPortableData(db, description, demo, categories);
    expect(first.json.equals(second.json)).toBe(true);
    expect(first.csv.equals(second.csv)).toBe(true);

    const other = await someoneWithRowsIn('register.photo_consents');
    const theirs = await exportPortableData(db, description, other, ['photos']);
    const [mine] = (JSON.parse(first.json.toString('utf8')) as PortableDocument).categories.filter((c) => c.category === 'photos');
    const [their] = (JSON.parse(theirs.json.toString('utf8')) as PortableDocument).categories;
    for (const record of their.tables[0].records) expect(mine.tables[0].records).not.toContainEqual(record);
    expect(their.tables[0].records).toHaveLength((await rowsOf(db, 'register.photo_consents', other)).length);
  });

  it('lists a named category that holds no provided field with no tables, and counts no rows for it', async () => {
    const exported = await exportPortableData(db, description, demo, ['case_notes']);
    expect(JSON.parse(exported.json.toString('utf8'))).toEqual({ categories: [{ category: 'case_notes', tables: [] }] });
    expect(exported.rows).toBe(0);
    expect(parseCsv(exported.csv.subarray(3).toString('utf8'))).toEqual([[...CSV_HEADER]]);
  });
});

/** RFC 4180: quoted fields may hold commas, doubled quotes and line breaks; records end in CRLF. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += ch;
  }
  if (field !== '' || row.length > 0) throw new Error('the CSV does not end with CRLF');
  return rows;
}
