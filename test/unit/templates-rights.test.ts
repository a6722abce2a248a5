/**
 * The letters of the rights beyond access (LEGAL-RULES.md 2, 3 and 5): each kind is rendered in
 * every language and read back, so these tests prove what the resident (or, for GDPR 19, the
 * recipient) reads: the amount and the way out in a fee notice, every category with its outcome
 * and the article it cites in a decision, what was erased and what kept, the 18(3) notice, who
 * was told of a change, and the remedies whenever something asked for is not done. Layout,
 * PDF/A and fonts for every kind are covered by templates.test.ts.
 */
import { PDFParse } from 'pdf-parse';
import { installPdfjsWorker } from '../helpers/pdf-text';
import { CATEGORY_DECIDED_RIGHTS, type DecisionGround } from '../../domain/decisions';
import { LANGUAGES, RIGHTS, type Language } from '../../domain/request';
import { renderEmail, renderLetter } from '../../templates';
import { formatDate, formatEuros, translator } from '../../templates/i18n';
import {
  sampleAcknowledgement,
  sampleAutomatedDecisions,
  sampleConfirmation,
  sampleDecision,
  sampleFeeNotice,
  sampleInformationReminder,
  sampleInformationRequest,
  samplePrivacyNotice,
  sampleRecipientNotice,
  sampleRestrictionLiftNotice,
  sampleWithdrawalConfirmation,
} from '../fixtures/letter-samples';
import type { CategoryRight, DecisionLetter, Letter, LetterKind } from '../../templates/types';

jest.setTimeout(60_000);

installPdfjsWorker();

/** Whitespace collapsed (and a line break after a hyphen removed) so wrapped text compares as written. */
const squash = (text: string) => text.replace(/\s+/g, ' ').replace(/- /g, '-').trim();

/** The letter's own text, every page, with the running header and the footer of each page cut out. */
async function bodyOf(letter: Letter): Promise<string> {
  const parser = new PDFParse({ data: new Uint8Array(await renderLetter(letter)) });
  try {
    const result = await parser.getText();
    // Page furniture is drawn last on each page, from the footer (the controller's name) on.
    const footerStart = `${letter.controller.name} ·`;
    return squash(result.pages.map((page) => page.text.split(footerStart)[0]).join('\n'));
  } finally {
    await parser.destroy();
  }
}

function expectContains(text: string, expected: string[]): void {
  const missing = expected.map(squash).filter((e) => !text.includes(e));
  expect(missing).toEqual([]);
}

function expectLacks(text: string, unexpected: string[]): void {
  const present = unexpected.map(squash).filter((e) => text.includes(e));
  expect(present).toEqual([]);
}

/** The provision each ground cites, written out here independently of the catalogs. */
const ARTICLES: Record<DecisionGround, Record<Language, string>> = {
  gdpr_15_1_access: { fi: '15 artiklan 1 ja 3 kohta', sv: 'Artikel 15.1 och 15.3', en: 'Article 15(1) and (3)' },
  gdpr_16_inaccurate: { fi: '16 artikla', sv: 'Artikel 16', en: 'Article 16' },
  gdpr_16_accurate: { fi: '16 artikla', sv: 'Artikel 16', en: 'Article 16' },
  gdpr_17_1_b_consent_withdrawn: { fi: '17 artiklan 1 kohdan b alakohta', sv: 'Artikel 17.1 b', en: 'Article 17(1)(b)' },
  gdpr_17_1_a_no_longer_needed: { fi: '17 artiklan 1 kohdan a alakohta', sv: 'Artikel 17.1 a', en: 'Article 17(1)(a)' },
  gdpr_17_1_d_unlawful: { fi: '17 artiklan 1 kohdan d alakohta', sv: 'Artikel 17.1 d', en: 'Article 17(1)(d)' },
  gdpr_17_1_contract_ended: { fi: '17 artiklan 1 kohdan a alakohta', sv: 'Artikel 17.1 a', en: 'Article 17(1)(a)' },
  gdpr_17_1_c_objection_upheld: { fi: '17 artiklan 1 kohdan c alakohta', sv: 'Artikel 17.1 c', en: 'Article 17(1)(c)' },
  gdpr_17_3_b_legal_obligation: { fi: '17 artiklan 3 kohdan b alakohta', sv: 'Artikel 17.3 b', en: 'Article 17(3)(b)' },
  gdpr_17_3_b_public_task: { fi: '17 artiklan 3 kohdan b alakohta', sv: 'Artikel 17.3 b', en: 'Article 17(3)(b)' },
  gdpr_18_1_restricted: { fi: '18 artiklan 1 kohta', sv: 'Artikel 18.1', en: 'Article 18(1)' },
  gdpr_20_1_a_provided: { fi: '20 artiklan 1 kohta', sv: 'Artikel 20.1', en: 'Article 20(1)' },
  gdpr_20_1_a_basis: { fi: '20 artiklan 1 kohdan a alakohta', sv: 'Artikel 20.1 a', en: 'Article 20(1)(a)' },
  gdpr_20_1_b_not_automated: { fi: '20 artiklan 1 kohdan b alakohta', sv: 'Artikel 20.1 b', en: 'Article 20(1)(b)' },
  gdpr_21_1_stopped: { fi: '21 artiklan 1 kohta', sv: 'Artikel 21.1', en: 'Article 21(1)' },
  gdpr_21_1_compelling_grounds: { fi: '21 artiklan 1 kohta', sv: 'Artikel 21.1', en: 'Article 21(1)' },
  gdpr_21_1_not_public_task: { fi: '21 artiklan 1 kohta', sv: 'Artikel 21.1', en: 'Article 21(1)' },
  gdpr_7_3_withdrawn: { fi: '7 artiklan 3 kohta', sv: 'Artikel 7.3', en: 'Article 7(3)' },
  gdpr_7_3_not_consent: { fi: '7 artiklan 3 kohta', sv: 'Artikel 7.3', en: 'Article 7(3)' },
  dpa_34_health_or_rights: { fi: '(1050/2018) 34 §', sv: '34 § i dataskyddslagen (1050/2018)', en: 'Section 34 of the Finnish Data Protection Act (1050/2018)' },
};

/** An article as the catalogs of each language write it in running text. */
const article = (language: Language, en: string, fi: string, sv: string) => ({ en, fi, sv })[language];

describe.each(LANGUAGES)('rights letters in %s', (language) => {
  const t = translator(language);
  const date = (iso: string) => formatDate(iso, language);
  /** GDPR 12(4): the complaint right with the Ombudsman's contacts and the judicial remedy. */
  const remedies = (letter: Letter) => [t('remedy.complaintText'), letter.supervisoryAuthority.name, letter.supervisoryAuthority.phone!, t('remedy.judicialText')];

  describe('acknowledgement', () => {
    it('gives the reference, receipt date, deadline, the right asked for and what happens next', async () => {
      const letter = sampleAcknowledgement(language);
      const body = await bodyOf(letter);
      expectContains(body, [
        t('acknowledgement.intro', { receivedOn: date(letter.receivedOn), reference: letter.reference }),
        t('acknowledgement.right.erasure'),
        t('acknowledgement.identityCheck'),
        t('acknowledgement.deadline', { deadline: date(letter.deadline) }),
        t('acknowledgement.extension', { deadline: date(letter.deadline) }),
        t('acknowledgement.withdraw'),
      ]);
      expect(body).toContain(article(language, 'Article 17', '17 artikla', 'artikel 17'));
      expectLacks(body, [t('acknowledgement.identityVerified')]);
    });

    it('says identity needs nothing more when it was verified at submission', async () => {
      const body = await bodyOf({ ...sampleAcknowledgement(language), identityVerified: true });
      expectContains(body, [t('acknowledgement.identityVerified')]);
      expectLacks(body, [t('acknowledgement.identityCheck')]);
    });

    it('names every right a request can ask for, with its article', () => {
      for (const right of RIGHTS) expect(t(`acknowledgement.right.${right}`)).toMatch(/\d/);
    });
  });

  describe('information request (GDPR 12(6))', () => {
    it('says what is needed and why, that only that is asked, how and by when, and that the clock runs', async () => {
      const letter = sampleInformationRequest(language);
      const body = await bodyOf(letter);
      expectContains(body, [
        letter.needed,
        t('informationRequest.onlyNeeded'),
        t('informationRequest.how', { reference: letter.reference }),
        letter.controller.address!,
        t('informationRequest.noEmail'),
        t('informationRequest.respondBy', { respondBy: date(letter.respondBy) }),
        t('informationRequest.clockRuns', { deadline: date(letter.deadline) }),
        t('informationRequest.ifNoReply', { respondBy: date(letter.respondBy) }),
      ]);
      expect(body).toContain(article(language, 'Article 12(6)', '12 artiklan 6 kohta', 'artikel 12.6'));
      expectLacks(body, [t('informationRequest.clockPaused'), t('informationRequest.reminder')]);
    });

    it('as a reminder says the information has not yet arrived, and with the pause setting that the deadline is suspended', async () => {
      const letter = sampleInformationReminder(language);
      const body = await bodyOf(letter);
      expectContains(body, [
        t('informationRequest.reminderTitle'),
        t('informationRequest.reminderSince', { firstRequestedOn: date(letter.firstRequestedOn!) }),
        t('informationRequest.clockPaused'),
        t('informationRequest.respondBy', { respondBy: date(letter.respondBy) }),
      ]);
      expect(body).toContain('01/2022');
    });

    it('refuses a request without the needed information or with a reply date already past', async () => {
      await expect(renderLetter({ ...sampleInformationRequest(language), needed: ' ' })).rejects.toThrow(/needed is required/);
      await expect(renderLetter({ ...sampleInformationRequest(language), respondBy: '2025-03-09' })).rejects.toThrow(/respondBy/);
    });
  });

  describe('fee notice (GDPR 12(5)(a))', () => {
    const letter = sampleFeeNotice(language);
    let body: string;
    beforeAll(async () => {
      body = await bodyOf(letter);
    });

    it('states the amount in the language’s format, the basis and the burden of proof', () => {
      const amount = { fi: '45,00 €', sv: '45,00 €', en: '€45.00' }[language];
      expectContains(body, [t('fee.amount', { amount }), t('fee.grounds.gdpr_12_5_excessive'), letter.basis, t('fee.burden')]);
      expect(body).toContain(article(language, 'Article 12(5)(a)', '12 artiklan 5 kohdan a alakohta', 'artikel 12.5 a'));
    });

    it('offers to withdraw the request instead, says when the fee is due and that an invoice follows', () => {
      expectContains(body, [
        t('fee.withdraw', { payBy: date(letter.payBy) }),
        t('fee.withdrawHow', { reference: letter.reference }),
        t('fee.payBy', { amount: formatEuros(letter.amount, language), payBy: date(letter.payBy) }),
        t('fee.invoice'),
      ]);
    });

    it('gives the complaint right and the judicial remedy, and does not print the one-a-year rule', () => {
      expectContains(body, remedies(letter));
      expect(body).not.toMatch(/a year|vuodessa|per år/i);
    });

    it('refuses a fee of nothing, a fraction of a cent, or one without a basis', async () => {
      await expect(renderLetter({ ...letter, amount: 0 })).rejects.toThrow(/more than zero/);
      await expect(renderLetter({ ...letter, amount: 12.345 })).rejects.toThrow(/two decimals/);
      await expect(renderLetter({ ...letter, basis: '' })).rejects.toThrow(/basis is required/);
    });
  });

  describe.each(CATEGORY_DECIDED_RIGHTS.map((right) => [right]))('decision on %s', (right: CategoryRight) => {
    const letter = sampleDecision(language, right);
    let body: string;
    beforeAll(async () => {
      body = await bodyOf(letter);
    });

    it('lists every category with its outcome, the article its ground cites, reasons, retention and changes', () => {
      expectContains(body, [t(`decision.title.${right}`), t(`decision.intro.${right}`)]);
      for (const c of letter.categories) {
        expectContains(body, [
          c.categoryLabel,
          t(`decision.outcome.${right}.${c.outcome}`),
          t(`grounds.${c.ground}.citation`),
          ARTICLES[c.ground][language],
          t(`grounds.${c.ground}.explanation`),
          ...[c.reason, c.retention, c.changes].filter((v): v is string => !!v),
        ]);
      }
    });

    it('gives the complaint right and the judicial remedy exactly when something asked for is not done (GDPR 12(4))', () => {
      const notDone = letter.categories.some((c) => c.outcome !== 'granted') || (letter.corrections ?? []).some((c) => !c.accepted);
      if (notDone) expectContains(body, remedies(letter));
      else expectLacks(body, [t('remedy.complaintText'), t('remedy.judicialText')]);
      expectContains(body, [t(`decision.summary.${notDone ? 'partial' : 'granted'}`)]);
    });
  });

  describe('decision specifics', () => {
    it('erasure: lists what was erased and what was kept, with retention and ground, and who was and was not told (GDPR 19)', async () => {
      const letter = sampleDecision(language, 'erasure');
      const body = await bodyOf(letter);
      const erased = letter.categories.filter((c) => c.outcome === 'granted');
      const kept = letter.categories.filter((c) => c.outcome === 'refused');
      expect(erased.length).toBeGreaterThan(0);
      expect(kept.length).toBeGreaterThan(0);
      expectContains(body, [
        t('decision.erasure.erasedHeading'),
        ...erased.map((c) => `${c.categoryLabel}: ${c.changes}`),
        t('decision.erasure.keptHeading'),
        ...kept.flatMap((c) => [c.categoryLabel, `${t('decision.retentionLabel')}: ${c.retention}`]),
        `${t('decision.groundLabel')}: ${t('grounds.gdpr_17_3_b_legal_obligation.citation')}`,
        t('recipients.intro'),
        ...letter.recipientsNotified,
        t('recipients.notNotifiedIntro'),
        ...letter.recipientsNotNotified.flatMap((r) => [r.name, r.reason]),
        t('recipients.right'),
      ]);
      if (language === 'en') expectContains(body, ['Erased', 'Kept', 'impossible or involves disproportionate effort']);
    });

    it('rectification: every proposed correction accepted or rejected, with the reasons for rejections', async () => {
      const letter = sampleDecision(language, 'rectification');
      const body = await bodyOf(letter);
      const corrections = letter.corrections ?? [];
      expect(corrections.some((c) => !c.accepted)).toBe(true);
      for (const c of corrections) {
        expectContains(body, [c.field, c.proposed, t(c.accepted ? 'decision.corrections.accepted' : 'decision.corrections.rejected')]);
        if (c.reason) expectContains(body, [c.reason]);
      }
      expectContains(body, [t('decision.rectification.applied'), t('decision.rectification.rejected'), ...letter.recipientsNotified]);
    });

    it('restriction: restricted data is only stored, and the subject is told before it is lifted (GDPR 18(2)-(3))', async () => {
      const body = await bodyOf(sampleDecision(language, 'restriction'));
      expectContains(body, [t('decision.restriction.stored'), t('decision.restriction.lift')]);
      expect(body).toContain(article(language, 'Article 18(3)', '18 artiklan 3 kohta', 'artikel 18.3'));
    });

    it('restriction with no recipient: says there was no one to tell', async () => {
      const body = await bodyOf({ ...sampleDecision(language, 'restriction'), recipientsNotified: [] });
      expectContains(body, [t('recipients.heading'), t('recipients.none')]);
    });

    it('portability: JSON and CSV delivered separately, not transmitted, access offered for the rest', async () => {
      const letter = sampleDecision(language, 'portability');
      const body = await bodyOf(letter);
      expectContains(body, [t('decision.portability.export'), t('decision.portability.notTransmitted'), t('decision.portability.access')]);
      expect(body).toContain('JSON');
      expect(body).toContain('CSV');
      expectLacks(body, [t('recipients.heading')]);
    });

    it('portability: names the controller the data was transmitted to directly (GDPR 20(2))', async () => {
      const body = await bodyOf({ ...sampleDecision(language, 'portability'), transmittedTo: 'Esimerkki Oy' });
      expectContains(body, [t('decision.portability.transmitted', { controller: 'Esimerkki Oy' })]);
      expect(body).toContain(article(language, 'Article 20(2)', '20 artiklan 2 kohta', 'artikel 20.2'));
    });

    it('a subject with no data: says none was found and, for a change right, that nothing was changed; never granted (LEGAL-RULES.md 6)', async () => {
      const restriction = await bodyOf({ ...sampleDecision(language, 'restriction'), categories: [], dataFound: false, recipientsNotified: [], recipientsNotNotified: [] });
      expectContains(restriction, [t('decision.notFound.text'), t('decision.notFound.nothingChanged')]);
      expectLacks(restriction, [t('decision.summary.granted'), t('decision.categoriesHeading'), t('decision.outcome.restriction.granted'), t('recipients.heading')]);
      const portability = await bodyOf({ ...sampleDecision(language, 'portability'), categories: [], dataFound: false, recipientsNotified: [], recipientsNotNotified: [] });
      expectContains(portability, [t('decision.notFound.text')]);
      expectLacks(portability, [t('decision.notFound.nothingChanged'), t('decision.portability.export')]);
    });

    it('a rectification lists the corrections only, no category outcomes; the recipients the data was disclosed to are named', async () => {
      const sample = sampleDecision(language, 'rectification');
      const body = await bodyOf({ ...sample, categories: [], recipientsNotified: [], recipientsNotNotified: [], recipientsToNotify: ['Kela'] });
      expectContains(body, [t('decision.corrections.heading'), t('recipients.toNotifyHeading'), 'Kela']);
      expectLacks(body, [t('decision.categoriesHeading'), t('decision.outcome.rectification.granted')]);
    });

    it('a draft approved before the GDPR 19 notices claims no recipient was informed, nor that one will be', async () => {
      // The draft is approved before the changes and the notices; a notice can still end in a
      // handler's "impossible or disproportionate". The delivered letter must hold either way.
      const draft = await bodyOf({ ...sampleDecision(language, 'erasure'), recipientsNotified: [], recipientsNotNotified: [], recipientsToNotify: ['Kela'] });
      expectContains(draft, [t('recipients.heading'), t('recipients.toNotifyHeading'), 'Kela']);
      expectLacks(draft, [t('recipients.notifiedHeading'), t('recipients.notNotifiedHeading')]);
      const claims: Record<typeof language, RegExp> = {
        fi: /ilmoitetu|ilmoitus on tehty|ilmoitamme muutoksesta näille/i,
        sv: /har underrättats|vi meddelar ändringen till dessa/i,
        en: /informed of the change|we are telling these recipients|have been informed/i,
      };
      expect(draft).not.toMatch(claims[language]);
      // Once the notices went out (a letter rendered after them), the informed ones are named as such.
      const after = await bodyOf({ ...sampleDecision(language, 'erasure'), recipientsNotified: ['Kela'], recipientsNotNotified: [], recipientsToNotify: ['Kela'] });
      expectContains(after, [t('recipients.notifiedHeading'), 'Kela']);
    });

    it('portability: a draft approved before the transmission says the data will be transmitted, never that it was nor that it will not be', async () => {
      const body = await bodyOf({ ...sampleDecision(language, 'portability'), transmitTo: 'vastaanottaja.example' });
      expectContains(body, [t('decision.portability.transmitting', { controller: 'vastaanottaja.example' })]);
      expectLacks(body, [t('decision.portability.notTransmitted'), t('decision.portability.transmitted', { controller: 'vastaanottaja.example' })]);
    });

    it('objection: says where processing stopped and gives the compelling legitimate grounds where it continues', async () => {
      const letter = sampleDecision(language, 'objection');
      const body = await bodyOf(letter);
      const continued = letter.categories.find((c) => c.ground === 'gdpr_21_1_compelling_grounds')!;
      expectContains(body, [t('decision.objection.stopped'), t('decision.objection.compelling'), continued.reason!, t('decision.objection.notCovered')]);
    });

    it('consent withdrawal: photos removed from use, earlier processing stays lawful (GDPR 7(3))', async () => {
      const body = await bodyOf(sampleDecision(language, 'consent_withdrawal'));
      expectContains(body, [t('decision.consent.removed'), t('decision.consent.lawful')]);
    });

    it('a decision in which nothing is granted says the request is refused', async () => {
      const letter: DecisionLetter = {
        ...sampleDecision(language, 'erasure'),
        categories: sampleDecision(language, 'erasure').categories.filter((c) => c.outcome === 'refused'),
      };
      const body = await bodyOf(letter);
      expectContains(body, [t('decision.summary.refused'), t('decision.erasure.nothingErased'), ...remedies(letter)]);
    });
  });

  describe('withdrawal confirmation', () => {
    it('confirms the withdrawal with its date, that the request is closed and nothing further is done', async () => {
      const letter = sampleWithdrawalConfirmation(language);
      const body = await bodyOf(letter);
      expectContains(body, [
        t('withdrawal.intro', { receivedOn: date(letter.receivedOn), withdrawnOn: date(letter.withdrawnOn) }),
        t('withdrawal.closed'),
        t('withdrawal.nothingFurther'),
      ]);
      expectLacks(body, [t('remedy.judicialText')]);
    });

    it('refuses a withdrawal dated before the request arrived', async () => {
      await expect(renderLetter({ ...sampleWithdrawalConfirmation(language), withdrawnOn: '2025-03-04' })).rejects.toThrow(/withdrawnOn/);
    });
  });

  describe('restriction lift notice (GDPR 18(3))', () => {
    it('names the categories, the date, the reason and cites 18(3), with the remedies', async () => {
      const letter = sampleRestrictionLiftNotice(language);
      const body = await bodyOf(letter);
      expectContains(body, [
        ...letter.categories,
        t('restrictionLift.liftOn', { liftOn: date(letter.liftOn) }),
        t('restrictionLift.before', { issuedOn: date(letter.issuedOn) }),
        letter.reason,
        t('restrictionLift.contact', { liftOn: date(letter.liftOn) }),
        ...remedies(letter),
      ]);
      expect(body).toContain(article(language, 'Article 18(3)', '18 artiklan 3 kohta', 'artikel 18.3'));
    });

    it('will not render a notice that is not given before the restriction is lifted', async () => {
      const letter = sampleRestrictionLiftNotice(language);
      await expect(renderLetter({ ...letter, liftOn: letter.issuedOn })).rejects.toThrow(/liftOn .* must be after issuedOn/);
    });
  });

  describe('recipient notice (GDPR 19)', () => {
    it('addresses the recipient with our reference, the change, the categories, the date and the subject identifier only', async () => {
      const letter = sampleRecipientNotice(language);
      const body = await bodyOf(letter);
      expectContains(body, [
        letter.recipientName,
        letter.reference,
        letter.subjectIdentifier,
        t('recipientNotice.change.rectification'),
        ...letter.categories,
        date(letter.decidedOn),
        letter.details!,
        t('recipientNotice.action.rectification'),
        t('recipientNotice.confidential'),
      ]);
      expect(body).toContain(article(language, 'Article 19', '19 artiklan', 'artikel 19'));
    });

    it('is Finnish unless asked otherwise', () => {
      expect(sampleRecipientNotice().language).toBe('fi');
    });

    it.each(['erasure', 'restriction'] as const)('asks the recipient to carry out the %s', async (change) => {
      const body = await bodyOf({ ...sampleRecipientNotice(language), change, details: null });
      expectContains(body, [t(`recipientNotice.change.${change}`), t(`recipientNotice.action.${change}`)]);
    });
  });

  describe('privacy notice (GDPR 13-14)', () => {
    it('gives the controller, representative, DPO and contact person and every information item', async () => {
      const letter = samplePrivacyNotice(language);
      const body = await bodyOf(letter);
      const info = letter.information;
      expectContains(body, [
        t('privacyNotice.informationIntro'),
        t('privacyNotice.representative'),
        letter.representative.name,
        letter.representative.phone!,
        t('privacyNotice.dpo'),
        letter.dpo.email!,
        letter.contactPerson.name,
        ...info.purposes,
        ...info.categories.flatMap((c) => [c.label, c.legalBasis, c.retention]),
        ...info.recipients,
        info.retention,
        ...info.rights,
        ...info.sources,
        info.automatedDecisionMaking,
        info.transfersOutsideEea,
        t('information.complaintText'),
      ]);
    });
  });

  describe('confirmation (GDPR 15(1), first sentence)', () => {
    it('confirms that data is processed and says how to ask for a copy', async () => {
      const body = await bodyOf(sampleConfirmation(language));
      expectContains(body, [t('confirmation.processed'), t('confirmation.copy')]);
      expectLacks(body, [t('confirmation.notProcessed')]);
    });

    it('confirms that no data is processed', async () => {
      const body = await bodyOf({ ...sampleConfirmation(language), processed: false });
      expectContains(body, [t('confirmation.notProcessed'), t('confirmation.notProcessedMore')]);
      expectLacks(body, [t('confirmation.copy')]);
    });
  });

  describe('automated decisions (GDPR 22)', () => {
    it('answers from the register description and gives the rights if such decisions were made', async () => {
      const letter = sampleAutomatedDecisions(language);
      const body = await bodyOf(letter);
      expectContains(body, [letter.statement, t('automated.rights.notSubject'), t('automated.rights.human'), t('automated.rights.information')]);
      expect(body).toContain(article(language, 'Article 22(3)', '22 artiklan 3 kohta', 'artikel 22.3'));
    });
  });
});

describe('decision checks', () => {
  const erasure = sampleDecision('en', 'erasure');

  it('refuses a ground that does not fit the outcome (an erased category cannot rest on 17(3)(b))', async () => {
    const categories = erasure.categories.map((c, i) => (i === 0 ? { ...c, outcome: 'granted' as const } : c));
    await expect(renderLetter({ ...erasure, categories })).rejects.toThrow(/does not fit outcome/);
  });

  it('refuses kept data without its retention (GDPR 17(3))', async () => {
    const categories = erasure.categories.map((c, i) => (i === 0 ? { ...c, retention: null } : c));
    await expect(renderLetter({ ...erasure, categories })).rejects.toThrow(/retention/);
  });

  it('refuses compelling grounds without the reasons (GDPR 21(1))', async () => {
    const objection = sampleDecision('en', 'objection');
    const categories = objection.categories.map((c) => (c.ground === 'gdpr_21_1_compelling_grounds' ? { ...c, reason: null } : c));
    await expect(renderLetter({ ...objection, categories })).rejects.toThrow(/compelling/);
  });

  it('refuses a rejected correction without reasons, and corrections outside a rectification', async () => {
    const rectification = sampleDecision('en', 'rectification');
    const corrections = (rectification.corrections ?? []).map((c) => ({ ...c, reason: null }));
    await expect(renderLetter({ ...rectification, corrections })).rejects.toThrow(/rejecting the correction/);
    await expect(renderLetter({ ...erasure, corrections: rectification.corrections })).rejects.toThrow(/rectification only/);
  });

  it('refuses an empty decision', async () => {
    await expect(renderLetter({ ...erasure, categories: [] })).rejects.toThrow(/at least one category/);
  });
});

describe('catalog texts the rights letters need', () => {
  it('has a citation with a number and an explanation for every decision ground in every language', () => {
    for (const language of LANGUAGES) {
      const t = translator(language);
      for (const ground of Object.keys(ARTICLES) as DecisionGround[]) {
        expect(t(`grounds.${ground}.citation`)).toContain(ARTICLES[ground][language]);
        expect(t(`grounds.${ground}.explanation`).length).toBeGreaterThan(40);
      }
    }
  });

  it('formats euros as 1 234,50 € in Finnish and Swedish and €1,234.50 in English', () => {
    expect(formatEuros(1234.5, 'fi')).toBe('1\u00a0234,50 €');
    expect(formatEuros(1234.5, 'sv')).toBe('1\u00a0234,50 €');
    expect(formatEuros(1234.5, 'en')).toBe('€1,234.50');
    expect(formatEuros(0.1 + 0.2, 'en')).toBe('€0.30');
    expect(() => formatEuros(-1, 'fi')).toThrow();
  });
});

describe('e-mails for the new flows', () => {
  // A record, so that a new letter kind without an entry here fails the type check.
  const KINDS: Record<LetterKind, true> = {
    access_answer: true, extension: true, refusal: true, unidentifiable: true, acknowledgement: true, information_request: true, fee_notice: true,
    decision: true, withdrawal_confirmation: true, restriction_lift_notice: true, recipient_notice: true, privacy_notice: true, confirmation: true,
    automated_decisions: true,
  };
  const ALL_KINDS = Object.keys(KINDS) as LetterKind[];

  it.each(LANGUAGES)('document_ready names every letter kind in %s, and asks for action on an information request or fee', (language) => {
    const t = translator(language);
    for (const letterKind of ALL_KINDS) {
      const email = renderEmail({ kind: 'document_ready', language, reference: 'DSR-2025-000123', downloadUrl: 'https://dsr.example.fi/d/abc', expiresOn: '2025-04-03', letterKind });
      expect(email.subject).toContain('DSR-2025-000123');
      expect(email.text).toContain(t(`letterKind.${letterKind}`));
      const action = letterKind === 'information_request' || letterKind === 'fee_notice';
      expect(email.text.includes(t('email.document_ready.action'))).toBe(action);
      if (action) expect(email.subject).toBe(t('email.document_ready.subjectAction', { reference: 'DSR-2025-000123' }));
    }
  });

  it.each(LANGUAGES)('recipient_notice_ready in %s gives only our reference, the expiry and the link', (language) => {
    const email = renderEmail({ kind: 'recipient_notice_ready', language, reference: 'DSR-2025-000123', downloadUrl: 'https://dsr.example.fi/r/abc', expiresOn: '2025-04-03' });
    expect(email.subject).toContain('DSR-2025-000123');
    expect(email.text).toContain(formatDate('2025-04-03', language));
    expect(email.text).toContain('https://dsr.example.fi/r/abc');
    expect(email.text).toContain(language === 'en' ? 'Article 19' : language === 'fi' ? '19 artiklan' : 'artikel 19');
    expect(email.text).not.toContain('131052-308T');
  });
});
