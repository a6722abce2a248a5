/**
 * The source systems' usage logs for the synthetic register: each client's data was consulted one to
 * five times in the two and a half years before the reference date, in a system that holds client
 * records, for one of the description's consultation purposes, by a named employee. Generated in SQL
 * from each person's id and the seed, so it is deterministic and cheap at a million people.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../database';
import type { RegisterDescription } from '../../domain/register-description';
import { FIRST_NAMES, LAST_NAMES } from './finnish-names';

/** How many employees consult the synthetic register. */
const EMPLOYEES = 12;
const MAX_PER_PERSON = 5;
const DAYS_BACK = 900;

/** The systems that hold client records (person-linked tables), in description order. */
export function consultedSystems(description: RegisterDescription): string[] {
  const keys = description.categories.filter((c) => c.tables.some((t) => t.subject === 'person')).map((c) => c.system);
  return [...new Set(keys)];
}

/** Inserts the usage log of every person in the register; returns the number of entries. */
export async function seedConsultations(db: Kysely<Database>, description: RegisterDescription, seed: number, referenceDate: Date): Promise<number> {
  const purposes = description.consultationLog?.purposes.map((p) => p.key) ?? [];
  const systems = consultedSystems(description);
  if (purposes.length === 0 || systems.length === 0) return 0;
  // A register migrated only up to its own tables (some tests) has no usage log to fill.
  const { rows } = await sql<{ exists: boolean }>`select to_regclass('register.consultations') is not null as exists`.execute(db);
  if (!rows[0].exists) return 0;
  const employees = Array.from({ length: EMPLOYEES }, (_, i) => `${FIRST_NAMES[(i * 37 + seed) % FIRST_NAMES.length]} ${LAST_NAMES[(i * 53 + seed) % LAST_NAMES.length]}`);
  // hashtext of the person, entry and seed: the same register gets the same log.
  const h = (salt: string) => sql`abs(hashtext(p.id::text || ':' || g::text || ':' || ${salt} || ':' || ${String(seed)}))`;
  const result = await sql`
    insert into register.consultations (person_id, consulted_at, system, purpose, employee)
    select p.id,
           date_trunc('day', ${referenceDate}::timestamptz) - make_interval(days => 1 + ${h('d')} % ${DAYS_BACK}) + make_interval(mins => 360 + ${h('m')} % 600),
           (${systems}::text[])[1 + ${h('s')} % ${systems.length}],
           (${purposes}::text[])[1 + ${h('p')} % ${purposes.length}],
           (${employees}::text[])[1 + ${h('e')} % ${EMPLOYEES}]
      from register.persons p
      cross join lateral generate_series(1, 1 + abs(hashtext(p.id::text || ':' || ${String(seed)})) % ${MAX_PER_PERSON}) g
  `.execute(db);
  return Number(result.numAffectedRows ?? 0);
}
