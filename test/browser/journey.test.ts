/**
 * One request the whole way in a real browser (Debian's Chromium) against the whole engine and a
 * real OpenID provider on loopback: a resident identifies with an e-mail code and sends the Finnish
 * e-form; a handler signs in through the organisation's identity provider, verifies the identity
 * and approves the answer on the request page; the resident opens the e-mail's link and downloads
 * the answer with the access code. Every page of ours is checked with axe and screenshotted.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import type { Server } from 'node:http';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { freePort } from '../../embedded/ports';
import fi from '../../web/locales/fi.json';
import actions from '../../web/staff/locales/actions.fi.json';
import staff from '../../web/staff/locales/fi.json';
import { checkAccessibility, launchBrowser, screenshot } from '../helpers/browser';
import { startEngine, type Engine } from '../helpers/engine';
import { startOidcProvider, type OidcTestProvider } from '../helpers/oidc';
import { pdfText } from '../helpers/pdf-text';
import { codeMails, nextCode } from '../helpers/resident';

jest.setTimeout(240_000);

const SUBJECT = { firstName: 'Testi', lastName: 'Demo', hetu: '131052-308T', email: 'testi.demo@example.fi' };
const CLIENT = { client_id: 'dsr-staff', client_secret: randomBytes(24).toString('base64url') };

let provider: OidcTestProvider;
let engine: Engine;
let server: Server;
let baseUrl: string;
let browser: Browser;
let resident: BrowserContext;
let handler: BrowserContext;
/** What the resident wrote down from the confirmation page. */
const receipt = { reference: '', accessCode: '' };

beforeAll(async () => {
  const port = await freePort();
  baseUrl = `http://127.0.0.1:${port}`;
  // The provider is another site (localhost) than the engine (127.0.0.1), as in production.
  provider = await startOidcProvider({
    clients: [{ ...CLIENT, redirect_uris: [`${baseUrl}/staff/oidc/callback`] }],
    accounts: { hanna: { preferred_username: 'hanna.kasittelija', roles: ['handler'] } },
    issuerHost: 'localhost',
  });
  [engine, browser] = await Promise.all([
    startEngine({
      withPages: true,
      env: { PUBLIC_BASE_URL: baseUrl, STAFF_OIDC_ISSUER: provider.issuer, STAFF_OIDC_CLIENT_ID: CLIENT.client_id, STAFF_OIDC_CLIENT_SECRET: CLIENT.client_secret },
    }),
    launchBrowser(),
  ]);
  server = await new Promise<Server>((resolve, reject) => {
    const s = engine.api.app.listen(port, '127.0.0.1', () => resolve(s));
    s.once('error', reject);
  });
  resident = await browser.newContext({ acceptDownloads: true, locale: 'fi-FI' });
  handler = await browser.newContext({ locale: 'fi-FI' });
});

afterAll(async () => {
  await resident?.close();
  await handler?.close();
  await browser?.close();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  await engine?.stop();
  await provider?.stop();
});

async function h1(page: Page): Promise<string> {
  return ((await page.getByRole('heading', { level: 1 }).textContent()) ?? '').trim();
}

describe('a request from the resident to the handler and back, in a real browser', () => {
  let residentPage: Page;
  let handlerPage: Page;

  it('the resident identifies with an e-mail code and sends the Finnish e-form', async () => {
    residentPage = await resident.newPage();
    const page = residentPage;
    await page.goto(`${baseUrl}/?lang=fi`);
    await page.getByRole('link', { name: fi.identify.email.button }).click();
    await page.getByLabel(fi.identify.emailForm.email).fill(SUBJECT.email);
    const seen = codeMails(engine.smtp, SUBJECT.email).length;
    await Promise.all([page.waitForURL(/\/identify\/email\/code\?lang=fi$/), page.getByRole('button', { name: fi.identify.emailForm.submit }).click()]);
    await page.getByLabel(fi.identify.code.code).fill(await nextCode(engine.smtp, SUBJECT.email, seen));
    await Promise.all([page.waitForURL(/\/\?lang=fi$/), page.getByRole('button', { name: fi.identify.code.submit }).click()]);
    expect(await h1(page)).toBe(fi.form.heading);

    await page.getByRole('checkbox', { name: fi.rights.access.title, exact: true }).check();
    await Promise.all([page.waitForURL(/\/request\/details\?lang=fi$/), page.getByRole('button', { name: fi.form.continue }).click()]);
    await page.getByLabel(fi.form.firstName).fill(SUBJECT.firstName);
    await page.getByLabel(fi.form.lastName).fill(SUBJECT.lastName);
    await page.getByLabel(fi.form.hetu).fill(SUBJECT.hetu);
    await Promise.all([page.waitForURL(/\/request\?lang=fi$/), page.getByRole('button', { name: fi.form.submit }).click()]);
    expect(await h1(page)).toBe(fi.confirmation.title);
    receipt.reference = (await page.locator('dl.facts strong').first().textContent())?.trim() ?? '';
    receipt.accessCode = (await page.locator('p.code').textContent())?.trim() ?? '';
    expect(receipt.reference).toMatch(/^DSR-\d{4}-[2-9A-Z]{6}$/);
    await screenshot(page, 'journey-1-confirmation-fi');
  });

  it('the handler signs in through the identity provider and finds the request in the console', async () => {
    handlerPage = await handler.newPage();
    const page = handlerPage;
    await page.goto(`${baseUrl}/staff/sign-in?lang=fi`);
    await checkAccessibility(page, 'staff sign-in with identity provider (fi)');
    await screenshot(page, 'journey-2-staff-sign-in-fi');
    await page.locator('#oidc-sign-in').click();
    // The provider's own pages (not ours, so not checked with axe): log in, then consent.
    await page.locator('input[name=login]').fill('hanna');
    await page.locator('input[name=password]').fill('any password');
    await page.locator('button[type=submit]').click();
    await page.locator('input[name=prompt][value=consent]').waitFor({ state: 'attached' });
    await page.locator('button[type=submit]').click();
    await page.waitForURL(`${baseUrl}/staff?lang=fi`);
    expect(await h1(page)).toBe(staff.console.title);
    expect(await page.locator('footer').textContent()).toContain('hanna.kasittelija');

    const row = page.locator(`tr[data-reference="${receipt.reference}"]`);
    await row.waitFor();
    await row.getByRole('link', { name: receipt.reference }).click();
    await page.locator('#form-identity').waitFor();
    // The timeline tells the handler that the answer's address was confirmed with a code.
    expect(await page.locator('tr[data-type="email_confirmed"]').count()).toBe(1);
    expect(await h1(page)).toBe(staff.request.title.replace('{{reference}}', receipt.reference));
    await checkAccessibility(page, 'request page, identity awaited (fi)');
    await screenshot(page, 'journey-3-request-identity-fi');
  });

  it('the handler verifies the identity; a note too short is refused next to its field first', async () => {
    const page = handlerPage;
    const form = page.locator('#form-identity');
    await form.getByRole('radio', { name: actions.actions.identity.verified }).check();
    await form.getByLabel(actions.actions.identity.note).fill('ok');
    await form.getByRole('button', { name: actions.actions.identity.submit }).click();
    await page.locator('#identity-note-error').waitFor();
    await checkAccessibility(page, 'request page, refused action (fi)');
    await screenshot(page, 'journey-4-request-refused-fi');

    await page.locator('#form-identity').getByLabel(actions.actions.identity.note).fill('Henkilöllisyys tarkistettu rekisteristä ja puhelimitse.');
    await page.locator('#form-identity').getByRole('radio', { name: actions.actions.identity.verified }).check();
    await Promise.all([page.waitForURL(/done=identity/), page.locator('#form-identity').getByRole('button', { name: actions.actions.identity.submit }).click()]);
    expect(await page.locator('#action-done').textContent()).toBe(actions.actions.done.identity);
  });

  it('the handler opens the draft answer and approves it', async () => {
    const page = handlerPage;
    // The workflow gathers the data and renders the draft; the page offers approval once it is ready.
    for (let i = 0; i < 60 && (await page.locator('#form-approve').count()) === 0; i++) {
      await page.waitForTimeout(500);
      await page.reload();
    }
    await page.locator('#form-approve').waitFor();
    await checkAccessibility(page, 'request page, approval awaited (fi)');
    await screenshot(page, 'journey-5-request-approval-fi');
    const draft = await page.request.get(`${baseUrl}${await page.locator('#draft-link').getAttribute('href')}`);
    expect(draft.headers()['content-type']).toBe('application/pdf');
    expect(await pdfText(Buffer.from(await draft.body()))).toContain(SUBJECT.lastName);

    await Promise.all([page.waitForURL(/done=approve/), page.locator('#form-approve').getByRole('button', { name: actions.actions.approve.submit }).click()]);
    expect(await page.locator('#action-done').textContent()).toBe(actions.actions.done.approve);
    await screenshot(page, 'journey-6-request-approved-fi');
  });

  it('the resident opens the link from the e-mail and downloads the answer with the access code', async () => {
    const notice = await engine.smtp.waitFor((m) => m.headers.get('x-dsr-kind') === 'document_ready' && m.to.includes(SUBJECT.email));
    const link = new RegExp(`${baseUrl.replace(/[.]/g, '\\.')}/download/[A-Za-z0-9_-]+(\\?lang=fi)?`).exec(notice.text)?.[0];
    expect(link).toBeDefined();
    const page = residentPage;
    await page.goto(link!);
    expect(await h1(page)).toBe(fi.download.heading);
    await page.getByLabel(fi.download.accessCode).fill(receipt.accessCode);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: fi.download.submit }).click()]);
    const text = await pdfText(fs.readFileSync((await download.path())!));
    expect(text).toContain(receipt.reference);
    expect(text).toContain(SUBJECT.lastName);

    // The fetch is counted: an event and an audit link.
    const request = await engine.tdb.db.selectFrom('dsr.requests').select('id').where('reference', '=', receipt.reference).executeTakeFirstOrThrow();
    const downloaded = await engine.tdb.db.selectFrom('dsr.events').select('type').where('request_id', '=', request.id).where('type', '=', 'document_downloaded').execute();
    expect(downloaded).toHaveLength(1);
  });
});
