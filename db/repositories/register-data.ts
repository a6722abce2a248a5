/**
 * Reading a data subject's data from the client register, driven by the register description: only
 * the tables and fields the description names are read, so what a letter prints is exactly what the
 * privacy notice declares.
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from '../database';
import { REGISTER_COLUMNS, type ColumnKind } from '../tables/register';
import { normaliseHetu } from '../../domain/hetu';
import {
  categoriesOfSystem,
  COLUMN_PATTERN,
  TABLE_PATTERN,
  type CategoryTable,
  type RegisterDescription,
} from '../../domain/register-description';

/** Who the data is gathered for: a register person (found by hetu) and/or an e-mail address. */
export interface RegisterSubject {
  personId: string | null;
  email: string | null;
}

/** One table's rows of the subject, with values rendered as text (timestamps and dates ISO 8601). */
export interface GatheredTable {
  table: string;
  category: string;
  system: string;
  /** The described fields, in description order; every row has exactly these keys. */
  columns: string[];
  rows: Record<string, string | null>[];
  /** GDPR 15(4): how many mentions of other people were replaced by REDACTED_MARK. */
  redactions: number;
}

/** What replaces another person's name in a copy given to the subject (GDPR 15(4)). */
export const REDACTED_MARK = '[…]';

/** The register person with this henkilötunnus (all 11 characters, unique index), or null. */
export async function findPersonIdByHetu(db: Kysely<Database>, hetu: string): Promise<string | null> {
  const row = await db.selectFrom('register.persons').select('id').where('hetu', '=', normaliseHetu(hetu)).executeTakeFirst();
  return row?.id ?? null;
}

/**
 * The subject's rows from every table of every category held in `systemKey`, described fields only,
 * with other people's names redacted. Restricted rows (GDPR 18) are included: they are still the
 * subject's data, only their processing is limited.
 */
export async function gatherCategoryTables(
  db: Kysely<Database>,
  description: RegisterDescription,
  subject: RegisterSubject,
  systemKey: string,
): Promise<GatheredTable[]> {
  // A mistyped system would silently leave data out of an access answer (GDPR 15(1)).
  if (!description.systems.some((s) => s.key === systemKey)) throw new Error(`unknown source system '${systemKey}'`);
  const gathered: GatheredTable[] = [];
  for (const category of categoriesOfSystem(description, systemKey)) {
    for (const table of category.tables) {
      const { rows, redactions } = await readSubjectRows(db, table, subject);
      gathered.push({
        table: table.table,
        category: category.key,
        system: category.system,
        columns: table.fields.map((f) => f.column),
        rows,
        redactions,
      });
    }
  }
  return gathered;
}

async function readSubjectRows(
  db: Kysely<Database>,
  table: CategoryTable,
  subject: RegisterSubject,
): Promise<{ rows: Record<string, string | null>[]; redactions: number }> {
  const key = table.subject === 'person' ? subject.personId : subject.email;
  if (key === null || key.trim() === '') return { rows: [], redactions: 0 };

  const kinds = columnKinds(table);
  const columns = table.fields.map((f) => f.column);
  const selection: RawBuilder<unknown>[] = columns.map((c) =>
    // node-postgres would turn a date into local midnight; as text it stays the calendar day.
    kinds[c] === 'date' ? sql`${sql.ref(c)}::text as ${sql.id(c)}` : sql.ref(c),
  );
  if (table.redact) selection.push(sql.ref(table.redact));

  const link = sql.ref(table.subjectColumn);
  const where = table.subject === 'person' ? sql`${link} = ${key}` : sql`lower(${link}) = lower(${key})`;
  const order = table.orderBy.map((c) => sql.ref(c));
  if (kinds.id && !table.orderBy.includes('id')) order.push(sql.ref('id'));

  const result = await sql<Record<string, unknown>>`
    select ${sql.join(selection)} from ${sql.table(table.table)} where ${where} order by ${sql.join(order)}
  `.execute(db);

  let redactions = 0;
  const patterns = new Map<string, RegExp>(); // a subject's rows mention the same people again and again
  const rows = result.rows.map((raw) => {
    const names = table.redact ? mentionedNames(raw[table.redact]) : [];
    const row: Record<string, string | null> = {};
    for (const c of columns) {
      const value = renderValue(raw[c]);
      if (value === null || names.length === 0) {
        row[c] = value;
        continue;
      }
      const redacted = redactNames(value, names, patterns);
      row[c] = redacted.text;
      redactions += redacted.count;
    }
    return row;
  });
  return { rows, redactions };
}

/**
 * The kinds of the table's columns, after checking that every name that will reach SQL as an
 * identifier has a plain shape and exists in the register schema. The description was validated
 * at start-up; this guards against one built by other means.
 */
function columnKinds(table: CategoryTable): Readonly<Record<string, ColumnKind>> {
  const kinds: Readonly<Record<string, ColumnKind>> | undefined = (REGISTER_COLUMNS as Record<string, Record<string, ColumnKind>>)[table.table];
  if (!TABLE_PATTERN.test(table.table) || !kinds) throw new Error(`not a register table: '${table.table}'`);
  const names = [table.subjectColumn, ...table.fields.map((f) => f.column), ...table.orderBy];
  if (table.redact) names.push(table.redact);
  for (const name of names) {
    if (!COLUMN_PATTERN.test(name) || !kinds[name]) throw new Error(`table '${table.table}' has no column '${name}'`);
  }
  return kinds;
}

/** Renders a column value as the text a report prints; dates and timestamps as ISO 8601. */
function renderValue(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map((v) => renderValue(v) ?? '').join(', ');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** The names to redact, longest first so that "Aino Virtanen" goes before "Aino". */
function mentionedNames(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  const names = value.filter((v): v is string => typeof v === 'string' && v.trim() !== '');
  return [...new Set(names)].sort((a, b) => b.length - a.length);
}

/**
 * Replaces every occurrence of each name that starts a word (so "Ari" is not found inside "Mari";
 * an inflected form like "Ainon" loses the name and keeps only its ending). Exact spelling: the
 * `mentions` list records names as they are written in the text. `patterns` keeps the compiled
 * patterns between calls (a global pattern used by `replace` starts from the beginning each time).
 */
export function redactNames(text: string, names: readonly string[], patterns = new Map<string, RegExp>()): { text: string; count: number } {
  let count = 0;
  let out = text;
  for (const name of names) {
    let pattern = patterns.get(name);
    if (!pattern) patterns.set(name, (pattern = new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(name)}`, 'gu')));
    out = out.replace(pattern, () => {
      count += 1;
      return REDACTED_MARK;
    });
  }
  return { text: out, count };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The register's own record of a person, as a handler compares it with the request (identity check). */
export interface RegisterPersonRecord {
  personId: string;
  firstName: string;
  lastName: string;
  hetu: string;
  address: string | null;
  email: string | null;
  phone: string | null;
}

/** The person row the id names, or null. */
export async function getRegisterPerson(db: Kysely<Database>, personId: string): Promise<RegisterPersonRecord | null> {
  const row = await db
    .selectFrom('register.persons')
    .select(['id', 'first_name', 'last_name', 'hetu', 'street_address', 'postal_code', 'city', 'email', 'phone'])
    .where('id', '=', personId)
    .executeTakeFirst();
  if (!row) return null;
  const place = [row.postal_code, row.city].filter(Boolean).join(' ');
  const address = [row.street_address, place].filter(Boolean).join(', ');
  return { personId: row.id, firstName: row.first_name, lastName: row.last_name, hetu: row.hetu, address: address || null, email: row.email, phone: row.phone };
}

/** At most this many current values are shown for one proposed correction. */
const CURRENT_VALUES_SHOWN = 20;

/**
 * What the register holds now in one described field of the subject's rows (one row when `rowId`
 * names it), as text: what a proposed correction (GDPR 16) would replace. Empty when the field is
 * not described or the subject has no such row.
 */
export async function currentFieldValues(
  db: Kysely<Database>,
  description: RegisterDescription,
  subject: RegisterSubject,
  field: { table: string; column: string; rowId?: string | null },
): Promise<(string | null)[]> {
  const table = description.categories.flatMap((c) => c.tables).find((t) => t.table === field.table && t.fields.some((f) => f.column === field.column));
  if (!table) return [];
  const key = table.subject === 'person' ? subject.personId : subject.email;
  if (key === null || key.trim() === '') return [];
  const kinds = columnKinds(table);
  if (field.rowId && (!kinds.id || !/^[0-9a-zA-Z-]{1,64}$/.test(field.rowId))) return [];
  const link = sql.ref(table.subjectColumn);
  const where = table.subject === 'person' ? sql`${link} = ${key}` : sql`lower(${link}) = lower(${key})`;
  const row = field.rowId ? sql`and ${sql.ref('id')}::text = ${field.rowId}` : sql``;
  const value = kinds[field.column] === 'date' ? sql`${sql.ref(field.column)}::text` : sql.ref(field.column);
  const order = table.orderBy.map((c) => sql.ref(c));
  const result = await sql<{ value: unknown }>`
    select ${value} as value from ${sql.table(table.table)} where ${where} ${row}
    ${order.length ? sql`order by ${sql.join(order)}` : sql``} limit ${CURRENT_VALUES_SHOWN}
  `.execute(db);
  return result.rows.map((r) => renderValue(r.value));
}

/** One entry of a source system's usage log about the subject (CJEU C-579/21). */
export interface ConsultationEntry {
  /** ISO 8601. */
  at: string;
  system: string;
  purpose: string;
  /** As the system logs them; the letter prints it only where the register description says so. */
  employee: string | null;
}

/** The subject's entries in one system's usage log, oldest first. */
export async function readConsultations(db: Kysely<Database>, personId: string | null, systemKey: string): Promise<ConsultationEntry[]> {
  if (!personId) return [];
  const rows = await db
    .selectFrom('register.consultations')
    .select(['consulted_at', 'system', 'purpose', 'employee'])
    .where('person_id', '=', personId)
    .where('system', '=', systemKey)
    .orderBy('consulted_at')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ at: new Date(r.consulted_at).toISOString(), system: r.system, purpose: r.purpose, employee: r.employee }));
}
