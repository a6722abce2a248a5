/**
 * Renders every sample letter kind in every language to PDF files, for looking at the layout:
 *   npx tsx scripts/render-samples.ts /tmp/samples
 * then e.g. `pdftoppm -png -r 60 /tmp/samples/refusal-fi.pdf /tmp/samples/refusal-fi`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LANGUAGES } from '../src/domain/request';
import { renderLetter } from '../src/templates';
import {
  sampleAccessAnswer,
  sampleExtension,
  sampleNothingProcessed,
  sampleRefusal,
  sampleUnidentifiable,
} from '../src/templates/samples';

const SAMPLES = {
  access_answer: sampleAccessAnswer,
  access_answer_nothing: sampleNothingProcessed,
  extension: sampleExtension,
  refusal: sampleRefusal,
  unidentifiable: sampleUnidentifiable,
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
