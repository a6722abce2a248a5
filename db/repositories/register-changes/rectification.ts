/**
 * GDPR 16: applying an accepted correction to the register. Only fields the register description
 * lists can be corrected, and only on a row of the subject's own.
 */
import { sql, type Kysely, type SqlBool } from 'kysely';
import type { Database } from '../../database';
import type { ColumnKind } from '../../tables/register';
import type { RegisterSubject } from '../register-data';
import type { RegisterDescription } from '../../../domain/register-description';
import type { Language } from '../../../domain/request';
import { RectificationTargetError, RectificationValueError } from './errors';
import { describedColumns, inTransaction, lockSubjectRows, tableChange, targetOf, updateRows, type TableChange, type Target } from './targets';
import { convertValue, type ColumnValue } from './values';

/** A correction the handler accepted: the new value of one field, as typed into the form. */
export interface Correction {
  /** `schema.table`, as in the register description. */
  table: string;
  column: string;
  /** The subject's row; null when the subject has exactly one row in the table. */
  rowId: string | null;
  value: string;
}

/** A field a subject may propose a correction for. */
export interface RectifiableField {
  table: string;
  column: string;
  category: string;
  label: string;
}

/** A correction checked against the description, its value converted. */
export interface ResolvedCorrection {
  target: Target;
  column: string;
  field: string;
  value: ColumnValue;
}

/** PostgreSQL casts by column kind, so the comparison and the write see the same value. */
const CAST: Record<ColumnKind, string> = {
  uuid: 'uuid',
  bigint: 'int8',
  integer: 'int4',
  text: 'text',
  'text[]': 'text[]',
  date: 'date',
  timestamptz: 'timestamptz',
};

/** Every described field of every category, in description order, labelled in `language`. */
export function listRectifiableFields(description: RegisterDescription, language: Language): RectifiableField[] {
  return description.categories.flatMap((category) =>
    category.tables.flatMap((table) =>
      table.fields.map((f) => ({ table: table.table, column: f.column, category: category.key, label: f.label[language] })),
    ),
  );
}

/** Checks that the correction names a described field and converts its value (no database needed). */
export function resolveCorrection(description: RegisterDescription, correction: Correction): ResolvedCorrection {
  const field = `${correction.table}.${correction.column}`;
  for (const category of description.categories) {
    for (const table of category.tables) {
      if (table.table !== correction.table || !table.fields.some((f) => f.column === correction.column)) continue;
      const target = targetOf(category, table);
      return { target, column: correction.column, field, value: convertValue(field, target.kinds[correction.column], correction.value) };
    }
  }
  throw new RectificationTargetError(field, 'not_described', 'is not a field of the register description, so it cannot be rectified');
}

/**
 * GDPR 16: writes the corrected value to the subject's row; returns the table's summary (0 rows when
 * the row already holds the value).
 */
export async function applyRectification(
  db: Kysely<Database>,
  description: RegisterDescription,
  subject: RegisterSubject,
  correction: Correction,
): Promise<TableChange> {
  const resolved = resolveCorrection(description, correction);
  const { target, column, field } = resolved;
  const rowCondition = correction.rowId === null ? sql<SqlBool>`true` : sql<SqlBool>`${sql.ref('id')} = ${checkedRowId(target, field, correction.rowId)}`;
  return inTransaction(db, async (trx) => {
    const columns = describedColumns(target);
    const rows = await lockSubjectRows(trx, target, subject, columns, rowCondition);
    if (rows.length === 0) {
      throw new RectificationTargetError(field, 'no_row', correction.rowId === null ? 'the subject has no row in this table' : 'the row is not one of the subject’s rows');
    }
    if (rows.length > 1) {
      throw new RectificationTargetError(field, 'ambiguous', `the subject has ${rows.length} rows in this table: name the row to correct`);
    }
    const value = sql`${resolved.value}::${sql.raw(CAST[target.kinds[column]])}`;
    const [row] = rows;
    const changing = await lockSubjectRows(trx, target, subject, columns, sql<SqlBool>`${sql.ref('id')} = ${row.key} and ${sql.ref(column)} is distinct from ${value}`);
    try {
      const after = await updateRows(trx, target, changing, [sql`${sql.id(column)} = ${value}`], columns);
      return tableChange(target, 'rectify', changing, after);
    } catch (error) {
      throw constraintError(field, error) ?? error;
    }
  });
}

/** The row key in the table's key type; anything else names no row of the subject's. */
function checkedRowId(target: Target, field: string, rowId: string): string {
  const pattern = target.kinds.id === 'uuid' ? /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i : /^\d{1,18}$/;
  if (!pattern.test(rowId)) throw new RectificationTargetError(field, 'no_row', 'the row id is not a key of this table');
  return rowId;
}

/**
 * A constraint the value breaks, as a clear error. PostgreSQL's own message is not passed on: it may
 * quote the value. The transaction is aborted either way; the caller rolls back.
 */
function constraintError(field: string, error: unknown): RectificationValueError | null {
  const code = (error as { code?: unknown } | null)?.code;
  // Migration 0012: a required column is a CHECK named `<table>_<column>_required`, so an erased row may be empty.
  if (code === '23514' && String((error as { constraint?: unknown }).constraint ?? '').endsWith('_required')) {
    return new RectificationValueError(field, 'is required and cannot be cleared');
  }
  switch (code) {
    case '23502':
      return new RectificationValueError(field, 'is required and cannot be cleared');
    case '23505':
      return new RectificationValueError(field, 'must be unique, and another record already has this value');
    case '23514':
      return new RectificationValueError(field, 'is outside the values the register allows for this field');
    case '22001':
    case '22003':
    case '22007':
    case '22008':
      return new RectificationValueError(field, 'is not a value this field can hold');
    default:
      return null;
  }
}
