/**
 * Notice of a fee for a manifestly unfounded or excessive request (GDPR 12(5)(a)), announced
 * first so that the subject can withdraw the request instead (LEGAL-RULES.md 2). Catalog keys:
 * - fee.intro, fee.amount, fee.legal: GDPR 12(5)(a), a reasonable fee for the administrative costs
 * - fee.grounds.<ground>: manifestly unfounded, or excessive (in particular repetitive)
 * - basis (the handler's text) + fee.burden: GDPR 12(5), the controller bears the burden of proof
 * - fee.payBy, fee.invoice: when, and that an invoice follows
 * - fee.withdraw*: the option to withdraw the request instead, free of charge
 * - remedy.*: GDPR 77 and 79; a fee is a decision the subject may contest
 */
import { formatEuros } from '../../i18n';
import type { FeeNoticeLetter } from '../../types';
import { requireOrder, requireText } from '../checks';
import { renderWithLayout, type LetterContext } from '../layout';
import { drawRemedies } from '../parts/remedies';
import type { LetterWriter } from '../writer';

/** Renders the fee notice to PDF/A bytes. */
export function renderFeeNotice(letter: FeeNoticeLetter): Promise<Buffer> {
  requireText('fee_notice', 'basis', letter.basis, 'GDPR 12(5): the controller bears the burden of proof');
  if (!(letter.amount > 0)) throw new Error(`fee_notice: amount must be more than zero, got ${letter.amount}`);
  formatEuros(letter.amount, letter.language); // throws on fractions of a cent
  requireOrder('fee_notice', ['payBy', letter.payBy], ['issuedOn', letter.issuedOn], true);
  return renderWithLayout(letter, 'fee.title', drawFeeNotice);
}

function drawFeeNotice(w: LetterWriter, letter: FeeNoticeLetter, ctx: LetterContext): void {
  const { t, date } = ctx;
  const amount = formatEuros(letter.amount, letter.language);
  const payBy = date(letter.payBy);
  w.paragraph(t('fee.intro', { receivedOn: date(letter.receivedOn) }));
  w.section(() => {
    w.heading(t('fee.amountHeading'), 2);
    w.paragraph(t('fee.amount', { amount }), { bold: true });
    w.paragraph(t('fee.legal'));
  });
  w.section(() => {
    w.heading(t('fee.basisHeading'), 2);
    w.paragraph(t(`fee.grounds.${letter.ground}`), { bold: true });
    w.paragraph(letter.basis);
    w.paragraph(t('fee.burden'));
  });
  w.section(() => {
    w.heading(t('fee.withdrawHeading'), 2);
    w.paragraph(t('fee.withdraw', { payBy }), { bold: true });
    w.paragraph(t('fee.withdrawHow', { reference: letter.reference }));
  });
  w.section(() => {
    w.heading(t('fee.payHeading'), 2);
    w.paragraph(t('fee.payBy', { amount, payBy }));
    w.paragraph(t('fee.invoice'));
  });
  drawRemedies(w, letter, ctx);
}
