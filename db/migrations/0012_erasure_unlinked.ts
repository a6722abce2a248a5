/**
 * GDPR 17, "Erasure means no linkable data" (LEGAL-RULES.md 3): an erased row that statistics must
 * keep is cut from the person and stripped of its personal fields. So the link to the person
 * (`person_id`) may be NULL, and every required column that is not text is required only while the
 * row is someone's (a CHECK in place of NOT NULL); a NOT NULL text column is blanked with a mark
 * instead. The tables are found in the catalogue, so every register table is covered.
 */
import { sql, type Kysely } from 'kysely';

const REGISTER = 'register';

/** The NOT NULL columns of the register's base tables that an erasure must be able to empty. */
async function blankable(db: Kysely<unknown>): Promise<{ table: string; column: string }[]> {
  const { rows } = await sql<{ table: string; column: string }>`
    select c.table_name as table, c.column_name as column
      from information_schema.columns c
      join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
     where c.table_schema = ${REGISTER} and t.table_type = 'BASE TABLE' and c.is_nullable = 'NO'
       and c.column_name <> 'id' and c.data_type not in ('text', 'ARRAY')
     order by c.table_name, c.ordinal_position`.execute(db);
  return rows;
}

export async function up(db: Kysely<unknown>): Promise<void> {
  const columns = await blankable(db);
  const linked = new Set(columns.filter((c) => c.column === 'person_id').map((c) => c.table));
  for (const { table, column } of columns) {
    // A table without a link to a person is only ever deleted from, never cut: leave it as it is.
    const unlinked = table === 'persons' ? sql`hetu like 'ANON-%'` : linked.has(table) ? sql`person_id is null` : null;
    if (!unlinked) continue;
    const qualified = sql.table(`${REGISTER}.${table}`);
    await sql`alter table ${qualified} alter column ${sql.id(column)} drop not null`.execute(db);
    // Still required while the row is someone's: only an erased (cut or anonymised) row may be empty.
    if (column !== 'person_id') {
      await sql`alter table ${qualified} add constraint ${sql.id(`${table}_${column}_required`)} check (${sql.ref(column)} is not null or ${unlinked})`.execute(db);
    }
  }
}

/**
 * Nothing to undo safely: rows erased since `up` hold NULLs that a restored NOT NULL would refuse,
 * and the register without this migration could not erase them. Allowing NULL harms no earlier code.
 */
export async function down(): Promise<void> {}
