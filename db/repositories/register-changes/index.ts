/**
 * The changes the data subject's rights make to the client register: erasure (GDPR 17),
 * restriction and objection (GDPR 18, 21), consent withdrawal (GDPR 7(3)), rectification (GDPR 16),
 * and the portability export (GDPR 20). Each change runs in one transaction, is idempotent under
 * retries, and returns per-table summaries that carry digests instead of data.
 */
export { CHANGE_ACTIONS, type ChangeAction, type TableChange } from './targets';
export { ANONYMISED_MARK, ANONYMOUS_KEY_PREFIX, eraseCategories } from './erasure';
export {
  liftRestriction,
  processingLimits,
  restrictCategories,
  subjectHasProcessingLimit,
  type ProcessingLimit,
} from './restriction';
export { WITHDRAWN_MARK, recordsConsent, withdrawConsent } from './consent';
export {
  applyRectification,
  listRectifiableFields,
  resolveCorrection,
  type Correction,
  type RectifiableField,
  type ResolvedCorrection,
} from './rectification';
export { convertValue, type ColumnValue } from './values';
export { countSubjectRows, type TableCount } from './preview';
export { CSV_HEADER, exportPortableData, type PortableData, type PortableDocument, type PortableValue } from './portability';
export {
  NoConsentRecordError,
  RECTIFICATION_TARGET_PROBLEMS,
  RectificationTargetError,
  RectificationValueError,
  UnknownCategoryError,
  type RectificationTargetProblem,
} from './errors';
export { RESTRICTION_GROUNDS, type RestrictionGround } from '../../tables/processing';
