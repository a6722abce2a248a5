/**
 * GDPR 17: erasure of a subject's data, per category as the register description says: `delete`
 * removes the rows, `anonymise` cuts them from the person and keeps only the fields the description
 * names for statistics (seed section 6: "tällöin tieto on anonyymissa muodossa").
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
 * LEGAL-RULES.md 3, "Erasure means no linkable data": the row is cut from the person (its link set to
 * NULL) and every described field except those the description keeps for statistics is emptied,
 * with the list of other people a row names. A row cut from the person is no longer the subject's,
 * so a retry finds nothing to do. The person's own row cannot be cut from itself: its fields are
 * emptied and the henkilötunnus replaced, so the rows kept under 17(3)(b) still have their person.
 */
async function anonymiseRows(trx: Kysely<Database>, target: Target, subject: RegisterSubject): Promise<TableChange> {
  const columns = describedColumns(target);
  const constraints = await columnConstraints(trx, target.table.table);
  const kept = new Set(target.table.statistics);
  const emptied = [...columns.filter((c) => !kept.has(c)), ...(target.table.redact ? [target.table.redact] : [])];
  const blankings = emptied.map((c) => blankingOf(c, target, constraints.get(c)));
  if (isPersonRow(target)) {
    if (blankings.length === 0) return tableChange(target, 'anonymise', [], []);
    const notYet = sql<SqlBool>`not (${sql.join(blankings.map((b) => b.blank), sql` and `)})`;
    const before = await lockSubjectRows(trx, target, subject, columns, notYet);
    const after = await updateRows(trx, target, before, blankings.map((b) => b.assignment), columns);
    return tableChange(target, 'anonymise', before, after);
  }
  const link = blankingOf(target.table.subjectColumn, target, constraints.get(target.table.subjectColumn), true);
  const before = await lockSubjectRows(trx, target, subject, columns);
  const after = await updateRows(trx, target, before, [link.assignment, ...blankings.map((b) => b.assignment)], columns);
  return tableChange(target, 'anonymise', before, after);
}

/** Empties a column: NULL where allowed; a NOT NULL text gets a mark, a unique one a placeholder. */
function blankingOf(column: string, target: Target, constraint: ColumnConstraint | undefined, mustBeNull = false): Blanking {
  const kind = target.kinds[column];
  const ref = sql.ref(column);
  const set = (value: RawBuilder<unknown>) => sql`${sql.id(column)} = ${value}`;
  if (!constraint || constraint.nullable) return { assignment: set(sql`null`), blank: sql<SqlBool>`${ref} is null` };
  // Migration 0012 lets every link and every non-text column be NULL; a register without it cannot erase.
  if (mustBeNull || (kind !== 'text' && kind !== 'text[]')) throw new Error(`${target.table.table}.${column} cannot be emptied: it is NOT NULL (migration 0012 missing?)`);
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
