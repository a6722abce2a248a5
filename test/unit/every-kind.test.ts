/**
 * Every letter and e-mail kind can be produced (issue 9, point 6): every document kind, every e-mail
 * kind and every deliverable's e-mail (the portability JSON and CSV included) renders in Finnish,
 * Swedish and English, and a catalog that lacks a text fails the start-up check with the text's name.
 */
import { LANGUAGES, type Language } from '../../domain/request';
import { renderEmail, renderLetter } from '../../templates';
import { MissingCatalogTextError } from '../../templates/catalog';
import { LETTER_KINDS, checkCatalogs, sampleEmails } from '../../templates/catalog-check';
import en from '../../templates/locales/en.json';
import fi from '../../templates/locales/fi.json';
import sv from '../../templates/locales/sv.json';
import { DELIVERABLE_KINDS, type Letter, type LetterKind } from '../../templates/types';
import * as samples from '../fixtures/letter-samples';

jest.setTimeout(120_000);

const SAMPLES: Record<LetterKind, (l: Language) => Letter> = {
  access_answer: samples.sampleAccessAnswer,
  extension: samples.sampleExtension,
  refusal: samples.sampleRefusal,
  unidentifiable: samples.sampleUnidentifiable,
  acknowledgement: samples.sampleAcknowledgement,
  information_request: samples.sampleInformationRequest,
  fee_notice: samples.sampleFeeNotice,
  decision: samples.sampleDecision,
  withdrawal_confirmation: samples.sampleWithdrawalConfirmation,
  restriction_lift_notice: samples.sampleRestrictionLiftNotice,
  recipient_notice: samples.sampleRecipientNotice,
  privacy_notice: samples.samplePrivacyNotice,
  confirmation: samples.sampleConfirmation,
  automated_decisions: samples.sampleAutomatedDecisions,
};

describe.each(LANGUAGES)('in %s', (language) => {
  it.each([...LETTER_KINDS])('the %s letter renders to a PDF', async (kind) => {
    const pdf = await renderLetter(SAMPLES[kind](language));
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  });

  it.each(['erasure', 'rectification', 'restriction', 'portability', 'objection', 'consent_withdrawal'] as const)('the decision letter for %s renders', async (right) => {
    const pdf = await renderLetter(samples.sampleDecision(language, right));
    expect(pdf.length).toBeGreaterThan(1000);
  });

  it('every e-mail kind renders, and the document-ready e-mail for every document and deliverable names it from the catalog', () => {
    const messages = sampleEmails(language);
    const kinds = new Set(messages.map((m) => m.kind));
    expect([...kinds].sort()).toEqual(['acknowledgement', 'deadline_escalation', 'document_ready', 'handler_reminder', 'recipient_notice_ready', 'step_failed']);
    for (const message of messages) {
      const email = renderEmail(message);
      expect(email.subject).toContain('DSR-2000-CHECK0');
      expect(email.text).not.toMatch(/letterKind\.|email\.|\{\{/);
    }
    const catalog = { fi, sv, en }[language] as { letterKind: Record<string, string> };
    for (const kind of DELIVERABLE_KINDS) {
      const email = renderEmail({ kind: 'document_ready', language, reference: 'DSR-2000-CHECK0', downloadUrl: 'https://dsr.invalid/x', expiresOn: '2000-01-17', letterKind: kind });
      expect(email.text).toContain(catalog.letterKind[kind]);
    }
  });
});

describe('the start-up check of the catalogs', () => {
  it('passes on the catalogs as shipped', () => {
    expect(() => checkCatalogs()).not.toThrow();
  });

  it('fails naming the text and the language when one language lacks a text', () => {
    const broken = structuredClone(sv) as { letterKind: Record<string, string> };
    delete broken.letterKind.portability_csv;
    expect(() => checkCatalogs({ fi, sv: broken, en })).toThrow(MissingCatalogTextError);
    expect(() => checkCatalogs({ fi, sv: broken, en })).toThrow("Missing catalog text 'letterKind.portability_csv' for 'sv'");
  });

  it('fails when every language lacks the name of a deliverable (as the portability files once did)', () => {
    const strip = (c: object) => {
      const copy = structuredClone(c) as { letterKind: Record<string, string> };
      delete copy.letterKind.portability_json;
      return copy;
    };
    expect(() => checkCatalogs({ fi: strip(fi), sv: strip(sv), en: strip(en) })).toThrow("Missing catalog text 'letterKind.portability_json' for 'fi'");
  });

  it('fails when every language lacks the label of a step the alarm and the request page name', () => {
    const strip = (c: object) => {
      const copy = structuredClone(c) as { attention: { steps: Record<string, string> } };
      delete copy.attention.steps.gatherFromSystem;
      return copy;
    };
    expect(() => checkCatalogs({ fi: strip(fi), sv: strip(sv), en: strip(en) })).toThrow("Missing catalog text 'attention.steps.gatherFromSystem' for 'fi'");
  });
});
