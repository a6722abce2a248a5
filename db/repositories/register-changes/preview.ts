/**
 * The preview of a decision's register changes, approved with the draft letter before anything is
 * changed: per category, the tables and how many of the subject's rows each holds. Counts and
 * table names only, never the data.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../database';
import type { RegisterSubject } from '../register-data';
import type { RegisterDescription } from '../../../domain/register-description';
import { subjectMatch, targetsOf } from './targets';

/** One table of one category and the number of the subject's rows in it. */
export interface TableCount {
  category: string;
  table: string;
  rows: number;
}

/** The subject's rows per table of the named categories, in description order. */
export async function countSubjectRows(
  db: Kysely<Database>,
  description: RegisterDescription,
  subject: RegisterSubject,
  categories: readonly string[],
): Promise<TableCount[]> {
  const out: TableCount[] = [];
  for (const target of targetsOf(description, categories)) {
    const match = subjectMatch(target, subject);
    let rows = 0;
    if (match) {
      const { rows: found } = await sql<{ n: string }>`select count(*)::text as n from ${sql.table(target.table.table)} where ${match}`.execute(db);
      rows = Number(found[0]?.n ?? 0);
    }
    out.push({ category: target.category.key, table: target.table.table, rows });
  }
  return out;
}
