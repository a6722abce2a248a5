/**
 * A handler sees what was asked (GDPR 12(2): the controller must facilitate the exercise of the
 * rights, so the one who decides must see the request): the subject's free text, the categories,
 * each proposed correction beside the register's current value, the objection grounds, the
 * transmission address, and the register record to check identity against; on the request page in
 * the page's language (labels, never codes) and in the JSON API. Each view is recorded in the audit chain.
 */
import request from 'supertest';
import { buildApiServer, type ApiServer } from '../../api/server';
import { loadConfig } from '../../config/settings';
import { loadRegisterDescription } from '../../config/register-description';
import { REGISTER_COLUMNS } from '../../db/tables/register';
import { createLogger } from '../../config/logger';
import { DEMO_HETU, seedRegister } from '../../db/seed';
import { storeDocument } from '../../db/repositories/documents';
import { recordTransition } from '../../db/repositories/events';
import type { Right } from '../../domain/request';
import { escapeHtml } from '../../web/html';
import { webRoutes } from '../../web/routes';
import fi from '../../web/staff/locales/fi.json';
import { recordingGateway } from '../helpers/recording-gateway';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { signedInStaff } from '../helpers/staff';
import { pageText, codesIn } from '../helpers/page-language';
import { staffRequestSchema } from '../../services/response-schemas';
import { testEngineEnv } from '../helpers/engine-env';

jest.setTimeout(90_000);

let tdb: TestDatabase;
let api: ApiServer;
const description = loadRegisterDescription('config/register-description.kuopio.yaml', REGISTER_COLUMNS);

const FREE_TEXT = 'Puhelinnumeroni vaihtui maaliskuussa, ja vanha numero on yhä tiedoissanne.';
const GROUNDS = 'Osallistun hankkeeseen vain, jos tietojani ei käytetä markkinointiin; tilanteeni on muuttunut.';
const NEW_PHONE = '040 123 4567';

async function submit(right: Right, extra: Record<string, unknown>, hetu = DEMO_HETU): Promise<string> {
  const result = await api.ctx.intake.submit({
    rights: [right],
    language: 'fi',
    channel: 'e_form',
    receivedAt: new Date(),
    identityMethod: null,
    subject: { firstName: 'Testi', lastName: 'Demo', hetu, email: 'testi.demo@example.fi' },
    idempotencyKey: null,
    enteredBy: 'subject',
    ...extra,
  });
  return result.requests[0].id;
}

async function staffToken(): Promise<string> {
  const res = await request(api.app).post('/api/v1/auth/dev-sign-in').send({ user: 'h.kasittelija', roles: ['handler'] }).expect(200);
  return `Bearer ${res.body.token}`;
}

async function views(id: string): Promise<number> {
  const rows = await tdb.db.selectFrom('dsr.audit_log').select('seq').where('request_id', '=', id).where('action', '=', 'staff_viewed_request').execute();
  return rows.length;
}

let demo: { phone: string | null; first_name: string; last_name: string };
let rectification: string;
let erasure: string;
let objection: string;
let stranger: string;

beforeAll(async () => {
  tdb = await createTestDatabase();
  await seedRegister(tdb.ownerDb, { persons: 20, seed: 7, description });
  demo = await tdb.db.selectFrom('register.persons').select(['phone', 'first_name', 'last_name']).where('hetu', '=', DEMO_HETU).executeTakeFirstOrThrow();
  const config = loadConfig({
    ...testEngineEnv(tdb.url),
    AUTH_DEV_SIGN_IN: 'true',
  });
  api = buildApiServer({ config, db: tdb.db, description, logger: createLogger('silent'), gateway: recordingGateway([]), extraRouters: (ctx) => [webRoutes(ctx)] });
  rectification = await submit('rectification', {
    description: FREE_TEXT,
    corrections: [{ field: 'register.persons.phone', value: NEW_PHONE, explanation: 'Uusi liittymä.' }],
  });
  erasure = await submit('erasure', { categories: ['diet_restrictions', 'photos'] });
  objection = await submit('objection', { objectionGrounds: GROUNDS });
  stranger = await submit('access', {}, '010101-123N');
  // What the workflow would have left by now: a proposal kept on a legal obligation, and an extension notice sent.
  await tdb.db
    .insertInto('dsr.decisions')
    .values({ request_id: erasure, key: 'client_basic', kind: 'category', outcome: 'refused', ground: 'gdpr_17_3_b_legal_obligation', reason: null, proposed_outcome: 'refused', proposed_ground: 'gdpr_17_3_b_legal_obligation', decided_by: 'engine', decided_at: null, data: JSON.stringify({}) })
    .execute();
  const notice = await storeDocument(tdb.db, { requestId: erasure, businessKey: `test:ext:${erasure}`, kind: 'extension', language: 'fi', filename: 'pidennys.pdf', mediaType: 'application/pdf', content: Buffer.from('%PDF-1.7\n') });
  await recordTransition(tdb.db, { requestId: erasure, businessKey: `delivered:${notice.id}`, type: 'document_delivered', actor: 'system', data: { documentId: notice.id, channel: 'download' } });
});

afterAll(async () => {
  await api?.close();
  await tdb?.destroy();
});

describe('the JSON API', () => {
  test('gives the correction with the register’s current value and the proposed one, the free text, and the matched register record', async () => {
    const auth = await staffToken();
    const before = await views(rectification);
    const res = await request(api.app).get(`/api/v1/staff/requests/${rectification}`).set('Authorization', auth).expect(200);
    expect(res.body.details).toMatchObject({
      description: FREE_TEXT,
      corrections: [{ field: 'register.persons.phone', category: 'client_basic', current: [demo.phone], proposed: NEW_PHONE, explanation: 'Uusi liittymä.' }],
    });
    expect(res.body.register).toMatchObject({ found: true, matchedBy: 'hetu', record: { hetu: DEMO_HETU, firstName: demo.first_name, lastName: demo.last_name } });
    expect(await views(rectification)).toBe(before + 1);
    // The answer is what the OpenAPI document says it is.
    expect(staffRequestSchema.safeParse(res.body).error?.issues ?? []).toEqual([]);
  });

  test('gives the categories in the description’s order, the objection grounds, and says when nobody in the register matches', async () => {
    const auth = await staffToken();
    const e = await request(api.app).get(`/api/v1/staff/requests/${erasure}`).set('Authorization', auth).expect(200);
    const order = description.categories.map((c) => c.key).filter((k) => ['diet_restrictions', 'photos'].includes(k));
    expect(e.body.details.categories).toEqual(order);
    const o = await request(api.app).get(`/api/v1/staff/requests/${objection}`).set('Authorization', auth).expect(200);
    expect(o.body.details.objectionGrounds).toBe(GROUNDS);
    const s = await request(api.app).get(`/api/v1/staff/requests/${stranger}`).set('Authorization', auth).expect(200);
    expect(s.body.register).toEqual({ found: false, matchedBy: null, record: null });
  });
});

describe('the request page, in Finnish', () => {
  test('shows the free text, the field by its name, the current and the proposed value, and the register record; the view is recorded', async () => {
    const agent = await signedInStaff(api.app, 'h.kasittelija', 'handler');
    const before = await views(rectification);
    const page = (await agent.get(`/staff/requests/${rectification}?lang=fi`).expect(200)).text;
    expect(page).toContain(escapeHtml(FREE_TEXT));
    expect(page).toContain(escapeHtml(fi.request.asked.correctionsCaption));
    const row = /<table id="corrections">[\s\S]*?<tbody><tr>([\s\S]*?)<\/tr>/.exec(page)?.[1] ?? '';
    expect(row).toContain('Puhelinnumero');
    expect(row).toContain(escapeHtml(demo.phone ?? fi.request.asked.noCurrent));
    expect(row).toContain(NEW_PHONE);
    expect(page).toContain(fi.request.register.byHetu);
    expect(/<dl class="facts" id="register-record">([\s\S]*?)<\/dl>/.exec(page)?.[1]).toContain(DEMO_HETU);
    expect(await views(rectification)).toBe(before + 1);
  });

  test('names the chosen categories and the objection grounds, and says so when nobody in the register matches', async () => {
    const agent = await signedInStaff(api.app, 'h.kasittelija', 'handler');
    const e = (await agent.get(`/staff/requests/${erasure}?lang=fi`).expect(200)).text;
    for (const key of ['diet_restrictions', 'photos']) expect(e).toContain(escapeHtml(description.categories.find((c) => c.key === key)!.label.fi));
    const o = (await agent.get(`/staff/requests/${objection}?lang=fi`).expect(200)).text;
    expect(o).toContain(escapeHtml(GROUNDS));
    const s = (await agent.get(`/staff/requests/${stranger}?lang=fi`).expect(200)).text;
    expect(s).toContain(fi.request.register.notFound);
  });

  test('names a delivered extension notice as such in the timeline, not as an answer', async () => {
    const agent = await signedInStaff(api.app, 'h.kasittelija', 'handler');
    const page = (await agent.get(`/staff/requests/${erasure}?lang=fi`).expect(200)).text;
    const row = /<tr data-type="document_delivered">([\s\S]*?)<\/tr>/.exec(page)?.[1] ?? '';
    expect(row).toContain(escapeHtml(fi.events.documentDelivered.replace('{{kind}}', fi.documentKinds.extension)));
    expect(row).not.toContain(escapeHtml(fi.events.document_delivered));
  });

  test('carries no raw codes or English: categories, grounds, kinds and states are labels', async () => {
    const agent = await signedInStaff(api.app, 'h.kasittelija', 'handler');
    for (const path of [rectification, erasure, objection, stranger].map((id) => `/staff/requests/${id}?lang=fi`).concat('/staff?lang=fi')) {
      const text = pageText((await agent.get(path).expect(200)).text);
      expect([path, codesIn(text, description)]).toEqual([path, []]);
    }
  });
});
