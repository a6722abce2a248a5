/**
 * Processing limits of the client register (migration 0003_processing_limits): the ground recorded
 * with a restriction, the `processing.*` views that ordinary processing reads, and the columns that
 * point at material taken out of use when a consent is withdrawn.
 */
import type { ColumnType } from 'kysely';
import type { RegisterTableName, RegisterTables } from './register';

/** Why a row's processing is limited: a restriction (GDPR 18) or an upheld objection (GDPR 21). */
export const RESTRICTION_GROUNDS = ['gdpr_18', 'gdpr_21'] as const;
export type RestrictionGround = (typeof RESTRICTION_GROUNDS)[number];

/** The column migration 0003 adds to every register table that has `restricted_at`. */
export interface ProcessingLimitColumns {
  /** Set together with `restricted_at`; NULL while the row is not restricted. */
  restriction_ground: ColumnType<RestrictionGround | null, RestrictionGround | null | undefined, RestrictionGround | null>;
}

/** `processing.<table>` for `register.<table>`: the rows ordinary processing may use. */
type ProcessingViewName<T extends RegisterTableName> = T extends `register.${infer N}` ? `processing.${N}` : never;

/** Table types of the `processing` views, for queries that must not see restricted rows. */
export type ProcessingViews = {
  [T in RegisterTableName as ProcessingViewName<T>]: RegisterTables[T] & ProcessingLimitColumns;
};

/**
 * Columns that refer to material used only on consent (seed sections 6-7: photos in communications).
 * On withdrawal (GDPR 7(3)) the reference is replaced so the material is out of use; the consent
 * row itself stays as the record of what was lawful before.
 */
export const WITHDRAWN_MATERIAL_COLUMNS: Readonly<Partial<Record<RegisterTableName, readonly string[]>>> = {
  'register.photo_consents': ['photo_ref'],
};
