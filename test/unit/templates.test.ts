/**
 * Letters and e-mails: every letter kind in every language is rendered and read back as text, so
 * these tests prove what a resident actually sees in the PDF, and that the file is PDF/A with
 * embedded fonts and byte-for-byte reproducible.
 */
import { PDFParse } from 'pdf-parse';
import { installPdfjsWorker } from '../helpers/pdf-text';
import { LANGUAGES, REFUSAL_GROUNDS, type Language, type RefusalGround } from '../../domain/request';
import { renderEmail, renderLetter } from '../../templates';
import { formatDate, translator } from '../../templates/i18n';
import { contactLines } from '../../templates/pdf/layout';
import en from '../../templates/locales/en.json';
import fi from '../../templates/locales/fi.json';
import sv from '../../templates/locales/sv.json';
import {
  sampleAccessAnswer,
  sampleAcknowledgement,
  sampleAutomatedDecisions,
  sampleConfirmation,
  sampleDecision,
  sampleExtension,
  sampleFeeNotice,
  sampleInformationRequest,
  sampleNothingProcessed,
  samplePrivacyNotice,
  sampleRecipientNotice,
  sampleRefusal,
  sampleRestrictionLiftNotice,
  sampleUnidentifiable,
  sampleWithdrawalConfirmation,
} from '../fixtures/letter-samples';
import type { ContactBlock, EmailMessage, Letter, LetterKind } from '../../templates/types';
import { REGISTER_COLUMNS } from '../../db/tables/register';
import { loadRegisterDescription } from '../../config/register-description';
import { letterParties } from '../../activities/register-view';

jest.setTimeout(60_000);

installPdfjsWorker();

/**
 * Collapses all whitespace (line breaks, no-break spaces) so wrapped text compares as written;
 * space after a hyphen goes too, because lines may break after one ("tietosuoja-|asetuksen").
 */
const squash = (text: string) => text.replace(/\s+/g, ' ').replace(/- /g, '-').trim();

interface ReadBack {
  /** Everything on every page. */
  all: string;
  /** The letter's own text with the running header and footer of each page cut out. */
  body: string;
  /** The same for the last page only. */
  lastPage: string;
  pages: number;
}

/** Reads a PDF back to text. Page furniture is drawn last on each page, from the footer on. */
async function readBack(pdf: Buffer, letter: Letter): Promise<ReadBack> {
  const parser = new PDFParse({ data: new Uint8Array(pdf) });
  try {
    const result = await parser.getText();
    const footerStart = `${letter.controller.name} ·`;
    const bodies = result.pages.map((page) => {
      const cut = page.text.indexOf(footerStart);
      return cut < 0 ? page.text : page.text.slice(0, cut);
    });
    return {
      all: squash(result.pages.map((p) => p.text).join('\n')),
      body: squash(bodies.join('\n')),
      lastPage: squash(bodies[bodies.length - 1]),
      pages: result.pages.length,
    };
  } finally {
    await parser.destroy();
  }
}

function expectContains(text: string, expected: string[]): void {
  const missing = expected.map(squash).filter((e) => !text.includes(e));
  expect(missing).toEqual([]);
}

function contactTexts(block: ContactBlock): string[] {
  return [block.name, block.title, block.address, block.phone, block.email, block.web].filter((v): v is string => !!v);
}

/** What LEGAL-RULES.md 5 says every letter carries, plus the signature block (Hallintolaki 44 §). */
function commonExpectations(letter: Letter): string[] {
  const t = translator(letter.language);
  const date = (iso: string) => formatDate(iso, letter.language);
  return [
    letter.reference,
    letter.registerName,
    `${t('head.receivedOn')} ${date(letter.receivedOn)}`,
    `${t('head.deadline')} ${date(letter.deadline)}`,
    ...contactTexts(letter.controller),
    letter.controller.businessId ?? '',
    ...contactTexts(letter.dpo),
    t('footer.dpo'),
    ...contactTexts(letter.contactPerson),
    t('signature.moreInfo'),
  ].filter(Boolean);
}

/** One sample of every letter kind; the type makes a new kind without a sample fail to compile. */
const SAMPLES: Record<LetterKind, (language: Language) => Letter> = {
  access_answer: sampleAccessAnswer,
  extension: sampleExtension,
  refusal: sampleRefusal,
  unidentifiable: sampleUnidentifiable,
  acknowledgement: sampleAcknowledgement,
  information_request: sampleInformationRequest,
  fee_notice: sampleFeeNotice,
  decision: sampleDecision,
  withdrawal_confirmation: sampleWithdrawalConfirmation,
  restriction_lift_notice: sampleRestrictionLiftNotice,
  recipient_notice: sampleRecipientNotice,
  privacy_notice: samplePrivacyNotice,
  confirmation: sampleConfirmation,
  automated_decisions: sampleAutomatedDecisions,
};

describe.each(LANGUAGES)('letters in %s', (language) => {
  const t = translator(language);
  const date = (iso: string) => formatDate(iso, language);

  describe.each(Object.entries(SAMPLES))('%s', (kind, sample) => {
    const letter = sample(language);
    let pdf: Buffer;
    let text: ReadBack;

    beforeAll(async () => {
      pdf = await renderLetter(letter);
      text = await readBack(pdf, letter);
    });

    it('carries the reference, dates, controller, DPO and contact person', () => {
      expectContains(text.all, commonExpectations(letter));
      expectContains(text.body, [t(`head.documentType.${kind}`)]);
    });

    it('never leaves the signature alone on the last page', () => {
      const t = translator(letter.language);
      const signature = [
        t('signature.approvedBy'),
        t('signature.moreInfo'),
        t('signature.electronic'),
        ...(letter.signedBy ? contactLines(letter.signedBy, t) : []),
        ...contactLines(letter.contactPerson, t),
      ];
      const rest = signature.reduce((text, line) => text.replace(squash(line), ''), text.lastPage).trim();
      expect(rest).not.toBe('');
    });

    it('numbers its pages "n / N" in the footer', () => {
      expect(text.pages).toBeGreaterThanOrEqual(1);
      expectContains(text.all, [t('footer.page', { page: 1, pages: text.pages })]);
      expectContains(text.all, [t('footer.page', { page: text.pages, pages: text.pages })]);
    });

    it('is identified as PDF/A-2b, tagged, in the letter language, with dates from the issue date', () => {
      const raw = pdf.toString('latin1');
      expect(raw.startsWith('%PDF-1.7')).toBe(true);
      expect(raw).toContain('<pdfaid:part>2</pdfaid:part>');
      expect(raw).toContain('<pdfaid:conformance>B</pdfaid:conformance>');
      expect(raw).toMatch(/\/S \/GTS_PDFA1/);
      expect(raw).toContain(`/Lang (${{ fi: 'fi-FI', sv: 'sv-FI', en: 'en' }[language]})`);
      expect(raw).toMatch(/\/Marked true/);
      expect(raw).toContain('/StructTreeRoot');
      const stamp = letter.issuedOn.replace(/-/g, '');
      expect(raw).toContain(`(D:${stamp}000000Z)`);
      expect(raw).toContain(`<xmp:CreateDate>${letter.issuedOn}T00:00:00Z</xmp:CreateDate>`);
      expect(raw).toContain(`<xmp:ModifyDate>${letter.issuedOn}T00:00:00Z</xmp:ModifyDate>`);
    });

    it('embeds every font (no standard 14 fonts, every descriptor has FontFile2)', () => {
      const raw = pdf.toString('latin1');
      expect(raw).not.toMatch(/\/BaseFont \/(Helvetica|Times|Courier|Symbol|ZapfDingbats)/);
      expect(raw).not.toMatch(/\/Subtype \/(Type1|TrueType|MMType1|Type3)\b/);
      const descriptors = raw.match(/\/Type \/FontDescriptor/g) ?? [];
      const embedded = raw.match(/\/FontFile2 \d+ 0 R/g) ?? [];
      const fonts = raw.match(/\/Subtype \/Type0/g) ?? [];
      expect(descriptors.length).toBeGreaterThan(0);
      expect(embedded.length).toBe(descriptors.length);
      expect(fonts.length).toBe(descriptors.length);
      expect(raw).toMatch(/\/BaseFont \/[A-Z]{6}\+DejaVuSans/);
    });

    it('renders the same bytes twice, whatever the clock or time zone says', async () => {
      const again = await renderLetter(sample(language));
      expect(again.equals(pdf)).toBe(true);
      const zone = process.env.TZ;
      process.env.TZ = 'Pacific/Kiritimati';
      jest.useFakeTimers({ now: new Date('2031-07-01T12:34:56Z'), doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask', 'setTimeout', 'setInterval', 'clearTimeout', 'clearInterval', 'clearImmediate'] });
      try {
        expect(new Date().getUTCFullYear()).toBe(2031);
        const later = await renderLetter(sample(language));
        expect(later.equals(pdf)).toBe(true);
      } finally {
        jest.useRealTimers();
        if (zone === undefined) delete process.env.TZ;
        else process.env.TZ = zone;
      }
    });

    it('renders different bytes for a different reference (the comparison above can fail)', async () => {
      const other = await renderLetter({ ...sample(language), reference: 'DSR-2025-000124' });
      expect(other.equals(pdf)).toBe(false);
    });
  });

  describe('access answer', () => {
    const letter = sampleAccessAnswer(language);
    let text: ReadBack;
    beforeAll(async () => {
      text = await readBack(await renderLetter(letter), letter);
    });

    it('confirms processing (GDPR 15(1)) and says the first copy is free', () => {
      expectContains(text.body, [t('access.confirmProcessed'), t('access.freeOfCharge'), t('access.title')]);
    });

    it('gives every GDPR 15(1)-(2) information item with its heading and values', () => {
      const info = letter.information;
      const headings = ['purposes', 'categories', 'recipients', 'retention', 'rights', 'complaint', 'sources', 'automatedDecisionMaking', 'transfers'];
      expectContains(text.body, headings.map((h) => t(`information.${h}`)));
      expectContains(text.body, [
        ...info.purposes,
        ...info.categories.flatMap((c) => [c.label, c.legalBasis, c.retention]),
        ...info.recipients,
        info.retention,
        ...info.rights,
        ...info.sources,
        info.automatedDecisionMaking,
        info.transfersOutsideEea,
        t('information.complaintText'),
        ...contactTexts(letter.supervisoryAuthority),
      ]);
    });

    it('prints every section and every record field, non-ASCII included, whole across page breaks', () => {
      expectContains(text.body, ['Hämäläinen', 'Åström', 'Öhman', 'Väinölänniemenkatu 5 A 12, 70100 Kuopio']);
      for (const section of letter.sections) {
        expectContains(text.body, [section.categoryLabel, section.system, section.legalBasis]);
        for (const record of section.records) {
          // An empty value is printed as a dash, so only its label can be looked for.
          expectContains(text.body, record.fields.flatMap((f) => (f.value ? [f.label, f.value] : [f.label])));
        }
      }
    });

    it('names withheld items with their ground (Tietosuojalaki 34 §) and gives the remedies', () => {
      const withheld = letter.sections.flatMap((s) => s.withheld ?? []);
      expect(withheld.length).toBeGreaterThan(0);
      expectContains(text.body, withheld.flatMap((w) => [w.description, w.ground]));
      expectContains(text.body, [t('report.withheldStatement'), t('report.withheldToOmbudsman'), t('remedy.judicialText')]);
    });

    it('states how many mentions of other people were redacted (GDPR 15(4))', () => {
      expectContains(text.body, [t('report.redactions', { count: letter.redactions })]);
      expect(text.body).toContain(language === 'fi' ? '15 artiklan 4 kohta' : language === 'sv' ? 'artikel 15.4' : 'Article 15(4)');
    });
  });

  describe('access answer when nothing is processed', () => {
    const letter = sampleNothingProcessed(language);
    let text: ReadBack;
    beforeAll(async () => {
      text = await readBack(await renderLetter(letter), letter);
    });

    it('says clearly that no data is processed, gives the information items, and no data report', () => {
      expectContains(text.body, [t('access.confirmNotProcessed'), t('information.purposes'), t('information.complaint'), ...letter.information.purposes]);
      expect(text.body).not.toContain(squash(t('report.heading')));
      expect(text.body).not.toContain('Hämäläinen');
    });

    it('refuses a letter that says "not processed" but carries data', async () => {
      await expect(renderLetter({ ...sampleAccessAnswer(language), processed: false })).rejects.toThrow(/processed is false/);
    });
  });

  describe('extension', () => {
    const letter = sampleExtension(language);
    let text: ReadBack;
    beforeAll(async () => {
      text = await readBack(await renderLetter(letter), letter);
    });

    it('gives the reasons, the new date and the GDPR 12(3) basis, told before the first deadline', () => {
      expectContains(text.body, [
        letter.reasons,
        t('extension.newDeadline', { extendedDeadline: date(letter.extendedDeadline) }),
        `${t('head.extendedDeadline')} ${date(letter.extendedDeadline)}`,
        t('extension.decision'),
        t('extension.beforeDeadline', { issuedOn: date(letter.issuedOn), deadline: date(letter.deadline) }),
      ]);
      expect(text.body).toContain(language === 'fi' ? '12 artiklan 3 kohdan' : language === 'sv' ? 'artikel 12.3' : 'Article 12(3)');
    });

    it('will not render an extension dated after the first deadline (GDPR 12(3))', async () => {
      await expect(renderLetter({ ...letter, issuedOn: '2025-04-08' })).rejects.toThrow(/after the deadline/);
    });
  });

  describe('refusal', () => {
    // The article each ground cites, written out here independently of the catalogs.
    const ARTICLES: Record<RefusalGround, Record<Language, string>> = {
      gdpr_12_5_manifestly_unfounded: { fi: '12 artiklan 5 kohdan b alakohta', sv: 'Artikel 12.5 b', en: 'Article 12(5)(b)' },
      gdpr_12_5_excessive: { fi: '12 artiklan 5 kohdan b alakohta', sv: 'Artikel 12.5 b', en: 'Article 12(5)(b)' },
      gdpr_15_4_rights_of_others: { fi: '15 artiklan 4 kohta', sv: 'Artikel 15.4', en: 'Article 15(4)' },
      gdpr_17_3_b_legal_obligation: { fi: '17 artiklan 3 kohdan b alakohta', sv: 'Artikel 17.3 b', en: 'Article 17(3)(b)' },
      gdpr_17_3_d_archiving: { fi: '17 artiklan 3 kohdan d alakohta', sv: 'Artikel 17.3 d', en: 'Article 17(3)(d)' },
      dpa_34_health_or_rights: { fi: 'Tietosuojalain (1050/2018) 34 §', sv: '34 § i dataskyddslagen (1050/2018)', en: 'Section 34 of the Finnish Data Protection Act (1050/2018)' },
      publicity_act_secrecy: { fi: '(621/1999) 24 §', sv: '24 § i lagen om offentlighet i myndigheternas verksamhet (621/1999)', en: 'Act on the Openness of Government Activities (621/1999)' },
    };

    it.each(REFUSAL_GROUNDS)('cites the provision for ground %s', async (ground) => {
      const letter = { ...sampleRefusal(language), ground };
      const text = await readBack(await renderLetter(letter), letter);
      expectContains(text.body, [ARTICLES[ground][language], t(`refusal.grounds.${ground}.explanation`)]);
    });

    it('gives the decision, reasons, complaint right with the Ombudsman and the judicial remedy', async () => {
      const letter = sampleRefusal(language);
      const text = await readBack(await renderLetter(letter), letter);
      expectContains(text.body, [
        t('refusal.decision.whole'),
        letter.reasons,
        t('remedy.complaintText'),
        ...contactTexts(letter.supervisoryAuthority),
        t('remedy.judicialText'),
        t('remedy.appealHow', { days: 30 }),
        ...contactTexts(letter.appealCourt!),
        ...contactTexts(letter.signedBy!),
      ]);
      if (language !== 'sv') expect(text.body).toContain('PL 800, 00531 Helsinki');
      expect(text.body).toContain(language === 'fi' ? 'hallinto-oikeu' : language === 'sv' ? 'förvaltningsdomstol' : 'administrative court');
      expect(text.body).toContain(language === 'fi' ? '79 artikla' : language === 'sv' ? 'artikel 79' : 'Article 79');
    });

    it('names the right refused and the appeal route of the register description: body, address and time limit (LEGAL-RULES.md 6)', async () => {
      const description = loadRegisterDescription('config/register-description.kuopio.yaml', REGISTER_COLUMNS);
      const route = description.appealRoute!;
      const letter = { ...sampleRefusal(language), ...letterParties(description, language), right: 'erasure' as const };
      const text = await readBack(await renderLetter(letter), letter);
      expectContains(text.body, [
        t('refusal.rightHeading'),
        t('acknowledgement.right.erasure'),
        route.complaint.body[language],
        route.complaint.timeLimit[language],
        route.appeal.body[language],
        route.appeal.postalAddress[language],
        t('remedy.appealHow', { days: route.appeal.timeLimitDays }),
      ]);
      expect(text.body).toContain(language === 'en' ? '30 days' : language === 'fi' ? '30 päivän' : '30 dagar');
      // It names no other right than the one refused.
      expect(text.body).not.toContain(squash(t('acknowledgement.right.access')));
    });

    it('says when the refusal is partial', async () => {
      const letter = { ...sampleRefusal(language), scope: 'partial' as const };
      const text = await readBack(await renderLetter(letter), letter);
      expectContains(text.body, [t('refusal.decision.partial')]);
    });
  });

  describe('unidentifiable', () => {
    it('says why identity could not be verified, that the request is closed, and the remedies', async () => {
      const letter = sampleUnidentifiable(language);
      const text = await readBack(await renderLetter(letter), letter);
      expectContains(text.body, [
        t('unidentifiable.body', { receivedOn: date(letter.receivedOn) }),
        letter.reasons,
        t('unidentifiable.closed'),
        t('remedy.complaintText'),
        t('remedy.judicialText'),
      ]);
    });
  });
});

describe('register data the font cannot show', () => {
  it('prints U+FFFD for characters DejaVu Sans lacks (PDF/A forbids .notdef) and drops control characters', async () => {
    const base = sampleAccessAnswer('fi');
    const letter = {
      ...base,
      sections: [{ ...base.sections[0], records: [{ fields: [{ label: 'Nimi', value: 'Li 李\u0007 Hämäläinen' }] }] }],
    };
    const text = await readBack(await renderLetter(letter), letter);
    expect(text.body).toContain('Li \uFFFD Hämäläinen');
    expect(text.body).not.toContain('李');
  });
});

describe('catalogs and dates', () => {
  /** All leaf keys, with i18next plural suffixes folded into the base key. */
  function keys(catalog: object, prefix = ''): string[] {
    return Object.entries(catalog).flatMap(([key, value]) =>
      typeof value === 'object' && value !== null ? keys(value, `${prefix}${key}.`) : [`${prefix}${key.replace(/_(zero|one|two|few|many|other)$/, '')}`],
    );
  }

  it('has the same keys in Finnish, Swedish and English', () => {
    const fiKeys = [...new Set(keys(fi))].sort();
    expect([...new Set(keys(sv))].sort()).toEqual(fiKeys);
    expect([...new Set(keys(en))].sort()).toEqual(fiKeys);
  });

  it('has a citation and an explanation for every refusal ground in every language', () => {
    for (const language of LANGUAGES) {
      const t = translator(language);
      for (const ground of REFUSAL_GROUNDS) {
        expect(t(`refusal.grounds.${ground}.citation`)).toMatch(/\d/);
        expect(t(`refusal.grounds.${ground}.explanation`).length).toBeGreaterThan(40);
      }
    }
  });

  it('throws on a missing key instead of printing it', () => {
    expect(() => translator('fi')('access.noSuchText')).toThrow(/Missing catalog text/);
  });

  it('formats 2025-03-05 as 5.3.2025 in Finnish and Swedish and 5 March 2025 in English', () => {
    expect(formatDate('2025-03-05', 'fi')).toBe('5.3.2025');
    expect(formatDate('2025-03-05', 'sv')).toBe('5.3.2025');
    expect(formatDate('2025-03-05', 'en')).toBe('5 March 2025');
    expect(formatDate('2025-12-31', 'en')).toBe('31 December 2025');
  });

  it('rejects dates that are not YYYY-MM-DD calendar dates', () => {
    expect(() => formatDate('2025-02-30', 'fi')).toThrow(/No such date/);
    expect(() => formatDate('5.3.2025', 'fi')).toThrow(/YYYY-MM-DD/);
  });
});

describe('e-mails', () => {
  const EMAILS = (language: Language): EmailMessage[] => [
    { kind: 'acknowledgement', language, reference: 'DSR-2025-000123', receivedOn: '2025-03-05', deadline: '2025-04-07', statusUrl: 'https://dsr.example.fi/status/abc?x=1&y=2' },
    { kind: 'document_ready', language, reference: 'DSR-2025-000123', downloadUrl: 'https://dsr.example.fi/d/abc?x=1&y=2', expiresOn: '2025-04-03', letterKind: 'access_answer' },
    { kind: 'handler_reminder', language, reference: 'DSR-2025-000123', deadline: '2025-04-07', daysLeft: 3, consoleUrl: 'https://dsr.example.fi/console/r/abc?x=1&y=2' },
    { kind: 'deadline_escalation', language, reference: 'DSR-2025-000123', deadline: '2025-04-07', daysOverdue: 2, consoleUrl: 'https://dsr.example.fi/console/r/abc?x=1&y=2' },
    { kind: 'recipient_notice_ready', language, reference: 'DSR-2025-000123', downloadUrl: 'https://dsr.example.fi/r/abc?x=1&y=2', expiresOn: '2025-04-03' },
    { kind: 'step_failed', language, reference: 'DSR-2025-000123', step: 'renderLetter', errorType: 'LetterRefusedError', since: '2025-04-01', consoleUrl: 'https://dsr.example.fi/console/r/abc?x=1&y=2' },
  ];
  const ALARM = (language: Language): EmailMessage => ({ kind: 'audit_chain_broken', language, reference: '', brokenAt: 42, problem: 'link_forged', detectedAt: '2025-03-05T10:00:00.000Z', consoleUrl: 'https://dsr.example.fi/staff/audit' });
  const urlOf = (m: EmailMessage) => ('statusUrl' in m ? m.statusUrl : 'downloadUrl' in m ? m.downloadUrl : m.consoleUrl);

  describe.each(LANGUAGES)('in %s', (language) => {
    it.each(EMAILS(language).map((m) => [m.kind, m] as const))('%s carries the reference, dates and link', (_kind, message) => {
      const email = renderEmail(message);
      expect(email.subject).toContain(message.reference);
      expect(email.text).toContain(message.reference);
      expect(email.text).toContain(urlOf(message));
      expect(email.html).toContain(`href="${urlOf(message).replace(/&/g, '&amp;')}"`);
      expect(email.html).toContain(`lang="${{ fi: 'fi-FI', sv: 'sv-FI', en: 'en' }[language]}"`);
      expect(email.html).not.toMatch(/&(?!amp;|lt;|gt;|quot;|#39;)/);
      const dates = Object.entries(message).filter(([k]) => ['receivedOn', 'deadline', 'expiresOn'].includes(k));
      for (const [, iso] of dates) expect(email.text).toContain(formatDate(iso as string, language));
    });

    it('the audit alarm to the DPO names the link and the problem in words, with the link to the auditor\'s page', () => {
      const email = renderEmail(ALARM(language));
      const t = translator(language);
      expect(email.subject).toBe(t('email.audit_chain_broken.subject'));
      expect(email.text).toContain(t('email.audit_chain_broken.problem.link_forged'));
      expect(email.text).toContain('42');
      expect(email.text).toContain('https://dsr.example.fi/staff/audit');
      expect(email.text).not.toContain('audit_chain_broken.');
    });

    it('the failed-step alarm names the step and the failure in words, never by their codes', () => {
      const t = translator(language);
      const email = renderEmail(EMAILS(language).find((m) => m.kind === 'step_failed')!);
      expect(email.text).toContain(t('attention.steps.renderLetter'));
      expect(email.text).toContain(t('attention.errors.LetterRefusedError'));
      expect(email.text).not.toMatch(/renderLetter|LetterRefusedError/);
      const unknown = renderEmail({ ...(EMAILS(language).find((m) => m.kind === 'step_failed') as Extract<EmailMessage, { kind: 'step_failed' }>), step: 'someNewStep', errorType: 'SomeNewError' });
      expect(unknown.text).toContain(t('attention.steps.other'));
      expect(unknown.text).toContain(t('attention.errors.other'));
      expect(unknown.text).not.toMatch(/someNewStep|SomeNewError/);
    });

    it('says when the deadline is today rather than "0 days"', () => {
      const reminder = renderEmail({ ...(EMAILS(language)[2] as Extract<EmailMessage, { kind: 'handler_reminder' }>), daysLeft: 0 });
      expect(reminder.text).toContain(translator(language)('email.handler_reminder.introToday', { reference: 'DSR-2025-000123', deadline: formatDate('2025-04-07', language) }));
    });
  });

  it('escapes everything that goes into the HTML', () => {
    const email = renderEmail({ kind: 'acknowledgement', language: 'fi', reference: '<script>alert(1)</script>', receivedOn: '2025-03-05', deadline: '2025-04-07', statusUrl: 'https://x.example/"onmouseover="x' });
    expect(email.html).not.toContain('<script>');
    expect(email.html).toContain('&lt;script&gt;');
    expect(email.html).not.toContain('"onmouseover="');
  });

  it('takes no personal data: the input type has only reference, dates, counts and links', () => {
    // Adding a field to EmailMessage makes this object incomplete, and the type check fails.
    type AnyKey = EmailMessage extends infer M ? (M extends unknown ? keyof M : never) : never;
    const allowed: Record<AnyKey, true> = {
      kind: true, language: true, reference: true, receivedOn: true, deadline: true, statusUrl: true, downloadUrl: true,
      expiresOn: true, letterKind: true, daysLeft: true, daysOverdue: true, consoleUrl: true, brokenAt: true, problem: true, detectedAt: true, step: true, errorType: true, since: true,
    };
    const seen = new Set(LANGUAGES.flatMap((l) => [...EMAILS(l), ALARM(l)].flatMap((m) => Object.keys(m))));
    expect([...seen].sort()).toEqual(Object.keys(allowed).sort());
    const personal = /name|hetu|ssn|identity|address|phone|email|birth|subject/i;
    expect(Object.keys(allowed).filter((k) => personal.test(k))).toEqual([]);
  });
});
