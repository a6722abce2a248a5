/**
 * Cross-reference checks of a structurally valid register description: every key a category names
 * exists, keys are unique, and the tables and columns are those of the register schema. Every
 * register table must belong to exactly one category, so no data can be left out of an access
 * answer (GDPR 15(1)) or erased twice under different rules.
 */
import type { RegisterDescription } from './register-description';

/** SQL kind of a register column, as far as reading and rendering it needs to know. */
export type ColumnKind = 'uuid' | 'bigint' | 'integer' | 'text' | 'text[]' | 'date' | 'timestamptz';

/** Every register table and each of its columns with its kind. */
export type RegisterColumnCatalog = Readonly<Record<string, Readonly<Record<string, ColumnKind>>>>;

export interface DescriptionIssue {
  path: (string | number)[];
  message: string;
}

/** Every broken reference and duplicate key of the description; empty when it is consistent. */
export function crossReferenceIssues(d: RegisterDescription, catalog: RegisterColumnCatalog): DescriptionIssue[] {
  const issues: DescriptionIssue[] = [];
  const add = (path: (string | number)[], message: string) => issues.push({ path, message });

  for (const list of ['legalBases', 'dataSubjectGroups', 'categories', 'systems', 'recipients'] as const) {
    duplicateKeys(d[list], list, add);
  }

  const bases = new Set(d.legalBases.map((b) => b.key));
  const groups = new Set(d.dataSubjectGroups.map((g) => g.key));
  const systems = new Set(d.systems.map((s) => s.key));
  const recipients = new Set(d.recipients.map((r) => r.key));
  const unknown = (what: string, value: string, known: Set<string>) =>
    `unknown ${what} '${value}'; known: ${[...known].join(', ') || '(none)'}`;

  const owner = new Map<string, string>();
  d.categories.forEach((category, c) => {
    const at = (...rest: (string | number)[]) => ['categories', c, ...rest];
    if (!bases.has(category.legalBasis)) add(at('legalBasis'), `legal basis '${category.legalBasis}' is not described under legalBases`);
    if (category.specialCategoryBasis && !bases.has(category.specialCategoryBasis)) {
      add(at('specialCategoryBasis'), `legal basis '${category.specialCategoryBasis}' is not described under legalBases`);
    }
    if (!systems.has(category.system)) add(at('system'), unknown('system', category.system, systems));
    category.subjectGroups.forEach((g, i) => groups.has(g) || add(at('subjectGroups', i), unknown('data subject group', g, groups)));
    category.recipients.forEach((r, i) => recipients.has(r) || add(at('recipients', i), unknown('recipient', r, recipients)));

    category.tables.forEach((table, t) => {
      const tableAt = (...rest: (string | number)[]) => at('tables', t, ...rest);
      const columns = catalog[table.table];
      if (!columns) {
        add(tableAt('table'), unknown('table', table.table, new Set(Object.keys(catalog))));
        return;
      }
      const previous = owner.get(table.table);
      if (previous) add(tableAt('table'), `table '${table.table}' is already described under ${previous}`);
      else owner.set(table.table, `categories[${c}]`);
      checkColumns(table, columns, tableAt, add);
    });
  });

  for (const table of Object.keys(catalog)) {
    if (!owner.has(table)) add(['categories'], `table '${table}' belongs to no category: every register table must be described`);
  }

  d.transfersOutsideEea.systems.forEach(
    (s, i) => systems.has(s) || add(['transfersOutsideEea', 'systems', i], unknown('system', s, systems)),
  );
  d.recipients.forEach((r, i) =>
    (r.systems ?? []).forEach((s, j) => systems.has(s) || add(['recipients', i, 'systems', j], unknown('system', s, systems))),
  );
  return issues;
}

function duplicateKeys(
  items: readonly { key: string }[],
  list: string,
  add: (path: (string | number)[], message: string) => void,
): void {
  const first = new Map<string, number>();
  items.forEach((item, i) => {
    const seen = first.get(item.key);
    if (seen === undefined) first.set(item.key, i);
    else add([list, i, 'key'], `duplicate key '${item.key}' (also at ${list}[${seen}])`);
  });
}

type Table = RegisterDescription['categories'][number]['tables'][number];

function checkColumns(
  table: Table,
  columns: Readonly<Record<string, ColumnKind>>,
  at: (...rest: (string | number)[]) => (string | number)[],
  add: (path: (string | number)[], message: string) => void,
): void {
  const missing = (c: string) => `table '${table.table}' has no column '${c}'`;
  const linkKind: ColumnKind = table.subject === 'person' ? 'uuid' : 'text';
  const subjectKind = columns[table.subjectColumn];
  if (!subjectKind) add(at('subjectColumn'), missing(table.subjectColumn));
  else if (subjectKind !== linkKind) {
    add(at('subjectColumn'), `column '${table.subjectColumn}' is ${subjectKind}, but a ${table.subject} link needs ${linkKind}`);
  }

  const printed = new Set<string>();
  table.fields.forEach((f, i) => {
    if (!columns[f.column]) add(at('fields', i, 'column'), missing(f.column));
    if (printed.has(f.column)) add(at('fields', i, 'column'), `column '${f.column}' is listed twice`);
    printed.add(f.column);
  });

  if (table.redact !== undefined) {
    const kind = columns[table.redact];
    if (!kind) add(at('redact'), missing(table.redact));
    else if (kind !== 'text[]') add(at('redact'), `column '${table.redact}' is ${kind}; a redaction list must be text[]`);
    // The list of other people's names is itself about others (GDPR 15(4)), so it is never printed.
    if (printed.has(table.redact)) add(at('redact'), `column '${table.redact}' names other people and must not be a printed field`);
  }
  table.providedBySubject.forEach(
    (c, i) => printed.has(c) || add(at('providedBySubject', i), `column '${c}' is not one of the table's fields`),
  );
  table.orderBy.forEach((c, i) => columns[c] || add(at('orderBy', i), missing(c)));
  table.statistics.forEach((c, i) => printed.has(c) || add(at('statistics', i), `column '${c}' is not one of the table's fields`));
}
