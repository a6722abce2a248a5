/**
 * The staff pages over HTTP with real PostgreSQL: the development sign-in and its cookie, the role
 * check, the CSRF check on forms, the deadline console (order by the deadline in force, marks,
 * filters, counts, the chart's numbers) and the request page with its recorded view. Temporal is
 * replaced by a gateway that records which workflows intake started.
 */
import request from 'supertest';
import { buildApiServer, type ApiServer } from '../../api/server';
import { loadConfig } from '../../config/settings';
import { storeDocument } from '../../db/repositories/documents';
import { loadRegisterDescription } from '../../config/register-description';
import { REGISTER_COLUMNS } from '../../db/tables/register';
import type { Right, RequestState } from '../../domain/request';
import { createLogger } from '../../config/logger';
import { escapeHtml } from '../../web/html';
import { webRoutes } from '../../web/routes';
import { helsinkiDate, OPEN_STATES } from '../../web/staff/chart';
import en from '../../web/staff/locales/en.json';
import fi from '../../web/staff/locales/fi.json';
import { recordingGateway } from '../helpers/recording-gateway';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { csrfOf, signedInStaff } from '../helpers/staff';
import { DAY_MS } from '../../domain/calendar';
import { testEngineEnv } from '../helpers/engine-env';

jest.setTimeout(60_000);

let tdb: TestDatabase;
let api: ApiServer;
let noDevSignIn: ApiServer;
const started: string[] = [];

const gateway = recordingGateway(started);

function env(devSignIn: boolean) {
  return {
    ...testEngineEnv(tdb.url),
    AUTH_DEV_SIGN_IN: devSignIn ? 'true' : 'false',
  };
}

function server(devSignIn: boolean): ApiServer {
  const config = loadConfig(env(devSignIn));
  const description = loadRegisterDescription(config.registerDescriptionPath, REGISTER_COLUMNS);
  return buildApiServer({ config, db: tdb.db, description, logger: createLogger('silent'), gateway, extraRouters: (ctx) => [webRoutes(ctx)] });
}

/** The requests of the console, by name. */
const requests: Record<string, { id: string; reference: string }> = {};

/** Submits one request through intake, then sets its deadlines (and state) directly. */
async function submit(name: string, right: Right, dueInDays: number, extra: { extendedDueInDays?: number; state?: RequestState } = {}) {
  const result = await api.ctx.intake.submit({
    rights: [right],
    language: 'fi',
    channel: 'e_form',
    receivedAt: new Date(),
    identityMethod: null,
    subject: { firstName: `Aino${name}`, lastName: 'Kuopiolainen', email: `${name.toLowerCase()}@example.fi` },
    idempotencyKey: null,
    enteredBy: 'subject',
  });
  const { id, reference } = result.requests[0];
  const at = new Date(Date.now() + dueInDays * DAY_MS);
  const extendedAt = new Date(Date.now() + (extra.extendedDueInDays ?? dueInDays + 60) * DAY_MS);
  await tdb.db
    .updateTable('dsr.requests')
    .set({
      deadline_at: at,
      deadline: helsinkiDate(at),
      extended_deadline_at: extendedAt,
      extended_deadline: helsinkiDate(extendedAt),
      ...(extra.extendedDueInDays !== undefined ? { extended_at: new Date() } : {}),
      ...(extra.state ? { state: extra.state } : {}),
    })
    .where('id', '=', id)
    .execute();
  requests[name] = { id, reference };
}

beforeAll(async () => {
  tdb = await createTestDatabase();
  api = server(true);
  noDevSignIn = server(false);
  // In order of submission, not of deadline: the console must sort them.
  await submit('Later', 'access', 30, { state: 'awaiting_information' });
  await submit('Overdue', 'access', -2);
  await submit('Extended', 'access', 1, { extendedDueInDays: 75 }); // beyond the chart's eight weeks
  await submit('Soon', 'access', 3);
  await submit('Deciding', 'information', 10, { state: 'awaiting_decision' });
});

afterAll(async () => {
  await api?.close();
  await noDevSignIn?.close();
  await tdb?.destroy();
});

// --- helpers ----------------------------------------------------------------------------------

/** An agent that keeps its cookies, signed in through the development sign-in. */
const signedIn = (user: string, role: string) => signedInStaff(api.app, user, role, '/staff?lang=en');

/** References of the console's table, top to bottom. */
function listedReferences(page: string): string[] {
  return [...page.matchAll(/<tr[^>]*data-reference="([^"]+)"/g)].map((m) => m[1]);
}

function rowOf(page: string, reference: string): string {
  const start = page.indexOf(`data-reference="${reference}"`);
  if (start < 0) throw new Error(`no row for ${reference}`);
  return page.slice(page.lastIndexOf('<tr', start), page.indexOf('</tr>', start));
}

function countOf(page: string, key: string): number {
  const match = new RegExp(`id="count-${key}"><span class="n">(\\d+)</span>`).exec(page);
  if (!match) throw new Error(`no count ${key}`);
  return Number(match[1]);
}

/** The chart's hidden table as numbers: bucket -> state -> count, plus the total. */
function chartTable(page: string): Map<number, Record<string, number>> {
  const table = page.slice(page.indexOf('<table id="load-table">'), page.indexOf('</table>', page.indexOf('id="load-table"')));
  const rows = new Map<number, Record<string, number>>();
  for (const row of table.matchAll(/<tr data-bucket="(-?\d+)">(.*?)<\/tr>/g)) {
    const cells: Record<string, number> = {};
    for (const c of row[2].matchAll(/<td data-state="([a-z_]+)">(\d+)<\/td>/g)) cells[c[1]] = Number(c[2]);
    cells.total = Number(/<td data-total>(\d+)<\/td>/.exec(row[2])?.[1]);
    rows.set(Number(row[1]), cells);
  }
  return rows;
}

// --- tests ------------------------------------------------------------------------------------

describe('signing in', () => {
  test('an unauthenticated visitor of the console is sent to the sign-in page', async () => {
    await request(api.app).get('/staff?lang=sv').expect(303).expect('Location', '/staff/sign-in?lang=sv');
    await request(api.app).get(`/staff/requests/${requests.Overdue.id}`).expect(303).expect('Location', '/staff/sign-in?lang=fi');
  });

  test('the sign-in page says it is the development sign-in, in the page language', async () => {
    const res = await request(api.app).get('/staff/sign-in?lang=fi').expect(200);
    expect(res.text).toContain('<html lang="fi-FI">');
    expect(res.text).toContain(fi.signIn.devNotice);
    expect(res.text).toContain('<label for="user">');
    expect(res.text).toContain('<label for="role">');
  });

  test('signing in sets an HttpOnly, SameSite=Strict cookie, kept a while past its token so the page can say the session ended', async () => {
    const agent = request.agent(api.app);
    const form = await agent.get('/staff/sign-in').expect(200);
    const res = await agent.post('/staff/sign-in').type('form').send({ user: 'kasittelija.1', role: 'handler', csrf: csrfOf(form.text) }).expect(303);
    const cookie = ([] as string[]).concat(res.headers['set-cookie'] ?? []).find((c) => c.startsWith('dsr_staff='));
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const expires = Date.parse(/Expires=([^;]+)/.exec(cookie ?? '')?.[1] ?? '');
    // The token lasts AUTH_SESSION_MINUTES (60); the cookie outlives it by 12 hours.
    expect(expires - Date.now()).toBeGreaterThan(12 * 60 * 60 * 1000);
    expect(expires - Date.now()).toBeLessThan(13 * 60 * 60 * 1000 + 60_000);
    expect(cookie).not.toMatch(/Secure/); // the public base URL of the test is http
  });

  test('a sign-in without the form’s CSRF token is refused and signs nobody in', async () => {
    const res = await request(api.app).post('/staff/sign-in').type('form').send({ user: 'intruder', role: 'admin' }).expect(403);
    expect(res.headers['set-cookie'] ?? []).not.toEqual(expect.arrayContaining([expect.stringMatching(/^dsr_staff=/)]));
  });

  test('a user id that breaks the rules is named as the error', async () => {
    const agent = request.agent(api.app);
    const form = await agent.get('/staff/sign-in?lang=en').expect(200);
    const res = await agent.post('/staff/sign-in?lang=en').type('form').send({ user: 'X', role: 'handler', csrf: csrfOf(form.text) }).expect(400);
    expect(res.text).toContain(en.signIn.userError);
    expect(res.text).toContain('aria-invalid="true"');
  });

  test('a page number beyond reason shows the first page, not a failure', async () => {
    const agent = await signedIn('sivunumero', 'admin');
    for (const path of ['/staff?lang=en&page=1e21', '/staff?lang=en&page=99999999', '/staff/audit?lang=en&page=1e21']) await agent.get(path).expect(200);
  });

  test('staff pages carry the security headers and are never cached', async () => {
    const agent = await signedIn('otsakkeet', 'handler');
    for (const path of ['/staff/sign-in?lang=en', '/staff?lang=en', `/staff/requests/${requests.Later.id}?lang=en`]) {
      const res = await agent.get(path).expect(200);
      const csp = res.headers['content-security-policy'] ?? '';
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("form-action 'self'");
      expect(csp).toContain("frame-ancestors 'self'");
      expect(csp).toContain("object-src 'none'");
      expect(res.headers).toMatchObject({ 'x-content-type-options': 'nosniff', 'x-frame-options': 'SAMEORIGIN', 'referrer-policy': 'no-referrer', 'cache-control': 'no-store' });
      expect(res.headers['strict-transport-security']).toMatch(/max-age=\d+/);
      expect(res.headers['x-powered-by']).toBeUndefined();
    }
  });

  test('when the development sign-in is off, the sign-in page is 404 and points to the identity provider', async () => {
    const res = await request(noDevSignIn.app).get('/staff/sign-in?lang=en').expect(404);
    expect(res.text).toContain(escapeHtml(en.signIn.disabledText));
    await request(noDevSignIn.app).post('/staff/sign-in').type('form').send({ user: 'someone', role: 'admin' }).expect(404);
  });

  test('an auditor is sent from the deadline console to the auditor pages, and gets 403 from a handler’s request page', async () => {
    const agent = await signedIn('tarkastaja', 'auditor');
    await agent.get('/staff?lang=en').expect(303).expect('Location', '/staff/audit?lang=en');
    const res = await agent.get(`/staff/requests/${requests.Later.id}?lang=en`).expect(403);
    expect(res.text).toContain(en.forbidden.text);
  });

  test('signing out needs the session’s CSRF token; with it the session ends', async () => {
    const agent = await signedIn('kasittelija.2', 'handler');
    await agent.post('/staff/sign-out').type('form').send({}).expect(403);
    await agent.post('/staff/sign-out').type('form').send({ csrf: 'forged' }).expect(403);
    const page = await agent.get('/staff?lang=en').expect(200);
    await agent.post('/staff/sign-out?lang=en').type('form').send({ csrf: csrfOf(page.text) }).expect(303).expect('Location', '/staff/sign-in?signedOut=1&lang=en');
    await agent.get('/staff?lang=en').expect(303);
  });
});

describe('the deadline console, for a handler', () => {
  let page: string;
  beforeAll(async () => {
    const agent = await signedIn('kasittelija', 'handler');
    page = (await agent.get('/staff?lang=en').expect(200)).text;
  });

  test('lists the open requests by the deadline in force, soonest first (an extension moves one back)', () => {
    const order = ['Overdue', 'Soon', 'Deciding', 'Later', 'Extended'].map((n) => requests[n].reference);
    expect(listedReferences(page)).toEqual(order);
  });

  test('each reference links to its request page', () => {
    expect(page).toContain(`<a href="/staff/requests/${requests.Soon.id}?lang=en">${requests.Soon.reference}</a>`);
  });

  test('the overdue request and the one due within 7 days are marked in words', () => {
    expect(rowOf(page, requests.Overdue.reference)).toContain(`<strong class="mark overdue">${en.console.mark.overdue}</strong>`);
    expect(rowOf(page, requests.Soon.reference)).toContain(`<strong class="mark soon">${en.console.mark.dueSoon}</strong>`);
    expect(rowOf(page, requests.Later.reference)).not.toContain('class="mark overdue"');
    expect(rowOf(page, requests.Extended.reference)).toContain(en.console.mark.extended);
    expect(rowOf(page, requests.Extended.reference)).not.toContain('class="mark soon"');
  });

  test('the counts at the top are those of the open requests', () => {
    expect(countOf(page, 'open')).toBe(5);
    expect(countOf(page, 'overdue')).toBe(1);
    expect(countOf(page, 'dueWithin7Days')).toBe(1);
    expect(countOf(page, 'awaitingIdentity')).toBe(1);
    expect(countOf(page, 'awaitingDecision')).toBe(1);
    expect(countOf(page, 'awaitingApproval')).toBe(0);
  });

  test('every count links to the list it counts: following the link lists that many requests', async () => {
    const agent = await signedIn('kasittelija', 'handler');
    const counts = [...page.matchAll(/<li id="count-(\w+)"><span class="n">(\d+)<\/span><a href="([^"]+)">/g)].map((m) => ({ key: m[1], n: Number(m[2]), href: m[3].replace(/&amp;/g, '&') }));
    expect(counts.map((c) => c.key)).toEqual(['open', 'overdue', 'dueWithin7Days', 'awaitingIdentity', 'awaitingDecision', 'awaitingApproval', 'needsAttention']);
    for (const c of counts) {
      const listed = listedReferences((await agent.get(c.href).expect(200)).text);
      expect([c.key, listed.length]).toEqual([c.key, c.n]);
    }
  });

  test('the chart has a title and a description, and its hidden table has the numbers by week and state, later deadlines included', () => {
    expect(page).toMatch(/<svg role="img" aria-labelledby="load-title load-desc"/);
    expect(page).toContain(`<title id="load-title">${en.chart.title}</title>`);
    const table = chartTable(page);
    expect([...table.keys()]).toEqual([-1, 0, 1, 2, 3, 4, 5, 6, 7, 8]);
    const expected: Record<number, Partial<Record<string, number>>> = {
      [-1]: { received: 1, total: 1 }, // overdue
      0: { received: 1, total: 1 }, // due in 3 days
      1: { awaiting_decision: 1, total: 1 }, // due in 10 days
      4: { awaiting_information: 1, total: 1 }, // due in 30 days
      8: { received: 1, total: 1 }, // extended to 75 days: the "later" column
    };
    for (const [bucket, cells] of table) {
      const want = expected[bucket] ?? {};
      for (const state of [...OPEN_STATES, 'total']) expect([bucket, state, cells[state]]).toEqual([bucket, state, want[state] ?? 0]);
    }
    const total = [...table.values()].reduce((sum, cells) => sum + cells.total, 0);
    expect(total).toBe(countOf(page, 'open'));
    expect(page).toMatch(new RegExp(`<th scope="row">${en.chart.laterRange.replace('{{from}}', '[^<]+')}</th>`));
  });

  test('the page has a language, a skip link, headings in order, labelled filters and a table with caption and scopes', () => {
    expect(page).toContain('<html lang="en">');
    expect(page).toContain('<a class="skip" href="#main">');
    const levels = [...page.matchAll(/<h([1-6])\b/g)].map((m) => Number(m[1]));
    expect(levels[0]).toBe(1);
    levels.forEach((level, i) => i > 0 && expect(level - levels[i - 1]).toBeLessThanOrEqual(1));
    for (const id of ['state', 'right', 'status', 'dueWithin', 'overdue', 'extended', 'identity']) expect(page).toContain(`<label for="${id}">`);
    expect(page).toMatch(/<table id="requests">\s*<caption>/);
    expect(page).toContain('<th scope="col">');
    expect(page).toContain('<th scope="row">');
  });

  test.each([
    ['overdue=1', ['Overdue']],
    ['dueWithin=7', ['Soon']],
    ['dueWithin=14', ['Soon', 'Deciding']],
    ['right=information', ['Deciding']],
    ['state=awaiting_decision', ['Deciding']],
    ['extended=1', ['Extended']],
    ['identity=1', ['Later']],
    ['status=closed', []],
  ])('the filter %s narrows the list', async (query, names) => {
    const agent = await signedIn('kasittelija', 'handler');
    const res = await agent.get(`/staff?lang=en&${query}`).expect(200);
    expect(listedReferences(res.text)).toEqual(names.map((n) => requests[n].reference));
    if (names.length === 0) expect(res.text).toContain(en.console.empty);
  });

  test('the filter form shows the filters in force', async () => {
    const agent = await signedIn('kasittelija', 'handler');
    const res = await agent.get('/staff?lang=en&right=information&overdue=1').expect(200);
    expect(res.text).toContain('<option value="information" selected="selected">');
    expect(res.text).toMatch(/id="overdue" name="overdue" value="1" checked="checked"/);
  });
});

describe('the request page', () => {
  test('shows the summary, the subject and the timeline, and records the view in the audit log', async () => {
    const agent = await signedIn('kasittelija.3', 'dpo');
    const { id, reference } = requests.Overdue;
    const res = await agent.get(`/staff/requests/${id}?lang=en`).expect(200);
    expect(res.text).toContain(`<h1>${en.request.title.replace('{{reference}}', reference)}</h1>`);
    expect(res.text).toContain('AinoOverdue');
    expect(res.text).toMatch(/<table id="timeline">\s*<caption>/);
    expect(res.text).toContain(`<tr data-type="submitted">`);
    expect(res.text).toContain(`<th scope="row">${en.events.submitted}</th>`);
    const audit = await tdb.db.selectFrom('dsr.audit_log').selectAll().where('request_id', '=', id).where('action', '=', 'staff_viewed_request').execute();
    expect(audit.map((a) => a.actor)).toEqual(['kasittelija.3']);
  });

  test('an auditor may not open it, and an unknown id is a 404 page', async () => {
    const auditor = await signedIn('tarkastaja', 'auditor');
    await auditor.get(`/staff/requests/${requests.Soon.id}`).expect(403);
    const handler = await signedIn('kasittelija', 'handler');
    await handler.get('/staff/requests/00000000-0000-4000-8000-000000000000').expect(404);
    await handler.get('/staff/requests/not-a-uuid').expect(404);
  });

  test('a document is linked from the request page and served to signed-in staff, with the view recorded', async () => {
    const { id } = requests.Soon;
    const content = Buffer.from('%PDF-1.7\n% test\n');
    const doc = await storeDocument(tdb.db, { requestId: id, businessKey: `test:${id}`, kind: 'answer', language: 'fi', filename: 'vastaus.pdf', mediaType: 'application/pdf', content });
    const agent = await signedIn('kasittelija.4', 'handler');
    const page = await agent.get(`/staff/requests/${id}?lang=en`).expect(200);
    expect(page.text).toContain(`<a href="/staff/documents/${doc.id}?lang=en">vastaus.pdf</a>`);
    const res = await agent.get(`/staff/documents/${doc.id}`).expect(200).expect('Content-Type', /application\/pdf/).buffer(true);
    expect(Buffer.from(res.body as Buffer).equals(content)).toBe(true);
    const audit = await tdb.db.selectFrom('dsr.audit_log').selectAll().where('request_id', '=', id).where('action', '=', 'staff_viewed_document').execute();
    expect(audit.map((a) => a.actor)).toEqual(['kasittelija.4']);
    await request(api.app).get(`/staff/documents/${doc.id}`).expect(303);
  });
});
