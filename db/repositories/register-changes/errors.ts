/**
 * Refusals of a change to the register. Names are stable (Temporal reports them as failure types);
 * messages name the field or category, never a value, since values are personal data.
 */

/** A category key that the register description does not describe. */
export class UnknownCategoryError extends Error {
  override name = 'UnknownCategoryError';
  constructor(readonly category: string) {
    super(`category '${category}' is not described in the register description`);
  }
}

/** GDPR 7(3): a consent can only be withdrawn where the table records one. */
export class NoConsentRecordError extends Error {
  override name = 'NoConsentRecordError';
  constructor(
    readonly category: string,
    readonly table: string,
  ) {
    super(`category '${category}': table '${table}' records no consent (no consent_withdrawn_at column), so none can be withdrawn`);
  }
}

export const RECTIFICATION_TARGET_PROBLEMS = ['not_described', 'no_row', 'ambiguous'] as const;
export type RectificationTargetProblem = (typeof RECTIFICATION_TARGET_PROBLEMS)[number];

/** GDPR 16: the correction does not point at exactly one described field of one of the subject's rows. */
export class RectificationTargetError extends Error {
  override name = 'RectificationTargetError';
  constructor(
    /** `schema.table.column`. */
    readonly field: string,
    readonly problem: RectificationTargetProblem,
    detail: string,
  ) {
    super(`${field}: ${detail}`);
  }
}

/** GDPR 16: the corrected value does not fit the field (type, range, required, unique). */
export class RectificationValueError extends Error {
  override name = 'RectificationValueError';
  constructor(
    readonly field: string,
    detail: string,
  ) {
    super(`${field}: ${detail}`);
  }
}
