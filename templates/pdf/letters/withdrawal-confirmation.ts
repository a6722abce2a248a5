/**
 * Confirmation that the subject withdrew the request and nothing further is done. Catalog keys:
 * - withdrawal.intro: the request and the date it was withdrawn
 * - withdrawal.closed / .nothingFurther / .again: closed, no further action, a new request is possible
 */
import type { WithdrawalConfirmationLetter } from '../../types';
import { requireOrder } from '../checks';
import { renderWithLayout, type LetterContext } from '../layout';
import type { LetterWriter } from '../writer';

/** Renders the withdrawal confirmation to PDF/A bytes. */
export function renderWithdrawalConfirmation(letter: WithdrawalConfirmationLetter): Promise<Buffer> {
  requireOrder('withdrawal_confirmation', ['withdrawnOn', letter.withdrawnOn], ['receivedOn', letter.receivedOn]);
  requireOrder('withdrawal_confirmation', ['issuedOn', letter.issuedOn], ['withdrawnOn', letter.withdrawnOn]);
  return renderWithLayout(letter, 'withdrawal.title', drawWithdrawal);
}

function drawWithdrawal(w: LetterWriter, letter: WithdrawalConfirmationLetter, { t, date }: LetterContext): void {
  w.paragraph(t('withdrawal.intro', { receivedOn: date(letter.receivedOn), withdrawnOn: date(letter.withdrawnOn) }));
  w.paragraph(t('withdrawal.closed'), { bold: true });
  w.paragraph(t('withdrawal.nothingFurther'));
  w.paragraph(t('withdrawal.again'));
}
