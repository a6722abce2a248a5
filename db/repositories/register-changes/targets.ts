/**
 * What every change to the register shares: which tables a category names (checked against the
 * register schema before any name reaches SQL), how the subject's rows are found and locked, and the
 * summary the audit chain records: counts and digests, never the data itself.
 */
import { createHash } from 'node:crypto';
import { sql, type Kysely, type RawBuilder, type SqlBool } from 'kysely';
import type { Database } from '../../database';
import { REGISTER_COLUMNS, type ColumnKind } from '../../tables/register';
import { canonicalJson } from '../audit';
import type { RegisterSubject } from '../register-data';
import {
  COLUMN_PATTERN,
  TABLE_PATTERN,
  type CategoryTable,
  type DataCategory,
  type RegisterDescription,
} from '../../../domain/register-description';
import { UnknownCategoryError } from './errors';

export const CHANGE_ACTIONS = ['delete', 'anonymise', 'restrict', 'lift_restriction', 'withdraw_consent', 'rectify'] as const;
export type ChangeAction = (typeof CHANGE_ACTIONS)[number];

/**
 * What one change did to one table. The digests are sha256 over the canonical JSON of the affected
 * rows' described fields before and after, so the audit chain can prove what changed without
 * holding a copy of it. No rows affected: both are the digest of `[]`.
 */
export interface TableChange {
  table: string;
  category: string;
  action: ChangeAction;
  rows: number;
  beforeDigest: string;
  afterDigest: string;
}

/** One table of one category, with the kinds of its columns. */
export interface Target {
  category: DataCategory;
  table: CategoryTable;
  kinds: Readonly<Record<string, ColumnKind>>;
}

/** A locked row of the subject: its key and the selected columns. */
export interface LockedRow {
  key: string;
  values: Record<string, unknown>;
}

/** The alias the row key is selected under; a described column cannot start with two underscores. */
const KEY = '__row_key';

/** The tables of the named categories, in description order; an unknown category is refused. */
export function targetsOf(description: RegisterDescription, categories: readonly string[]): Target[] {
  for (const key of categories) {
    if (!description.categories.some((c) => c.key === key)) throw new UnknownCategoryError(key);
  }
  return description.categories
    .filter((c) => categories.includes(c.key))
    .flatMap((category) => category.tables.map((table) => targetOf(category, table)));
}

/**
 * Checks that every name of the table that may reach SQL as an identifier has a plain shape and is
 * in the register schema. The description was validated at start-up; this guards against one built
 * by other means.
 */
export function targetOf(category: DataCategory, table: CategoryTable): Target {
  const kinds = (REGISTER_COLUMNS as Record<string, Readonly<Record<string, ColumnKind>>>)[table.table];
  if (!TABLE_PATTERN.test(table.table) || !kinds) throw new Error(`not a register table: '${table.table}'`);
  const names = ['id', table.subjectColumn, ...table.fields.map((f) => f.column), ...table.orderBy, ...table.providedBySubject, ...table.statistics];
  if (table.redact) names.push(table.redact);
  for (const name of names) {
    if (!COLUMN_PATTERN.test(name) || !kinds[name]) throw new Error(`table '${table.table}' has no column '${name}'`);
  }
  return { category, table, kinds };
}

/** Whether the table's row is the person itself, which every other person table refers to. */
export function isPersonRow(target: Target): boolean {
  return target.table.subject === 'person' && target.table.subjectColumn === 'id';
}

/** The described columns of the table, in description order. */
export function describedColumns(target: Target): string[] {
  return target.table.fields.map((f) => f.column);
}

/** The subject's rows of the table, or null when the subject has no key for this kind of link. */
export function subjectMatch(target: Target, subject: RegisterSubject): RawBuilder<SqlBool> | null {
  const key = target.table.subject === 'person' ? subject.personId : subject.email;
  if (key === null || key === undefined || key.trim() === '') return null;
  const link = sql.ref(target.table.subjectColumn);
  // E-mail links are matched case-insensitively, as gathering does (register-data.ts).
  return target.table.subject === 'person' ? sql<SqlBool>`${link} = ${key}` : sql<SqlBool>`lower(${link}) = lower(${key.trim()})`;
}

/** Select-list items for the columns; a date as its text, so no time zone can move the day. */
export function selectColumns(target: Target, columns: readonly string[]): RawBuilder<unknown>[] {
  return columns.map((c) => (target.kinds[c] === 'date' ? sql`${sql.ref(c)}::text as ${sql.id(c)}` : sql.ref(c)));
}

/**
 * Locks the subject's rows of the table that meet `condition` (FOR UPDATE: a concurrent retry waits
 * and then finds nothing left to do) and returns them in key order.
 */
export async function lockSubjectRows(
  trx: Kysely<Database>,
  target: Target,
  subject: RegisterSubject,
  columns: readonly string[],
  condition: RawBuilder<SqlBool> = sql<SqlBool>`true`,
): Promise<LockedRow[]> {
  const match = subjectMatch(target, subject);
  if (!match) return [];
  const { rows } = await sql<Record<string, unknown>>`
    select ${sql.ref('id')}::text as ${sql.id(KEY)}, ${sql.join(selectColumns(target, columns))}
      from ${sql.table(target.table.table)}
     where ${match} and (${condition})
     order by ${sql.ref('id')}
       for update`.execute(trx);
  return rows.map((row) => splitKey(row));
}

/** `id in (...)` for locked rows. */
export function keyIn(rows: readonly LockedRow[]): RawBuilder<SqlBool> {
  return sql<SqlBool>`${sql.ref('id')} in (${sql.join(rows.map((r) => r.key))})`;
}

/** Updates the locked rows and returns their new values in key order. */
export async function updateRows(
  trx: Kysely<Database>,
  target: Target,
  rows: readonly LockedRow[],
  assignments: readonly RawBuilder<unknown>[],
  columns: readonly string[],
): Promise<LockedRow[]> {
  if (rows.length === 0) return [];
  const { rows: updated } = await sql<Record<string, unknown>>`
    update ${sql.table(target.table.table)} set ${sql.join(assignments)}
     where ${keyIn(rows)}
    returning ${sql.ref('id')}::text as ${sql.id(KEY)}, ${sql.join(selectColumns(target, columns))}`.execute(trx);
  return updated.map((row) => splitKey(row)).sort((a, b) => compareKeys(a.key, b.key));
}

/** sha256 hex over the canonical JSON of the rows' values, in the order given. */
export function digestRows(rows: readonly LockedRow[]): string {
  return createHash('sha256')
    .update(canonicalJson(rows.map((r) => r.values)))
    .digest('hex');
}

/** The audit summary of a change to one table. */
export function tableChange(target: Target, action: ChangeAction, before: readonly LockedRow[], after: readonly LockedRow[]): TableChange {
  return {
    table: target.table.table,
    category: target.category.key,
    action,
    rows: before.length,
    beforeDigest: digestRows(before),
    afterDigest: digestRows(after),
  };
}

/** Runs `work` in the caller's transaction, or in a new one when given a plain handle. */
export async function inTransaction<T>(db: Kysely<Database>, work: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
  return db.isTransaction ? work(db) : db.transaction().execute(work);
}

function splitKey(row: Record<string, unknown>): LockedRow {
  const { [KEY]: key, ...values } = row;
  return { key: String(key), values };
}

/** Row keys are bigint identities (numeric order, as PostgreSQL sorted them) or uuids. */
function compareKeys(a: string, b: string): number {
  if (/^\d+$/.test(a) && /^\d+$/.test(b)) return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
  return a < b ? -1 : a > b ? 1 : 0;
}
