/**
 * The resident pages over HTTP with real PostgreSQL and a real SMTP server on loopback: the e-form
 * in three languages (after identification with an e-mail code), its errors, the right-specific
 * details it takes, a submit and its replay, the status lookup, and the answer's download page.
 * Temporal is replaced by a gateway that records which workflows intake started.
 */
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { tokenHash } from '../../db/download-token';
import { buildApiServer, type ApiServer } from '../../api/server';
import { loadConfig } from '../../config/settings';
import type { RegisterDescription } from '../../domain/register-description';
import { loadRegisterDescription } from '../../config/register-description';
import { REGISTER_COLUMNS } from '../../db/tables/register';
import { createDownloadLink } from '../../db/repositories/downloads';
import { storeDocument } from '../../db/repositories/documents';
import { LANGUAGES, RIGHTS, type Language } from '../../domain/request';
import { createLogger } from '../../config/logger';
import { formatDate } from '../../templates/i18n';
import { escapeHtml } from '../../web/html';
import { webRoutes } from '../../web/routes';
import en from '../../web/locales/en.json';
import fi from '../../web/locales/fi.json';
import sv from '../../web/locales/sv.json';
import { recordingGateway } from '../helpers/recording-gateway';
import { createTestDatabase, testAuditEnv, type TestDatabase } from '../helpers/db';
import { csrfOf, identifiedByEmail, openDetailsStep, type Agent } from '../helpers/resident';
import { startSmtpCapture, type SmtpCapture } from '../helpers/smtp';

jest.setTimeout(60_000);

const CATALOGS = { fi, sv, en } as const;
const TAGS: Record<Language, string> = { fi: 'fi-FI', sv: 'sv-FI', en: 'en' };

let tdb: TestDatabase;
let smtp: SmtpCapture;
let api: ApiServer;
/** A resident identified with an e-mail code sent to RESIDENT_EMAIL: the form's address is this one. */
let resident: Agent;
const RESIDENT_EMAIL = 'testi.demo@example.fi';
let description: RegisterDescription;
const started: string[] = [];

const gateway = recordingGateway(started);

beforeAll(async () => {
  [tdb, smtp] = await Promise.all([createTestDatabase(), startSmtpCapture()]);
  const config = loadConfig({
    DATABASE_URL: tdb.url,
    TEMPORAL_ADDRESS: '127.0.0.1:7233',
    SMTP_URL: smtp.url,
    STAFF_NOTIFY_EMAIL: 'tietosuojavastaava@example.fi',
    AUTH_TOKEN_SECRET: randomBytes(32).toString('hex'),
    PAYLOAD_CODEC_KEY: randomBytes(32).toString('base64'),
    RECONCILE_INTERVAL_SECONDS: '3600',
    LOG_LEVEL: 'silent',
    // One identified resident sends every form of this file; the limit itself is tested in access-limits.test.ts.
    SUBMISSIONS_PER_ADDRESS: '100',
    ...testAuditEnv(),
  });
  description = loadRegisterDescription(config.registerDescriptionPath, REGISTER_COLUMNS);
  api = buildApiServer({ config, db: tdb.db, description, logger: createLogger('silent'), gateway, extraRouters: (ctx) => [webRoutes(ctx)] });
  resident = await identifiedByEmail(api.app, smtp, RESIDENT_EMAIL);
});

afterAll(async () => {
  await api?.close();
  await smtp?.close();
  await tdb?.destroy();
});

// --- reading the pages ------------------------------------------------------------------------

/** The opening tag of the input, select or textarea with this id. */
function control(page: string, id: string): string {
  const match = new RegExp(`<(?:input|select|textarea)\\b[^>]*\\bid="${id}"[^>]*>`).exec(page);
  if (!match) throw new Error(`no input with id ${id}`);
  return match[0];
}

function attribute(tag: string, name: string): string | null {
  const match = new RegExp(`\\s${name}="([^"]*)"`).exec(tag);
  return match ? match[1] : null;
}

/** Visible text of the element with this id (tags stripped, entities of quotes decoded). */
function textOf(page: string, id: string): string {
  const start = page.indexOf(`id="${id}"`);
  if (start < 0) throw new Error(`no element with id ${id}`);
  const open = page.indexOf('>', start) + 1;
  const close = page.indexOf('\n', open);
  return page.slice(open, close).replace(/<[^>]+>/g, '').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&').trim();
}

/** The field container (`<div class="field ...">`) around an input: "next to its field". */
function fieldAround(page: string, id: string): string {
  const at = page.indexOf(control(page, id));
  const start = page.lastIndexOf('<div class="field', at);
  return page.slice(start, page.indexOf('</div>', at));
}

function ids(page: string): string[] {
  return [...page.matchAll(/<(?:input|select|textarea)\b([^>]*)>/g)]
    .map((m) => m[1])
    .filter((attrs) => !/type="hidden"/.test(attrs))
    .map((attrs) => /\bid="([^"]+)"/.exec(attrs)?.[1] ?? '(no id)');
}

/** The e-form as the identified resident sees it, with its one-time token and the session's CSRF token. */
async function openForm(lang: Language = 'fi'): Promise<{ page: string; formToken: string; csrf: string }> {
  const res = await resident.get(`/?lang=${lang}`).expect(200);
  const formToken = /name="formToken" value="([^"]+)"/.exec(res.text)?.[1];
  if (!formToken) throw new Error('the form has no token');
  return { page: res.text, formToken, csrf: csrfOf(res.text) };
}

/** Step 2 of the e-form for these rights, as the identified resident reaches it from step 1. */
function openDetails(rights: string[], lang: Language = 'fi') {
  return openDetailsStep(resident, rights, lang);
}

/** A urlencoded body as a browser sends it: a field with several values is repeated. */
function formBody(fields: Record<string, string | string[]>): string {
  const body = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) for (const v of [value].flat()) body.append(name, v);
  return body.toString();
}

/** Opens the form and posts these fields with its token; the answer must have this status. */
async function postForm(lang: Language, fields: Record<string, string | string[]>, status: number) {
  const { formToken, csrf } = await openForm(lang);
  return resident.post(`/request?lang=${lang}`).type('form').send(formBody({ ...fields, formToken, csrf })).expect(status);
}

/** The field's message: next to it, announced with it, marked invalid, and linked from the summary. */
function expectErrorAt(lang: Language, page: string, id: string, message: string, errorId = `${id}-error`): void {
  const tag = control(page, id);
  expect(attribute(tag, 'aria-invalid')).toBe('true');
  expect(attribute(tag, 'aria-describedby')?.split(' ')).toContain(errorId);
  expect(textOf(page, errorId)).toBe(`${CATALOGS[lang].common.errorPrefix} ${message}`);
  expect(page).toContain(`<li><a href="#${id}">${escapeHtml(message)}</a></li>`);
}

/** The stored requests of a confirmation page, by right. */
async function storedRequests(page: string) {
  const references = [...page.matchAll(/DSR-\d{4}-[A-Z0-9]{6}/g)].map((m) => m[0]);
  expect(references.length).toBeGreaterThan(0);
  const rows = await tdb.db.selectFrom('dsr.requests').select(['id', 'right', 'details']).where('reference', 'in', references).execute();
  return new Map(rows.map((r) => [r.right, r]));
}

async function countRows(): Promise<{ requests: number; submissions: number }> {
  const r = await tdb.db.selectFrom('dsr.requests').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
  const s = await tdb.db.selectFrom('dsr.submissions').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
  return { requests: Number(r.n), submissions: Number(s.n) };
}

const VALID = { rights: 'access', firstName: 'Testi', lastName: 'Demo', hetu: '131052-308T', phone: '', description: '' };

async function submitValid(lang: Language = 'fi') {
  const { formToken, csrf } = await openForm(lang);
  const res = await resident.post(`/request?lang=${lang}`).type('form').send({ ...VALID, formToken, csrf });
  const reference = /DSR-\d{4}-[A-Z0-9]{6}/.exec(res.text)?.[0];
  const accessCode = /class="code"[^>]*>([A-Z2-9]{5}-[A-Z2-9]{5})</.exec(res.text)?.[1];
  return { res, formToken, reference: reference!, accessCode: accessCode! };
}

// --- the e-form ---------------------------------------------------------------------------------

describe('the e-form', () => {
  it('has the same texts in Finnish, Swedish and English', () => {
    const keys = (o: object, prefix = ''): string[] =>
      Object.entries(o).flatMap(([k, v]) => (typeof v === 'object' && v !== null ? keys(v, `${prefix}${k}.`) : [`${prefix}${k}`]));
    expect(keys(sv).sort()).toEqual(keys(fi).sort());
    expect(keys(en).sort()).toEqual(keys(fi).sort());
  });

  it.each(LANGUAGES)('renders step 1 in %s with <html lang>, every right explained, links to the other two languages, and nothing else asked', async (lang) => {
    const { page } = await openForm(lang);
    const t = CATALOGS[lang];
    expect(page).toContain(`<html lang="${TAGS[lang]}">`);
    expect(page).toContain(`<h1>${t.form.heading}</h1>`);
    expect(page).toContain(`<p class="step">${t.form.step.replace('{{n}}', '1').replace('{{total}}', '2')}</p>`);
    const languageNav = /<nav class="languages"[\s\S]*?<\/nav>/.exec(page)?.[0] ?? '';
    for (const other of LANGUAGES.filter((l) => l !== lang)) expect(languageNav).toContain(`href="/?lang=${other}" lang="${TAGS[other]}"`);
    expect(languageNav).not.toContain(`?lang=${lang}"`);
    // Every right can be requested, each explained in plain language; nothing else is asked yet.
    expect(ids(page)).toEqual(RIGHTS.map((r) => `f-rights-${r}`).sort((a, b) => page.indexOf(`id="${a}"`) - page.indexOf(`id="${b}"`)));
    for (const right of RIGHTS) {
      const id = `f-rights-${right}`;
      expect(attribute(control(page, id), 'value')).toBe(right);
      expect(attribute(control(page, id), 'aria-describedby')).toBe(`${id}-hint`);
      expect(page).toContain(`<label for="${id}">${escapeHtml(t.rights[right].title)}</label>`);
      expect(textOf(page, `${id}-hint`)).toBe(t.rights[right].explain);
    }
    expect(page).toContain(`<form method="post" action="/request/details?lang=${lang}" novalidate>`);
    expect(page).toContain(`<button type="submit">${escapeHtml(t.form.continue)}</button>`);
  });

  it.each(LANGUAGES)('renders step 2 in %s with a label for every input, the confirmed address shown, and requirements in words', async (lang) => {
    const { page } = await openDetails(['access', 'rectification', 'erasure', 'portability', 'objection'], lang);
    const t = CATALOGS[lang];
    expect(page).toContain(`<h1>${escapeHtml(t.form.detailsTitle)}</h1>`);
    expect(page).toContain(`<title>${escapeHtml(t.form.detailsTitle)} – `);
    const inputs = ids(page);
    expect(inputs).toEqual(
      expect.arrayContaining(['f-firstName', 'f-lastName', 'f-hetu', 'f-phone', 'f-description', 'f-corrections-0-field', 'f-corrections-0-value', 'f-corrections-0-explanation', 'f-categories-client_basic', 'f-transmitTo', 'f-objectionGrounds']),
    );
    for (const id of inputs) expect(page).toContain(`<label for="${id}">`);
    // The address the code confirmed is shown, not asked: it comes from the session.
    expect(inputs).not.toContain('f-email');
    expect(/<div class="notice" id="identity">[\s\S]*?<\/div>/.exec(page)?.[0]).toContain(`<dd>${RESIDENT_EMAIL}</dd>`);
    // Required fields say so in words, not only by colour.
    expect(fieldAround(page, 'f-firstName')).toContain(`(${t.common.required})`);
    expect(fieldAround(page, 'f-hetu')).toContain(`(${t.common.optional})`);
    // The right-specific inputs are grouped under legends that name their right.
    for (const section of ['rectification', 'portability', 'objection'] as const) expect(page).toContain(`<legend>${escapeHtml(t.form[section].legend)}</legend>`);
    // The categories' legend names only the chosen right that asks for them (erasure).
    expect(page).toContain(`<legend>${escapeHtml(t.form.categories.legendFor.replace('{{rights}}', t.rights.erasure.title))}</legend>`);
    // The choice of step 1 is listed, and the back button goes to step 1 with everything typed.
    const chosen = /<ul aria-labelledby="chosen-heading" id="chosen">([\s\S]*?)<\/ul>/.exec(page)?.[1] ?? '';
    for (const right of ['access', 'rectification', 'erasure', 'portability', 'objection'] as const) expect(chosen).toContain(`<li>${escapeHtml(t.rights[right].title)}</li>`);
    expect(page).toContain(`formaction="/request/rights?lang=${lang}">${escapeHtml(t.form.back)}</button>`);
  });

  it('asks on step 2 only what the chosen rights need', async () => {
    const sections = { rectification: 'f-corrections-0-field', categories: 'f-categories-client_basic', portability: 'f-transmitTo', objection: 'f-objectionGrounds' } as const;
    const cases: [string[], (keyof typeof sections)[]][] = [
      [['access'], []],
      [['confirmation', 'information', 'automated_decisions'], []],
      [['rectification'], ['rectification']],
      [['erasure'], ['categories']],
      [['restriction', 'consent_withdrawal'], ['categories']],
      [['portability'], ['portability']],
      [['objection', 'access'], ['objection']],
    ];
    for (const [rights, asked] of cases) {
      const inputs = ids((await openDetails(rights, 'en')).page);
      for (const [section, id] of Object.entries(sections)) expect([rights, section, inputs.includes(id)]).toEqual([rights, section, (asked as string[]).includes(section)]);
      // The free text and the contact details are asked whatever the right.
      expect(inputs).toEqual(expect.arrayContaining(['f-description', 'f-firstName', 'f-lastName']));
    }
  });

  it('refuses to continue from step 1 without a right, with the message at the rights, and stores nothing', async () => {
    const before = await countRows();
    const { formToken, csrf } = await openForm('fi');
    const res = await resident.post('/request/details?lang=fi').type('form').send({ formToken, csrf }).expect(400);
    expectErrorAt('fi', res.text, 'f-rights-access', fi.errors.rights.required, 'f-rights-error');
    expect(res.text).toContain(`<h1>${fi.form.heading}</h1>`);
    const unknown = await resident.post('/request/details?lang=fi').type('form').send({ formToken, csrf, rights: ['access', 'telepathy'] }).expect(400);
    expectErrorAt('fi', unknown.text, 'f-rights-access', fi.errors.rights.unsupported, 'f-rights-error');
    expect(attribute(control(unknown.text, 'f-rights-access'), 'checked')).toBe('checked');
    expect(await countRows()).toEqual(before);
  });

  it("step 2's back button shows step 1 with the choice kept and carries what was typed, so nothing is lost", async () => {
    const { formToken, csrf } = await openDetails(['rectification', 'objection'], 'sv');
    const typed = {
      formToken,
      csrf,
      rights: ['rectification', 'objection'],
      description: 'Rad ett\nrad två <b>',
      'corrections.0.field': 'register.persons.city',
      'corrections.0.value': 'Kuopio',
      objectionGrounds: 'Skyddad adress.',
      firstName: 'Testi',
    };
    const back = await resident.post('/request/rights?lang=sv').type('form').send(formBody(typed)).expect(200);
    expect(back.text).toContain(`<h1>${escapeHtml(sv.form.heading)}</h1>`);
    expect(attribute(control(back.text, 'f-rights-rectification'), 'checked')).toBe('checked');
    expect(attribute(control(back.text, 'f-rights-objection'), 'checked')).toBe('checked');
    expect(attribute(control(back.text, 'f-rights-access'), 'checked')).toBeNull();
    expect(back.text).toContain(`<input type="hidden" name="formToken" value="${formToken}">`);
    // Unticking the objection on step 1 drops its grounds; the rest comes back on step 2 as typed.
    const hidden = [...back.text.slice(back.text.indexOf('<main')).matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((m) => [m[1], m[2]] as [string, string]);
    const body = new URLSearchParams(hidden.map(([n, v]): [string, string] => [n, v.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&')]));
    body.append('rights', 'rectification');
    const again = await resident.post('/request/details?lang=sv').type('form').send(body.toString()).expect(200);
    expect(again.text).toContain('Rad ett\nrad två &lt;b&gt;</textarea>');
    expect(attribute(control(again.text, 'f-corrections-0-value'), 'value')).toBe('Kuopio');
    expect(attribute(control(again.text, 'f-firstName'), 'value')).toBe('Testi');
    expect(ids(again.text)).not.toContain('f-objectionGrounds');
    expect(again.text).not.toContain('Skyddad adress.');
  });

  it('sends someone who reloads a step address back to the start of the form', async () => {
    for (const path of ['/request', '/request/details', '/request/rights']) {
      const res = await resident.get(`${path}?lang=en`).expect(303);
      expect(res.headers.location).toBe('/?lang=en');
    }
  });

  it("offers the register description's fields for correction, grouped by category, and its categories", async () => {
    const { page } = await openDetails(['rectification', 'erasure'], 'sv');
    const select = /<select\b[^>]*id="f-corrections-0-field"[\s\S]*?<\/select>/.exec(page)?.[0] ?? '';
    expect(select).toContain(`<option value="" selected="selected">${sv.form.rectification.choose}</option>`);
    for (const category of description.categories) {
      const group = new RegExp(`<optgroup label="${escapeHtml(category.label.sv)}">(.*?)</optgroup>`).exec(select)?.[1] ?? '';
      const offered = [...group.matchAll(/<option value="([^"]+)">([^<]+)<\/option>/g)].map((m) => [m[1], m[2]]);
      expect(offered).toEqual(category.tables.flatMap((t) => t.fields.map((f) => [`${t.table}.${f.column}`, escapeHtml(f.label.sv)])));
      expect(attribute(control(page, `f-categories-${category.key}`), 'value')).toBe(category.key);
      expect(page).toContain(`<label for="f-categories-${category.key}">${escapeHtml(category.label.sv)}</label>`);
    }
    for (const row of [0, 1, 2]) for (const part of ['field', 'value', 'explanation']) expect(attribute(control(page, `f-corrections-${row}-${part}`), 'name')).toBe(`corrections.${row}.${part}`);
    expect(ids(page)).not.toContain('f-corrections-3-field');
  });

  it('answers step 2 with errors with 400, each message next to its field and in the summary, keeps the values, and stores nothing', async () => {
    const before = await countRows();
    const startedBefore = started.length;
    const { formToken, csrf } = await openDetails(['access'], 'fi');
    const res = await resident
      .post('/request?lang=fi')
      .type('form')
      .send({ formToken, csrf, rights: 'access', firstName: '  ', lastName: 'Virtanen', hetu: '131052-308X', email: 'ei-osoite', phone: 'soita', description: '<b>"tärkeä"</b>' })
      .expect(400);
    const page = res.text;
    const expected: [string, string][] = [
      ['f-firstName', fi.errors.firstName.required],
      ['f-hetu', fi.errors.hetu.invalid],
      ['f-phone', fi.errors.phone.invalid],
    ];
    for (const [id, message] of expected) expectErrorAt('fi', page, id, message);
    // The summary lists the messages in the order of the fields on the page.
    expect([...page.matchAll(/<li><a href="#([^"]+)">/g)].map((m) => m[1])).toEqual(['f-firstName', 'f-hetu', 'f-phone']);
    expect(fieldAround(page, 'f-phone')).toContain(fi.errors.phone.invalid);
    // A posted address is ignored: the confirmed one stands, so there is nothing to correct there.
    expect(page).not.toContain(fi.errors.email.invalid);
    expect(page).not.toContain('ei-osoite');
    expect(page).toContain(`<title>${fi.common.titleWithErrors.replace('{{title}}', fi.form.detailsTitle)}`);
    // Values are kept (escaped), and a field without an error is not marked invalid.
    expect(attribute(control(page, 'f-lastName'), 'value')).toBe('Virtanen');
    expect(attribute(control(page, 'f-lastName'), 'aria-invalid')).toBeNull();
    expect(page).toContain('&lt;b&gt;&quot;tärkeä&quot;&lt;/b&gt;</textarea>');
    expect(page).not.toContain('<b>"tärkeä"</b>');
    expect(await countRows()).toEqual(before);
    expect(started.length).toBe(startedBefore);
  });

  it('refuses a form without a token this server issued, and stores nothing', async () => {
    const before = await countRows();
    const { csrf } = await openForm('en');
    const res = await resident.post('/request?lang=en').type('form').send({ ...VALID, csrf, formToken: `web.${'A'.repeat(22)}.${'B'.repeat(22)}` }).expect(400);
    expect(res.text).toContain(en.form.expired);
    expect(await countRows()).toEqual(before);
  });

  it('answers a valid form with 201, the reference, dates and access code; stores the request and starts its workflow once', async () => {
    const before = await countRows();
    const { res, reference, accessCode } = await submitValid('fi');
    expect(res.status).toBe(201);
    expect(res.headers['cache-control']).toBe('no-store');
    const stored = await tdb.db.selectFrom('dsr.requests').select(['id', 'reference', 'received_on', 'deadline', 'channel', 'right']).where('reference', '=', reference).executeTakeFirstOrThrow();
    expect(stored).toMatchObject({ channel: 'e_form', right: 'access' });
    expect(await countRows()).toEqual({ requests: before.requests + 1, submissions: before.submissions + 1 });
    expect(started.filter((id) => id === stored.id)).toHaveLength(1);
    expect(accessCode).toBeDefined();
    expect(res.text).toContain(formatDate(String(stored.received_on), 'fi'));
    expect(res.text).toContain(formatDate(String(stored.deadline), 'fi'));
    expect(res.text).toContain(fi.confirmation.accessCodeAdvice);
    // The henkilötunnus is never shown back in full, and no personal data went into a URL.
    expect(res.text).not.toContain('131052-308T');
    expect(res.text).toContain(fi.confirmation.hetuGiven);
    expect(res.text).not.toMatch(/href="[^"]*(Testi|Demo|example\.fi)/);
  });

  it('does not create a second request when the same form is posted again (double click, refresh)', async () => {
    const first = await submitValid('sv');
    const before = await countRows();
    const startedBefore = started.length;
    const { csrf } = await openForm('sv');
    const again = await resident.post('/request?lang=sv').type('form').send({ ...VALID, csrf, formToken: first.formToken }).expect(200);
    expect(again.text).toContain(first.reference);
    expect(again.text).toContain(first.accessCode);
    expect(again.text).toContain(sv.confirmation.replayed);
    expect(await countRows()).toEqual(before);
    expect(started.length).toBe(startedBefore);
  });
});

// --- identification first -----------------------------------------------------------------------

describe('the e-form: identification first', () => {
  it.each(LANGUAGES)('asks a visitor who has not identified to identify first (%s), offering the e-mail code but no strong e-ID without a provider', async (lang) => {
    const res = await request(api.app).get(`/?lang=${lang}`).expect(200);
    const t = CATALOGS[lang];
    expect(res.text).toContain(`<h1>${escapeHtml(t.identify.heading)}</h1>`);
    expect(res.text).toContain(escapeHtml(t.identify.email.text));
    expect(res.text).toContain(`<a class="button" href="/identify/email?lang=${lang}">${escapeHtml(t.identify.email.button)}</a>`);
    expect(res.text).not.toContain('/identify/oidc/start');
    expect(ids(res.text)).toEqual([]);
    expect(res.text).not.toContain('name="formToken"');
  });

  it('shows the identified resident and a sign-out button on every resident page', async () => {
    for (const path of ['/', '/status', '/my-requests']) {
      const res = await resident.get(`${path}?lang=en`).expect(200);
      const account = /<div class="account">[\s\S]*?<\/form>/.exec(res.text)?.[0] ?? '';
      expect(account).toContain(en.common.signedInEmail.replace('{{email}}', RESIDENT_EMAIL));
      expect(account).toContain('<form method="post" action="/sign-out?lang=en">');
      expect(account).toContain(`<button type="submit">${en.common.signOut}</button>`);
    }
    const anonymous = await request(api.app).get('/status?lang=en').expect(200);
    expect(anonymous.text).not.toContain('class="account"');
  });

  it('refuses a form posted without an identification, shows none of it back and stores nothing', async () => {
    const before = await countRows();
    const { formToken, csrf } = await openForm('fi');
    const res = await request(api.app).post('/request?lang=fi').type('form').send({ ...VALID, email: 'joku@example.fi', formToken, csrf, description: 'Salainen kuvaus' }).expect(403);
    expect(res.text).toContain(fi.identify.sessionExpired);
    expect(res.text).not.toContain('Salainen kuvaus');
    expect(await countRows()).toEqual(before);
  });

  it("refuses a form carrying another session's CSRF token, shows none of it back and stores nothing", async () => {
    const before = await countRows();
    const other = await identifiedByEmail(api.app, smtp, 'toinen.asukas@example.fi');
    const { formToken, csrf } = await openForm('fi');
    const res = await other.post('/request?lang=fi').type('form').send({ ...VALID, formToken, csrf, description: 'Toisen kuvaus' }).expect(403);
    expect(res.text).toContain(fi.form.expired);
    expect(res.text).not.toContain('Toisen kuvaus');
    expect(await countRows()).toEqual(before);
  });
});

// --- right-specific details -------------------------------------------------------------------

describe('the e-form: details of particular rights', () => {
  const PERSON = { firstName: 'Testi', lastName: 'Demo', hetu: '131052-308T', email: 'testi.demo@example.fi' };

  it('stores the corrections of a rectification, skipping an empty row, and starts its workflow', async () => {
    const before = await countRows();
    const res = await postForm('fi', {
      ...PERSON,
      rights: 'rectification',
      'corrections.0.field': 'register.persons.street_address',
      'corrections.0.value': 'Kauppakatu 1 A 2',
      'corrections.0.explanation': 'Muutin maaliskuussa.',
      'corrections.2.field': 'register.persons.phone',
      'corrections.2.value': '044 765 4321',
    }, 201);
    const stored = (await storedRequests(res.text)).get('rectification')!;
    expect(stored.details).toEqual({
      corrections: [
        { field: 'register.persons.street_address', value: 'Kauppakatu 1 A 2', explanation: 'Muutin maaliskuussa.' },
        { field: 'register.persons.phone', value: '044 765 4321' },
      ],
    });
    expect(started.filter((id) => id === stored.id)).toHaveLength(1);
    expect(await countRows()).toEqual({ requests: before.requests + 1, submissions: before.submissions + 1 });
  });

  it("gives each right of one form only its own details: the categories, the recipient's address, the grounds", async () => {
    const res = await postForm('sv', {
      ...PERSON,
      rights: ['erasure', 'portability', 'objection'],
      categories: ['photos', 'diet_restrictions'],
      transmitTo: 'https://mottagare.example.fi/uppgifter',
      objectionGrounds: 'Jag har skyddad adress.',
    }, 201);
    const stored = await storedRequests(res.text);
    expect(stored.get('erasure')?.details).toMatchObject({ categories: ['photos', 'diet_restrictions'] });
    expect(stored.get('erasure')?.details).not.toHaveProperty('transmitTo');
    expect(stored.get('portability')?.details).toMatchObject({ transmitTo: 'https://mottagare.example.fi/uppgifter' });
    expect(stored.get('objection')?.details).toMatchObject({ objectionGrounds: 'Jag har skyddad adress.' });
    expect(stored.get('objection')?.details).not.toHaveProperty('transmitTo');
  });

  it('refuses a rectification without any correction, with the message on the first row, and stores nothing', async () => {
    const before = await countRows();
    const startedBefore = started.length;
    const res = await postForm('en', { ...PERSON, rights: ['access', 'rectification'] }, 400);
    expectErrorAt('en', res.text, 'f-corrections-0-field', en.errors.corrections.required);
    expect(fieldAround(res.text, 'f-corrections-0-field')).toContain(en.errors.corrections.required);
    expect(res.text).toContain(`<li>${escapeHtml(en.rights.rectification.title)}</li>`);
    expect(res.text).toContain('<input type="hidden" name="rights" value="rectification">');
    expect(await countRows()).toEqual(before);
    expect(started.length).toBe(startedBefore);
  });

  it('refuses a half-filled correction row, naming the row and the missing part, and keeps what was typed', async () => {
    const before = await countRows();
    const res = await postForm('fi', {
      ...PERSON,
      rights: 'rectification',
      'corrections.0.field': 'register.persons.city',
      'corrections.0.value': 'Kuopio',
      'corrections.1.field': 'register.persons.postal_code',
      'corrections.2.value': 'Siilinjärvi',
    }, 400);
    const page = res.text;
    expectErrorAt('fi', page, 'f-corrections-1-value', fi.errors.correctionValue.required.replace('{{n}}', '2'));
    expectErrorAt('fi', page, 'f-corrections-2-field', fi.errors.correctionField.required.replace('{{n}}', '3'));
    // The complete row is not marked, and every row shows back what was typed.
    expect(attribute(control(page, 'f-corrections-0-field'), 'aria-invalid')).toBeNull();
    expect(attribute(control(page, 'f-corrections-0-value'), 'value')).toBe('Kuopio');
    expect(page).toMatch(/id="f-corrections-1-field"[^>]*>[\s\S]*?<option value="register\.persons\.postal_code" selected="selected">/);
    expect(attribute(control(page, 'f-corrections-2-value'), 'value')).toBe('Siilinjärvi');
    expect(await countRows()).toEqual(before);
  });

  it('refuses a category or a field the register description does not have', async () => {
    const before = await countRows();
    const res = await postForm('sv', {
      ...PERSON,
      rights: ['erasure', 'rectification'],
      categories: ['photos', 'shoe_sizes'],
      'corrections.0.field': 'register.persons.shoe_size',
      'corrections.0.value': '43',
    }, 400);
    expectErrorAt('sv', res.text, 'f-categories-client_basic', sv.errors.categories.unknown, 'f-categories-error');
    expectErrorAt('sv', res.text, 'f-corrections-0-field', sv.errors.correctionField.unknown.replace('{{n}}', '1'));
    expect(attribute(control(res.text, 'f-categories-photos'), 'checked')).toBe('checked');
    expect(await countRows()).toEqual(before);
  });

  it('refuses a portability request whose address is not https, with the message at the address', async () => {
    const before = await countRows();
    const res = await postForm('fi', { ...PERSON, rights: 'portability', transmitTo: 'http://vastaanottaja.example.fi/tiedot' }, 400);
    expectErrorAt('fi', res.text, 'f-transmitTo', fi.errors.transmitTo.invalid);
    expect(fieldAround(res.text, 'f-transmitTo')).toContain(fi.errors.transmitTo.invalid);
    expect(attribute(control(res.text, 'f-transmitTo'), 'value')).toBe('http://vastaanottaja.example.fi/tiedot');
    expect(await countRows()).toEqual(before);
  });

  it('stores no details of a right that was not chosen: the form never asked them', async () => {
    const res = await postForm('en', {
      ...PERSON,
      rights: 'access',
      'corrections.1.field': 'register.persons.city',
      'corrections.1.value': 'Kuopio',
      categories: 'photos',
      transmitTo: 'https://receiver.example.com/data',
      objectionGrounds: 'My particular situation.',
    }, 201);
    const stored = (await storedRequests(res.text)).get('access')!;
    expect(stored.details).toEqual({});
  });

  it('refuses a rectification posted without its right on step 1 with the message at the rights, and stores nothing', async () => {
    const before = await countRows();
    const res = await postForm('fi', { ...PERSON, rights: [], 'corrections.0.field': 'register.persons.city', 'corrections.0.value': 'Kuopio' }, 400);
    expectErrorAt('fi', res.text, 'f-rights-access', fi.errors.rights.required, 'f-rights-error');
    // What was typed rides along hidden, so choosing rectification now loses nothing.
    expect(res.text).toContain('<input type="hidden" name="corrections.0.value" value="Kuopio">');
    expect(await countRows()).toEqual(before);
  });
});

// --- status -------------------------------------------------------------------------------------

describe('the status page', () => {
  it('shows the state and deadline for the right access code', async () => {
    const { reference, accessCode } = await submitValid('en');
    const row = await tdb.db.selectFrom('dsr.requests').select(['deadline']).where('reference', '=', reference).executeTakeFirstOrThrow();
    const res = await request(api.app).post('/status?lang=en').type('form').send({ reference: reference.toLowerCase(), accessCode }).expect(200);
    expect(res.text).toContain(en.status.states.received);
    expect(res.text).toContain(formatDate(String(row.deadline), 'en'));
    expect(res.text).toContain(`<dt>${en.status.extended}</dt><dd>${en.status.no}</dd>`);
  });

  it('gives the same neutral answer for a wrong access code and an unknown reference, and never echoes the code', async () => {
    const { reference } = await submitValid('fi');
    const wrong = await request(api.app).post('/status?lang=fi').type('form').send({ reference, accessCode: 'AAAAA-BBBBB' }).expect(404);
    const unknown = await request(api.app).post('/status?lang=fi').type('form').send({ reference: 'DSR-2020-ZZZZZZ', accessCode: 'AAAAA-BBBBB' }).expect(404);
    for (const res of [wrong, unknown]) {
      expect(res.text).toContain(fi.status.notFound);
      expect(res.text).not.toContain(fi.status.states.received);
      expect(res.text).not.toContain('AAAAA-BBBBB');
    }
    expect(wrong.text.replace(reference, 'REF')).toBe(unknown.text.replace('DSR-2020-ZZZZZZ', 'REF'));
  });

  it('asks for both fields when one is missing', async () => {
    const res = await request(api.app).post('/status?lang=sv').type('form').send({ reference: '', accessCode: '' }).expect(400);
    expect(textOf(res.text, 'f-reference-error')).toBe(`${sv.common.errorPrefix} ${sv.status.errors.reference}`);
    expect(textOf(res.text, 'f-accessCode-error')).toBe(`${sv.common.errorPrefix} ${sv.status.errors.accessCode}`);
  });
});

// --- download -----------------------------------------------------------------------------------

describe('the download page', () => {
  it('says so, with 404, for a link that does not exist', async () => {
    const res = await request(api.app).get('/download/no-such-link?lang=en').expect(404);
    expect(res.text).toContain(`<h1>${en.download.notFound.title}</h1>`);
    await request(api.app).post('/download/no-such-link?lang=en').type('form').send({ accessCode: 'AAAAA-BBBBB' }).expect(404);
  });

  async function linkFor(reference: string, expiresAt: Date): Promise<string> {
    const row = await tdb.db.selectFrom('dsr.requests').select('id').where('reference', '=', reference).executeTakeFirstOrThrow();
    const doc = await storeDocument(tdb.db, {
      requestId: row.id,
      businessKey: `test-answer:${row.id}:${expiresAt.getTime()}`,
      kind: 'access_answer',
      language: 'fi',
      filename: `${reference}.pdf`,
      mediaType: 'application/pdf',
      content: Buffer.from('%PDF-1.7 test answer'),
    });
    const token = randomBytes(24).toString('base64url');
    await createDownloadLink(tdb.db, { businessKey: `test-link:${doc.id}`, requestId: row.id, documentId: doc.id, tokenHash: tokenHash(token), expiresAt });
    return token;
  }

  it('asks for the access code, refuses a wrong one with 403, and sends the PDF for the right one', async () => {
    const { reference, accessCode } = await submitValid('fi');
    const token = await linkFor(reference, new Date(Date.now() + 86_400_000));
    const page = await request(api.app).get(`/download/${token}?lang=fi`).expect(200);
    expect(page.text).toContain(reference);
    expect(page.text).toContain('<label for="f-accessCode">');
    const wrong = await request(api.app).post(`/download/${token}?lang=fi`).type('form').send({ accessCode: 'AAAAA-BBBBB' }).expect(403);
    expect(textOf(wrong.text, 'f-accessCode-error')).toBe(`${fi.common.errorPrefix} ${fi.download.wrongCode}`);
    const pdf = await request(api.app).post(`/download/${token}?lang=fi`).type('form').send({ accessCode }).buffer(true).expect(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.headers['content-disposition']).toMatch(new RegExp(`^attachment; filename="?${reference}\\.pdf"?$`));
    expect(pdf.body.toString()).toBe('%PDF-1.7 test answer');
    expect(pdf.headers['cache-control']).toBe('no-store');
  });

  it('locks the link after too many wrong codes and says so, with 423', async () => {
    const { reference, accessCode } = await submitValid('en');
    const token = await linkFor(reference, new Date(Date.now() + 86_400_000));
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await request(api.app).post(`/download/${token}?lang=en`).type('form').send({ accessCode: 'AAAAA-BBBBB' })).status);
    // The fifth wrong code was the last allowed one: its answer already says the link is locked.
    expect(statuses).toEqual([403, 403, 403, 403, 423]);
    const right = await request(api.app).post(`/download/${token}?lang=en`).type('form').send({ accessCode }).expect(423);
    expect(right.text).toContain(`<h1>${en.download.locked.title}</h1>`);
    expect(right.headers['content-type']).toMatch(/^text\/html/);
  });

  it('does not count an empty code as an attempt', async () => {
    const { reference } = await submitValid('fi');
    const token = await linkFor(reference, new Date(Date.now() + 86_400_000));
    for (let i = 0; i < 3; i++) {
      const res = await request(api.app).post(`/download/${token}?lang=fi`).type('form').send({ accessCode: ' ' }).expect(400);
      expect(textOf(res.text, 'f-accessCode-error')).toBe(`${fi.common.errorPrefix} ${fi.download.missingCode}`);
    }
    // Had the empty codes counted, the link would lock before the fifth wrong code.
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await request(api.app).post(`/download/${token}?lang=fi`).type('form').send({ accessCode: 'AAAAA-BBBBB' })).status);
    expect(statuses).toEqual([403, 403, 403, 403, 423]);
  });

  it('says an expired link has expired, with 410', async () => {
    const { reference } = await submitValid('sv');
    const token = await linkFor(reference, new Date(Date.now() - 1000));
    const res = await request(api.app).get(`/download/${token}?lang=sv`).expect(410);
    expect(res.text).toContain(`<h1>${sv.download.expired.title}</h1>`);
  });
});
