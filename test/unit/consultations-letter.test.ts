/**
 * The access answer tells who consulted the data (CJEU C-579/21; KHO:2025:51): every consultation's
 * time, system and purpose, and the staff views of the request; an employee's name only when the
 * register description asks for names, and otherwise a statement why names are not given.
 */
import { renderLetter } from '../../templates';
import fi from '../../templates/locales/fi.json';
import { sampleAccessAnswer } from '../fixtures/letter-samples';
import { pdfText } from '../helpers/pdf-text';

jest.setTimeout(60_000);

const read = async (letter: Parameters<typeof renderLetter>[0]) => (await pdfText(await renderLetter(letter))).replace(/\s+/g, ' ');

test('lists each consultation and the staff views, without names, saying why', async () => {
  const letter = sampleAccessAnswer('fi');
  const text = await read(letter);
  expect(text).toContain(fi.consultations.heading);
  for (const c of letter.consultations!) {
    expect(text).toContain(c.at);
    expect(text).toContain(c.purpose);
  }
  expect(text).toContain(fi.consultations.noEmployees.slice(0, 50));
  expect(text).toContain(fi.consultations.staffViewsHeading);
  expect(text).toContain('10.3.2025 10:05');
});

test('names the employees when the register description asks for it', async () => {
  const base = sampleAccessAnswer('fi');
  const text = await read({
    ...base,
    consultations: base.consultations!.map((c) => ({ ...c, employee: 'Aila Heikkinen' })),
    consultationEmployeesWithheld: false,
    staffViews: [{ at: '10.3.2025 10:05', employee: 'h.kasittelija' }],
  });
  expect(text).toContain('Aila Heikkinen');
  expect(text).toContain('h.kasittelija');
  expect(text).not.toContain(fi.consultations.noEmployees.slice(0, 50));
});

test('says so when the usage logs hold nothing about the subject', async () => {
  const text = await read({ ...sampleAccessAnswer('fi'), consultations: [] });
  expect(text).toContain(fi.consultations.none);
});
