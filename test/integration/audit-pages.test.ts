/**
 * The auditor's pages over HTTP with real PostgreSQL: the search and each of its filters (with
 * requests that must not match), the date checks, one request's complete history (events with
 * actors and reasons, documents with their sha256, decisions, e-mails, recipient notifications,
 * transmissions, audit links), the CSV and PDF exports read back, every view and export recorded
 * in the audit log with the auditor as actor, the role check, and the chain verification when a
 * link is broken. Temporal is replaced by a gateway that records which workflows intake started.
 */
import { createHash } from 'node:crypto';
import request from 'supertest';
import { buildApiServer, type ApiServer } from '../../api/server';
import { loadConfig } from '../../config/settings';
import { recordDecision, storeProposals } from '../../db/repositories/decisions';
import { markDocumentApproved, storeDocument, type StoredDocument } from '../../db/repositories/documents';
import { recordTransition } from '../../db/repositories/events';
import { enqueueMessage, markMessageSent } from '../../db/repositories/outbox';
import { ensureNotification, ensureTransmission } from '../../db/repositories/recipient-notifications';
import { getRequestSummary } from '../../db/repositories/requests';
import { loadRegisterDescription } from '../../config/register-description';
import { REGISTER_COLUMNS } from '../../db/tables/register';
import type { Outcome, Right } from '../../domain/request';
import { createLogger } from '../../config/logger';
import { escapeHtml } from '../../web/html';
import { webRoutes } from '../../web/routes';
import { historyPdf } from '../../web/staff/audit-pdf';
import { loadAuditHistory } from '../../web/staff/audit-queries';
import { staffText } from '../../web/staff/i18n';
import auditEn from '../../web/staff/locales/audit.en.json';
import auditFi from '../../web/staff/locales/audit.fi.json';
import en from '../../web/staff/locales/en.json';
import { pdfText } from '../helpers/pdf-text';
import { recordingGateway } from '../helpers/recording-gateway';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { integrityDeps } from '../../services/audit-deps';
import { signedInStaff } from '../helpers/staff';
import { testEngineEnv } from '../helpers/engine-env';

jest.setTimeout(60_000);

const A = auditEn.audit;

let tdb: TestDatabase;
let api: ApiServer;
const started: string[] = [];

function server(): ApiServer {
  const config = loadConfig({
    ...testEngineEnv(tdb.url),
    AUTH_DEV_SIGN_IN: 'true',
  });
  const description = loadRegisterDescription(config.registerDescriptionPath, REGISTER_COLUMNS);
  // Until the staff router mounts the auditor's pages, they are mounted beside it (webRoutes gives the sign-in).
  return buildApiServer({
    config,
    db: tdb.db,
    description,
    logger: createLogger('silent'),
    gateway: recordingGateway(started),
    extraRouters: (ctx) => [webRoutes(ctx)],
  });
}

interface Fixture {
  id: string;
  reference: string;
}

/** The requests of the search, by name. */
const requests: Record<string, Fixture> = {};
let answer: StoredDocument;

/** Submits one request through intake at `receivedAt`, then closes it with `outcome` when given. */
async function submit(name: string, right: Right, receivedAt: string, outcome?: Outcome): Promise<Fixture> {
  const result = await api.ctx.intake.submit({
    rights: [right],
    language: 'fi',
    channel: 'e_form',
    receivedAt: new Date(receivedAt),
    identityMethod: null,
    subject: { firstName: `Aino${name}`, lastName: 'Tarkastettava', email: `${name.toLowerCase()}@example.fi` },
    idempotencyKey: null,
    enteredBy: 'subject',
  });
  const { id, reference } = result.requests[0];
  if (outcome) {
    await recordTransition(tdb.db, {
      requestId: id,
      businessKey: 'closed',
      type: 'closed',
      actor: 'engine',
      at: new Date(new Date(receivedAt).getTime() + 20 * 24 * 3600 * 1000),
      change: { state: 'closed', outcome, closedAt: new Date(new Date(receivedAt).getTime() + 20 * 24 * 3600 * 1000) },
    });
  }
  return (requests[name] = { id, reference });
}

/** The reason with a formula in it: the CSV must not let a spreadsheet run it. */
const FORMULA_REASON = '=HYPERLINK("http://example.invalid/x","klikkaa")';

beforeAll(async () => {
  tdb = await createTestDatabase();
  api = server();
  // Received 15 January (Helsinki), answered: the request whose history is looked at closely.
  const answered = await submit('Answered', 'access', '2024-01-15T10:00:00Z', 'answered');
  // 22:30 UTC on 31 January is already 1 February in Helsinki.
  await submit('Refused', 'erasure', '2024-01-31T22:30:00Z', 'refused');
  await submit('Ported', 'portability', '2024-02-10T08:00:00Z', 'answered');
  await submit('Open', 'rectification', '2024-03-10T09:00:00Z');

  const id = answered.id;
  await recordTransition(tdb.db, {
    requestId: id,
    businessKey: 'identity',
    type: 'identity_verified',
    actor: 'kasittelija.1',
    at: new Date('2024-01-16T08:15:00Z'),
    reason: 'Henkilöllisyys tarkistettu passista',
  });
  await recordTransition(tdb.db, { requestId: id, businessKey: 'odd-reason', type: 'items_withheld', actor: 'kasittelija.1', at: new Date('2024-01-20T09:00:00Z'), reason: FORMULA_REASON });
  await storeProposals(tdb.db, id, [{ key: 'contact_details', kind: 'category', outcome: 'granted', ground: 'gdpr_15_1_access' }]);
  await recordDecision(tdb.db, id, {
    key: 'contact_details',
    outcome: 'refused',
    ground: 'dpa_34_health_or_rights',
    reason: 'Tiedot vaarantaisivat toisen henkilön oikeudet',
    decidedBy: 'tsv.1',
    at: new Date('2024-01-22T12:00:00Z'),
  });
  answer = await storeDocument(tdb.db, {
    requestId: id,
    businessKey: `answer:${id}`,
    kind: 'access_answer',
    language: 'fi',
    filename: 'vastaus.pdf',
    mediaType: 'application/pdf',
    content: Buffer.from('%PDF-1.7\n% the answer\n'),
  });
  await markDocumentApproved(tdb.db, answer.id, 'tsv.1', new Date('2024-01-25T10:00:00Z'));
  const message = await enqueueMessage(
    tdb.db,
    { businessKey: `ack:${id}`, requestId: id, kind: 'acknowledgement', recipient: 'answered@example.fi', subject: 'Pyyntösi on vastaanotettu', textBody: 'x', htmlBody: '<p>x</p>' },
    'example.fi',
  );
  await markMessageSent(tdb.db, message.id, new Date('2024-01-15T10:01:00Z'));

  await ensureNotification(tdb.db, {
    requestId: requests.Refused.id,
    businessKey: `notify:${requests.Refused.id}:kela`,
    recipientKey: 'kela',
    channel: 'none',
    changeKind: 'erasure',
    categories: ['contact_details'],
    decision: { reason: 'Vastaanottajaan ei saada yhteyttä', decidedBy: 'tsv.2', at: new Date('2024-02-05T09:00:00Z') },
  });
  await ensureTransmission(tdb.db, { requestId: requests.Ported.id, businessKey: `transmit:${requests.Ported.id}`, documentIds: [], endpointUrl: 'https://uusi-rekisterinpitaja.example/siirto' });
});

afterAll(async () => {
  await api?.close();
  await tdb?.destroy();
});

// --- helpers ----------------------------------------------------------------------------------

const signedIn = (user: string, role: string) => signedInStaff(api.app, user, role);

/** References in the results table, top to bottom. */
function listedReferences(page: string): string[] {
  return [...page.matchAll(/<tr data-reference="([^"]+)"/g)].map((m) => m[1]);
}

function names(...list: string[]): string[] {
  return list.map((n) => requests[n].reference);
}

/** One row of a history table, by its data-key. */
function rowOf(page: string, table: string, key: string): string {
  const from = page.indexOf(`<table id="${table}">`);
  const start = page.indexOf(`data-key="${key}"`, from);
  if (from < 0 || start < 0) throw new Error(`no row ${key} in ${table}`);
  return page.slice(page.lastIndexOf('<tr', start), page.indexOf('</tr>', start));
}

/** A small RFC 4180 reader: quoted fields with doubled quotes, commas and line breaks inside. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted && c === '"' && text[i + 1] === '"') {
      field += '"';
      i++;
    } else if (c === '"') {
      quoted = !quoted;
    } else if (!quoted && c === ',') {
      row.push(field);
      field = '';
    } else if (!quoted && c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else {
      field += c;
    }
  }
  if (field !== '' || row.length > 0) throw new Error('the CSV does not end with CRLF');
  return rows;
}

async function auditLinks(requestId: string, action: string) {
  return tdb.db.selectFrom('dsr.audit_log').selectAll().where('request_id', '=', requestId).where('action', '=', action).orderBy('seq').execute();
}

// --- tests ------------------------------------------------------------------------------------

describe('who may see the auditor’s pages', () => {
  test('a visitor who is not signed in is sent to the sign-in page', async () => {
    await request(api.app).get('/staff/audit?lang=sv').expect(303).expect('Location', '/staff/sign-in?lang=sv');
    await request(api.app).get(`/staff/audit/requests/${requests.Answered.id}/history.csv`).expect(303);
  });

  test('a handler gets 403 on every auditor page and export, and nothing is recorded', async () => {
    const handler = await signedIn('kasittelija.9', 'handler');
    const { id } = requests.Answered;
    for (const path of ['/staff/audit', `/staff/audit/requests/${id}`, `/staff/audit/requests/${id}/history.csv`, `/staff/audit/requests/${id}/history.pdf`, `/staff/audit/requests/${id}/history.json`, `/staff/audit/documents/${answer.id}`]) {
      const res = await handler.get(`${path}?lang=en`);
      expect([path, res.status]).toEqual([path, 403]);
    }
    const byHandler = await tdb.db.selectFrom('dsr.audit_log').select('action').where('actor', '=', 'kasittelija.9').execute();
    expect(byHandler.map((l) => l.action)).toEqual(['staff_signed_in']);
  });

  test('the data protection officer may use them too', async () => {
    const dpo = await signedIn('tsv.9', 'dpo');
    await dpo.get('/staff/audit?lang=en').expect(200);
  });
});

describe('the search', () => {
  let auditor: Awaited<ReturnType<typeof signedIn>>;
  beforeAll(async () => {
    auditor = await signedIn('tarkastaja.1', 'auditor');
  });

  test('without filters lists every request, most recently received first, with the chain verified at the top', async () => {
    const res = await auditor.get('/staff/audit?lang=en').expect(200).expect('Cache-Control', 'no-store');
    expect(listedReferences(res.text)).toEqual(names('Open', 'Ported', 'Refused', 'Answered'));
    expect(res.text).toContain('id="chain-status" data-valid="true"');
    const entries = await tdb.db.selectFrom('dsr.audit_log').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    expect(res.text).toContain(escapeHtml(A.chain.valid.replace('{{count}}', entries.n)));
  });

  test('shows the newest signed checkpoint, with its public key, for the auditor to copy and keep elsewhere', async () => {
    const res = await auditor.get('/staff/audit?lang=en').expect(200);
    const file = /<pre class="chain" id="checkpoint-file"><code>([^<]+)<\/code><\/pre>/.exec(res.text)?.[1];
    const checkpoint = JSON.parse(file!.replace(/&quot;/g, '"')) as Record<string, unknown>;
    const stored = await tdb.db.selectFrom('dsr.audit_checkpoints').selectAll().orderBy('number', 'desc').limit(1).executeTakeFirstOrThrow();
    expect(checkpoint).toMatchObject({ format: 'dsr-audit-checkpoint/2', number: Number(stored.number), seq: Number(stored.seq), prev: stored.prev_digest, signature: stored.signature, keyId: stored.key_id });
    expect(typeof checkpoint.publicKey).toBe('string');
  });

  test.each([
    ['the reference, in lower case', () => `reference=${requests.Refused.reference.toLowerCase()}`, ['Refused']],
    ['a reference that is only part of one', () => `reference=${requests.Refused.reference.slice(0, -1)}`, []],
    ['the received dates of February (Helsinki time)', () => 'from=2024-02-01&to=2024-02-29', ['Ported', 'Refused']],
    ['received up to 31 January (22:30 UTC on the 31st is February in Helsinki)', () => 'to=2024-01-31', ['Answered']],
    ['received from 1 March', () => 'from=2024-03-01', ['Open']],
    ['the right', () => 'right=erasure', ['Refused']],
    ['not yet decided', () => 'outcome=open', ['Open']],
    ['answered', () => 'outcome=answered', ['Ported', 'Answered']],
    ['refused, received in January', () => 'outcome=refused&to=2024-01-31', []],
  ])('narrows the list by %s', async (_what, query, expected) => {
    const res = await auditor.get(`/staff/audit?lang=en&${query()}`).expect(200);
    expect(listedReferences(res.text)).toEqual(names(...expected));
    if (expected.length === 0) expect(res.text).toContain(A.search.empty);
  });

  test('a result row shows right, state, outcome, received and closed, and links to the history in the page language', async () => {
    const res = await auditor.get('/staff/audit?lang=sv&right=erasure').expect(200);
    const { id, reference } = requests.Refused;
    expect(res.text).toContain(`<a href="/staff/audit/requests/${id}?lang=sv">${reference}</a>`);
    const row = res.text.slice(res.text.indexOf(`data-reference="${reference}"`), res.text.indexOf('</tr>', res.text.indexOf(`data-reference="${reference}"`)));
    expect(row).toContain('<td>Radering av uppgifter</td>');
    expect(row).toContain('<td>Avslutad</td>');
    expect(row).toContain('<td>Avslagen</td>');
    expect(row).toContain('<td>1.2.2024</td>');
    expect(row).toContain('<td>21.2.2024</td>');
  });

  test('the form is a GET form with labels, keeps the search, and the page has headings in order and a captioned table', async () => {
    const res = await auditor.get('/staff/audit?lang=en&outcome=open&right=rectification').expect(200);
    expect(res.text).toMatch(/<form method="get" action="\/staff\/audit"/);
    for (const id of ['reference', 'from', 'to', 'right', 'outcome']) expect(res.text).toContain(`<label for="${id}">`);
    expect(res.text).toContain('<option value="open" selected="selected">');
    expect(res.text).toContain('<option value="rectification" selected="selected">');
    expect(res.text).toContain('aria-describedby="from-hint"');
    const levels = [...res.text.matchAll(/<h([1-6])\b/g)].map((m) => Number(m[1]));
    expect(levels[0]).toBe(1);
    levels.forEach((level, i) => i > 0 && expect(level - levels[i - 1]).toBeLessThanOrEqual(1));
    expect(res.text).toMatch(/<table id="results">\s*<caption>/);
    expect(res.text).toContain('<th scope="col">');
    expect(res.text).toContain('<th scope="row">');
  });

  test('a date that does not exist is a 400 with the error at its field, and no results', async () => {
    const res = await auditor.get('/staff/audit?lang=en&from=2024-02-30').expect(400);
    expect(res.text).toContain(`<span class="error" id="from-error">`);
    expect(res.text).toContain(A.search.dateError);
    expect(res.text).toMatch(/id="from" name="from" value="2024-02-30"[^>]*aria-describedby="from-hint from-error" aria-invalid="true"/);
    expect(res.text).toContain('<a href="#from">');
    expect(res.text).not.toContain('<table id="results">');
    expect(res.text).toContain(`<title>${A.errorPrefix} ${A.search.title}`);
  });

  test('a range that ends before it starts is a 400 with the error at the end date', async () => {
    const res = await auditor.get('/staff/audit?lang=fi&from=2024-03-01&to=2024-02-01').expect(400);
    expect(res.text).toContain(auditFi.audit.search.rangeError);
    expect(res.text).toMatch(/id="to" name="to" value="2024-02-01"[^>]*aria-describedby="to-hint to-error" aria-invalid="true"/);
    expect(res.text).not.toMatch(/id="from"[^>]*aria-invalid/);
    expect(res.text).not.toContain('<table id="results">');
  });
});

describe('the history of a request', () => {
  let page: string;
  beforeAll(async () => {
    const auditor = await signedIn('tarkastaja.2', 'auditor');
    page = (await auditor.get(`/staff/audit/requests/${requests.Answered.id}?lang=en`).expect(200).expect('Cache-Control', 'no-store')).text;
  });

  test('the view is recorded in the audit log with the auditor as actor, and shows in the page’s own list', async () => {
    const links = await auditLinks(requests.Answered.id, 'auditor_viewed_request');
    expect(links.map((l) => [l.actor, l.details])).toEqual([['tarkastaja.2', { via: 'audit_page' }]]);
    expect(rowOf(page, 'audit-links', 'auditor_viewed_request')).toContain('tarkastaja.2');
  });

  test('lists every event with its time, actor and reason', () => {
    const verified = rowOf(page, 'events', 'identity_verified');
    expect(verified).toContain('<time datetime="2024-01-16T08:15:00.000Z">16/1/2024 at 10:15</time>');
    expect(verified).toContain('<td>kasittelija.1</td>');
    expect(verified).toContain(`<th scope="row">${en.events.identity_verified}</th>`);
    expect(verified).toContain('<td>Henkilöllisyys tarkistettu passista</td>');
    expect(rowOf(page, 'events', 'submitted')).toContain(`<td>${en.request.subject}</td>`);
    expect(rowOf(page, 'events', 'closed')).toContain(`<td>${en.states.closed}</td>`);
  });

  test('lists the documents with kind, language, approval and the full sha256, linked to the auditor’s document address', () => {
    const row = rowOf(page, 'documents', answer.id);
    expect(row).toContain(`<a href="/staff/audit/documents/${answer.id}?lang=en">vastaus.pdf</a>`);
    expect(row).toContain(`<code>${answer.sha256}</code>`);
    expect(answer.sha256).toMatch(/^[0-9a-f]{64}$/);
    // The kind by its name in the page's language, not its code.
    expect(row).toContain(`<td>${escapeHtml(en.documentKinds.access_answer)}</td>`);
    expect(row).not.toContain('access_answer');
    expect(row).toContain(`<td>${en.languages.fi}</td>`);
    expect(row).toContain('by tsv.1');
  });

  test('shows the decision per category with who, when and why, the e-mail sent and the audit links', () => {
    const decision = rowOf(page, 'decisions', 'contact_details');
    expect(decision).toContain(`<td>${en.categoryOutcomes.granted}</td>`);
    expect(decision).toContain(`<td>${en.categoryOutcomes.refused}</td>`);
    expect(decision).toContain('<td>tsv.1</td>');
    expect(decision).not.toContain('gdpr_');
    expect(decision).toContain('Tiedot vaarantaisivat toisen henkilön oikeudet');
    const mail = rowOf(page, 'emails', 'acknowledgement');
    expect(mail).toContain(A.history.emails.statusSent);
    expect(mail).toMatch(/<code>&lt;[0-9a-f]{32}@example\.fi&gt;<\/code>/);
    expect(page).not.toContain('answered@example.fi');
    expect(rowOf(page, 'audit-links', 'identity_verified')).toMatch(/<code>[0-9a-f]{64}<\/code>/);
    expect(page).toContain('id="chain-status" data-valid="true"');
  });

  test('has links to the three exports, no form but the sign-out, and headings in order with captioned tables', () => {
    const { id } = requests.Answered;
    expect(page).toContain(`<a href="/staff/audit/requests/${id}/history.csv?lang=en" download>${A.history.csv}</a>`);
    expect(page).toContain(`<a href="/staff/audit/requests/${id}/history.pdf?lang=en" download>${A.history.pdf}</a>`);
    expect(page).toContain(`<a href="/staff/audit/requests/${id}/history.json?lang=en" download>${A.history.json}</a>`);
    const forms = [...page.matchAll(/<form[^>]*>/g)].map((m) => m[0]);
    expect(forms).toEqual([expect.stringContaining('action="/staff/sign-out?lang=en"')]);
    const levels = [...page.matchAll(/<h([1-6])\b/g)].map((m) => Number(m[1]));
    expect(levels[0]).toBe(1);
    levels.forEach((level, i) => i > 0 && expect(level - levels[i - 1]).toBeLessThanOrEqual(1));
    for (const table of ['events', 'documents', 'decisions', 'emails', 'audit-links']) expect(page).toMatch(new RegExp(`<table id="${table}">\\s*<caption>`));
  });

  test('shows recipient notifications (GDPR 19) and transmissions (GDPR 20(2)) of the requests that have them', async () => {
    const auditor = await signedIn('tarkastaja.2', 'auditor');
    const refused = (await auditor.get(`/staff/audit/requests/${requests.Refused.id}?lang=en`).expect(200)).text;
    const notification = rowOf(refused, 'notifications', 'kela');
    expect(notification).toContain(A.history.notifications.statuses.not_notified);
    expect(notification).toContain('Vastaanottajaan ei saada yhteyttä');
    expect(notification).toContain('tsv.2');
    const ported = (await auditor.get(`/staff/audit/requests/${requests.Ported.id}?lang=fi`).expect(200)).text;
    expect(ported).toContain('<html lang="fi-FI">');
    expect(ported).toContain('<code>https://uusi-rekisterinpitaja.example/siirto</code>');
    expect(ported).toContain(auditFi.audit.history.transmissions.statuses.pending);
    expect(ported).toContain(`<p id="notifications-empty">${auditFi.audit.history.notifications.empty}</p>`);
  });

  test('an unknown or malformed id is a 404', async () => {
    const auditor = await signedIn('tarkastaja.2', 'auditor');
    await auditor.get('/staff/audit/requests/00000000-0000-4000-8000-000000000000').expect(404);
    await auditor.get('/staff/audit/requests/not-a-uuid/history.csv').expect(404);
    await auditor.get('/staff/audit/documents/00000000-0000-4000-8000-000000000000').expect(404);
  });

  test('a document opens for the auditor, and the opening is recorded as auditor_viewed_document', async () => {
    const auditor = await signedIn('tarkastaja.3', 'auditor');
    const res = await auditor.get(`/staff/audit/documents/${answer.id}`).expect(200).expect('Content-Type', /application\/pdf/).expect('Cache-Control', 'no-store').buffer(true);
    expect(createHash('sha256').update(res.body as Buffer).digest('hex')).toBe(answer.sha256);
    const links = await auditLinks(requests.Answered.id, 'auditor_viewed_document');
    expect(links.map((l) => [l.actor, l.details])).toEqual([['tarkastaja.3', { documentId: answer.id, sha256: answer.sha256, via: 'audit_page' }]]);
  });

  test('the auditor’s pages offer no POST: posting to them is not found', async () => {
    const auditor = await signedIn('tarkastaja.2', 'auditor');
    await auditor.post('/staff/audit').type('form').send({}).expect(404);
    await auditor.post(`/staff/audit/requests/${requests.Answered.id}`).type('form').send({}).expect(404);
  });
});

describe('the exports', () => {
  test('the CSV has a BOM, RFC 4180 quoting, a row per event, decision, document and audit link, and defused formulas', async () => {
    const auditor = await signedIn('tarkastaja.4', 'auditor');
    const { id, reference } = requests.Answered;
    const res = await auditor
      .get(`/staff/audit/requests/${id}/history.csv?lang=en`)
      .expect(200)
      .expect('Content-Type', /^text\/csv; charset=utf-8/)
      .expect('Cache-Control', 'no-store')
      .expect('Content-Disposition', `attachment; filename="${reference}-history.csv"`)
      .buffer(true)
      .parse((r, done) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => done(null, Buffer.concat(chunks)));
      });
    const bytes = res.body as Buffer;
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const [header, ...rows] = parseCsv(bytes.toString('utf8').slice(1));
    expect(header).toEqual(['section', 'id', 'at', 'actor', 'type', 'description', 'status', 'reason', 'detail', 'sha256']);
    const rec = rows.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]])));
    expect(rows.every((r) => r.length === header.length)).toBe(true);

    const events = await tdb.db.selectFrom('dsr.events').select('type').where('request_id', '=', id).orderBy('id').execute();
    expect(rec.filter((r) => r.section === 'event').map((r) => r.type)).toEqual(events.map((e) => e.type));
    expect(rec.find((r) => r.type === 'identity_verified')).toMatchObject({ section: 'event', actor: 'kasittelija.1', at: '2024-01-16T08:15:00.000Z', reason: 'Henkilöllisyys tarkistettu passista', description: en.events.identity_verified });
    // The formula comes back as text behind an apostrophe, its quotes and comma intact.
    expect(rec.find((r) => r.type === 'items_withheld')?.reason).toBe(`'${FORMULA_REASON}`);
    expect(bytes.toString('utf8')).toContain(`"'=HYPERLINK(""http://example.invalid/x"",""klikkaa"")"`);
    expect(rec.find((r) => r.section === 'decision')).toMatchObject({ id: 'contact_details', actor: 'tsv.1', status: 'refused', reason: 'Tiedot vaarantaisivat toisen henkilön oikeudet' });
    expect(rec.find((r) => r.section === 'document')).toMatchObject({ id: answer.id, type: 'access_answer', description: 'vastaus.pdf', sha256: answer.sha256, actor: 'tsv.1' });
    expect(rec.find((r) => r.section === 'email')).toMatchObject({ type: 'acknowledgement', status: 'sent', at: '2024-01-15T10:01:00.000Z' });

    const chain = await tdb.db.selectFrom('dsr.audit_log').select(['seq', 'action', 'hash']).where('request_id', '=', id).orderBy('seq').execute();
    expect(rec.filter((r) => r.section === 'audit_link').map((r) => [r.id, r.type, r.sha256])).toEqual(
      // Everything up to the export itself, which is recorded once the file exists.
      chain.filter((l) => l.action !== 'auditor_exported_history').map((l) => [String(l.seq), l.action, l.hash]),
    );
    expect(rec.find((r) => r.section === 'audit_chain')?.status).toBe('valid');
    expect(bytes.toString('utf8')).not.toContain('answered@example.fi');

    const links = await auditLinks(id, 'auditor_exported_history');
    expect(links.map((l) => [l.actor, l.details])).toEqual([['tarkastaja.4', { format: 'csv', sha256: createHash('sha256').update(bytes).digest('hex'), via: 'audit_page' }]]);
  });

  test('the PDF names the request and its events, embeds the DejaVu fonts, numbers its pages and is recorded', async () => {
    const auditor = await signedIn('tarkastaja.5', 'auditor');
    const { id, reference } = requests.Answered;
    const res = await auditor
      .get(`/staff/audit/requests/${id}/history.pdf?lang=en`)
      .expect(200)
      .expect('Content-Type', 'application/pdf')
      .expect('Cache-Control', 'no-store')
      .expect('Content-Disposition', `attachment; filename="${reference}-history.pdf"`)
      .buffer(true);
    const pdf = Buffer.from(res.body as Buffer);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const text = await pdfText(pdf);
    expect(text).toContain(reference);
    for (const type of ['submitted', 'identity_verified', 'items_withheld', 'closed'] as const) expect(text).toContain(en.events[type]);
    expect(text).toContain('Henkilöllisyys tarkistettu passista');
    expect(text).toContain('tarkastaja.5');
    expect(text).toMatch(/Page 1 \/ \d+/);
    const raw = pdf.toString('latin1');
    expect(raw).toMatch(/\/BaseFont \/[A-Z]{6}\+DejaVuSans\b/);
    expect(raw).toContain('/FontFile2');
    const links = await auditLinks(id, 'auditor_exported_history');
    expect(links.filter((l) => l.actor === 'tarkastaja.5').map((l) => l.details)).toEqual([{ format: 'pdf', sha256: createHash('sha256').update(pdf).digest('hex'), via: 'audit_page' }]);
  });

  test('the PDF is in the page language, and the same history at the same moment gives the same bytes', async () => {
    const summary = (await getRequestSummary(tdb.db, requests.Answered.id))!;
    const history = await loadAuditHistory(integrityDeps(api.ctx), summary);
    const input = { t: staffText('sv'), language: 'sv' as const, history, generatedAt: new Date('2024-06-01T09:00:00Z'), generatedBy: 'tarkastaja.6' };
    const [first, second] = await Promise.all([historyPdf(input), historyPdf(input)]);
    expect(first.equals(second)).toBe(true);
    const text = await pdfText(first);
    expect(text).toContain(`Historiken för begäran ${summary.reference}`);
    expect(text).toContain('Upprättad 1.6.2024 kl. 12.00 av tarkastaja.6');
  });
});

describe('a broken audit chain', () => {
  test('is reported at the top of the search and the history, naming the first bad link, and stays', async () => {
    const head = await tdb.db.selectFrom('dsr.audit_log').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1).executeTakeFirstOrThrow();
    const seq = Number(head.seq) + 1;
    // A link the engine's role can add behind the engine's back: it has no keyed hash.
    await tdb.db
      .insertInto('dsr.audit_log')
      .values({ seq: String(seq), at: new Date(), actor: 'intruder', action: 'forged', request_id: null, details: JSON.stringify({}), prev_hash: head.hash, hash: 'f'.repeat(64), key_id: null, ref_kind: null, ref_key: null, content_sha256: null })
      .execute();
    const auditor = await signedIn('tarkastaja.7', 'auditor');
    const res = await auditor.get('/staff/audit?lang=en').expect(200);
    expect(res.text).toContain('id="chain-status" data-valid="false" data-state="broken"');
    expect(res.text).toContain(escapeHtml(A.chain.problems.unkeyed_link));
    expect(res.text).toContain('id="audit-alarm"');
    const history = await auditor.get(`/staff/audit/requests/${requests.Open.id}?lang=en`).expect(200);
    expect(history.text).toContain('id="chain-status" data-valid="false" data-state="broken"');
    expect(history.text).toContain('id="audit-alarm"');
  });
});
