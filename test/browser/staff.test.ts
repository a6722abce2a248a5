/**
 * The staff pages in a real browser (Debian's Chromium) against the whole engine: the data
 * protection officer filters the deadline console down to the overdue requests, and an auditor
 * finds a request, reads its history and exports it as PDF and CSV. Every page is checked with axe
 * (no serious or critical WCAG 2.1 A/AA violation) and screenshotted into test-results/screenshots/.
 */
import fs from 'node:fs';
import type { Server } from 'node:http';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { freePort } from '../../embedded/ports';
import audit from '../../web/staff/locales/audit.fi.json';
import fi from '../../web/staff/locales/fi.json';
import oidc from '../../web/staff/locales/oidc.fi.json';
import { checkAccessibility, launchBrowser, screenshot } from '../helpers/browser';
import { startEngine, type Engine } from '../helpers/engine';
import { pdfText } from '../helpers/pdf-text';
import { DAY_MS } from '../../domain/calendar';

jest.setTimeout(180_000);

let engine: Engine;
let server: Server;
let baseUrl: string;
let browser: Browser;

/** Requests received this many days ago, entered by staff from paper: 40 days ago is overdue now. */
const received: Record<string, { id: string; reference: string }> = {};

async function enter(name: string, daysAgo: number): Promise<void> {
  const result = await engine.api.ctx.intake.submit({
    rights: ['access'],
    language: 'fi',
    channel: 'mail',
    receivedAt: new Date(Date.now() - daysAgo * DAY_MS),
    identityMethod: null,
    subject: { firstName: `Aino${name}`, lastName: 'Kuopiolainen', email: `${name.toLowerCase()}@example.fi` },
    idempotencyKey: null,
    enteredBy: 'kirjaamo',
  });
  received[name] = { id: result.requests[0].id, reference: result.requests[0].reference };
}

beforeAll(async () => {
  const port = await freePort();
  baseUrl = `http://127.0.0.1:${port}`;
  [engine, browser] = await Promise.all([startEngine({ withPages: true, env: { PUBLIC_BASE_URL: baseUrl } }), launchBrowser()]);
  server = await new Promise<Server>((resolve, reject) => {
    const s = engine.api.app.listen(port, '127.0.0.1', () => resolve(s));
    s.once('error', reject);
  });
  await enter('Myohassa', 40);
  await enter('Myohassa2', 35);
  await enter('Tuore', 2);
});

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  await engine?.stop();
});

/** A fresh browser context signed in through the development sign-in (Finnish pages). */
async function signIn(user: string, roleLabel: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ acceptDownloads: true, locale: 'fi-FI' });
  const page = await context.newPage();
  await page.goto(`${baseUrl}/staff/sign-in?lang=fi`);
  await checkAccessibility(page, 'staff sign-in (fi)');
  await screenshot(page, 'staff-sign-in-fi');
  await page.getByLabel(fi.signIn.user, { exact: true }).fill(user);
  await page.getByLabel(fi.signIn.role).selectOption({ label: roleLabel });
  await Promise.all([page.waitForURL(/\/staff(\/audit)?\?lang=fi$/), page.getByRole('button', { name: fi.signIn.submit }).click()]);
  return { context, page };
}

function listedReferences(page: Page): Promise<string[]> {
  return page.locator('#requests tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-reference') ?? ''));
}

describe('the data protection officer in a real browser', () => {
  it('sees every open request by deadline, and filters the console down to the overdue ones', async () => {
    const { context, page } = await signIn('tiina.tietosuoja', fi.common.roles.dpo);
    try {
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(fi.console.title);
      const all = await listedReferences(page);
      expect(all).toEqual(expect.arrayContaining(Object.values(received).map((r) => r.reference)));
      // Soonest deadline first: the oldest request leads.
      expect(all.indexOf(received.Myohassa.reference)).toBeLessThan(all.indexOf(received.Tuore.reference));
      expect(Number(await page.locator('#count-overdue .n').textContent())).toBe(2);
      await checkAccessibility(page, 'deadline console (fi)');
      await screenshot(page, 'staff-console-fi');

      await page.getByRole('checkbox', { name: fi.console.filter.overdue }).check();
      await Promise.all([page.waitForURL(/overdue=1/), page.getByRole('button', { name: fi.console.filter.apply, exact: true }).click()]);
      expect((await listedReferences(page)).sort()).toEqual([received.Myohassa.reference, received.Myohassa2.reference].sort());
      // Overdue rows say so in words, not only in colour.
      expect(await page.locator(`tr[data-reference="${received.Myohassa.reference}"] .mark.overdue`).textContent()).toBe(fi.console.mark.overdue);
      await checkAccessibility(page, 'deadline console, overdue (fi)');
      await screenshot(page, 'staff-console-overdue-fi');

      // The same view in Swedish keeps the filter.
      await page.getByRole('link', { name: 'På svenska' }).click();
      await page.waitForURL(/lang=sv/);
      expect(await page.locator('html').getAttribute('lang')).toBe('sv-FI');
      expect(page.url()).toContain('overdue=1');
      expect((await listedReferences(page)).sort()).toEqual([received.Myohassa.reference, received.Myohassa2.reference].sort());
      await checkAccessibility(page, 'deadline console, overdue (sv)');
      await screenshot(page, 'staff-console-overdue-sv');
      await page.goto(`${baseUrl}/staff?lang=fi&overdue=1`);

      await page.getByRole('link', { name: received.Myohassa.reference }).click();
      await page.waitForURL(new RegExp(`/staff/requests/${received.Myohassa.id}`));
      await page.locator('#form-identity').waitFor();
      await checkAccessibility(page, 'request page with actions (fi)');
      await screenshot(page, 'staff-request-fi');
    } finally {
      await context.close();
    }
  });
});

describe('the other staff pages in a real browser', () => {
  it('the decision form per category, and the page for a request assigned to someone else, pass axe', async () => {
    const res = await engine.api.ctx.intake.submit({
      rights: ['erasure'],
      language: 'fi',
      channel: 'mail',
      receivedAt: new Date(),
      identityMethod: 'in_person',
      subject: { firstName: 'Testi', lastName: 'Demo', hetu: '131052-308T', email: 'testi.demo@example.fi' },
      categories: ['case_notes', 'diet_restrictions'],
      idempotencyKey: null,
      enteredBy: 'kirjaamo',
    });
    const id = res.requests[0].id;
    const auth = await engine.signIn('tiina.tietosuoja', ['dpo']);
    await engine.waitForStatus(id, auth, (s) => s.awaiting === 'decision');

    const { context, page } = await signIn('tiina.tietosuoja', fi.common.roles.dpo);
    try {
      await page.goto(`${baseUrl}/staff/requests/${id}?lang=fi`);
      await page.locator('#form-decide').waitFor();
      await checkAccessibility(page, 'request page, decision per category (fi)');
      await screenshot(page, 'staff-request-decide-fi');
      // The DPO assigns it to a handler; another handler then gets the page that says so.
      await page.locator('#form-assign').getByRole('textbox').first().fill('hanna.kasittelija');
      await Promise.all([page.waitForURL(/done=assign/), page.locator('#form-assign').getByRole('button').click()]);
    } finally {
      await context.close();
    }
    const other = await signIn('olli.kasittelija', fi.common.roles.handler);
    try {
      const answer = await other.page.goto(`${baseUrl}/staff/requests/${id}?lang=fi`);
      expect(answer?.status()).toBe(403);
      expect(await other.page.getByRole('heading', { level: 1 }).textContent()).toBeTruthy();
      await checkAccessibility(other.page, 'request assigned elsewhere (fi)');
      await screenshot(other.page, 'staff-request-assigned-elsewhere-fi');
    } finally {
      await other.context.close();
    }
  });
});

describe('the staff pages that refuse or end, in a real browser', () => {
  it('says when a role does not reach a page, when a request does not exist, and when the session ended; each passes axe', async () => {
    const { context, page } = await signIn('aarne.auditor', fi.common.roles.auditor);
    try {
      // The request pages are for those who act on requests; an auditor reads the history instead.
      const consoleAnswer = await page.goto(`${baseUrl}/staff/requests/${received.Tuore.id}?lang=fi`);
      expect(consoleAnswer?.status()).toBe(403);
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(fi.forbidden.title);
      await checkAccessibility(page, 'no access (fi)');
      await screenshot(page, 'staff-no-access-fi');
      const missing = await page.goto(`${baseUrl}/staff/audit/requests/00000000-0000-4000-8000-000000000000?lang=fi`);
      expect(missing?.status()).toBe(404);
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(fi.notFound.title);
      await checkAccessibility(page, 'not found (fi)');
      await screenshot(page, 'staff-not-found-fi');
    } finally {
      await context.close();
    }
    // A session cookie that no longer passes: the sign-in page says the session ended.
    const ended = await browser.newContext({ locale: 'fi-FI' });
    try {
      await ended.addCookies([{ name: 'dsr_staff', value: 'a-token-long-expired', url: baseUrl }]);
      const page = await ended.newPage();
      await page.goto(`${baseUrl}/staff?lang=fi`);
      expect(page.url()).toMatch(/\/staff\/sign-in\?(.*&)?expired=1/);
      expect(await page.locator('main .notice[role=status]').textContent()).toBe(oidc.oidc.sessionEnded);
      await checkAccessibility(page, 'session ended (fi)');
      await screenshot(page, 'staff-session-ended-fi');
    } finally {
      await ended.close();
    }
  });
});

describe('an auditor in a real browser', () => {
  it('finds a request by reference, reads its history and exports it as PDF and CSV', async () => {
    const { context, page } = await signIn('aarne.auditor', fi.common.roles.auditor);
    try {
      // Auditors start at the search.
      expect(page.url()).toContain('/staff/audit?lang=fi');
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(audit.audit.search.title);
      await checkAccessibility(page, 'audit search (fi)');
      await screenshot(page, 'audit-search-fi');

      const { reference, id } = received.Myohassa;
      await page.getByLabel(audit.audit.search.reference, { exact: true }).fill(reference.toLowerCase());
      await Promise.all([page.waitForURL(/reference=/), page.getByRole('button', { name: audit.audit.search.submit, exact: true }).click()]);
      await checkAccessibility(page, 'audit search results (fi)');
      await screenshot(page, 'audit-search-results-fi');
      await page.getByRole('link', { name: reference }).click();
      await page.waitForURL(new RegExp(`/staff/audit/requests/${id}`));
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(audit.audit.history.title.replace('{{reference}}', reference));
      await checkAccessibility(page, 'audit history (fi)');
      await screenshot(page, 'audit-history-fi');

      const [pdf] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: audit.audit.history.pdf }).click()]);
      expect(pdf.suggestedFilename()).toBe(`${reference}-history.pdf`);
      const text = await pdfText(fs.readFileSync((await pdf.path())!));
      expect(text).toContain(reference);
      expect(text).toContain('kirjaamo');

      const [csv] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: audit.audit.history.csv }).click()]);
      expect(csv.suggestedFilename()).toBe(`${reference}-history.csv`);
      const rows = fs.readFileSync((await csv.path())!, 'utf8').replace(/^\uFEFF/, '').split('\r\n');
      expect(rows[0]).toBe('section,id,at,actor,type,description,status,reason,detail,sha256');
      expect(rows.some((r) => r.startsWith('event,') && r.includes('kirjaamo'))).toBe(true);

      const exports = await engine.tdb.db.selectFrom('dsr.audit_log').select(['details']).where('request_id', '=', id).where('action', '=', 'auditor_exported_history').where('actor', '=', 'aarne.auditor').execute();
      expect(exports.map((e) => (e.details as { format: string }).format).sort()).toEqual(['csv', 'pdf']);
    } finally {
      await context.close();
    }
  });
});

describe('the console at any window width', () => {
  it('fits 360, 768 and 1280 px without sideways scrolling, and keeps the chart’s numbers for screen readers', async () => {
    const { context, page } = await signIn('leveys.tarkastus', fi.common.roles.dpo);
    try {
      const pages = [`${baseUrl}/staff?lang=fi`, `${baseUrl}/staff/requests/${received.Myohassa.id}?lang=fi`];
      const overflowing: string[] = [];
      for (const width of [360, 768, 1280]) {
        await page.setViewportSize({ width, height: 900 });
        for (const url of pages) {
          await page.goto(url);
          // A string, not a function: the test project compiles without the DOM's types.
          const { scrollWidth, innerWidth } = await page.evaluate<{ scrollWidth: number; innerWidth: number }>('({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth })');
          if (scrollWidth > innerWidth) overflowing.push(`${url} at ${width}px: ${scrollWidth} > ${innerWidth}`);
          if (width === 360) await screenshot(page, `staff-${url.includes('/requests/') ? 'request' : 'console'}-360-fi`);
        }
      }
      expect(overflowing).toEqual([]);
      // The chart's table is hidden from sight only: it stays in the accessibility tree with its numbers.
      await page.setViewportSize({ width: 360, height: 900 });
      await page.goto(`${baseUrl}/staff?lang=fi`);
      const table = page.getByRole('table', { name: fi.chart.tableCaption });
      expect(await table.count()).toBe(1);
      expect(await table.getByRole('rowheader').count()).toBeGreaterThan(8);
    } finally {
      await context.close();
    }
  });
});
