/**
 * What residents meet: every page says whose service this is (the controller, its privacy notice)
 * and how to reach the data protection officer, from the register description; the status link of
 * the acknowledgement fills the reference in; the e-form's details step names only the rights chosen.
 */
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { buildApiServer, type ApiServer } from '../../api/server';
import { loadConfig } from '../../config/settings';
import { loadRegisterDescription } from '../../config/register-description';
import { REGISTER_COLUMNS } from '../../db/tables/register';
import { createLogger } from '../../config/logger';
import { LANGUAGES } from '../../domain/request';
import { escapeHtml } from '../../web/html';
import { webRoutes } from '../../web/routes';
import fi from '../../web/locales/fi.json';
import { createTestDatabase, testAuditEnv, type TestDatabase } from '../helpers/db';
import { recordingGateway } from '../helpers/recording-gateway';
import { identifiedByEmail, openDetailsStep } from '../helpers/resident';
import { startSmtpCapture, type SmtpCapture } from '../helpers/smtp';

jest.setTimeout(60_000);

const description = loadRegisterDescription('config/register-description.kuopio.yaml', REGISTER_COLUMNS);
let tdb: TestDatabase;
let smtp: SmtpCapture;
let api: ApiServer;

beforeAll(async () => {
  [tdb, smtp] = await Promise.all([createTestDatabase(), startSmtpCapture()]);
  const config = loadConfig({
    DATABASE_URL: tdb.url,
    TEMPORAL_ADDRESS: '127.0.0.1:7233',
    SMTP_URL: smtp.url,
    STAFF_NOTIFY_EMAIL: 'tietosuojavastaava@example.fi',
    AUTH_TOKEN_SECRET: randomBytes(32).toString('hex'),
    PAYLOAD_CODEC_KEY: randomBytes(32).toString('base64'),
    RECONCILE_INTERVAL_SECONDS: '3600',
    LOG_LEVEL: 'silent',
    ...testAuditEnv(),
  });
  api = buildApiServer({ config, db: tdb.db, description, logger: createLogger('silent'), gateway: recordingGateway([]), extraRouters: (ctx) => [webRoutes(ctx)] });
});

afterAll(async () => {
  await api?.close();
  await smtp?.close();
  await tdb?.destroy();
});

describe('whose service this is', () => {
  test.each(LANGUAGES.flatMap((l) => ['/', '/status', '/identify/email', '/my-requests'].map((p) => [l, p] as const)))('%s %s names the controller, links its privacy notice and gives the DPO’s contacts', async (language, path) => {
    const res = await request(api.app).get(`${path}?lang=${language}`).redirects(2);
    expect(res.status).toBe(200);
    const controller = /<p id="controller">([\s\S]*?)<\/p>/.exec(res.text)?.[1] ?? '';
    expect(controller).toContain(escapeHtml(description.controller.name[language]));
    expect(controller).toContain(`href="${description.controller.privacyWeb}"`);
    const dpo = /<p id="dpo">([\s\S]*?)<\/p>/.exec(res.text)?.[1] ?? '';
    expect(dpo).toContain(description.dataProtectionOfficer.email);
    expect(dpo).toContain(description.dataProtectionOfficer.phone);
  });
});

describe('the status page', () => {
  test('fills in the reference the acknowledgement’s link carries, and only something shaped like a reference', async () => {
    const filled = await request(api.app).get('/status?reference=DSR-2026-ABC234&lang=fi').expect(200);
    expect(filled.text).toMatch(/<input[^>]*name="reference"[^>]*value="DSR-2026-ABC234"/);
    const junk = await request(api.app).get(`/status?reference=${encodeURIComponent('"><script>x</script>')}&lang=fi`).expect(200);
    expect(junk.text).not.toContain('<script>x');
    expect(junk.text).toMatch(/<input[^>]*name="reference"[^>]*value=""/);
  });
});

describe('the e-form’s details step', () => {
  test('names in the categories’ legend only the rights chosen', async () => {
    const agent = await identifiedByEmail(api.app, smtp, 'oikeudet@example.fi');
    const { page } = await openDetailsStep(agent, ['erasure']);
    const legend = /<legend>([^<]*)<\/legend>\s*(?:<span class="hint"[^>]*>[^<]*<\/span>\s*)?[\s\S]{0,400}?f-categories/.exec(page)?.[1] ?? page;
    expect(legend).toContain(fi.rights.erasure.title);
    expect(legend).not.toContain(fi.rights.restriction.title);
    expect(legend).not.toContain(fi.rights.consent_withdrawal.title);
    const both = (await openDetailsStep(agent, ['erasure', 'restriction'])).page;
    expect(both).toContain(escapeHtml(fi.form.categories.legendFor.replace('{{rights}}', `${fi.rights.erasure.title}, ${fi.rights.restriction.title}`)));
  });
});
