/**
 * Signing out revokes the staff token server-side at once: after the page's or the API's sign-out,
 * the very same token is refused by the pages and by the JSON API, also by a second API process on
 * the same database; revocations of tokens that have expired are cleaned up. Real PostgreSQL.
 */
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { buildApiServer, type ApiServer } from '../../api/server';
import { loadConfig } from '../../config/settings';
import { createLogger } from '../../config/logger';
import { loadRegisterDescription } from '../../config/register-description';
import { REGISTER_COLUMNS } from '../../db/tables/register';
import { webRoutes } from '../../web/routes';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { csrfOf, signedInStaff } from '../helpers/staff';
import { recordingGateway } from '../helpers/recording-gateway';

jest.setTimeout(60_000);

let tdb: TestDatabase;
let api: ApiServer;
let other: ApiServer;

function server(secret: string): ApiServer {
  const config = loadConfig({
    DATABASE_URL: tdb.url,
    TEMPORAL_ADDRESS: '127.0.0.1:7233',
    SMTP_URL: 'smtp://127.0.0.1:2525',
    STAFF_NOTIFY_EMAIL: 'tietosuojavastaava@example.fi',
    AUTH_TOKEN_SECRET: secret,
    PAYLOAD_CODEC_KEY: randomBytes(32).toString('base64'),
    RECONCILE_INTERVAL_SECONDS: '3600',
    LOG_LEVEL: 'silent',
    DSR_MODE: 'embedded',
    AUTH_DEV_SIGN_IN: 'true',
  });
  const description = loadRegisterDescription(config.registerDescriptionPath, REGISTER_COLUMNS);
  return buildApiServer({ config, db: tdb.db, description, logger: createLogger('silent'), gateway: recordingGateway([]), extraRouters: (ctx) => [webRoutes(ctx)] });
}

beforeAll(async () => {
  tdb = await createTestDatabase();
  const secret = randomBytes(32).toString('hex');
  api = server(secret);
  // A second API process: the same database and secret, its own memory.
  other = server(secret);
});

afterAll(async () => {
  await api?.close();
  await other?.close();
  await tdb?.destroy();
});

/** The session cookie's token of an agent's sign-in response. */
function tokenOf(setCookie: string[] | string | undefined): string {
  const header = ([] as string[]).concat(setCookie ?? []).find((c) => c.startsWith('dsr_staff='));
  if (!header) throw new Error('no session cookie');
  return decodeURIComponent(header.slice('dsr_staff='.length).split(';')[0]);
}

function pageWithToken(app: ApiServer['app'], token: string) {
  return request(app).get('/staff?lang=en').set('Cookie', `dsr_staff=${encodeURIComponent(token)}`);
}

test('after signing out on the page, the same token is refused by the pages and the JSON API of every process', async () => {
  const agent = request.agent(api.app);
  const form = await agent.get('/staff/sign-in?lang=en').expect(200);
  const signIn = await agent.post('/staff/sign-in?lang=en').type('form').send({ user: 'hanna.handler', role: 'handler', csrf: csrfOf(form.text) }).expect(303);
  const token = tokenOf(signIn.headers['set-cookie']);
  // Before: the token opens the console and, as a bearer token, the JSON API.
  await pageWithToken(api.app, token).expect(200);
  await request(other.app).get('/api/v1/staff/requests').set('Authorization', `Bearer ${token}`).expect(200);

  const console = await agent.get('/staff?lang=en').expect(200);
  await agent.post('/staff/sign-out?lang=en').type('form').send({ csrf: csrfOf(console.text) }).expect(303);

  for (const app of [api.app, other.app]) {
    const page = await pageWithToken(app, token).expect(303);
    expect(page.headers.location).toBe('/staff/sign-in?expired=1&lang=en');
    const json = await request(app).get('/api/v1/staff/requests').set('Authorization', `Bearer ${token}`).expect(401);
    expect(json.body.error.message).toContain('revoked');
  }
  const audit = await tdb.db.selectFrom('dsr.audit_log').select('actor').where('action', '=', 'staff_signed_out').execute();
  expect(audit.map((a) => a.actor)).toContain('hanna.handler');
});

test('after signing out through the JSON API, the token is refused there and on the pages; other tokens still work', async () => {
  const signIn = async () => (await request(api.app).post('/api/v1/auth/dev-sign-in').send({ user: 'dora.dpo', roles: ['dpo'] }).expect(200)).body.token as string;
  const [token, another] = [await signIn(), await signIn()];
  await request(api.app).get('/api/v1/staff/requests').set('Authorization', `Bearer ${token}`).expect(200);
  await request(other.app).post('/api/v1/auth/sign-out').set('Authorization', `Bearer ${token}`).expect(204);
  await request(api.app).get('/api/v1/staff/requests').set('Authorization', `Bearer ${token}`).expect(401);
  await pageWithToken(api.app, token).expect(303);
  // The same person's other session is not signed out by this one.
  await request(api.app).get('/api/v1/staff/requests').set('Authorization', `Bearer ${another}`).expect(200);
  await request(api.app).post('/api/v1/auth/sign-out').expect(401);
});

test('a page sign-out needs the session (and its CSRF token); a refused one revokes nothing', async () => {
  const agent = await signedInStaff(api.app, 'heikki.handler', 'handler');
  const page = await agent.get('/staff?lang=en').expect(200);
  await agent.post('/staff/sign-out').type('form').send({ csrf: 'forged' }).expect(403);
  await agent.get('/staff?lang=en').expect(200);
  await agent.post('/staff/sign-out').type('form').send({ csrf: csrfOf(page.text) }).expect(303);
});

test('revocations of tokens that have expired are deleted with the next sign-out', async () => {
  await tdb.db.insertInto('dsr.revoked_staff_tokens').values({ jti: 'long-dead', staff_id: 'someone', expires_at: new Date(Date.now() - 60_000) }).execute();
  const token = (await request(api.app).post('/api/v1/auth/dev-sign-in').send({ user: 'aino.auditor', roles: ['auditor'] }).expect(200)).body.token as string;
  await request(api.app).post('/api/v1/auth/sign-out').set('Authorization', `Bearer ${token}`).expect(204);
  const left = await tdb.db.selectFrom('dsr.revoked_staff_tokens').select(['jti', 'staff_id', 'expires_at']).execute();
  expect(left.map((r) => r.jti)).not.toContain('long-dead');
  const mine = left.filter((r) => r.staff_id === 'aino.auditor');
  expect(mine).toHaveLength(1);
  // Kept only as long as the token would have lived (AUTH_SESSION_MINUTES, 60 by default).
  expect(mine[0].expires_at.getTime()).toBeGreaterThan(Date.now() + 55 * 60_000);
  expect(mine[0].expires_at.getTime()).toBeLessThanOrEqual(Date.now() + 60 * 60_000);
});
