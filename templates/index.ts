/**
 * Letters (PDF/A) and notification e-mails, in Finnish, Swedish and English. Plain data in,
 * bytes or text out; no database, and no I/O besides reading the bundled font files.
 */
import { renderAccessAnswer } from './pdf/letters/access-answer';
import { renderAcknowledgement } from './pdf/letters/acknowledgement';
import { renderAutomatedDecisions } from './pdf/letters/automated-decisions';
import { renderConfirmation } from './pdf/letters/confirmation';
import { renderDecision } from './pdf/letters/decision';
import { renderExtension } from './pdf/letters/extension';
import { renderFeeNotice } from './pdf/letters/fee-notice';
import { renderInformationRequest } from './pdf/letters/information-request';
import { renderPrivacyNotice } from './pdf/letters/privacy-notice';
import { renderRecipientNotice } from './pdf/letters/recipient-notice';
import { renderRefusal } from './pdf/letters/refusal';
import { renderRestrictionLiftNotice } from './pdf/letters/restriction-lift-notice';
import { renderUnidentifiable } from './pdf/letters/unidentifiable';
import { renderWithdrawalConfirmation } from './pdf/letters/withdrawal-confirmation';
import type { Letter } from './types';

export { renderEmail } from './email';
export { formatDate, formatEuros, translator } from './i18n';
export type * from './types';

/** Renders a letter to PDF/A-2b bytes; the same input always gives the same bytes. */
export async function renderLetter(letter: Letter): Promise<Buffer> {
  switch (letter.kind) {
    case 'access_answer':
      return renderAccessAnswer(letter);
    case 'extension':
      return renderExtension(letter);
    case 'refusal':
      return renderRefusal(letter);
    case 'unidentifiable':
      return renderUnidentifiable(letter);
    case 'acknowledgement':
      return renderAcknowledgement(letter);
    case 'information_request':
      return renderInformationRequest(letter);
    case 'fee_notice':
      return renderFeeNotice(letter);
    case 'decision':
      return renderDecision(letter);
    case 'withdrawal_confirmation':
      return renderWithdrawalConfirmation(letter);
    case 'restriction_lift_notice':
      return renderRestrictionLiftNotice(letter);
    case 'recipient_notice':
      return renderRecipientNotice(letter);
    case 'privacy_notice':
      return renderPrivacyNotice(letter);
    case 'confirmation':
      return renderConfirmation(letter);
    case 'automated_decisions':
      return renderAutomatedDecisions(letter);
    default:
      throw new Error(`Unknown letter kind '${(letter as { kind: unknown }).kind}'`);
  }
}
