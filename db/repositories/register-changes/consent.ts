/**
 * GDPR 7(3): withdrawal of consent. The withdrawal is recorded on the consent rows, which then drop
 * out of the `processing.*` views; material used only on consent (photos, seed sections 6-7) is taken
 * out of use. Nothing is deleted: processing before the withdrawal stays lawful, and the rows are the
 * record of it. Erasing them is a separate GDPR 17(1)(b) decision.
 */
import { sql, type Kysely, type SqlBool } from 'kysely';
import type { Database } from '../../database';
import { WITHDRAWN_MATERIAL_COLUMNS } from '../../tables/processing';
import type { RegisterTableName } from '../../tables/register';
import type { RegisterSubject } from '../register-data';
import type { RegisterDescription } from '../../../domain/register-description';
import { NoConsentRecordError } from './errors';
import {
  describedColumns,
  inTransaction,
  lockSubjectRows,
  tableChange,
  targetsOf,
  updateRows,
  type TableChange,
  type Target,
} from './targets';

/** GDPR 7(3): whether every table of the category records consent, so a withdrawal can be recorded there. */
export function recordsConsent(description: RegisterDescription, category: string): boolean {
  const targets = targetsOf(description, [category]);
  return targets.length > 0 && targets.every((t) => t.kinds.consent_withdrawn_at === 'timestamptz');
}

/** What replaces the reference to material taken out of use. */
export const WITHDRAWN_MARK = '[withdrawn]';

/**
 * GDPR 7(3): records the withdrawal at `at` on the subject's consent rows of the categories and takes
 * their consent-only material out of use; an earlier withdrawal keeps its time.
 */
export async function withdrawConsent(
  db: Kysely<Database>,
  description: RegisterDescription,
  subject: RegisterSubject,
  categories: readonly string[],
  at: Date,
): Promise<TableChange[]> {
  if (!(at instanceof Date) || Number.isNaN(at.getTime())) throw new RangeError('withdrawal time must be a valid Date');
  const targets = targetsOf(description, categories);
  // All or nothing: a category without a consent record is refused before anything changes.
  const plans = targets.map((target) => ({ target, material: materialOf(target) }));
  return inTransaction(db, async (trx) => {
    const changes: TableChange[] = [];
    for (const { target, material } of plans) {
      const columns = [...new Set([...describedColumns(target), 'consent_withdrawn_at', ...material])];
      // A consent withdrawn earlier whose photo is still referenced is taken out of use now.
      const pending = sql<SqlBool>`${sql.join(
        [sql`consent_withdrawn_at is null`, ...material.map((c) => sql`${sql.ref(c)} is distinct from ${WITHDRAWN_MARK}`)],
        sql` or `,
      )}`;
      const before = await lockSubjectRows(trx, target, subject, columns, pending);
      const assignments = [
        sql`consent_withdrawn_at = coalesce(consent_withdrawn_at, ${at})`,
        ...material.map((c) => sql`${sql.id(c)} = ${WITHDRAWN_MARK}`),
      ];
      const after = await updateRows(trx, target, before, assignments, columns);
      changes.push(tableChange(target, 'withdraw_consent', before, after));
    }
    return changes;
  });
}

function materialOf(target: Target): string[] {
  if (target.kinds.consent_withdrawn_at !== 'timestamptz') throw new NoConsentRecordError(target.category.key, target.table.table);
  const material = [...(WITHDRAWN_MATERIAL_COLUMNS[target.table.table as RegisterTableName] ?? [])];
  for (const column of material) {
    if (target.kinds[column] !== 'text') throw new Error(`table '${target.table.table}' has no text column '${column}'`);
  }
  return material;
}
