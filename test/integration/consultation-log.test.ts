/**
 * The seeded usage log (CJEU C-579/21): every client's data was consulted one to five times before
 * the register's reference date, in a system that holds client records, for a purpose the register
 * description names, by a named employee; the same seed gives the same log; gathering reads one
 * system's entries of one subject only.
 */
import { DEFAULT_REFERENCE_DATE, DEMO_HETU, seedRegister } from '../../db/seed';
import { consultedSystems } from '../../db/seed/consultations';
import { findPersonIdByHetu, readConsultations } from '../../db/repositories/register-data';
import { loadRegisterDescription } from '../../config/register-description';
import { REGISTER_COLUMNS } from '../../db/tables/register';
import { createTestDatabase, type TestDatabase } from '../helpers/db';

jest.setTimeout(60_000);

const description = loadRegisterDescription('config/register-description.kuopio.yaml', REGISTER_COLUMNS);
let first: TestDatabase;
let second: TestDatabase;

beforeAll(async () => {
  [first, second] = await Promise.all([createTestDatabase(), createTestDatabase()]);
  await seedRegister(first.ownerDb, { persons: 30, seed: 5, description });
  await seedRegister(second.ownerDb, { persons: 30, seed: 5, description });
});

afterAll(async () => {
  await first?.destroy();
  await second?.destroy();
});

const log = (tdb: TestDatabase) =>
  tdb.db.selectFrom('register.consultations as c').innerJoin('register.persons as p', 'p.id', 'c.person_id').select(['p.hetu', 'c.consulted_at', 'c.system', 'c.purpose', 'c.employee']).orderBy('p.hetu').orderBy('c.consulted_at').execute();

test('every client has one to five consultations before the reference date, in described systems, for described purposes, by a named employee', async () => {
  const entries = await log(first);
  const persons = await first.db.selectFrom('register.persons').select('hetu').execute();
  const perPerson = new Map<string, number>();
  for (const e of entries) perPerson.set(e.hetu, (perPerson.get(e.hetu) ?? 0) + 1);
  expect(perPerson.size).toBe(persons.length);
  for (const n of perPerson.values()) expect(n >= 1 && n <= 5).toBe(true);
  const systems = consultedSystems(description);
  const purposes = description.consultationLog!.purposes.map((p) => p.key);
  for (const e of entries) {
    expect(systems).toContain(e.system);
    expect(purposes).toContain(e.purpose);
    expect(e.employee).toMatch(/^\p{L}+ \p{L}+/u);
    expect(new Date(e.consulted_at).getTime()).toBeLessThan(DEFAULT_REFERENCE_DATE.getTime());
  }
  // Realistic spread: several systems and purposes in use.
  expect(new Set(entries.map((e) => e.system)).size).toBeGreaterThan(1);
  expect(new Set(entries.map((e) => e.purpose)).size).toBeGreaterThan(2);
});

test('the same seed gives the same log', async () => {
  expect(await log(second)).toEqual(await log(first));
});

test('gathering reads the subject’s entries of one system only, oldest first', async () => {
  const demo = (await findPersonIdByHetu(first.db, DEMO_HETU))!;
  const all = (await log(first)).filter((e) => e.hetu === DEMO_HETU);
  const gathered = (await Promise.all(consultedSystems(description).map((s) => readConsultations(first.db, demo, s)))).flat();
  expect(gathered).toHaveLength(all.length);
  for (const system of consultedSystems(description)) {
    const part = await readConsultations(first.db, demo, system);
    expect(part.every((e) => e.system === system)).toBe(true);
    expect(part.map((e) => e.at)).toEqual([...part.map((e) => e.at)].sort());
  }
  expect(await readConsultations(first.db, null, consultedSystems(description)[0])).toEqual([]);
});
