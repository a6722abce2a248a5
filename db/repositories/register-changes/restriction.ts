/**
 * GDPR 18 restriction and GDPR 21 objection: the subject's rows stay in `register.*` but drop out of
 * the `processing.*` views that ordinary processing reads (migration 0003_processing_limits).
 */
import { sql, type Kysely, type SqlBool } from 'kysely';
import type { Database } from '../../database';
import { RESTRICTION_GROUNDS, type RestrictionGround } from '../../tables/processing';
import type { RegisterSubject } from '../register-data';
import type { RegisterDescription } from '../../../domain/register-description';
import {
  describedColumns,
  inTransaction,
  lockSubjectRows,
  subjectMatch,
  tableChange,
  targetsOf,
  updateRows,
  type TableChange,
  type Target,
} from './targets';

/** A restriction's digest covers the marker too, so the audit shows that the state changed. */
const MARKER_COLUMNS = ['restricted_at', 'restriction_ground'];

/**
 * GDPR 18(1) / 21(1): restricts the subject's rows of the categories on `ground` from `at`; rows
 * already restricted keep their time.
 */
export async function restrictCategories(
  db: Kysely<Database>,
  description: RegisterDescription,
  subject: RegisterSubject,
  categories: readonly string[],
  ground: RestrictionGround,
  at: Date,
): Promise<TableChange[]> {
  checkGround(ground);
  if (!(at instanceof Date) || Number.isNaN(at.getTime())) throw new RangeError('restriction time must be a valid Date');
  const targets = targetsOf(description, categories);
  // An upheld objection supersedes a restriction: GDPR 18(1)(d) restricts only while the objection
  // is pending, and lifting that restriction later must not restart the processing the objection stopped.
  const pending = ground === 'gdpr_21' ? sql<SqlBool>`restricted_at is null or restriction_ground is distinct from 'gdpr_21'` : sql<SqlBool>`restricted_at is null`;
  return inTransaction(db, async (trx) => {
    const changes: TableChange[] = [];
    for (const target of targets) {
      const columns = [...describedColumns(target), ...MARKER_COLUMNS];
      const before = await lockSubjectRows(trx, target, subject, columns, pending);
      const after = await updateRows(
        trx,
        target,
        before,
        [sql`restricted_at = coalesce(restricted_at, ${at})`, sql`restriction_ground = ${ground}`],
        columns,
      );
      changes.push(tableChange(target, 'restrict', before, after));
    }
    return changes;
  });
}

/**
 * Lifts the subject's restrictions on `ground` in the categories. Telling the subject first
 * (GDPR 18(3)) is the caller's duty.
 */
export async function liftRestriction(
  db: Kysely<Database>,
  description: RegisterDescription,
  subject: RegisterSubject,
  categories: readonly string[],
  ground: RestrictionGround,
): Promise<TableChange[]> {
  checkGround(ground);
  const targets = targetsOf(description, categories);
  return inTransaction(db, async (trx) => {
    const changes: TableChange[] = [];
    for (const target of targets) {
      const columns = [...describedColumns(target), ...MARKER_COLUMNS];
      const before = await lockSubjectRows(trx, target, subject, columns, restrictedOn(ground));
      const after = await updateRows(trx, target, before, [sql`restricted_at = null`, sql`restriction_ground = null`], columns);
      changes.push(tableChange(target, 'lift_restriction', before, after));
    }
    return changes;
  });
}

/** How many of the subject's rows of one table are out of ordinary processing, and why. */
export interface ProcessingLimit {
  table: string;
  category: string;
  restricted: Record<RestrictionGround, number>;
  /** GDPR 7(3); null where the table records no consent. */
  consentWithdrawn: number | null;
}

/** The subject's restricted and consent-withdrawn rows per table of the categories (default: all). */
export async function processingLimits(
  db: Kysely<Database>,
  description: RegisterDescription,
  subject: RegisterSubject,
  categories: readonly string[] = description.categories.map((c) => c.key),
): Promise<ProcessingLimit[]> {
  const limits: ProcessingLimit[] = [];
  for (const target of targetsOf(description, categories)) limits.push(await limitsOf(db, target, subject));
  return limits;
}

/** Whether any of the subject's rows of the categories is restricted on `ground`. */
export async function subjectHasProcessingLimit(
  db: Kysely<Database>,
  description: RegisterDescription,
  subject: RegisterSubject,
  categories: readonly string[],
  ground: RestrictionGround,
): Promise<boolean> {
  checkGround(ground);
  const limits = await processingLimits(db, description, subject, categories);
  return limits.some((l) => l.restricted[ground] > 0);
}

async function limitsOf(db: Kysely<Database>, target: Target, subject: RegisterSubject): Promise<ProcessingLimit> {
  const consent = Boolean(target.kinds.consent_withdrawn_at);
  const limit: ProcessingLimit = {
    table: target.table.table,
    category: target.category.key,
    restricted: { gdpr_18: 0, gdpr_21: 0 },
    consentWithdrawn: consent ? 0 : null,
  };
  const match = subjectMatch(target, subject);
  if (!match) return limit;
  const withdrawn = consent ? sql`count(*) filter (where consent_withdrawn_at is not null)::int` : sql`null::int`;
  const { rows } = await sql<{ gdpr_18: number; gdpr_21: number; withdrawn: number | null }>`
    select count(*) filter (where ${restrictedOn('gdpr_18')})::int as gdpr_18,
           count(*) filter (where ${restrictedOn('gdpr_21')})::int as gdpr_21,
           ${withdrawn} as withdrawn
      from ${sql.table(target.table.table)} where ${match}`.execute(db);
  return { ...limit, restricted: { gdpr_18: rows[0].gdpr_18, gdpr_21: rows[0].gdpr_21 }, consentWithdrawn: rows[0].withdrawn };
}

/** Rows restricted on the ground; a restriction recorded without a ground can only be a GDPR 18 one. */
function restrictedOn(ground: RestrictionGround) {
  return ground === 'gdpr_18'
    ? sql<SqlBool>`restricted_at is not null and (restriction_ground = 'gdpr_18' or restriction_ground is null)`
    : sql<SqlBool>`restricted_at is not null and restriction_ground = 'gdpr_21'`;
}

function checkGround(ground: string): asserts ground is RestrictionGround {
  if (!(RESTRICTION_GROUNDS as readonly string[]).includes(ground)) {
    throw new RangeError(`restriction ground must be one of ${RESTRICTION_GROUNDS.join(', ')}`);
  }
}
