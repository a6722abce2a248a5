/**
 * Business refusals as small named classes. The names are stable: Temporal reports them as failure
 * types and the API maps them to HTTP codes.
 */

/** A decision that the request's current state does not allow (e.g. approving before a draft exists). */
export class WrongStateError extends Error {
  override name = 'WrongStateError';
}

/** GDPR 12(3): an extension after the deadline, a second extension, or one without reasons. */
export class ExtensionNotAllowedError extends Error {
  override name = 'ExtensionNotAllowedError';
}

/** A decision whose content is not acceptable (missing reasons, unknown ground, wrong document). */
export class InvalidDecisionError extends Error {
  override name = 'InvalidDecisionError';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
  }
}

/** The request named does not exist. */
export class RequestNotFoundError extends Error {
  override name = 'RequestNotFoundError';
}

export const BUSINESS_ERROR_NAMES = ['WrongStateError', 'ExtensionNotAllowedError', 'InvalidDecisionError', 'RequestNotFoundError'] as const;
