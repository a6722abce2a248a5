/**
 * Reading a subject's data from a real PostgreSQL register: its own database (reg_test_*), only
 * the register migration, ~50 synthetic people plus the demo person, dropped afterwards.
 */
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { Kysely, PostgresDialect, sql } from 'kysely';
import { Client, Pool } from 'pg';
import type { Database } from '../../db/database';
import * as registerMigration from '../../db/migrations/0001_register';
import { findPersonIdByHetu, gatherCategoryTables, REDACTED_MARK, type GatheredTable } from '../../db/repositories/register-data';
import { DEMO_EMAIL, DEMO_HETU, RegisterNotEmptyError, seedRegister } from '../../db/seed';
import { emptyRows } from '../../db/seed/generate';
import { insertRows } from '../../db/seed/insert';
import { hetuCheckCharacter } from '../../domain/hetu';
import { loadRegisterDescription } from '../../config/register-description';
import { REGISTER_COLUMNS } from '../../db/tables/register';
import { categoriesOfSystem, type RegisterDescription } from '../../domain/register-description';

const SERVER_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:55432/postgres';
const NAME = `reg_test_${randomBytes(5).toString('hex')}`;

let db: Kysely<Database>;
let description: RegisterDescription;
let demoId: string;

async function admin(statement: string): Promise<void> {
  const client = new Client({ connectionString: SERVER_URL });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

function tableOf(tables: GatheredTable[], table: string): GatheredTable {
  const found = tables.find((t) => t.table === table);
  if (!found) throw new Error(`${table} was not gathered`);
  return found;
}

beforeAll(async () => {
  await admin(`CREATE DATABASE ${NAME}`);
  const url = new URL(SERVER_URL);
  url.pathname = `/${NAME}`;
  db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: new Pool({ connectionString: url.toString(), max: 3 }) }) });
  // Only the register's own migration, on a fresh database: the request tables are not needed here.
  await registerMigration.up(db);
  description = loadRegisterDescription(path.join(__dirname, '../../config/register-description.kuopio.yaml'), REGISTER_COLUMNS);
  await seedRegister(db, { persons: 50, seed: 42, description, batchSize: 20 });
  demoId = (await findPersonIdByHetu(db, DEMO_HETU)) as string;
}, 60_000);

afterAll(async () => {
  await db?.destroy();
  await admin(`DROP DATABASE IF EXISTS ${NAME} WITH (FORCE)`);
});

describe('finding a subject by henkilötunnus', () => {
  it('finds the demo person by the published test code, whatever its case or surrounding spaces', async () => {
    expect(demoId).toMatch(/^[0-9a-f-]{36}$/);
    expect(await findPersonIdByHetu(db, ' 131052-308t ')).toBe(demoId);
  });

  it('finds no one for a code with another century sign: the sign is part of the identity', async () => {
    expect(await findPersonIdByHetu(db, '131052A308T')).toBeNull();
  });

  it('finds every seeded person by their own code', async () => {
    const people = await db.selectFrom('register.persons').select(['id', 'hetu']).execute();
    expect(people).toHaveLength(51);
    for (const person of people) expect(await findPersonIdByHetu(db, person.hetu)).toBe(person.id);
  });
});

describe('gathering a subject’s data per source system', () => {
  it('returns every table of the system’s categories, with exactly the described fields', async () => {
    const tables = await gatherCategoryTables(db, description, { personId: demoId, email: DEMO_EMAIL }, 'foreammatti');
    const expected = categoriesOfSystem(description, 'foreammatti').flatMap((c) =>
      c.tables.map((t) => ({ table: t.table, category: c.key, columns: t.fields.map((f) => f.column) })),
    );
    expect(tables.map((t) => ({ table: t.table, category: t.category, columns: t.columns }))).toEqual(expected);
    for (const t of tables) {
      expect(t.system).toBe('foreammatti');
      for (const row of t.rows) expect(Object.keys(row)).toEqual(t.columns);
    }
  });

  it('returns all of the subject’s rows and none of other people’s', async () => {
    for (const system of description.systems.map((s) => s.key)) {
      const tables = await gatherCategoryTables(db, description, { personId: demoId, email: null }, system);
      for (const t of tables.filter((t) => t.table !== 'register.employer_contacts')) {
        const column = t.table === 'register.persons' ? 'id' : 'person_id';
        const { rows } = await sql<{ own: string }>`
          select count(*)::text as own from ${sql.table(t.table)} where ${sql.ref(column)} = ${demoId}`.execute(db);
        // Exactly the subject's rows: one more from anyone else would break the equality.
        expect({ table: t.table, rows: t.rows.length }).toEqual({ table: t.table, rows: Number(rows[0].own) });
        // The demo person has a row of every kind.
        expect(t.rows.length).toBeGreaterThan(0);
      }
    }
    const notes = await db.selectFrom('register.case_notes').select(db.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    expect(Number(notes.n)).toBeGreaterThan(50);
    const core = tableOf(await gatherCategoryTables(db, description, { personId: demoId, email: null }, 'foreammatti'), 'register.persons');
    expect(core.rows).toEqual([expect.objectContaining({ hetu: DEMO_HETU, first_name: 'Testi', last_name: 'Demo' })]);
  });

  it('renders dates as calendar days and timestamps as ISO 8601 instants', async () => {
    const tables = await gatherCategoryTables(db, description, { personId: demoId, email: null }, 'dynasty');
    const decisions = tableOf(tables, 'register.decisions');
    for (const row of decisions.rows) {
      expect(row.decided_on).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(row.diary_number).toMatch(/^[A-Z]+\/\d+\/\d{4}$/);
    }
    const notes = tableOf(await gatherCategoryTables(db, description, { personId: demoId, email: null }, 'foreammatti'), 'register.case_notes');
    for (const row of notes.rows) expect(row.written_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    const written = notes.rows.map((r) => r.written_at as string);
    expect([...written].sort()).toEqual(written);
  });

  it('still returns rows whose processing is restricted (GDPR 18): they are the subject’s data', async () => {
    await db.updateTable('register.survey_responses').set({ restricted_at: new Date() }).where('person_id', '=', demoId).execute();
    const tables = await gatherCategoryTables(db, description, { personId: demoId, email: null }, 'webropol');
    expect(tableOf(tables, 'register.survey_responses').rows.length).toBeGreaterThan(0);
  });

  it('refuses a system the description does not know, rather than returning nothing', async () => {
    await expect(gatherCategoryTables(db, description, { personId: demoId, email: null }, 'sap')).rejects.toThrow("unknown source system 'sap'");
  });

  it('gathers nothing from person tables when the subject is not a register person', async () => {
    const tables = await gatherCategoryTables(db, description, { personId: null, email: null }, 'foreammatti');
    expect(tables.every((t) => t.rows.length === 0 && t.redactions === 0)).toBe(true);
  });
});

describe('redacting other people from the copy (GDPR 15(4))', () => {
  it('replaces every name the note mentions and counts the replacements', async () => {
    const stored = await db.selectFrom('register.case_notes').select(['note', 'mentions']).where('person_id', '=', demoId).execute();
    const names = stored.flatMap((n) => n.mentions);
    expect(names.length).toBeGreaterThan(0);

    const notes = tableOf(await gatherCategoryTables(db, description, { personId: demoId, email: null }, 'foreammatti'), 'register.case_notes');
    expect(notes.rows).toHaveLength(stored.length);
    const printed = notes.rows.flatMap((r) => Object.values(r)).join('\n');
    for (const name of names) expect(printed).not.toContain(name);
    const marks = printed.split(REDACTED_MARK).length - 1;
    expect(notes.redactions).toBe(marks);
    expect(marks).toBeGreaterThanOrEqual(names.length);
    // The mentions list itself is never part of the copy.
    expect(notes.columns).not.toContain('mentions');
  });

  it('redacts a full name and the same person’s first name, but not a different name that merely starts alike', async () => {
    const personId = (await findPersonIdByHetu(db, DEMO_HETU)) as string;
    const note = 'Maija Mäkelä soitti asiakkaan puolesta. Maija lupasi tuoda todistukset. Ohjaaja Mari Koskinen ei ollut paikalla. Kumppani: Emaija Oy.';
    await db
      .insertInto('register.case_notes')
      .values({ person_id: personId, written_at: '2030-01-01T10:00:00Z', author_role: 'Sosiaaliohjaaja', note, mentions: ['Maija', 'Maija Mäkelä'] })
      .execute();
    const notes = tableOf(await gatherCategoryTables(db, description, { personId, email: null }, 'foreammatti'), 'register.case_notes');
    const last = notes.rows[notes.rows.length - 1];
    expect(last.note).toBe('[…] soitti asiakkaan puolesta. […] lupasi tuoda todistukset. Ohjaaja Mari Koskinen ei ollut paikalla. Kumppani: Emaija Oy.');
    expect(last.author_role).toBe('Sosiaaliohjaaja');
    await db.deleteFrom('register.case_notes').where('written_at', '=', new Date('2030-01-01T10:00:00Z')).execute();
  });
});

describe('employer contact persons, who have no henkilötunnus', () => {
  it('are found by e-mail, case-insensitively', async () => {
    const tables = await gatherCategoryTables(db, description, { personId: null, email: 'Testi.Demo@EXAMPLE.com' }, 'tyollisyyssampo');
    const contacts = tableOf(tables, 'register.employer_contacts');
    expect(contacts.category).toBe('employer_contacts');
    expect(contacts.rows).toEqual([expect.objectContaining({ email: DEMO_EMAIL, first_name: 'Testi', last_name: 'Demo' })]);
    // Person-linked tables of the same system stay empty without a register person.
    expect(tableOf(tables, 'register.project_participations').rows).toEqual([]);
  });

  it('are not found by another person’s e-mail', async () => {
    const other = await db.selectFrom('register.employer_contacts').select('email').where('email', '!=', DEMO_EMAIL).executeTakeFirstOrThrow();
    const tables = await gatherCategoryTables(db, description, { personId: null, email: other.email }, 'tyollisyyssampo');
    const rows = tableOf(tables, 'register.employer_contacts').rows;
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.email === other.email)).toBe(true);
  });
});

describe('seeding', () => {
  it('stores texts with quotes, backslashes, commas, braces and the word NULL exactly as given', async () => {
    const tricky = ['She said "hello", then {left}', 'C:\\temp\\x', 'NULL', '', 'Åsa Öhman, Ääninen'];
    const rows = emptyRows();
    const id = '0000ffff-0000-8000-8000-000000000001';
    rows['register.persons'].push({ id, hetu: `010101-999${hetuCheckCharacter('010101999')}`, first_name: tricky[0], last_name: tricky[4] });
    rows['register.case_notes'].push({ person_id: id, written_at: '2024-01-01T10:00:00.000Z', note: tricky[1], author_role: tricky[2], mentions: tricky });
    rows['register.disclosures'].push({ person_id: id, recipient_key: 'kela', disclosed_at: '2024-01-02T10:00:00.000Z', categories: [], legal_provision: null });
    await insertRows(db, rows);
    const person = await db.selectFrom('register.persons').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect([person.first_name, person.last_name, person.email]).toEqual([tricky[0], tricky[4], null]);
    const note = await db.selectFrom('register.case_notes').selectAll().where('person_id', '=', id).executeTakeFirstOrThrow();
    expect([note.note, note.author_role, note.mentions]).toEqual([tricky[1], 'NULL', tricky]);
    const disclosure = await db.selectFrom('register.disclosures').selectAll().where('person_id', '=', id).executeTakeFirstOrThrow();
    expect(disclosure.categories).toEqual([]);
    await db.deleteFrom('register.case_notes').where('person_id', '=', id).execute();
    await db.deleteFrom('register.disclosures').where('person_id', '=', id).execute();
    await db.deleteFrom('register.persons').where('id', '=', id).execute();
  });

  it('refuses a register that already holds people, changing nothing', async () => {
    const before = await db.selectFrom('register.persons').select(db.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    await expect(seedRegister(db, { persons: 5, seed: 42, description })).rejects.toBeInstanceOf(RegisterNotEmptyError);
    const after = await db.selectFrom('register.persons').select(db.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
  });
});
