/**
 * GDPR 17: erasure of a subject's data, per category as the register description says: `delete`
 * removes the rows, `anonymise` strips them of what identifies the subject and keeps what statistics
 * need (seed section 6: "tällöin tieto on anonyymissa muodossa").
 */
import { sql, type Kysely, type RawBuilder, type SqlBool } from 'kysely';
import type { Database } from '../../database';
import type { RegisterSubject } from '../register-data';
import type { RegisterDescription } from '../../../domain/register-description';
import {
  describedColumns,
  inTransaction,
  isPersonRow,
  keyIn,
  lockSubjectRows,
  tableChange,
  updateRows,
  type Target,
  type TableChange,
  targetsOf,
} from './targets';

/** What replaces a required text of an anonymised row. */
export const ANONYMISED_MARK = '[anonymised]';
/** Prefix of the placeholder that replaces a required unique text (the henkilötunnus). */
export const ANONYMOUS_KEY_PREFIX = 'ANON-';

/**
 * GDPR 17: erases the subject's rows of the named categories (delete or anonymise, per the
 * description); returns one summary per table.
 */
export async function eraseCategories(
  db: Kysely<Database>,
  description: RegisterDescription,
  subject: RegisterSubject,
  categories: readonly string[],
): Promise<TableChange[]> {
  const targets = targetsOf(description, categories);
  // Children first. The person's own row is never deleted: every other table of the person refers
  // to it, including categories kept under GDPR 17(3)(b), so it is anonymised instead.
  const ordered = [...targets.filter((t) => !isPersonRow(t)), ...targets.filter(isPersonRow)];
  return inTransaction(db, async (trx) => {
    const changes: TableChange[] = [];
    for (const target of ordered) {
      const anonymise = isPersonRow(target) || target.category.erasure === 'anonymise';
      changes.push(anonymise ? await anonymiseRows(trx, target, subject) : await deleteRows(trx, target, subject));
    }
    return changes;
  });
}

async function deleteRows(trx: Kysely<Database>, target: Target, subject: RegisterSubject): Promise<TableChange> {
  const before = await lockSubjectRows(trx, target, subject, describedColumns(target));
  if (before.length > 0) await sql`delete from ${sql.table(target.table.table)} where ${keyIn(before)}`.execute(trx);
  return tableChange(target, 'delete', before, []);
}

/** How one column is blanked, and how to tell that it already is (so a retry changes nothing). */
interface Blanking {
  assignment: RawBuilder<unknown>;
  blank: RawBuilder<SqlBool>;
}

/**
 * Overwrites the texts of the described fields (and the list of other people a row names, which
 * means nothing once its text is gone). Keys, links, dates and numbers stay: they identify no one
 * once the texts and the person's own row are anonymised, and statistics need them.
 */
async function anonymiseRows(trx: Kysely<Database>, target: Target, subject: RegisterSubject): Promise<TableChange> {
  const columns = describedColumns(target);
  const constraints = await columnConstraints(trx, target.table.table);
  const overwritten = [...columns, ...(target.table.redact ? [target.table.redact] : [])];
  const blankings = overwritten
    .map((c) => blankingOf(c, target, constraints.get(c)))
    .filter((b): b is Blanking => b !== null);
  if (blankings.length === 0) return tableChange(target, 'anonymise', [], []);

  const notYet = sql<SqlBool>`not (${sql.join(blankings.map((b) => b.blank), sql` and `)})`;
  const before = await lockSubjectRows(trx, target, subject, columns, notYet);
  const after = await updateRows(trx, target, before, blankings.map((b) => b.assignment), columns);
  return tableChange(target, 'anonymise', before, after);
}

function blankingOf(column: string, target: Target, constraint: ColumnConstraint | undefined): Blanking | null {
  const kind = target.kinds[column];
  if (kind !== 'text' && kind !== 'text[]') return null;
  const ref = sql.ref(column);
  const set = (value: RawBuilder<unknown>) => sql`${sql.id(column)} = ${value}`;
  if (!constraint || constraint.nullable) return { assignment: set(sql`null`), blank: sql<SqlBool>`${ref} is null` };
  if (kind === 'text[]') return { assignment: set(sql`'{}'::text[]`), blank: sql<SqlBool>`cardinality(${ref}) = 0` };
  if (constraint.unique) {
    // A unique placeholder per row; it names no one (migration 0003 lets register.persons.hetu hold it).
    return {
      assignment: set(sql`${ANONYMOUS_KEY_PREFIX} || gen_random_uuid()::text`),
      blank: sql<SqlBool>`${ref} like ${`${ANONYMOUS_KEY_PREFIX}%`}`,
    };
  }
  return { assignment: set(sql`${ANONYMISED_MARK}`), blank: sql<SqlBool>`${ref} = ${ANONYMISED_MARK}` };
}

interface ColumnConstraint {
  nullable: boolean;
  /** Alone in a unique index, so one placeholder may not repeat. */
  unique: boolean;
}

/** NOT NULL and single-column UNIQUE of the table's columns, from the catalogue. */
async function columnConstraints(trx: Kysely<Database>, table: string): Promise<Map<string, ColumnConstraint>> {
  const { rows } = await sql<{ name: string; nullable: boolean; is_unique: boolean }>`
    select a.attname as name,
           not a.attnotnull as nullable,
           exists (select 1 from pg_index i
                    where i.indrelid = a.attrelid and i.indisunique and i.indnkeyatts = 1 and i.indkey[0] = a.attnum) as is_unique
      from pg_attribute a
     where a.attrelid = to_regclass(${table}) and a.attnum > 0 and not a.attisdropped`.execute(trx);
  return new Map(rows.map((r) => [r.name, { nullable: r.nullable, unique: r.is_unique }]));
}
