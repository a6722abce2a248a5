/**
 * The failed step and its failure as people read them: a catalog label for each step and failure
 * type the catalogs name, a general label for the rest. The codes themselves stay technical details
 * (the request page shows them folded away); an e-mail or a page never shows them as the label.
 */
import type { Translate } from './catalog';

const NAMED_STEPS = new Set(['loadRequest', 'recordTransition', 'sendAcknowledgement', 'matchSubject', 'gatherFromSystem', 'renderLetter', 'deliverDocument', 'approveDocument', 'proposeDecisions', 'recordDecisions', 'previewChanges', 'applyDecisions', 'notifyRecipients', 'exportPortability', 'transmitPortability', 'transmitPortableData', 'announceFee', 'recordPayment', 'liftRestriction', 'listDeliverables', 'outcomeOf', 'raiseAlarm', 'receiveRequest', 'clockPause', 'loadLiftPlan']);
const NAMED_ERRORS = new Set(['TransientError', 'InvalidDataError', 'ConstraintViolationError', 'MissingCatalogTextError', 'LetterRefusedError', 'NoConsentRecordError', 'RequestNotFoundError']);

/** Every step code with a label of its own (the catalog check renders each). */
export const LABELLED_STEPS: readonly string[] = [...NAMED_STEPS];
export const LABELLED_ERRORS: readonly string[] = [...NAMED_ERRORS];

export function stepLabel(t: Translate, step: string): string {
  return t(`attention.steps.${NAMED_STEPS.has(step) ? step : 'other'}`);
}

export function failureLabel(t: Translate, errorType: string): string {
  return t(`attention.errors.${NAMED_ERRORS.has(errorType) ? errorType : 'other'}`);
}
