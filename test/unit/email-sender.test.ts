/**
 * E-mails to residents say whose service this is: the controller, its privacy notice and the data
 * protection officer's contacts (GDPR 13(1)(a)-(b)), in the e-mail's language and in both its forms.
 */
import { loadRegisterDescription } from '../../config/register-description';
import { REGISTER_COLUMNS } from '../../db/tables/register';
import { LANGUAGES } from '../../domain/request';
import { renderEmail } from '../../templates';
import type { EmailSender } from '../../templates/types';

const description = loadRegisterDescription('config/register-description.kuopio.yaml', REGISTER_COLUMNS);

test.each(LANGUAGES)('%s: the acknowledgement names the controller, links the privacy notice and gives the DPO', (language) => {
  const sender: EmailSender = {
    controller: description.controller.name[language],
    privacyWeb: description.controller.privacyWeb,
    dpoEmail: description.dataProtectionOfficer.email,
    dpoPhone: description.dataProtectionOfficer.phone,
  };
  const email = renderEmail(
    { kind: 'acknowledgement', language, reference: 'DSR-2026-ABC234', receivedOn: '2026-12-07', deadline: '2027-01-07', statusUrl: 'https://dsr.example.fi/status?reference=DSR-2026-ABC234' },
    sender,
  );
  for (const body of [email.text, email.html]) {
    expect(body).toContain(sender.controller);
    expect(body).toContain(sender.privacyWeb);
    expect(body).toContain(sender.dpoEmail);
    expect(body).toContain(sender.dpoPhone);
    expect(body).toContain('status?reference=DSR-2026-ABC234');
  }
});
