/**
 * Staff sign-in through a real OpenID provider (oidc-provider on loopback, in its own process) over
 * HTTP: the engine listens on 127.0.0.1 so its redirect URI is real, the provider's login and consent
 * forms are filled in like a browser would, and the roles come from the provider's claims. Also: the
 * sign-in page in each configuration, session expiry, and what the routes make of failures.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { createTokenService } from '../../services/staff-auth';
import { buildApiServer, type ApiServer } from '../../api/server';
import { loadConfig } from '../../config/settings';
import { loadRegisterDescription } from '../../config/register-description';
import { REGISTER_COLUMNS } from '../../db/tables/register';
import { createLogger } from '../../config/logger';
import { escapeHtml } from '../../web/html';
import { webRoutes } from '../../web/routes';
import en from '../../web/staff/locales/en.json';
import sv from '../../web/staff/locales/sv.json';
import oidcEn from '../../web/staff/locales/oidc.en.json';
import oidcFi from '../../web/staff/locales/oidc.fi.json';
import oidcSv from '../../web/staff/locales/oidc.sv.json';
import { staffRolesFrom, staffUserIdFrom } from '../../web/staff/oidc-routes';
import { createTestDatabase, testAuditEnv, type TestDatabase } from '../helpers/db';
import { startOidcProvider, visitProvider, type OidcTestProvider } from '../helpers/oidc';
import { recordingGateway } from '../helpers/recording-gateway';

jest.setTimeout(60_000);

const TOKEN_SECRET = randomBytes(32).toString('hex');
const CLIENT = { client_id: 'dsr-staff', client_secret: randomBytes(24).toString('base64url') };

/** Test accounts of the provider: login name (= sub) to claims. */
const ACCOUNTS = {
  hanna: { preferred_username: 'hanna.handler', roles: ['handler'] },
  aatu: { preferred_username: 'aatu.auditor', roles: 'auditor' },
  risto: { preferred_username: 'risto.resident', roles: ['resident', 'library-user'] },
};

let tdb: TestDatabase;
let provider: OidcTestProvider;
let http: Server;
let baseUrl: string;
let api: ApiServer;
/** A second engine that knows the client id but has a wrong secret. */
let wrongSecretHttp: Server;
let wrongSecretUrl: string;
const others: ApiServer[] = [];

function env(extra: Record<string, string>) {
  return {
    DATABASE_URL: tdb.url,
    TEMPORAL_ADDRESS: '127.0.0.1:7233',
    SMTP_URL: 'smtp://127.0.0.1:2525',
    STAFF_NOTIFY_EMAIL: 'tietosuojavastaava@example.fi',
    AUTH_TOKEN_SECRET: TOKEN_SECRET,
    PAYLOAD_CODEC_KEY: randomBytes(32).toString('base64'),
    RECONCILE_INTERVAL_SECONDS: '3600',
    LOG_LEVEL: 'silent',
    ...testAuditEnv(),
    ...extra,
  };
}

function server(extra: Record<string, string>): ApiServer {
  const config = loadConfig(env(extra));
  const description = loadRegisterDescription(config.registerDescriptionPath, REGISTER_COLUMNS);
  const built = buildApiServer({ config, db: tdb.db, description, logger: createLogger('silent'), gateway: recordingGateway([]), extraRouters: (ctx) => [webRoutes(ctx)] });
  others.push(built);
  return built;
}

function oidcEnv(issuer: string): Record<string, string> {
  return { STAFF_OIDC_ISSUER: issuer, STAFF_OIDC_CLIENT_ID: CLIENT.client_id, STAFF_OIDC_CLIENT_SECRET: CLIENT.client_secret };
}

async function listen(): Promise<Server> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  return s;
}

beforeAll(async () => {
  tdb = await createTestDatabase();
  // The engine's address first: it is in the redirect URI the provider registers.
  [http, wrongSecretHttp] = await Promise.all([listen(), listen()]);
  baseUrl = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  wrongSecretUrl = `http://127.0.0.1:${(wrongSecretHttp.address() as AddressInfo).port}`;
  const redirectUris = [baseUrl, wrongSecretUrl].map((u) => `${u}/staff/oidc/callback`);
  provider = await startOidcProvider({ clients: [{ ...CLIENT, redirect_uris: redirectUris }], accounts: ACCOUNTS });
  api = server({ DSR_MODE: 'production', PUBLIC_BASE_URL: baseUrl, ...oidcEnv(provider.issuer) });
  http.on('request', api.app);
  const wrongSecret = server({ DSR_MODE: 'production', PUBLIC_BASE_URL: wrongSecretUrl, ...oidcEnv(provider.issuer), STAFF_OIDC_CLIENT_SECRET: 'not-the-secret' });
  wrongSecretHttp.on('request', wrongSecret.app);
});

afterAll(async () => {
  for (const h of [http, wrongSecretHttp]) await new Promise((resolve) => (h ? h.close(resolve) : resolve(undefined)));
  await provider?.stop();
  for (const s of others) await s.close();
  await tdb?.destroy();
});

// --- helpers ----------------------------------------------------------------------------------

function setCookies(res: request.Response): string[] {
  return ([] as string[]).concat(res.headers['set-cookie'] ?? []);
}

function sessionCookieOf(res: request.Response): string | undefined {
  return setCookies(res).find((c) => c.startsWith('dsr_staff=') && !/Expires=Thu, 01 Jan 1970/.test(c));
}

/** Starts at the engine, signs in at the provider as `login`, and comes back to the callback with the answer. */
async function throughProvider(login: string, o: { lang?: string; cancel?: boolean; tamper?: (callback: URL) => void; engine?: string } = {}) {
  const engine = o.engine ?? baseUrl;
  const agent = request.agent(engine);
  const start = await agent.get(`/staff/oidc/start?lang=${o.lang ?? 'en'}`).expect(303);
  const authorization = new URL(start.headers.location);
  const callback = new URL(await visitProvider(authorization.toString(), { login, action: o.cancel ? 'cancel' : 'sign-in' }));
  expect(callback.origin + callback.pathname).toBe(`${engine}/staff/oidc/callback`);
  o.tamper?.(callback);
  const res = await agent.get(callback.pathname + callback.search);
  return { agent, authorization, callback, res };
}

// --- tests ------------------------------------------------------------------------------------

describe('signing in through the organisation’s identity provider', () => {
  test('the start sends the browser to the provider with PKCE (S256), state, nonce and the configured scopes', async () => {
    const res = await request(baseUrl).get('/staff/oidc/start?lang=fi').expect(303);
    const url = new URL(res.headers.location);
    expect(url.origin).toBe(provider.issuer);
    expect(url.searchParams.get('client_id')).toBe(CLIENT.client_id);
    expect(url.searchParams.get('redirect_uri')).toBe(`${baseUrl}/staff/oidc/callback`);
    expect(url.searchParams.get('response_type')).toBe('code');
    expect(url.searchParams.get('scope')).toBe('openid profile');
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(url.searchParams.get('state')).toBeTruthy();
    expect(url.searchParams.get('nonce')).toBeTruthy();
    const tx = setCookies(res).find((c) => c.startsWith('dsr_staff_oidc='));
    expect(tx).toMatch(/HttpOnly/);
    expect(tx).toMatch(/SameSite=Lax/);
    expect(tx).toMatch(/Path=\/staff\/oidc\/callback/);
    expect(tx).toMatch(/Max-Age=600/);
    // The transaction is encrypted: neither the state nor the verifier can be read from it.
    expect(decodeURIComponent(tx!)).not.toContain(url.searchParams.get('state')!);
  });

  test('a handler signs in and reaches the deadline console with the handler role; the sign-in is audited', async () => {
    const { agent, res } = await throughProvider('hanna');
    expect(res.status).toBe(200);
    expect(res.headers.refresh).toBe('0; url=/staff?lang=en');
    expect(res.text).toContain('<a href="/staff?lang=en" id="continue">');
    const cookie = sessionCookieOf(res);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const page = await agent.get('/staff?lang=en').expect(200);
    expect(page.text).toContain(en.common.signedInAs.replace('{{user}}', 'hanna.handler').replace('{{roles}}', en.common.roles.handler));
    const audit = await tdb.db.selectFrom('dsr.audit_log').selectAll().where('action', '=', 'staff_signed_in').where('actor', '=', 'hanna.handler').execute();
    expect(audit.map((a) => a.details)).toEqual([{ method: 'oidc' }]);
  });

  test('an auditor-only account lands on the auditor’s start, and is signed in as an auditor', async () => {
    const { agent, res } = await throughProvider('aatu', { lang: 'sv' });
    expect(res.status).toBe(200);
    expect(res.headers.refresh).toBe('0; url=/staff/audit?lang=sv');
    expect(res.text).toContain(escapeHtml(oidcSv.oidc.signedIn.continue));
    const landing = await agent.get('/staff/audit?lang=sv').expect(200);
    expect(landing.text).toContain(escapeHtml(sv.common.signedInAs.replace('{{user}}', 'aatu.auditor').replace('{{roles}}', sv.common.roles.auditor)));
  });

  test('an account without a role here gets a 403 page saying so, and no session', async () => {
    const { agent, res } = await throughProvider('risto');
    expect(res.status).toBe(403);
    expect(res.text).toContain(escapeHtml(oidcEn.oidc.noRole.text));
    expect(sessionCookieOf(res)).toBeUndefined();
    await agent.get('/staff?lang=en').expect(303).expect('Location', '/staff/sign-in?lang=en');
  });

  test('a callback whose state was tampered with is refused with a clear page, and signs nobody in', async () => {
    const { agent, res } = await throughProvider('hanna', { tamper: (cb) => cb.searchParams.set('state', 'forged-state') });
    expect(res.status).toBe(400);
    expect(res.text).toContain(escapeHtml(oidcEn.oidc.failure.state_mismatch.title));
    expect(res.text).not.toMatch(/at .*\.ts:\d+/); // no stack trace
    expect(sessionCookieOf(res)).toBeUndefined();
    await agent.get('/staff?lang=en').expect(303);
  });

  // Without the transaction its language is unknown too: these pages are in Finnish, with language links.
  test('the transaction is good for one callback: replaying the provider’s answer finds it gone', async () => {
    const { agent, callback, res } = await throughProvider('hanna');
    expect(res.status).toBe(200);
    const again = await agent.get(callback.pathname + callback.search);
    expect(again.status).toBe(400);
    expect(again.text).toContain(escapeHtml(oidcFi.oidc.failure.expired.title));
  });

  test('a callback without a transaction cookie (another browser, or after 10 minutes) says the sign-in took too long', async () => {
    const res = await request(baseUrl).get('/staff/oidc/callback?code=abc&state=xyz').expect(400);
    expect(res.text).toContain(escapeHtml(oidcFi.oidc.failure.expired.text));
    expect(sessionCookieOf(res)).toBeUndefined();
  });

  test('cancelling at the provider (error=access_denied) gives a clear page in the sign-in’s language, and no session', async () => {
    const { callback, res } = await throughProvider('hanna', { lang: 'sv', cancel: true });
    expect(callback.searchParams.get('error')).toBe('access_denied');
    expect(res.status).toBe(403);
    expect(res.text).toContain('<html lang="sv-FI">');
    expect(res.text).toContain(escapeHtml(oidcSv.oidc.failure.denied.text));
    expect(res.text).toContain('href="/staff/oidc/start?lang=sv"'); // the way to start again
    expect(sessionCookieOf(res)).toBeUndefined();
  });

  test('the code is redeemed only with the client’s secret: with a wrong one the provider refuses, and the page says so', async () => {
    const { res } = await throughProvider('hanna', { engine: wrongSecretUrl });
    expect(res.status).toBe(502);
    expect(res.text).toContain(escapeHtml(oidcEn.oidc.failure.provider_error.title));
    expect(sessionCookieOf(res)).toBeUndefined();
  });
});

describe('the sign-in page', () => {
  test('in production with the identity provider: the provider’s button, no development form', async () => {
    const res = await request(baseUrl).get('/staff/sign-in?lang=en').expect(200);
    expect(res.text).toContain(escapeHtml(oidcEn.oidc.button));
    expect(res.text).toContain('<a class="button" id="oidc-sign-in" href="/staff/oidc/start?lang=en">');
    expect(res.text).not.toContain('id="dev-sign-in"');
    expect(res.text).not.toContain('<label for="user">');
    await request(baseUrl).post('/staff/sign-in').type('form').send({ user: 'someone', role: 'admin' }).expect(404);
  });

  test('in embedded mode without the identity provider: the development form, no provider button', async () => {
    const dev = server({ DSR_MODE: 'embedded', AUTH_DEV_SIGN_IN: 'true' });
    const res = await request(dev.app).get('/staff/sign-in?lang=en').expect(200);
    expect(res.text).toContain(escapeHtml(en.signIn.devNotice));
    expect(res.text).not.toContain('/staff/oidc/start');
    await request(dev.app).get('/staff/oidc/start').expect(404);
  });

  test('in embedded mode with both: the provider’s button and the marked development form', async () => {
    const both = server({ DSR_MODE: 'embedded', AUTH_DEV_SIGN_IN: 'true', ...oidcEnv(provider.issuer) });
    const res = await request(both.app).get('/staff/sign-in?lang=en').expect(200);
    expect(res.text).toContain(escapeHtml(oidcEn.oidc.button));
    expect(res.text).toContain(escapeHtml(en.signIn.devNotice));
  });

  test('with neither, the page is 404 and says it is not in use', async () => {
    const neither = server({ DSR_MODE: 'production' });
    const res = await request(neither.app).get('/staff/sign-in?lang=en').expect(404);
    expect(res.text).toContain(escapeHtml(en.signIn.disabledText));
  });
});

describe('when the session ends', () => {
  test('an expired session cookie sends a guarded page to sign-in with expired=1, and the page says the session ended', async () => {
    const expired = await createTokenService(TOKEN_SECRET, -1).issue({ id: 'hanna.handler', roles: ['handler'] });
    await request(baseUrl).get('/staff?lang=en').set('Cookie', `dsr_staff=${expired.token}`).expect(303).expect('Location', '/staff/sign-in?expired=1&lang=en');
    await request(baseUrl).get('/staff?lang=en').set('Cookie', 'dsr_staff=not-a-token').expect(303).expect('Location', '/staff/sign-in?expired=1&lang=en');
    const page = await request(baseUrl).get('/staff/sign-in?expired=1&lang=en').expect(200);
    expect(page.text).toContain(oidcEn.oidc.sessionEnded);
  });

  test('without any session cookie the redirect to sign-in does not claim a session ended', async () => {
    await request(baseUrl).get('/staff?lang=en').expect(303).expect('Location', '/staff/sign-in?lang=en');
  });
});

describe('an identity provider that cannot be reached', () => {
  test('gives a clear 503 page, and discovery is tried again on the next sign-in', async () => {
    const spare = await listen();
    const port = (spare.address() as AddressInfo).port;
    await new Promise((resolve) => spare.close(resolve));
    const issuer = `http://127.0.0.1:${port}`;
    const away = server({ DSR_MODE: 'production', ...oidcEnv(issuer) });
    const first = await request(away.app).get('/staff/oidc/start?lang=en').expect(503);
    expect(first.text).toContain(escapeHtml(oidcEn.oidc.failure.unavailable.title));
    const late = await startOidcProvider({ port, clients: [{ ...CLIENT, redirect_uris: ['http://127.0.0.1:8080/staff/oidc/callback'] }], accounts: ACCOUNTS });
    try {
      const second = await request(away.app).get('/staff/oidc/start?lang=en').expect(303);
      expect(second.headers.location.startsWith(`${issuer}/`)).toBe(true);
    } finally {
      await late.stop();
    }
  });
});

describe('roles and user ids from the claims', () => {
  const config = { rolesClaim: 'roles', roleMap: {} };

  test('role names are taken as they are, from a string or an array; anything else gives nothing', () => {
    expect(staffRolesFrom({ roles: 'dpo' }, config)).toEqual(['dpo']);
    expect(staffRolesFrom({ roles: ['auditor', 'handler', 'resident'] }, config)).toEqual(['handler', 'auditor']);
    expect(staffRolesFrom({ roles: ['Handler', 7] }, config)).toEqual([]);
    expect(staffRolesFrom({}, config)).toEqual([]);
  });

  test('with a role map, only mapped values count, and the role names themselves do not', () => {
    const mapped = { rolesClaim: 'groups', roleMap: { 'DSR Handlers': 'handler', 'tietosuoja-vastaava': 'dpo' } as const };
    expect(staffRolesFrom({ groups: ['DSR Handlers', 'tietosuoja-vastaava', 'All staff'] }, mapped)).toEqual(['handler', 'dpo']);
    expect(staffRolesFrom({ groups: ['admin'] }, mapped)).toEqual([]);
  });

  test('a dotted claim name reaches into an object (Keycloak’s realm_access.roles)', () => {
    expect(staffRolesFrom({ realm_access: { roles: ['admin'] } }, { rolesClaim: 'realm_access.roles', roleMap: {} })).toEqual(['admin']);
  });

  test('the user id is preferred_username, else sub, never rewritten, never a name the pages reserve', () => {
    expect(staffUserIdFrom({ sub: '1234', preferred_username: 'Hanna.Handler@Kuopio.fi' })).toBe('hanna.handler@kuopio.fi');
    expect(staffUserIdFrom({ sub: 'a1b2-c3', preferred_username: '' })).toBe('a1b2-c3');
    // Two names that would fold into one id if rewritten: each falls back to its own sub instead.
    expect(staffUserIdFrom({ sub: 'u-1001', preferred_username: 'Matti.Meikäläinen@hel.fi' })).toBe('u-1001');
    expect(staffUserIdFrom({ sub: 'u-1002', preferred_username: 'matti.meikölöinen@hel.fi' })).toBe('u-1002');
    expect(staffUserIdFrom({ sub: 'u-1003', preferred_username: 'System' })).toBe('u-1003');
    expect(staffUserIdFrom({ sub: 'subject' })).toBeNull();
    expect(staffUserIdFrom({ sub: 'x<script>y' })).toBeNull();
    expect(staffUserIdFrom({ sub: '!' })).toBeNull();
  });
});
