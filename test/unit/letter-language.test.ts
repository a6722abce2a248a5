/**
 * One language per letter: every letter kind rendered in Finnish, Swedish and English with sample
 * data carries no text of another language's catalog, no raw code (category keys, grounds, kinds,
 * states, snake_case identifiers) and, in Finnish and Swedish, no English developer text.
 */
import { loadRegisterDescription } from '../../config/register-description';
import { REGISTER_COLUMNS } from '../../db/tables/register';
import { LANGUAGES, type Language } from '../../domain/request';
import { renderLetter } from '../../templates';
import type { CategoryRight, Letter } from '../../templates/types';
import {
  sampleAccessAnswer,
  sampleAcknowledgement,
  sampleAutomatedDecisions,
  sampleConfirmation,
  sampleDecision,
  sampleExtension,
  sampleFeeNotice,
  sampleInformationRequest,
  sampleInformationReminder,
  sampleNothingProcessed,
  samplePrivacyNotice,
  sampleRecipientNotice,
  sampleRefusal,
  sampleRestrictionLiftNotice,
  sampleUnidentifiable,
  sampleWithdrawalConfirmation,
} from '../fixtures/letter-samples';
import { codesIn, foreignCatalogTexts } from '../helpers/page-language';
import { pdfText } from '../helpers/pdf-text';

jest.setTimeout(120_000);

const description = loadRegisterDescription('config/register-description.kuopio.yaml', REGISTER_COLUMNS);
const CATEGORY_RIGHTS: CategoryRight[] = ['erasure', 'restriction', 'rectification', 'objection', 'consent_withdrawal', 'portability'];

/** Every sample letter of one language, named. */
function samples(language: Language): [string, Letter][] {
  return [
    ['access_answer', sampleAccessAnswer(language)],
    ['access_answer (nothing processed)', sampleNothingProcessed(language)],
    ['extension', sampleExtension(language)],
    ['refusal', sampleRefusal(language)],
    ['unidentifiable', sampleUnidentifiable(language)],
    ['acknowledgement', sampleAcknowledgement(language)],
    ['information_request', sampleInformationRequest(language)],
    ['information_request (reminder)', sampleInformationReminder(language)],
    ['fee_notice', sampleFeeNotice(language)],
    ...CATEGORY_RIGHTS.map((right): [string, Letter] => [`decision (${right})`, sampleDecision(language, right)]),
    ['withdrawal_confirmation', sampleWithdrawalConfirmation(language)],
    ['restriction_lift_notice', sampleRestrictionLiftNotice(language)],
    ['recipient_notice', sampleRecipientNotice(language)],
    ['privacy_notice', samplePrivacyNotice(language)],
    ['confirmation', sampleConfirmation(language)],
    ['automated_decisions', sampleAutomatedDecisions(language)],
  ];
}

const cases = LANGUAGES.flatMap((language) => samples(language).map(([name, letter]) => [language, name, letter] as const));

test.each(cases)('%s %s: only its own language, no codes', async (language, _name, letter) => {
  const text = (await pdfText(await renderLetter(letter))).replace(/\s+/g, ' ').replace(/- /g, '-');
  expect(foreignCatalogTexts(text, language, ['templates/locales'])).toEqual([]);
  expect(codesIn(text, description, language)).toEqual([]);
});

test('the check finds another language’s text, a code and English developer text', () => {
  const fi = 'Päätös. Reply to your request for access to personal data. Ryhmä client_basic: no channel: impossible or disproportionate';
  expect(foreignCatalogTexts(fi, 'fi', ['templates/locales'])).not.toEqual([]);
  expect(codesIn(fi, description, 'fi')).toEqual(expect.arrayContaining(['client_basic', expect.stringMatching(/^English/)]));
  expect(codesIn('decisions[1].reason: must state the reasons', description, 'fi')).toEqual(expect.arrayContaining(['decisions[1].reason']));
});
