/**
 * Resident identification on the resident pages, over HTTP with real PostgreSQL, a real SMTP server
 * and a real OpenID provider on loopback: the e-mail code (happy path, wrong codes and the lock,
 * expiry, throttling), the session (cookie, expiry, sign-out), strong e-ID (names and henkilötunnus
 * from the provider's claims only) and "my requests" (each resident sees only their own).
 * Temporal is replaced by a gateway that records which workflows intake started.
 */
import { createHash, randomBytes } from 'node:crypto';
import request from 'supertest';
import { buildApiServer, type ApiServer } from '../../api/server';
import { loadConfig } from '../../config/settings';
import { getRequestSummary } from '../../db/repositories/requests';
import { loadRegisterDescription } from '../../config/register-description';
import { createLogger } from '../../config/logger';
import { formatDate } from '../../templates/i18n';
import { escapeHtml } from '../../web/html';
import { webRoutes } from '../../web/routes';
import en from '../../web/locales/en.json';
import fi from '../../web/locales/fi.json';
import sv from '../../web/locales/sv.json';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { startOidcProvider, visitProvider, type OidcTestProvider } from '../helpers/oidc';
import { recordingGateway } from '../helpers/recording-gateway';
import { askCode, codeMails, csrfOf, identifiedByEmail, nextCode, openDetailsStep, postCode, type Agent } from '../helpers/resident';
import { startSmtpCapture, type SmtpCapture } from '../helpers/smtp';

jest.setTimeout(60_000);

const HETU_CLAIM = 'urn:oid:1.2.246.21';
const PUBLIC_BASE_URL = 'http://127.0.0.1:9';
const STRONG = { given_name: 'Tiina', family_name: 'Testaaja', [HETU_CLAIM]: '131052-308T' };

let tdb: TestDatabase;
let smtp: SmtpCapture;
let provider: OidcTestProvider;
let api: ApiServer;
const started: string[] = [];

beforeAll(async () => {
  [tdb, smtp, provider] = await Promise.all([
    createTestDatabase(),
    startSmtpCapture(),
    startOidcProvider({
      clients: [{ client_id: 'dsr-residents', client_secret: 'resident-client-secret', redirect_uris: [`${PUBLIC_BASE_URL}/identify/oidc/callback`] }],
      accounts: {
        tiina: STRONG,
        wrongcheck: { given_name: 'Väinö', family_name: 'Väärä', [HETU_CLAIM]: '131052-308X' },
        nohetu: { given_name: 'Eino', family_name: 'Eitunnusta' },
      },
    }),
  ]);
  const config = loadConfig({
    DATABASE_URL: tdb.url,
    TEMPORAL_ADDRESS: '127.0.0.1:7233',
    SMTP_URL: smtp.url,
    STAFF_NOTIFY_EMAIL: 'tietosuojavastaava@example.fi',
    AUTH_TOKEN_SECRET: randomBytes(32).toString('hex'),
    PAYLOAD_CODEC_KEY: randomBytes(32).toString('base64'),
    PUBLIC_BASE_URL,
    RECONCILE_INTERVAL_SECONDS: '3600',
    RESIDENT_OIDC_ISSUER: provider.issuer,
    RESIDENT_OIDC_CLIENT_ID: 'dsr-residents',
    RESIDENT_OIDC_CLIENT_SECRET: 'resident-client-secret',
    LOG_LEVEL: 'silent',
  });
  const description = loadRegisterDescription(config.registerDescriptionPath);
  api = buildApiServer({ config, db: tdb.db, description, logger: createLogger('silent'), gateway: recordingGateway(started), extraRouters: (ctx) => [webRoutes(ctx)] });
});

afterAll(async () => {
  await api?.close();
  await provider?.stop();
  await smtp?.close();
  await tdb?.destroy();
});

// --- helpers ------------------------------------------------------------------------------------

function h1(page: string): string {
  return /<h1>([^<]*)<\/h1>/.exec(page)?.[1] ?? '';
}

/** The page the e-form address shows when nobody is identified: the choice of identification. */
async function expectNotIdentified(agent: Agent): Promise<void> {
  const res = await agent.get('/?lang=en').expect(200);
  expect(h1(res.text)).toBe(escapeHtml(en.identify.heading));
  expect(res.text).not.toContain('name="formToken"');
}

/** A Set-Cookie header's attributes by lower-case name (the value under the cookie's own name). */
function setCookie(res: request.Response, name: string): Record<string, string | true> | null {
  const headers = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
  const line = headers.find((h) => h.startsWith(`${name}=`));
  if (!line) return null;
  const [pair, ...attrs] = line.split(';').map((p) => p.trim());
  const out: Record<string, string | true> = { [name]: decodeURIComponent(pair.slice(name.length + 1)) };
  for (const a of attrs) {
    const at = a.indexOf('=');
    out[(at < 0 ? a : a.slice(0, at)).toLowerCase()] = at < 0 ? true : a.slice(at + 1);
  }
  return out;
}

async function codeRows(email: string) {
  return tdb.db.selectFrom('dsr.resident_codes').selectAll().where('email', '=', email).orderBy('created_at').execute();
}

/** Signs in through the provider's login form; returns the callback's answer. */
async function strongSignIn(agent: Agent, login: string, o: { lang?: string; next?: string; action?: 'sign-in' | 'cancel' } = {}) {
  const query = new URLSearchParams({ ...(o.next ? { next: o.next } : {}), lang: o.lang ?? 'fi' });
  const start = await agent.get(`/identify/oidc/start?${query}`).expect(303);
  const authorization = String(start.headers.location);
  expect(authorization.startsWith(`${provider.issuer}/`)).toBe(true);
  const callback = new URL(await visitProvider(authorization, { login, action: o.action }));
  expect(`${callback.origin}${callback.pathname}`).toBe(`${PUBLIC_BASE_URL}/identify/oidc/callback`);
  return agent.get(`${callback.pathname}${callback.search}`);
}

/** Submits the e-form as the agent's resident; the extra fields go into the POST as they are. */
async function submit(agent: Agent, fields: Record<string, string>, lang = 'en') {
  const form = await agent.get(`/?lang=${lang}`).expect(200);
  const formToken = /name="formToken" value="([^"]+)"/.exec(form.text)?.[1];
  return agent.post(`/request?lang=${lang}`).type('form').send({ rights: 'access', firstName: 'Asukas', lastName: 'Esimerkki', ...fields, formToken, csrf: csrfOf(form.text) });
}

function referenceIn(page: string): string {
  const reference = /DSR-\d{4}-[A-Z0-9]{6}/.exec(page)?.[0];
  if (!reference) throw new Error('no reference on the page');
  return reference;
}

// --- the e-mail code ----------------------------------------------------------------------------

describe('identification with an e-mail code', () => {
  it('sends a six-digit code that says nothing else, and with the code the resident gets a session and the e-form', async () => {
    const email = 'Onni.Onnellinen@example.fi';
    const agent = request.agent(api.app);
    const choice = await agent.get('/?lang=fi').expect(200);
    expect(choice.text).toContain(`href="/identify/email?lang=fi"`);
    expect(choice.text).toContain(`href="/identify/oidc/start?lang=fi"`);
    expect(choice.text).toContain(escapeHtml(fi.identify.eid.text));

    const seen = codeMails(smtp, email).length;
    await askCode(agent, email, 'sv');
    const code = await nextCode(smtp, email, seen);
    const mail = codeMails(smtp, email)[seen];
    expect(mail.subject).toBe(sv.identify.mail.subject.replace('{{service}}', sv.common.service));
    expect(mail.text.trim()).toBe(sv.identify.mail.body.replace('{{code}}', code).replace('{{minutes}}', '10').trim());
    expect(mail.text).not.toContain(email);
    // The code is kept only as an HMAC.
    const [row] = await codeRows(email);
    expect(row.code_hash).not.toBeNull();
    expect(row.code_hash).not.toContain(code);

    const page = await agent.get('/identify/email/code?lang=sv').expect(200);
    expect(page.text).toContain(escapeHtml(sv.identify.code.lead.replace('{{email}}', email).replace('{{minutes}}', '10')));
    const res = await postCode(agent, code, 'sv');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/?lang=sv');
    const cookie = setCookie(res, 'dsr_resident')!;
    expect(cookie).toMatchObject({ httponly: true, samesite: 'Lax', path: '/' });
    expect(cookie.secure).toBeUndefined();
    expect(new Date(String(cookie.expires)).getTime()).toBeGreaterThan(Date.now() + 29 * 60_000);
    // The database holds the token's hash and the verified address, never the token itself.
    const token = String(cookie.dsr_resident);
    const session = await tdb.db.selectFrom('dsr.resident_sessions').selectAll().where('id', '=', createHash('sha256').update(token).digest('hex')).executeTakeFirstOrThrow();
    expect(session).toMatchObject({ method: 'email', email, hetu: null });
    expect(await tdb.db.selectFrom('dsr.resident_sessions').select('id').where('id', '=', token).executeTakeFirst()).toBeUndefined();

    const form = await agent.get('/?lang=sv').expect(200);
    expect(form.text).toContain('name="formToken"');
    // The second step shows the confirmed address instead of asking it.
    expect((await openDetailsStep(agent, ['access'], 'sv')).page).toContain(`<dd>${email}</dd>`);
    // A code is used once.
    const reused = await postCode(agent, code, 'sv');
    expect(reused.text).toContain(sv.identify.code.errors.expired);
    expect(reused.status).toBe(410);
  });

  it('creates a request with the confirmed address whatever the POST says, left for a handler to verify', async () => {
    const agent = await identifiedByEmail(api.app, smtp, 'vahvistettu@example.fi');
    const res = await submit(agent, { email: 'joku.muu@example.fi' });
    expect(res.status).toBe(201);
    const row = await tdb.db.selectFrom('dsr.requests').selectAll().where('reference', '=', referenceIn(res.text)).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ subject_email: 'vahvistettu@example.fi', identity_method: null, identity_verified_at: null });
    expect(started).toContain(row.id);
    expect(res.text).toContain(escapeHtml(en.confirmation.next.identity));
  });

  it('refuses the form without its pre-session CSRF token, sending nothing', async () => {
    const agent = request.agent(api.app);
    await agent.get('/identify/email?lang=en').expect(200);
    const before = smtp.messages.length;
    const res = await agent.post('/identify/email?lang=en').type('form').send({ email: 'csrf@example.fi', csrf: 'forged' }).expect(403);
    expect(res.text).toContain(en.identify.emailForm.formExpired);
    // A CSRF token of another browser is no better.
    const other = request.agent(api.app);
    const otherCsrf = csrfOf((await other.get('/identify/email?lang=en').expect(200)).text);
    await agent.post('/identify/email?lang=en').type('form').send({ email: 'csrf@example.fi', csrf: otherCsrf }).expect(403);
    expect(smtp.messages.length).toBe(before);
    expect(await codeRows('csrf@example.fi')).toHaveLength(0);
  });

  it('says next to the field when the address is missing or not an address', async () => {
    const agent = request.agent(api.app);
    const csrf = csrfOf((await agent.get('/identify/email?lang=fi').expect(200)).text);
    const empty = await agent.post('/identify/email?lang=fi').type('form').send({ csrf, email: ' ' }).expect(400);
    expect(empty.text).toContain(`<span class="error" id="f-email-error"><span class="visually-hidden">${fi.common.errorPrefix} </span>${escapeHtml(fi.identify.emailForm.errors.required)}</span>`);
    const invalid = await agent.post('/identify/email?lang=fi').type('form').send({ csrf, email: 'ei-osoite' }).expect(400);
    expect(invalid.text).toContain(escapeHtml(fi.identify.emailForm.errors.invalid));
    expect(invalid.text).toMatch(/<input type="email" id="f-email" name="email" value="ei-osoite"[^>]*aria-invalid="true"/);
    expect(invalid.text).toContain('<li><a href="#f-email">');
  });

  it('counts wrong codes and, after five, kills the code and says to ask for a new one; empty or malformed codes do not count', async () => {
    const email = 'vaara.koodi@example.fi';
    const agent = request.agent(api.app);
    const seen = codeMails(smtp, email).length;
    await askCode(agent, email, 'en');
    const code = await nextCode(smtp, email, seen);
    const wrong = code === '000000' ? '111111' : '000000';

    expect((await postCode(agent, '', 'en')).status).toBe(400);
    const malformed = await postCode(agent, '12345', 'en');
    expect(malformed.status).toBe(400);
    expect(malformed.text).toContain(en.identify.code.errors.format);
    expect((await codeRows(email))[0].attempts).toBe(0);

    const answers: number[] = [];
    for (let i = 0; i < 4; i++) {
      const res = await postCode(agent, wrong, 'en');
      answers.push(res.status);
      expect(res.text).toContain(escapeHtml(en.identify.code.errors.wrong.replace('{{count}}', String(4 - i))));
      expect(res.text).toMatch(/id="f-code"[^>]*aria-invalid="true"/);
    }
    const fifth = await postCode(agent, wrong, 'en');
    expect([...answers, fifth.status]).toEqual([403, 403, 403, 403, 423]);
    expect(fifth.text).toContain(escapeHtml(en.identify.code.errors.locked));
    expect(fifth.text).toContain('href="/identify/email?lang=en"');
    // Dead: now even the right code opens nothing.
    const right = await postCode(agent, code, 'en');
    expect(right.status).toBe(423);
    expect(setCookie(right, 'dsr_resident')).toBeNull();
    await expectNotIdentified(agent);
    // A new code works again.
    await askCode(agent, email, 'en');
    expect((await postCode(agent, await nextCode(smtp, email, seen + 1), 'en')).status).toBe(303);
  });

  it('refuses a code whose time is up and says to ask for a new one', async () => {
    const email = 'vanhentunut@example.fi';
    const agent = request.agent(api.app);
    const seen = codeMails(smtp, email).length;
    await askCode(agent, email, 'fi');
    const code = await nextCode(smtp, email, seen);
    await tdb.db.updateTable('dsr.resident_codes').set({ expires_at: new Date(Date.now() - 1000) }).where('email', '=', email).execute();
    const res = await postCode(agent, code, 'fi');
    expect(res.status).toBe(410);
    expect(res.text).toContain(escapeHtml(fi.identify.code.errors.expired));
    await expectNotIdentified(agent);
  });

  it('works only in the browser that asked for the code', async () => {
    const email = 'oma.selain@example.fi';
    const asker = request.agent(api.app);
    const seen = codeMails(smtp, email).length;
    await askCode(asker, email);
    const code = await nextCode(smtp, email, seen);
    const stranger = request.agent(api.app);
    // A browser that has asked for nothing is sent to ask first.
    const res = await stranger.post('/identify/email/code?lang=fi').type('form').send({ code, csrf: 'x' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/identify/email?lang=fi');
    expect((await postCode(asker, code)).status).toBe(303);
  });

  it('sends at most three codes to an address in 15 minutes, and says so on the page when it holds one back', async () => {
    const email = 'tulva@example.fi';
    const before = codeMails(smtp, email).length;
    const answers: { status: number; location?: string; page: string }[] = [];
    for (let i = 0; i < 5; i++) {
      const agent = request.agent(api.app);
      const form = await agent.get('/identify/email?lang=fi').expect(200);
      const res = await agent.post('/identify/email?lang=fi').type('form').send({ csrf: csrfOf(form.text), email });
      answers.push({ status: res.status, location: res.headers.location, page: res.text });
    }
    await new Promise((r) => setTimeout(r, 300));
    expect(codeMails(smtp, email).length - before).toBe(3);
    expect(answers.map((a) => a.status)).toEqual([303, 303, 303, 429, 429]);
    expect(answers[0].location).toBe('/identify/email/code?lang=fi');
    const limited = escapeHtml(fi.identify.emailForm.rateLimited.address.replace('{{count}}', '3').replace('{{minutes}}', '15'));
    for (const a of answers.slice(3)) expect(a.page).toContain(limited);
    // Asks are recorded; only three codes exist.
    const rows = await codeRows(email);
    expect(rows.map((r) => r.code_hash !== null)).toEqual([true, true, true, false, false]);
    // Another address is not held back.
    const other = 'ei.tulvaa@example.fi';
    const seen = codeMails(smtp, other).length;
    await askCode(request.agent(api.app), other);
    await nextCode(smtp, other, seen);
  });

  it('lets one browser ask at most six codes in 15 minutes, whatever the addresses, records no more, and says so', async () => {
    const agent = request.agent(api.app);
    const addresses = Array.from({ length: 8 }, (_, i) => `selain${i}@example.fi`);
    const statuses: number[] = [];
    let last = '';
    for (const email of addresses) {
      const form = await agent.get('/identify/email?lang=en').expect(200);
      const res = await agent.post('/identify/email?lang=en').type('form').send({ csrf: csrfOf(form.text), email });
      statuses.push(res.status);
      last = res.text;
    }
    await new Promise((r) => setTimeout(r, 300));
    expect(statuses).toEqual([303, 303, 303, 303, 303, 303, 429, 429]);
    expect(last).toContain(escapeHtml(en.identify.emailForm.rateLimited.browser.replace('{{count}}', '6').replace('{{minutes}}', '15')));
    expect(addresses.map((a) => codeMails(smtp, a).length)).toEqual([1, 1, 1, 1, 1, 1, 0, 0]);
    expect(await codeRows(addresses[7])).toHaveLength(0);
  });
});

// --- the session --------------------------------------------------------------------------------

describe('the resident session', () => {
  it('ends when its time is up: the e-form asks for identification again and a posted form is refused', async () => {
    const email = 'lyhyt.istunto@example.fi';
    const agent = await identifiedByEmail(api.app, smtp, email);
    const form = await agent.get('/?lang=en').expect(200);
    await tdb.db.updateTable('dsr.resident_sessions').set({ expires_at: new Date(Date.now() - 1000) }).where('email', '=', email).execute();
    await expectNotIdentified(agent);
    // The expired row was deleted on the way.
    expect(await tdb.db.selectFrom('dsr.resident_sessions').select('id').where('email', '=', email).execute()).toHaveLength(0);
    const formToken = /name="formToken" value="([^"]+)"/.exec(form.text)?.[1];
    const res = await agent.post('/request?lang=en').type('form').send({ rights: 'access', firstName: 'A', lastName: 'B', formToken, csrf: csrfOf(form.text) }).expect(403);
    expect(res.text).toContain(en.identify.sessionExpired);
    expect(await tdb.db.selectFrom('dsr.requests').select('id').where('subject_email', '=', email).execute()).toHaveLength(0);
  });

  it('signs out: the row is deleted, the cookie cleared, and a copy of the cookie opens nothing', async () => {
    const email = 'uloskirjautuja@example.fi';
    const agent = request.agent(api.app);
    const seen = codeMails(smtp, email).length;
    await askCode(agent, email);
    const signedIn = await postCode(agent, await nextCode(smtp, email, seen));
    const token = String(setCookie(signedIn, 'dsr_resident')?.dsr_resident);
    const form = await agent.get('/?lang=fi').expect(200);

    // Without the session's CSRF token, nothing happens.
    const forged = await agent.post('/sign-out?lang=fi').type('form').send({ csrf: 'forged' }).expect(403);
    expect(forged.text).toContain(fi.signOut.formExpired);
    expect(await tdb.db.selectFrom('dsr.resident_sessions').select('id').where('email', '=', email).execute()).toHaveLength(1);

    const res = await agent.post('/sign-out?lang=fi').type('form').send({ csrf: csrfOf(/<div class="account">[\s\S]*?<\/form>/.exec(form.text)![0]) }).expect(303);
    expect(res.headers.location).toBe('/?lang=fi&signedOut=1');
    expect(setCookie(res, 'dsr_resident')).toMatchObject({ dsr_resident: '', path: '/' });
    expect(await tdb.db.selectFrom('dsr.resident_sessions').select('id').where('email', '=', email).execute()).toHaveLength(0);
    const after = await agent.get('/?lang=fi&signedOut=1').expect(200);
    expect(after.text).toContain(fi.identify.signedOut);
    expect(h1(after.text)).toBe(escapeHtml(fi.identify.heading));
    const copy = await request(api.app).get('/?lang=en').set('Cookie', `dsr_resident=${token}`).expect(200);
    expect(h1(copy.text)).toBe(escapeHtml(en.identify.heading));
  });

  it('returns to "my requests" after identification when that is where the resident was going, and never to another site', async () => {
    const email = 'paluu@example.fi';
    const agent = request.agent(api.app);
    const mine = await agent.get('/my-requests?lang=en').expect(303);
    expect(mine.headers.location).toBe('/identify?next=%2Fmy-requests&lang=en');
    const choice = await agent.get(mine.headers.location).expect(200);
    expect(choice.text).toContain(escapeHtml(en.identify.leadMine));
    expect(choice.text).toContain('href="/identify/email?next=%2Fmy-requests&amp;lang=en"');
    const seen = codeMails(smtp, email).length;
    const form = await agent.get('/identify/email?next=%2Fmy-requests&lang=en').expect(200);
    expect(form.text).toContain('<input type="hidden" name="next" value="/my-requests">');
    const asked = await agent.post('/identify/email?lang=en').type('form').send({ csrf: csrfOf(form.text), email, next: '/my-requests' }).expect(303);
    expect(asked.headers.location).toBe('/identify/email/code?next=%2Fmy-requests&lang=en');
    const code = await nextCode(smtp, email, seen);
    const page = await agent.get(asked.headers.location).expect(200);
    const done = await agent.post('/identify/email/code?lang=en').type('form').send({ csrf: csrfOf(page.text), code, next: 'https://evil.example/' }).expect(303);
    expect(done.headers.location).toBe('/?lang=en');
  });
});

// --- strong electronic identification -----------------------------------------------------------

describe('strong electronic identification', () => {
  it('takes the names and henkilötunnus from the provider, shows them read-only, and ignores a POST that tries to change them', async () => {
    const agent = request.agent(api.app);
    const back = await strongSignIn(agent, 'tiina', { lang: 'sv' });
    expect(back.status).toBe(303);
    expect(back.headers.location).toBe('/?lang=sv');
    expect(setCookie(back, 'dsr_resident')).toMatchObject({ httponly: true, samesite: 'Lax' });

    const form = { text: (await openDetailsStep(agent, ['access'], 'sv')).page };
    const identity = /<div class="notice" id="identity">[\s\S]*?<\/div>/.exec(form.text)?.[0] ?? '';
    expect(identity).toContain('<dd>Tiina Testaaja</dd>');
    expect(identity).toContain('<dd>131052-308T</dd>');
    expect(identity).toContain(escapeHtml(sv.form.identityEid));
    for (const id of ['f-firstName', 'f-lastName', 'f-hetu']) expect(form.text).not.toContain(`id="${id}"`);
    expect(form.text).toContain('id="f-email"');
    expect(form.text).toContain(sv.common.signedInEid.replace('{{name}}', 'Tiina Testaaja'));

    const res = await submit(agent, { firstName: 'Mallory', lastName: 'Huijari', hetu: '010190-123M', email: 'tiina@example.fi' }, 'sv');
    expect(res.status).toBe(201);
    expect(res.text).toContain(escapeHtml(sv.confirmation.next.identityVerified));
    const row = await tdb.db.selectFrom('dsr.requests').selectAll().where('reference', '=', referenceIn(res.text)).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ subject_first_name: 'Tiina', subject_last_name: 'Testaaja', subject_hetu: '131052-308T', subject_email: 'tiina@example.fi', identity_method: 'strong_eid' });
    expect(row.identity_verified_at).not.toBeNull();
    // The workflow reads the method from the summary and skips identity verification for it.
    expect((await getRequestSummary(tdb.db, row.id))?.identityMethod).toBe('strong_eid');
    expect(started.filter((id) => id === row.id)).toHaveLength(1);
  });

  it.each([
    ['an invalid henkilötunnus', 'wrongcheck'],
    ['no henkilötunnus', 'nohetu'],
  ])('starts no session when the provider gives %s, and says so', async (_what, login) => {
    const agent = request.agent(api.app);
    const res = await strongSignIn(agent, login, { lang: 'en' });
    expect(res.status).toBe(400);
    expect(h1(res.text)).toBe(escapeHtml(en.identify.oidc.noHetu.title));
    expect(res.text).toContain(escapeHtml(en.identify.oidc.noHetu.text));
    expect(setCookie(res, 'dsr_resident')).toBeNull();
    await expectNotIdentified(agent);
  });

  it('says so when the resident cancels at the provider, and starts no session', async () => {
    const agent = request.agent(api.app);
    const res = await strongSignIn(agent, 'tiina', { lang: 'fi', action: 'cancel' });
    expect(res.status).toBe(403);
    expect(h1(res.text)).toBe(escapeHtml(fi.identify.oidc.denied.title));
    await expectNotIdentified(agent);
  });

  it('refuses a callback this browser did not start', async () => {
    const res = await request(api.app).get('/identify/oidc/callback?code=abc&state=xyz').expect(400);
    expect(h1(res.text)).toBe(escapeHtml(fi.identify.oidc.failed.title));
    expect(setCookie(res, 'dsr_resident')).toBeNull();
  });
});

// --- my requests --------------------------------------------------------------------------------

describe('my requests', () => {
  let anna: Agent;
  let bertil: Agent;
  let tiina: Agent;
  const refs = { anna: [] as string[], bertil: [] as string[], tiina: [] as string[] };

  beforeAll(async () => {
    anna = await identifiedByEmail(api.app, smtp, 'anna.asukas@example.fi');
    bertil = await identifiedByEmail(api.app, smtp, 'bertil.boende@example.fi');
    tiina = request.agent(api.app);
    expect((await strongSignIn(tiina, 'tiina')).status).toBe(303);
    refs.anna.push(referenceIn((await submit(anna, { hetu: '131052-308T' })).text));
    refs.anna.push(referenceIn((await submit(anna, { rights: 'erasure' })).text));
    refs.bertil.push(referenceIn((await submit(bertil, {})).text));
    refs.tiina.push(referenceIn((await submit(tiina, { email: 'tiina.t@example.fi' })).text));
  });

  async function listed(agent: Agent): Promise<string[]> {
    const res = await agent.get('/my-requests?lang=en').expect(200);
    return [...res.text.matchAll(/<h2><a href="\/my-requests\/(DSR-\d{4}-[A-Z0-9]{6})\?lang=en">/g)].map((m) => m[1]);
  }

  it('lists to each resident only their own requests: by address after an e-mail code, by henkilötunnus after strong e-ID', async () => {
    expect((await listed(anna)).sort()).toEqual([...refs.anna].sort());
    expect(await listed(bertil)).toEqual(refs.bertil);
    // Anna typed Tiina's henkilötunnus on her form: strong e-ID finds that request too, as it names Tiina.
    const tiinas = await listed(tiina);
    expect(tiinas).toEqual(expect.arrayContaining([...refs.tiina, refs.anna[0]]));
    expect(tiinas).not.toContain(refs.anna[1]);
    expect(tiinas).not.toContain(refs.bertil[0]);
    const byHetu = await tdb.db.selectFrom('dsr.requests').select('reference').where('subject_hetu', '=', '131052-308T').execute();
    expect(tiinas.sort()).toEqual(byHetu.map((r) => r.reference).sort());
  });

  it('matches the address in any letter case', async () => {
    const again = await identifiedByEmail(api.app, smtp, 'Anna.Asukas@EXAMPLE.fi');
    expect((await listed(again)).sort()).toEqual([...refs.anna].sort());
  });

  it('shows reference, right, state, receipt date, the deadline in force and the outcome', async () => {
    const reference = refs.anna[1];
    await tdb.db.updateTable('dsr.requests').set({ state: 'closed', outcome: 'answered', extended_at: new Date() }).where('reference', '=', reference).execute();
    const row = await tdb.db.selectFrom('dsr.requests').select(['received_on', 'extended_deadline']).where('reference', '=', reference).executeTakeFirstOrThrow();
    const res = await anna.get('/my-requests?lang=fi').expect(200);
    const item = new RegExp(`<li>\\s*<h2><a href="/my-requests/${reference}\\?lang=fi">${reference}</a></h2>[\\s\\S]*?</li>`).exec(res.text)?.[0] ?? '';
    expect(item).toContain(`<dt>${fi.status.right}</dt><dd>${escapeHtml(fi.rights.erasure.title)}</dd>`);
    expect(item).toContain(`<dt>${fi.status.state}</dt><dd>${fi.status.states.closed}</dd>`);
    expect(item).toContain(`<dt>${fi.status.receivedOn}</dt><dd>${formatDate(row.received_on, 'fi')}</dd>`);
    expect(item).toContain(`<dt>${fi.status.deadline}</dt><dd>${formatDate(row.extended_deadline, 'fi')}</dd>`);
    expect(item).toContain(`<dt>${fi.status.outcome}</dt><dd>${fi.status.outcomes.answered}</dd>`);
    const open = new RegExp(`<li>\\s*<h2><a href="/my-requests/${refs.anna[0]}\\?lang=fi">[\\s\\S]*?</li>`).exec(res.text)?.[0] ?? '';
    expect(open).toContain(`<dd>${fi.mine.noOutcome}</dd>`);
  });

  it("opens a resident's own request, and answers someone else's reference exactly as an unknown one, with 404", async () => {
    const own = await anna.get(`/my-requests/${refs.anna[0].toLowerCase()}?lang=en`).expect(200);
    expect(h1(own.text)).toBe(en.status.resultTitle.replace('{{reference}}', refs.anna[0]));
    expect(own.text).toContain(`<dt>${en.status.state}</dt><dd><strong>${en.status.states.received}</strong></dd>`);
    expect(own.text).toContain(`<a href="/my-requests?lang=en">${en.mine.back}</a>`);

    const foreign = await bertil.get(`/my-requests/${refs.anna[0]}?lang=en`).expect(404);
    const unknown = await bertil.get('/my-requests/DSR-2020-ZZZZZZ?lang=en').expect(404);
    expect(foreign.text).not.toContain(refs.anna[0]);
    expect(foreign.text).toBe(unknown.text);
    expect(h1(foreign.text)).toBe(en.mine.notFoundTitle);
  });

  it('sends a visitor who has not identified to identify first, then back to the request', async () => {
    const res = await request(api.app).get(`/my-requests/${refs.bertil[0]}?lang=sv`).expect(303);
    expect(res.headers.location).toBe(`/identify?next=${encodeURIComponent(`/my-requests/${refs.bertil[0]}`)}&lang=sv`);
  });

  it('keeps the status page with reference and access code working for everyone', async () => {
    const res = await submit(bertil, {});
    const accessCode = /class="code"[^>]*>([A-Z2-9]{5}-[A-Z2-9]{5})</.exec(res.text)?.[1];
    const status = await request(api.app).post('/status?lang=en').type('form').send({ reference: referenceIn(res.text), accessCode }).expect(200);
    expect(status.text).toContain(en.status.states.received);
  });
});
