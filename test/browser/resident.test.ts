/**
 * The resident pages in a real browser (Debian's Chromium) against the whole engine: a resident
 * identifies with a one-time code read from the e-mail, sends the e-form, keeps the reference and
 * access code from the confirmation, finds the request under "my requests", looks it up on the
 * status page and, once a handler has approved the answer, opens the link from the e-mail and
 * downloads the PDF with the access code. Another resident identifies strongly through a real
 * OpenID provider and sees the form with their identity filled in. Every page of ours is checked
 * with axe (no serious or critical WCAG 2.1 A/AA violation) and screenshotted into
 * test-results/screenshots/.
 */
import fs from 'node:fs';
import type { Server } from 'node:http';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import request from 'supertest';
import { buildApiServer, type ApiServer } from '../../api/server';
import { freePort } from '../../embedded/ports';
import { createLogger } from '../../config/logger';
import { webRoutes } from '../../web/routes';
import en from '../../web/locales/en.json';
import fi from '../../web/locales/fi.json';
import sv from '../../web/locales/sv.json';
import { checkAccessibility, launchBrowser, screenshot } from '../helpers/browser';
import { startEngine, type Engine } from '../helpers/engine';
import { startOidcProvider, type OidcTestProvider } from '../helpers/oidc';
import { codeMails, nextCode } from '../helpers/resident';

jest.setTimeout(180_000);

const SUBJECT = { firstName: 'Testi', lastName: 'Demo', hetu: '131052-308T', email: 'testi.demo@example.fi' };
const HETU_CLAIM = 'urn:oid:1.2.246.21';

let engine: Engine;
let provider: OidcTestProvider;
/** The engine's API with the resident pages mounted, as `npm run api` serves it. */
let site: ApiServer;
let server: Server;
let baseUrl: string;
let browser: Browser;
let context: BrowserContext;
let page: Page;
/** What the resident wrote down from the confirmation page. */
const receipt = { reference: '', accessCode: '' };

beforeAll(async () => {
  // The e-mail's download link is built from PUBLIC_BASE_URL, so the port is chosen before the engine starts.
  const port = await freePort();
  baseUrl = `http://127.0.0.1:${port}`;
  provider = await startOidcProvider({
    clients: [{ client_id: 'dsr-residents', client_secret: 'resident-client-secret', redirect_uris: [`${baseUrl}/identify/oidc/callback`] }],
    accounts: { tiina: { given_name: 'Tiina', family_name: 'Testaaja', [HETU_CLAIM]: '010190-123M' } },
  });
  const oidc = { RESIDENT_OIDC_ISSUER: provider.issuer, RESIDENT_OIDC_CLIENT_ID: 'dsr-residents', RESIDENT_OIDC_CLIENT_SECRET: 'resident-client-secret' };
  [engine, browser] = await Promise.all([startEngine({ env: { PUBLIC_BASE_URL: baseUrl, ...oidc } }), launchBrowser()]);
  site = buildApiServer({ config: engine.config, db: engine.tdb.db, description: engine.description, logger: createLogger('silent'), extraRouters: (ctx) => [webRoutes(ctx)] });
  server = await new Promise<Server>((resolve, reject) => {
    const s = site.app.listen(port, '127.0.0.1', () => resolve(s));
    s.once('error', reject);
  });
  context = await browser.newContext({ acceptDownloads: true, locale: 'fi-FI' });
  page = await context.newPage();
});

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  await site?.close();
  await engine?.stop();
  await provider?.stop();
});

describe('a resident in a real browser', () => {
  it('identifies with a code from the e-mail; every page of the way is accessible', async () => {
    await page.goto(`${baseUrl}/?lang=fi`);
    expect(await page.locator('html').getAttribute('lang')).toBe('fi-FI');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(fi.identify.heading);
    expect(await page.getByRole('link', { name: fi.identify.eid.button }).count()).toBe(1);
    await checkAccessibility(page, 'identification (fi)');
    await screenshot(page, 'identify-fi');

    await page.getByRole('link', { name: fi.identify.email.button }).click();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(fi.identify.emailForm.heading);
    await checkAccessibility(page, 'e-mail address (fi)');
    await screenshot(page, 'identify-email-fi');
    // Sent empty, the form says so next to the field.
    await page.getByRole('button', { name: fi.identify.emailForm.submit }).click();
    expect(await page.locator('#f-email').getAttribute('aria-invalid')).toBe('true');
    await checkAccessibility(page, 'e-mail address with an error (fi)');
    await screenshot(page, 'identify-email-error-fi');

    await page.getByLabel(fi.identify.emailForm.email).fill(SUBJECT.email);
    const seen = codeMails(engine.smtp, SUBJECT.email).length;
    await Promise.all([page.waitForURL(/\/identify\/email\/code\?lang=fi$/), page.getByRole('button', { name: fi.identify.emailForm.submit }).click()]);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(fi.identify.code.heading);
    await checkAccessibility(page, 'code (fi)');
    await screenshot(page, 'identify-code-fi');
    const code = await nextCode(engine.smtp, SUBJECT.email, seen);

    await page.getByLabel(fi.identify.code.code).fill(code === '000000' ? '111111' : '000000');
    await page.getByRole('button', { name: fi.identify.code.submit }).click();
    expect(await page.locator('#f-code-error').textContent()).toContain(fi.identify.code.errors.wrong.replace('{{count}}', '4'));
    await checkAccessibility(page, 'code with an error (fi)');
    await screenshot(page, 'identify-code-error-fi');

    await page.getByLabel(fi.identify.code.code).fill(code);
    await Promise.all([page.waitForURL(/\/\?lang=fi$/), page.getByRole('button', { name: fi.identify.code.submit }).click()]);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(fi.form.heading);
    expect(await page.locator('header .account').textContent()).toContain(fi.common.signedInEmail.replace('{{email}}', SUBJECT.email));
  });

  it('sends the Finnish e-form for access and gets a confirmation with a DSR reference and an access code', async () => {
    await page.goto(`${baseUrl}/?lang=fi`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(fi.form.heading);
    await checkAccessibility(page, 'e-form, step 1 (fi)');
    await screenshot(page, 'form-fi');
    await page.getByRole('checkbox', { name: fi.rights.access.title, exact: true }).check();
    await Promise.all([page.waitForURL(/\/request\/details\?lang=fi$/), page.getByRole('button', { name: fi.form.continue }).click()]);

    // Step 2 asks only what access needs: no right-specific sections. The confirmed address is shown, not asked.
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(fi.form.detailsTitle);
    expect(await page.locator('#chosen').textContent()).toContain(fi.rights.access.title);
    expect(await page.locator('fieldset.details').count()).toBe(0);
    expect(await page.locator('#identity').textContent()).toContain(SUBJECT.email);
    expect(await page.locator('#f-email').count()).toBe(0);
    await checkAccessibility(page, 'e-form, step 2 (fi)');
    await screenshot(page, 'form-details-fi');
    await page.getByLabel(fi.form.firstName).fill(SUBJECT.firstName);
    await page.getByLabel(fi.form.lastName).fill(SUBJECT.lastName);
    await page.getByLabel(fi.form.hetu).fill(SUBJECT.hetu);
    await Promise.all([page.waitForURL(/\/request\?lang=fi$/), page.getByRole('button', { name: fi.form.submit }).click()]);

    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(fi.confirmation.title);
    const reference = (await page.locator('dl.facts strong').first().textContent())?.trim() ?? '';
    const accessCode = (await page.locator('p.code').textContent())?.trim() ?? '';
    expect(reference).toMatch(/^DSR-\d{4}-[2-9A-Z]{6}$/);
    expect(accessCode).toMatch(/^[A-Z0-9]{5}-[A-Z0-9]{5}$/);
    // The henkilötunnus is never shown back.
    expect(await page.content()).not.toContain(SUBJECT.hetu);
    Object.assign(receipt, { reference, accessCode });
    await checkAccessibility(page, 'confirmation (fi)');
    await screenshot(page, 'confirmation-fi');
  });

  it('finds in dsr.requests the request the confirmation page names, as the resident filled it in', async () => {
    const row = await engine.tdb.db.selectFrom('dsr.requests').selectAll().where('reference', '=', receipt.reference).executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      right: 'access',
      language: 'fi',
      channel: 'e_form',
      subject_first_name: SUBJECT.firstName,
      subject_last_name: SUBJECT.lastName,
      subject_hetu: SUBJECT.hetu,
      subject_email: SUBJECT.email,
    });
  });

  it('finds the request under "my requests" and opens it', async () => {
    await page.getByRole('navigation', { name: fi.common.navLabel }).getByRole('link', { name: fi.common.navMine }).click();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(fi.mine.heading);
    const link = page.getByRole('link', { name: receipt.reference });
    expect(await link.count()).toBe(1);
    await checkAccessibility(page, 'my requests (fi)');
    await screenshot(page, 'my-requests-fi');
    await link.click();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(fi.status.resultTitle.replace('{{reference}}', receipt.reference));
    await checkAccessibility(page, 'my request (fi)');
    await screenshot(page, 'my-request-fi');
  });

  it('shows the request’s state on the status page after the reference and the access code are entered', async () => {
    const { id } = await engine.tdb.db.selectFrom('dsr.requests').select('id').where('reference', '=', receipt.reference).executeTakeFirstOrThrow();
    const handler = await engine.signIn('h.kasittelija', ['handler']);
    // Once the workflow waits for identity the state holds still long enough to compare.
    await engine.waitForStatus(id, handler, (s) => s.awaiting === 'identity');
    const { state } = await engine.tdb.db.selectFrom('dsr.requests').select('state').where('id', '=', id).executeTakeFirstOrThrow();

    await page.goto(`${baseUrl}/status?lang=fi`);
    await checkAccessibility(page, 'status lookup (fi)');
    await screenshot(page, 'status-form-fi');
    await page.getByLabel(fi.status.reference).fill(receipt.reference);
    await page.getByLabel(fi.status.accessCode).fill(receipt.accessCode);
    await page.getByRole('button', { name: fi.status.submit }).click();

    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(fi.status.resultTitle.replace('{{reference}}', receipt.reference));
    const states = fi.status.states as Record<string, string>;
    expect(states[state]).toBeTruthy();
    expect(await page.locator('dl.facts').textContent()).toContain(states[state]);
    await checkAccessibility(page, 'status result (fi)');
    await screenshot(page, 'status-result-fi');
  });

  it.each([
    ['sv', 'sv-FI', sv],
    ['en', 'en', en],
  ] as const)('offers both steps of the e-form in %s without serious accessibility violations', async (lang, tag, t) => {
    await page.goto(`${baseUrl}/?lang=${lang}`);
    expect(await page.locator('html').getAttribute('lang')).toBe(tag);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(t.form.heading);
    await checkAccessibility(page, `e-form, step 1 (${lang})`);
    await screenshot(page, `form-${lang}`);
    // Every right that has a section of its own, so step 2 shows all of them.
    for (const right of ['rectification', 'erasure', 'portability', 'objection'] as const) await page.getByRole('checkbox', { name: t.rights[right].title, exact: true }).check();
    await Promise.all([page.waitForURL(new RegExp(`/request/details\\?lang=${lang}$`)), page.getByRole('button', { name: t.form.continue }).click()]);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(t.form.detailsTitle);
    expect(await page.locator('fieldset.details').count()).toBe(4);
    await checkAccessibility(page, `e-form, step 2 with every section (${lang})`);
    await screenshot(page, `form-details-${lang}`);
  });

  it('sent empty, each step comes back with an error summary linking to the fields, still accessible; the back button keeps the choice', async () => {
    await page.goto(`${baseUrl}/?lang=fi`);
    await page.getByRole('button', { name: fi.form.continue }).click();
    const summary = page.locator('.error-summary');
    expect(await summary.count()).toBe(1);
    expect(await summary.locator('a').evaluateAll((links) => links.map((a) => a.getAttribute('href')))).toEqual(['#f-rights-access']);
    await checkAccessibility(page, 'e-form, step 1 with an error (fi)');
    await screenshot(page, 'form-errors-fi');

    await page.getByRole('checkbox', { name: fi.rights.rectification.title, exact: true }).check();
    await Promise.all([page.waitForURL(/\/request\/details\?lang=fi$/), page.getByRole('button', { name: fi.form.continue }).click()]);
    await page.getByLabel(fi.form.lastName).fill('Demo');
    await page.getByRole('button', { name: fi.form.submit }).click();
    const targets = await page.locator('.error-summary a').evaluateAll((links) => links.map((a) => a.getAttribute('href')));
    expect(targets).toEqual(['#f-corrections-0-field', '#f-firstName']);
    expect(await page.locator('#f-firstName').getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('#f-lastName').inputValue()).toBe('Demo');
    await checkAccessibility(page, 'e-form, step 2 with errors (fi)');
    await screenshot(page, 'form-details-errors-fi');

    // Back to step 1: the choice is kept, and what was typed comes back on step 2.
    await page.getByRole('button', { name: fi.form.back }).click();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(fi.form.heading);
    expect(await page.getByRole('checkbox', { name: fi.rights.rectification.title, exact: true }).isChecked()).toBe(true);
    await Promise.all([page.waitForURL(/\/request\/details\?lang=fi$/), page.getByRole('button', { name: fi.form.continue }).click()]);
    expect(await page.locator('#f-lastName').inputValue()).toBe('Demo');
  });

  it('opens the link from the e-mail and, with the access code, downloads the answer as a PDF', async () => {
    const { id } = await engine.tdb.db.selectFrom('dsr.requests').select('id').where('reference', '=', receipt.reference).executeTakeFirstOrThrow();
    const handler = await engine.signIn('h.kasittelija', ['handler']);
    await request(engine.api.app)
      .post(`/api/v1/staff/requests/${id}/identity`)
      .set('Authorization', handler)
      .send({ decision: 'verified', method: 'handler_verified', note: 'Henkilöllisyys tarkistettu puhelimessa Suomi.fi-tunnistuksella.' })
      .expect(200);
    const ready = await engine.waitForStatus(id, handler, (s) => s.awaiting === 'approval');
    await request(engine.api.app).post(`/api/v1/staff/requests/${id}/approve`).set('Authorization', handler).send({ documentId: ready.draftDocumentId, note: 'Tarkistettu.' }).expect(200);

    const notice = await engine.smtp.waitFor((m) => m.headers.get('x-dsr-kind') === 'document_ready');
    const link = new RegExp(`${baseUrl.replace(/[.]/g, '\\.')}/download/[A-Za-z0-9_-]+(\\?lang=fi)?`).exec(notice.text)?.[0];
    expect(link).toBeDefined();

    await page.goto(link!);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(fi.download.heading);
    expect(await page.locator('main').textContent()).toContain(receipt.reference);
    await checkAccessibility(page, 'download (fi)');
    await screenshot(page, 'download-fi');

    await page.getByLabel(fi.download.accessCode).fill(receipt.accessCode);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: fi.download.submit }).click()]);
    expect(download.suggestedFilename()).toMatch(/\.pdf$/);
    const file = await download.path();
    expect(fs.readFileSync(file).subarray(0, 5).toString('latin1')).toBe('%PDF-');
  });

  it('says plainly when nothing is found, on pages that pass axe too: a wrong access code, an unknown link, a reference not the resident’s', async () => {
    await page.goto(`${baseUrl}/status?lang=fi`);
    await page.getByLabel(fi.status.reference).fill(receipt.reference);
    await page.getByLabel(fi.status.accessCode).fill('AAAAA-BBBBB');
    await page.getByRole('button', { name: fi.status.submit }).click();
    expect(await page.locator('main').textContent()).toContain(fi.status.notFound);
    await checkAccessibility(page, 'status not found (fi)');
    await screenshot(page, 'status-not-found-fi');

    const link = await page.goto(`${baseUrl}/download/no-such-link?lang=fi`);
    expect(link?.status()).toBe(404);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(fi.download.notFound.title);
    await checkAccessibility(page, 'unknown download link (fi)');
    await screenshot(page, 'download-dead-link-fi');

    const mine = await page.goto(`${baseUrl}/my-requests/DSR-2020-ZZZZZZ?lang=fi`);
    expect(mine?.status()).toBe(404);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(fi.mine.notFoundTitle);
    await checkAccessibility(page, 'my request not found (fi)');
    await screenshot(page, 'my-request-not-found-fi');
  });

  it('signs out with the button in the header and is asked to identify again', async () => {
    await page.goto(`${baseUrl}/my-requests?lang=fi`);
    await Promise.all([page.waitForURL(/signedOut=1/), page.getByRole('button', { name: fi.common.signOut }).click()]);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(fi.identify.heading);
    expect(await page.locator('main').textContent()).toContain(fi.identify.signedOut);
    expect(await page.locator('header .account').count()).toBe(0);
    await checkAccessibility(page, 'signed out (fi)');
    await page.goto(`${baseUrl}/my-requests?lang=fi`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(fi.identify.heading);
  });

  it.each([
    ['sv', sv],
    ['en', en],
  ] as const)('offers identification in %s without serious accessibility violations', async (lang, t) => {
    const other = await browser.newContext();
    try {
      const p = await other.newPage();
      await p.goto(`${baseUrl}/?lang=${lang}`);
      expect(await p.getByRole('heading', { level: 1 }).textContent()).toBe(t.identify.heading);
      await checkAccessibility(p, `identification (${lang})`);
      await screenshot(p, `identify-${lang}`);
    } finally {
      await other.close();
    }
  });

  it('identifies strongly at the OpenID provider and sees the form with the name and henkilötunnus filled in, read-only', async () => {
    const other = await browser.newContext({ locale: 'fi-FI' });
    try {
      const p = await other.newPage();
      await p.goto(`${baseUrl}/?lang=fi`);
      await p.getByRole('link', { name: fi.identify.eid.button }).click();
      // The provider's own development pages: a login form, then a consent form.
      for (let step = 0; step < 4 && p.url().startsWith(provider.issuer); step++) {
        if (await p.locator('input[name="login"]').count()) {
          await p.locator('input[name="login"]').fill('tiina');
          await p.locator('input[name="password"]').fill('any password');
        }
        const at = p.url();
        await Promise.all([p.waitForURL((u) => u.toString() !== at), p.locator('button[type="submit"]').first().click()]);
      }
      await p.waitForURL(/\/\?lang=fi$/);
      expect(await p.getByRole('heading', { level: 1 }).textContent()).toBe(fi.form.heading);
      await p.getByRole('checkbox', { name: fi.rights.access.title, exact: true }).check();
      await Promise.all([p.waitForURL(/\/request\/details\?lang=fi$/), p.getByRole('button', { name: fi.form.continue }).click()]);
      const identity = (await p.locator('#identity').textContent()) ?? '';
      expect(identity).toContain('Tiina Testaaja');
      expect(identity).toContain('010190-123M');
      for (const id of ['#f-firstName', '#f-lastName', '#f-hetu']) expect(await p.locator(id).count()).toBe(0);
      await checkAccessibility(p, 'e-form after strong identification (fi)');
      await screenshot(p, 'form-strong-fi');

      await p.getByLabel(fi.form.email).fill('tiina.testaaja@example.fi');
      await Promise.all([p.waitForURL(/\/request\?lang=fi$/), p.getByRole('button', { name: fi.form.submit }).click()]);
      expect(await p.getByRole('heading', { level: 1 }).textContent()).toBe(fi.confirmation.title);
      expect(await p.locator('main').textContent()).toContain(fi.confirmation.next.identityVerified);
      await checkAccessibility(p, 'confirmation after strong identification (fi)');
      await screenshot(p, 'confirmation-strong-fi');
      const reference = (await p.locator('dl.facts strong').first().textContent())?.trim() ?? '';
      const row = await engine.tdb.db.selectFrom('dsr.requests').selectAll().where('reference', '=', reference).executeTakeFirstOrThrow();
      expect(row).toMatchObject({ subject_first_name: 'Tiina', subject_last_name: 'Testaaja', subject_hetu: '010190-123M', identity_method: 'strong_eid' });
    } finally {
      await other.close();
    }
  });
});
