/**
 * The one classifier of activity failures (activities/failures.ts): what a retry cannot heal is
 * permanent, non-retryable and typed; what may pass is transient. Messages carry codes and names,
 * never the refused value.
 */
import { ApplicationFailure } from '@temporalio/activity';
import { classified, classify } from '../../activities/failures';
import { NoConsentRecordError } from '../../db/repositories/register-changes/errors';
import { InvalidDecisionError, WrongStateError } from '../../domain/errors';
import { renderLetter } from '../../templates';
import { translator } from '../../templates/i18n';
import { sampleFeeNotice } from '../fixtures/letter-samples';

/** What pg reports: a DatabaseError with a SQLSTATE code and a severity; its message may quote the value. */
function pgError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code, severity: 'ERROR' });
}

describe('a failure is permanent', () => {
  it.each([
    ['a NUL byte (22021)', pgError('22021', 'invalid byte sequence for encoding "UTF8": 0x00'), 'InvalidDataError'],
    ['a malformed value (22P02)', pgError('22P02', 'invalid input syntax for type uuid: "Aino Virtanen"'), 'InvalidDataError'],
    ['a unique violation (23505)', pgError('23505', 'duplicate key value violates unique constraint'), 'ConstraintViolationError'],
    ['a check violation (23514)', pgError('23514', 'new row violates check constraint'), 'ConstraintViolationError'],
  ])('when PostgreSQL refuses the data: %s', (_what, error, type) => {
    const c = classify(error);
    expect(c).toMatchObject({ permanent: true, type });
    expect(c.message).toContain((error as unknown as { code: string }).code);
    expect(c.message).not.toMatch(/Aino|Virtanen|0x00/);
  });

  it.each([
    ['NoConsentRecordError', new NoConsentRecordError('photos', 'register.photo_consents')],
    ['WrongStateError', new WrongStateError('the request is closed')],
    ['InvalidDecisionError', new InvalidDecisionError('payBy', 'must be a date after today')],
  ])('when a business rule refuses it: %s keeps its stable name', (name, error) => {
    expect(classify(error)).toMatchObject({ permanent: true, type: name });
  });

  it('when a catalog text is missing', () => {
    let error: unknown;
    try {
      translator('fi')('letterKind.no_such_kind');
    } catch (e) {
      error = e;
    }
    expect(classify(error)).toEqual({ permanent: true, type: 'MissingCatalogTextError', message: "Missing catalog text 'letterKind.no_such_kind' for 'fi'" });
  });

  it('when the letter renderer refuses a fee whose pay-by date is before the letter', async () => {
    const letter = { ...sampleFeeNotice('fi'), payBy: '2000-01-01' };
    const error = await renderLetter(letter).catch((e: unknown) => e);
    expect(classify(error)).toMatchObject({ permanent: true, type: 'LetterRefusedError' });
  });

  it('when the SMTP server refuses for good (5xx), or the code is broken (TypeError)', () => {
    expect(classify(Object.assign(new Error('550 no such user'), { responseCode: 550 }))).toMatchObject({ permanent: true, type: 'MailRefusedError' });
    expect(classify(new TypeError("Cannot read properties of undefined (reading 'x')"))).toMatchObject({ permanent: true, type: 'ProgrammingError' });
  });
});

describe('a failure is transient', () => {
  it.each([
    ['PostgreSQL shutting down (57P01)', pgError('57P01', 'terminating connection due to administrator command')],
    ['too many connections (53300)', pgError('53300', 'sorry, too many clients already')],
    ['a serialization failure (40001)', pgError('40001', 'could not serialize access')],
    ['a refused connection', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })],
    ['a lost connection without a code', new Error('Connection terminated unexpectedly')],
    ['an SMTP "try later" (4xx)', Object.assign(new Error('451 try again'), { responseCode: 451 })],
    ['anything unknown', new Error('something odd')],
  ])('%s', (_what, error) => {
    expect(classify(error)).toMatchObject({ permanent: false, type: 'TransientError' });
  });
});

describe('every activity', () => {
  it('throws ApplicationFailures: permanent ones non-retryable and typed, transient ones retryable', async () => {
    const acts = classified({
      refuse: async () => {
        throw pgError('22021', 'invalid byte sequence for encoding "UTF8": 0x00');
      },
      flaky: async () => {
        throw pgError('57P01', 'terminating connection');
      },
      fine: async (x: number) => x + 1,
    });
    const refused = await acts.refuse().catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ApplicationFailure);
    expect(refused).toMatchObject({ nonRetryable: true, type: 'InvalidDataError' });
    expect(await acts.flaky().catch((e: unknown) => e)).toMatchObject({ nonRetryable: false, type: 'TransientError' });
    expect(await acts.fine(1)).toBe(2);
  });

  it('leaves an ApplicationFailure an activity threw itself as it is', () => {
    const own = ApplicationFailure.nonRetryable('request x not found', 'RequestNotFoundError');
    expect(classify(own)).toEqual({ permanent: true, type: 'RequestNotFoundError', message: 'request x not found' });
  });
});
