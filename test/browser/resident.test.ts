/**
 * The resident pages in a real browser (Debian's Chromium) against the whole engine: a resident
 * sends the e-form, keeps the reference and access code from the confirmation, looks the request
 * up on the status page and, once a handler has approved the answer, opens the link from the
 * e-mail and downloads the PDF with the access code. Every page is checked with axe (no serious or
 * critical WCAG 2.1 A/AA violation) and screenshotted into test-results/screenshots/.
 */
import fs from 'node:fs';
import type { Server } from 'node:http';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import request from 'supertest';
import { buildApiServer, type ApiServer } from '../../src/api/server';
import { freePort } from '../../src/infra/ports';
import { createLogger } from '../../src/logger';
import { webRoutes } from '../../src/web/routes';
import en from '../../src/web/locales/en.json';
import fi from '../../src/web/locales/fi.json';
import sv from '../../src/web/locales/sv.json';
import { checkAccessibility, launchBrowser, screenshot } from '../helpers/browser';
import { startEngine, type Engine } from '../helpers/engine';

jest.setTimeout(180_000);

const SUBJECT = { firstName: 'Testi', lastName: 'Demo', hetu: '131052-308T', email: 'testi.demo@example.fi' };

let engine: Engine;
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
  [engine, browser] = await Promise.all([startEngine({ env: { PUBLIC_BASE_URL: baseUrl } }), launchBrowser()]);
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
});

describe('a resident in a real browser', () => {
  it('sends the Finnish e-form for access and gets a confirmation with a DSR reference and an access code', async () => {
    await page.goto(`${baseUrl}/?lang=fi`);
    expect(await page.locator('html').getAttribute('lang')).toBe('fi-FI');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(fi.form.heading);
    await checkAccessibility(page, 'e-form (fi)');
    await screenshot(page, 'form-fi');

    await page.getByRole('checkbox', { name: fi.rights.access.title, exact: true }).check();
    await page.getByLabel(fi.form.firstName).fill(SUBJECT.firstName);
    await page.getByLabel(fi.form.lastName).fill(SUBJECT.lastName);
    await page.getByLabel(fi.form.hetu).fill(SUBJECT.hetu);
    await page.getByLabel(fi.form.email).fill(SUBJECT.email);
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
    ['sv', 'sv-FI', sv.form.heading],
    ['en', 'en', en.form.heading],
  ])('offers the e-form in %s without serious accessibility violations', async (lang, tag, heading) => {
    await page.goto(`${baseUrl}/?lang=${lang}`);
    expect(await page.locator('html').getAttribute('lang')).toBe(tag);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(heading);
    await checkAccessibility(page, `e-form (${lang})`);
    await screenshot(page, `form-${lang}`);
  });

  it('sent empty, the e-form comes back with an error summary linking to the fields, still accessible', async () => {
    await page.goto(`${baseUrl}/?lang=fi`);
    await page.getByRole('button', { name: fi.form.submit }).click();
    const summary = page.locator('.error-summary');
    expect(await summary.count()).toBe(1);
    const targets = await summary.locator('a').evaluateAll((links) => links.map((a) => a.getAttribute('href')));
    expect(targets).toEqual(expect.arrayContaining(['#f-rights-access', '#f-firstName', '#f-lastName', '#f-email']));
    expect(await page.locator('#f-firstName').getAttribute('aria-invalid')).toBe('true');
    await checkAccessibility(page, 'e-form with errors (fi)');
    await screenshot(page, 'form-errors-fi');
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
});
