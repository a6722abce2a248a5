/**
 * Processing limits: why a row is restricted, and the `processing` schema through which ordinary
 * processing reads the register.
 *
 * - GDPR 18(2): restricted data is only stored. GDPR 21(1): after an objection, processing for the
 *   public task stops. Both set `restricted_at`; `restriction_ground` says which one, so lifting a
 *   restriction (GDPR 18(3)) never lifts an objection.
 * - `processing.<table>` returns only rows that ordinary processing may use: not restricted and, for
 *   tables resting on consent, consent not withdrawn (GDPR 7(3)). The views are simple, so they are
 *   updatable and processing code can use them in place of `register.<table>`.
 * - GDPR 17: an anonymised client keeps their `register.persons` row (every other table refers to
 *   it) with a non-identifying placeholder in the NOT NULL UNIQUE `hetu` column.
 *
 * The tables are found in the catalogue rather than listed, so this migration covers exactly the
 * register tables that exist when it runs. A view is `select *` frozen at creation: a later
 * migration that adds a column to a register table must recreate that table's view.
 */
import { sql, type Kysely } from 'kysely';

const REGISTER = 'register';
const PROCESSING = 'processing';
const HETU_SHAPE = `^[0-9]{6}[-+YXWVUABCDEF][0-9]{3}[0-9A-Y]$`;
const ANONYMOUS_HETU = `^ANON-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`;

interface SubjectTable {
  name: string;
  consent: boolean;
}

/** The register tables that carry the GDPR 18 marker, and whether each records a consent. */
async function subjectTables(db: Kysely<unknown>): Promise<SubjectTable[]> {
  const { rows } = await sql<{ name: string; consent: boolean }>`
    select c.table_name as name,
           bool_or(w.column_name is not null) as consent
      from information_schema.columns c
      join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
      left join information_schema.columns w
        on w.table_schema = c.table_schema and w.table_name = c.table_name and w.column_name = 'consent_withdrawn_at'
     where c.table_schema = ${REGISTER} and c.column_name = 'restricted_at' and t.table_type = 'BASE TABLE'
     group by c.table_name
     order by c.table_name`.execute(db);
  return rows;
}

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createSchema(PROCESSING).execute();
  for (const table of await subjectTables(db)) {
    const qualified = sql.table(`${REGISTER}.${table.name}`);
    await sql`alter table ${qualified} add column restriction_ground text
      constraint ${sql.id(`${table.name}_restriction_ground_known`)} check (restriction_ground in ('gdpr_18', 'gdpr_21'))`.execute(db);
    // Restrictions made before grounds were recorded could only have been GDPR 18 restrictions.
    await sql`update ${qualified} set restriction_ground = 'gdpr_18' where restricted_at is not null`.execute(db);

    const usable = table.consent ? sql`restricted_at is null and consent_withdrawn_at is null` : sql`restricted_at is null`;
    await sql`create view ${sql.table(`${PROCESSING}.${table.name}`)} as
      select * from ${qualified} where ${usable}`.execute(db);
  }

  await sql`alter table ${sql.table(`${REGISTER}.persons`)} drop constraint persons_hetu_shape`.execute(db);
  await sql`alter table ${sql.table(`${REGISTER}.persons`)} add constraint persons_hetu_shape
    check (hetu ~ ${sql.lit(HETU_SHAPE)} or hetu ~ ${sql.lit(ANONYMOUS_HETU)})`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropSchema(PROCESSING).ifExists().cascade().execute();
  for (const table of await subjectTables(db)) {
    await sql`alter table ${sql.table(`${REGISTER}.${table.name}`)} drop column if exists restriction_ground`.execute(db);
  }
  await sql`alter table ${sql.table(`${REGISTER}.persons`)} drop constraint persons_hetu_shape`.execute(db);
  // NOT VALID: clients anonymised meanwhile keep their placeholder; new and updated rows are checked.
  await sql`alter table ${sql.table(`${REGISTER}.persons`)} add constraint persons_hetu_shape
    check (hetu ~ ${sql.lit(HETU_SHAPE)}) not valid`.execute(db);
}
