/**
 * Renders every sample letter kind in every language to PDF files, for looking at the layout:
 *   npx tsx scripts/render-samples.ts /tmp/samples
 * then e.g. `pdftoppm -png -r 60 /tmp/samples/refusal-fi.pdf /tmp/samples/refusal-fi`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CATEGORY_DECIDED_RIGHTS } from '../domain/decisions';
import { LANGUAGES, type Language } from '../domain/request';
import { renderLetter, type Letter } from '../templates';
import {
  sampleAccessAnswer,
  sampleAcknowledgement,
  sampleAutomatedDecisions,
  sampleConfirmation,
  sampleDecision,
  sampleExtension,
  sampleFeeNotice,
  sampleInformationReminder,
  sampleInformationRequest,
  sampleNothingProcessed,
  samplePrivacyNotice,
  sampleRecipientNotice,
  sampleRefusal,
  sampleRestrictionLiftNotice,
  sampleUnidentifiable,
  sampleWithdrawalConfirmation,
} from '../test/fixtures/letter-samples';

const SAMPLES: Record<string, (language: Language) => Letter> = {
  access_answer: sampleAccessAnswer,
  access_answer_nothing: sampleNothingProcessed,
  extension: sampleExtension,
  refusal: sampleRefusal,
  unidentifiable: sampleUnidentifiable,
  acknowledgement: sampleAcknowledgement,
  information_request: sampleInformationRequest,
  information_reminder: sampleInformationReminder,
  fee_notice: sampleFeeNotice,
  ...Object.fromEntries(CATEGORY_DECIDED_RIGHTS.map((right) => [`decision_${right}`, (language: Language) => sampleDecision(language, right)])),
  withdrawal_confirmation: sampleWithdrawalConfirmation,
  restriction_lift_notice: sampleRestrictionLiftNotice,
  recipient_notice: sampleRecipientNotice,
  privacy_notice: samplePrivacyNotice,
  confirmation: sampleConfirmation,
  automated_decisions: sampleAutomatedDecisions,
};

async function main(outDir: string): Promise<void> {
  mkdirSync(outDir, { recursive: true });
  for (const language of LANGUAGES) {
    for (const [name, sample] of Object.entries(SAMPLES)) {
      const file = join(outDir, `${name}-${language}.pdf`);
      writeFileSync(file, await renderLetter(sample(language)));
      console.log(file);
    }
  }
}

main(process.argv[2] ?? 'samples').catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
