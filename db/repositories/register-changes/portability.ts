/**
 * GDPR 20: the data the subject provided, in a structured, machine-readable form (JSON and CSV).
 * Which fields the subject provided is said by the register description (`providedBySubject`);
 * whether a category is portable at all (GDPR 20(1)(a)-(b)) is decided before this is called.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../database';
import type { RegisterSubject } from '../register-data';
import type { RegisterDescription } from '../../../domain/register-description';
import { toCsv } from './csv';
import { selectColumns, subjectMatch, targetsOf, type Target } from './targets';

/** A value as exported: dates `YYYY-MM-DD`, times ISO 8601 UTC, numbers as numbers. */
export type PortableValue = string | number | string[] | null;

/** The JSON export: categories in description order, each table's records in the register's order. */
export interface PortableDocument {
  categories: {
    category: string;
    tables: { table: string; fields: string[]; records: Record<string, PortableValue>[] }[];
  }[];
}

/** The export: the same records as JSON and as CSV, and how many records there are. */
export interface PortableData {
  json: Buffer;
  csv: Buffer;
  rows: number;
}

export const CSV_HEADER = ['category', 'table', 'record', 'field', 'value'] as const;

/**
 * GDPR 20: the subject's provided fields of the named categories as JSON (UTF-8) and CSV (one line
 * per field of a record, UTF-8 with BOM); the same data gives the same bytes.
 */
export async function exportPortableData(
  db: Kysely<Database>,
  description: RegisterDescription,
  subject: RegisterSubject,
  categories: readonly string[],
): Promise<PortableData> {
  const targets = targetsOf(description, categories).filter((t) => t.table.providedBySubject.length > 0);
  // One snapshot, so a change committed halfway cannot make the export inconsistent.
  const read = async (trx: Kysely<Database>) => {
    const document: PortableDocument = { categories: [] };
    for (const category of description.categories.filter((c) => categories.includes(c.key))) {
      const tables: PortableDocument['categories'][number]['tables'] = [];
      for (const target of targets.filter((t) => t.category.key === category.key)) {
        const fields = providedFields(target);
        tables.push({ table: target.table.table, fields, records: await readProvided(trx, target, subject, fields) });
      }
      document.categories.push({ category: category.key, tables });
    }
    return document;
  };
  const document = db.isTransaction
    ? await read(db)
    : await db.transaction().setIsolationLevel('repeatable read').setAccessMode('read only').execute(read);
  return {
    json: Buffer.from(`${JSON.stringify(document, null, 2)}\n`, 'utf8'),
    csv: toCsv(csvRows(document)),
    rows: document.categories.reduce((n, c) => n + c.tables.reduce((m, t) => m + t.records.length, 0), 0),
  };
}

/** The provided fields in the order the description lists the table's fields. */
function providedFields(target: Target): string[] {
  const provided = new Set(target.table.providedBySubject);
  return target.table.fields.map((f) => f.column).filter((c) => provided.has(c));
}

async function readProvided(
  trx: Kysely<Database>,
  target: Target,
  subject: RegisterSubject,
  fields: readonly string[],
): Promise<Record<string, PortableValue>[]> {
  const match = subjectMatch(target, subject);
  if (!match) return [];
  const order = [...target.table.orderBy, ...(target.table.orderBy.includes('id') ? [] : ['id'])].map((c) => sql.ref(c));
  const { rows } = await sql<Record<string, unknown>>`
    select ${sql.join(selectColumns(target, fields))} from ${sql.table(target.table.table)}
     where ${match} order by ${sql.join(order)}`.execute(trx);
  return rows.map((row) => Object.fromEntries(fields.map((f) => [f, portableValue(row[f])])));
}

function portableValue(value: unknown): PortableValue {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map((v) => String(v));
  if (typeof value === 'number') return value;
  return String(value);
}

/** One CSV line per field of each record; `record` counts a table's records from 1. */
function csvRows(document: PortableDocument): string[][] {
  const rows: string[][] = [[...CSV_HEADER]];
  for (const category of document.categories) {
    for (const table of category.tables) {
      table.records.forEach((record, index) => {
        for (const field of table.fields) rows.push([category.category, table.table, String(index + 1), field, csvValue(record[field])]);
      });
    }
  }
  return rows;
}

function csvValue(value: PortableValue): string {
  if (value === null) return '';
  return Array.isArray(value) ? value.join(', ') : String(value);
}
