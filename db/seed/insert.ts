/**
 * Batched inserts for seeding: one statement per batch that inserts into every register table from
 * column arrays (`INSERT ... SELECT FROM unnest($1::text[], ...)`), so a batch of thousands of
 * people costs one round trip and is one transaction.
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from '../database';
import { REGISTER_COLUMNS, type ColumnKind, type RegisterTableName } from '../tables/register';
import type { SeedRows } from './draft';

const ARRAY_TYPE: Record<ColumnKind, string> = {
  uuid: 'uuid[]',
  bigint: 'int8[]',
  integer: 'int4[]',
  text: 'text[]',
  // A text[] column travels as an array of array literals and is cast back per row: unnest would
  // flatten a two-dimensional array.
  'text[]': 'text[]',
  date: 'date[]',
  timestamptz: 'timestamptz[]',
};

/** The defaults of migration 0001 for columns a seed row may leave out. */
const COLUMN_DEFAULTS: Record<string, RawBuilder<unknown>> = {
  created_at: sql`now()`,
  mentions: sql`'{}'::text[]`,
};

/** The columns a seed row sets: all but generated keys and the restriction marker. */
function insertColumns(table: RegisterTableName): [string, ColumnKind][] {
  const kinds: Record<string, ColumnKind> = REGISTER_COLUMNS[table];
  return Object.entries(kinds).filter(([column, kind]) => !(column === 'id' && kind === 'bigint') && column !== 'restricted_at');
}

/** Inserts every row of the batch in one statement; returns the number of rows per table. */
export async function insertRows(db: Kysely<Database>, rows: SeedRows): Promise<Record<RegisterTableName, number>> {
  const counts = {} as Record<RegisterTableName, number>;
  const parts: RawBuilder<unknown>[] = [];
  (Object.keys(rows) as RegisterTableName[]).forEach((table, t) => {
    const list = rows[table] as Record<string, unknown>[];
    counts[table] = list.length;
    if (list.length === 0) return;
    const columns = insertColumns(table);
    const names = sql.join(columns.map(([c]) => sql.id(c)));
    const arrays = columns.map(([c, kind]) => sql`${columnValues(list, c, kind)}::${sql.raw(ARRAY_TYPE[kind])}`);
    const selects = columns.map(([c, kind]) => {
      const value = kind === 'text[]' ? sql`u.${sql.id(c)}::text[]` : sql`u.${sql.id(c)}`;
      // A row that leaves out a column with a default gets the default, as a plain insert would.
      return COLUMN_DEFAULTS[c] ? sql`coalesce(${value}, ${COLUMN_DEFAULTS[c]})` : value;
    });
    parts.push(
      sql`${sql.id(`t${t}`)} as (insert into ${sql.table(table)} (${names}) select ${sql.join(selects)} from unnest(${sql.join(arrays)}) as u(${names}))`,
    );
  });
  // Child tables reference persons inserted by a sibling CTE: foreign keys are checked at the end
  // of the statement, when all of them are in.
  if (parts.length > 0) await sql`with ${sql.join(parts)} select 1`.execute(db);
  return counts;
}

/**
 * One column of the batch as a PostgreSQL array literal, built here rather than by node-postgres:
 * its per-element escaping was the largest cost of a million-person load.
 */
function columnValues(rows: Record<string, unknown>[], column: string, kind: ColumnKind): string {
  const parts = new Array<string>(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const v = rows[i][column];
    if (v === null || v === undefined) parts[i] = 'NULL';
    else if (kind === 'text[]') parts[i] = quote(arrayLiteral(v as string[]));
    else if (typeof v === 'number') parts[i] = String(v);
    else if (v instanceof Date) parts[i] = quote(v.toISOString());
    else parts[i] = quote(String(v));
  }
  return `{${parts.join(',')}}`;
}

/** A PostgreSQL array literal of texts: {"a","b \"c\""}. */
function arrayLiteral(items: readonly string[]): string {
  return `{${items.map(quote).join(',')}}`;
}

const NEEDS_ESCAPE = /["\\]/;

/** An array element in double quotes, so commas, braces, spaces and the word NULL stay text. */
function quote(text: string): string {
  return NEEDS_ESCAPE.test(text) ? `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"` : `"${text}"`;
}
