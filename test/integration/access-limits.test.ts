/**
 * Guessing and flooding limits over real PostgreSQL, with two API processes sharing the database:
 * wrong access codes lock a reference (status, withdraw, download) for a while, even for the right
 * code; one client address gets only so many wrong codes; twenty parallel wrong download codes get
 * no more tries than the link's limit; repeated submissions to one address are refused with 429,
 * Retry-After and a message naming what is limited (in the page's language on the pages). The
 * defaults of the settings apply (README: ACCESS_CODE_*, SUBMISSIONS_PER_ADDRESS).
 */
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { buildApiServer, type ApiServer } from '../../api/server';
import { loadConfig } from '../../config/settings';
import { createLogger } from '../../config/logger';
import { loadRegisterDescription } from '../../config/register-description';
import { REGISTER_COLUMNS } from '../../db/tables/register';
import { tokenHash } from '../../db/download-token';
import { storeDocument } from '../../db/repositories/documents';
import { createDownloadLink } from '../../db/repositories/downloads';
import { webRoutes } from '../../web/routes';
import en from '../../web/locales/en.json';
import fi from '../../web/locales/fi.json';
import { createTestDatabase, testAuditEnv, type TestDatabase } from '../helpers/db';
import { recordingGateway } from '../helpers/recording-gateway';
import { startSmtpCapture, type SmtpCapture } from '../helpers/smtp';
import { identifiedByEmail, openDetailsStep } from '../helpers/resident';

jest.setTimeout(120_000);

let tdb: TestDatabase;
let smtp: SmtpCapture;
let api: ApiServer;
let other: ApiServer;

function server(secret: string): ApiServer {
  const config = loadConfig({
    DATABASE_URL: tdb.url,
    TEMPORAL_ADDRESS: '127.0.0.1:7233',
    SMTP_URL: smtp.url,
    STAFF_NOTIFY_EMAIL: 'tietosuojavastaava@example.fi',
    AUTH_TOKEN_SECRET: secret,
    PAYLOAD_CODEC_KEY: randomBytes(32).toString('base64'),
    RECONCILE_INTERVAL_SECONDS: '3600',
    LOG_LEVEL: 'silent',
    ...testAuditEnv(),
  });
  const description = loadRegisterDescription(config.registerDescriptionPath, REGISTER_COLUMNS);
  return buildApiServer({ config, db: tdb.db, description, logger: createLogger('silent'), gateway: recordingGateway([]), extraRouters: (ctx) => [webRoutes(ctx)] });
}

beforeAll(async () => {
  [tdb, smtp] = await Promise.all([createTestDatabase(), startSmtpCapture()]);
  const secret = randomBytes(32).toString('hex');
  api = server(secret);
  // A second API process: the same database and secret, none of the first one's memory.
  other = server(secret);
});

afterAll(async () => {
  await api?.close();
  await other?.close();
  await smtp?.close();
  await tdb?.destroy();
});

let clients = 0;
/** A fresh client address for each test (express trusts X-Forwarded-For from loopback). */
const newClient = () => `192.0.2.${++clients}`;

async function submitted(email = `asukas${randomBytes(3).toString('hex')}@example.fi`): Promise<{ id: string; reference: string; accessCode: string }> {
  const res = await request(api.app)
    .post('/api/v1/requests')
    .send({ rights: ['access'], language: 'fi', subject: { firstName: 'Aino', lastName: 'Arvaaja', email } })
    .expect(201);
  return { id: res.body.id, reference: res.body.reference, accessCode: res.body.accessCode };
}

const status = (app: ApiServer['app'], client: string, reference: string, accessCode: string) =>
  request(app).post('/api/v1/requests/status').set('X-Forwarded-For', client).send({ reference, accessCode });

describe('wrong access codes on status and withdraw', () => {
  test('sixty wrong status codes lock the reference: the right code is then refused (429, Retry-After) from any address, by either process', async () => {
    const { reference, accessCode } = await submitted();
    const client = newClient();
    const statuses: number[] = [];
    for (let i = 0; i < 60; i++) statuses.push((await status(i % 2 ? other.app : api.app, client, reference, 'WRONG-CODE2')).status);
    // ACCESS_CODE_MAX_FAILED (5): five tries are compared and answered 404; the rest are refused untried.
    expect(statuses.slice(0, 5)).toEqual([404, 404, 404, 404, 404]);
    expect(new Set(statuses.slice(5))).toEqual(new Set([429]));

    const right = await status(api.app, newClient(), reference, accessCode).expect(429);
    expect(right.body.error).toMatchObject({ code: 'too_many_attempts', fields: [{ field: 'reference' }] });
    expect(right.body.error.message).toMatch(/^reference: too many wrong access codes/);
    const retryAfter = Number(right.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(55 * 60);
    expect(retryAfter).toBeLessThanOrEqual(60 * 60);
    expect(JSON.stringify(right.body)).not.toContain('Arvaaja');
    // The withdrawal asks for the same code: it is locked too, and nothing is withdrawn.
    await request(other.app).post('/api/v1/requests/withdraw').set('X-Forwarded-For', newClient()).send({ reference, accessCode }).expect(429);
    // The status page says so in its language, with Retry-After.
    const page = await request(api.app).post('/status?lang=fi').set('X-Forwarded-For', newClient()).type('form').send({ reference, accessCode }).expect(429);
    expect(page.headers['retry-after']).toBeDefined();
    expect(page.text).toContain(fi.limits.reference.replace('{{minutes}}', String(Math.ceil(Number(page.headers['retry-after']) / 60))));
    expect(page.text).not.toContain(fi.status.states.received);
  });

  test('the right code gives its try back: a resident may look up their own request again and again', async () => {
    const { reference, accessCode } = await submitted();
    const client = newClient();
    for (let i = 0; i < 12; i++) await status(api.app, client, reference, accessCode).expect(200);
    // Four wrong ones after all that still leave the right one working.
    for (let i = 0; i < 4; i++) await status(api.app, client, reference, 'WRONG-CODE2').expect(404);
    await status(other.app, client, reference, accessCode).expect(200);
  });

  test('one client address gets twenty wrong codes over any references, then 429 naming the client; other addresses are not held back', async () => {
    const client = newClient();
    const references = await Promise.all(Array.from({ length: 6 }, () => submitted()));
    const statuses: number[] = [];
    // Four per reference stays under each reference's limit: only the client's limit can refuse.
    for (const r of references) for (let i = 0; i < 4; i++) statuses.push((await status(api.app, client, r.reference, 'WRONG-CODE2')).status);
    expect(statuses.filter((s) => s === 404)).toHaveLength(20);
    expect(statuses.slice(20)).toEqual([429, 429, 429, 429]);
    const refused = await status(other.app, client, references[5].reference, references[5].accessCode).expect(429);
    expect(refused.body.error.fields).toEqual([{ field: 'client', message: expect.stringContaining('from this address') }]);
    await status(api.app, newClient(), references[5].reference, references[5].accessCode).expect(200);
  });
});

describe('wrong access codes on downloads', () => {
  async function linkFor(requestId: string): Promise<string> {
    const doc = await storeDocument(tdb.db, { requestId, businessKey: `limits-doc:${requestId}`, kind: 'access_answer', language: 'fi', filename: 'vastaus.pdf', mediaType: 'application/pdf', content: Buffer.from('%PDF-1.7 answer') });
    const token = randomBytes(24).toString('base64url');
    await createDownloadLink(tdb.db, { businessKey: `limits-link:${doc.id}`, requestId, documentId: doc.id, tokenHash: tokenHash(token), expiresAt: new Date(Date.now() + 86_400_000) });
    return token;
  }

  test('twenty parallel wrong codes, spread over two processes and twenty addresses, get at most five tries; then the link stays locked', async () => {
    const { id, accessCode } = await submitted();
    const token = await linkFor(id);
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => request(i % 2 ? other.app : api.app).post(`/api/v1/downloads/${token}`).set('X-Forwarded-For', newClient()).send({ accessCode: 'WRONG-CODE3' })),
    );
    const tried = answers.filter((a) => a.status === 403);
    // DOWNLOAD_MAX_FAILED_ATTEMPTS and ACCESS_CODE_MAX_FAILED are both 5: no more codes are compared.
    expect(tried.length).toBeLessThanOrEqual(5);
    expect(answers.every((a) => [403, 423, 429].includes(a.status))).toBe(true);
    const refusals = await tdb.db.selectFrom('dsr.audit_log').select('seq').where('request_id', '=', id).where('action', '=', 'download_refused').execute();
    expect(refusals.length).toBe(tried.length);
    const right = await request(api.app).post(`/api/v1/downloads/${token}`).set('X-Forwarded-For', newClient()).send({ accessCode });
    expect([423, 429]).toContain(right.status);
    expect(right.body.error.code).toMatch(/^(link_locked|too_many_attempts)$/);
    const downloads = await tdb.db.selectFrom('dsr.events').select('id').where('request_id', '=', id).where('type', '=', 'document_downloaded').execute();
    expect(downloads).toHaveLength(0);
  });

  test('wrong status codes lock the reference for its download too: the download page says so in its language (429, Retry-After)', async () => {
    const { id, reference, accessCode } = await submitted();
    const token = await linkFor(id);
    for (let i = 0; i < 5; i++) await status(api.app, newClient(), reference, 'WRONG-CODE2').expect(404);
    const page = await request(other.app).post(`/download/${token}?lang=fi`).set('X-Forwarded-For', newClient()).type('form').send({ accessCode }).expect(429);
    const minutes = Math.ceil(Number(page.headers['retry-after']) / 60);
    expect(page.text).toContain(fi.limits.reference.replace('{{minutes}}', String(minutes)));
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    // Not the link's own lock: the link itself took no wrong code and is not locked.
    await request(api.app).get(`/download/${token}?lang=fi`).expect(200);
  });

  test('the right code after a few wrong ones downloads, and its try is given back', async () => {
    const { id, accessCode } = await submitted();
    const token = await linkFor(id);
    const client = newClient();
    for (let i = 0; i < 4; i++) await request(api.app).post(`/api/v1/downloads/${token}`).set('X-Forwarded-For', client).send({ accessCode: 'WRONG-CODE3' }).expect(403);
    for (let i = 0; i < 3; i++) await request(other.app).post(`/api/v1/downloads/${token}`).set('X-Forwarded-For', client).send({ accessCode }).expect(200);
    // The fifth wrong code is the last allowed one; after it the link is locked.
    await request(api.app).post(`/api/v1/downloads/${token}`).set('X-Forwarded-For', client).send({ accessCode: 'WRONG-CODE3' }).expect(403);
    await request(api.app).post(`/api/v1/downloads/${token}`).set('X-Forwarded-For', client).send({ accessCode }).expect(423);
  });
});

describe('repeated submissions to one address', () => {
  test('the JSON API takes ten in a day for one address, then answers 429 with Retry-After naming subject.email; a replay does not count', async () => {
    const email = 'toistuva@example.fi';
    const body = { rights: ['access'], language: 'en', subject: { firstName: 'Toivo', lastName: 'Toistaja', email } };
    const first = await request(api.app).post('/api/v1/requests').set('Idempotency-Key', 'limits-replay-1').send(body).expect(201);
    // The same submission again (a retry) is answered from the first and sends nothing new.
    for (let i = 0; i < 3; i++) expect((await request(other.app).post('/api/v1/requests').set('Idempotency-Key', 'limits-replay-1').send(body).expect(200)).body.id).toBe(first.body.id);
    for (let i = 1; i < 10; i++) await request(i % 2 ? other.app : api.app).post('/api/v1/requests').send(body).expect(201);
    const refused = await request(api.app).post('/api/v1/requests').send({ ...body, subject: { ...body.subject, email: 'TOISTUVA@example.fi' } }).expect(429);
    expect(refused.body.error.fields).toEqual([{ field: 'subject.email', message: expect.stringContaining('too many requests have been sent to this e-mail address') }]);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(23 * 3600);
    const stored = await tdb.db.selectFrom('dsr.requests').select('id').where('subject_email', 'ilike', email).execute();
    expect(stored).toHaveLength(10);
    // Another address is not held back.
    await request(api.app).post('/api/v1/requests').send({ ...body, subject: { ...body.subject, email: 'eri.osoite@example.fi' } }).expect(201);
  });

  test('the e-form says so in the page language, keeps what was typed, and stores nothing', async () => {
    const email = 'lomake.toistuva@example.fi';
    const resident = await identifiedByEmail(api.app, smtp, email, 'en');
    const send = async () => {
      const { formToken, csrf } = await openDetailsStep(resident, ['access'], 'en');
      return resident.post('/request?lang=en').type('form').send({ rights: 'access', firstName: 'Toini', lastName: 'Toistuva', hetu: '', phone: '', description: 'Kaikki tietoni', formToken, csrf });
    };
    for (let i = 0; i < 10; i++) expect((await send()).status).toBe(201);
    const refused = await send();
    expect(refused.status).toBe(429);
    const minutes = Math.ceil(Number(refused.headers['retry-after']) / 60);
    expect(refused.text).toContain(en.limits.address.replace('{{minutes}}', String(minutes)));
    expect(refused.text).toContain('Kaikki tietoni');
    const stored = await tdb.db.selectFrom('dsr.requests').select('id').where('subject_email', '=', email).execute();
    expect(stored).toHaveLength(10);
  });
});
