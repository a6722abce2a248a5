/**
 * Who sees what, walked as a matrix over real PostgreSQL: each role (handler A, handler B, the DPO,
 * an admin, an auditor) against each kind of request (A's own, B's, open and unassigned, closed by
 * the DPO alone, closed after A handled it) for reading (page, JSON API, lists), acting (the same
 * update through the JSON API and the page's form) and opening a document. An allowed action must
 * reach the workflow gateway; a refused one answers 403, reaches nothing and changes no row.
 * Temporal is replaced by a gateway that records the updates it is sent.
 */
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { buildApiServer, type ApiServer } from '../../api/server';
import { loadConfig } from '../../config/settings';
import { createLogger } from '../../config/logger';
import { loadRegisterDescription } from '../../config/register-description';
import { REGISTER_COLUMNS } from '../../db/tables/register';
import { storeDocument } from '../../db/repositories/documents';
import { recordTransition } from '../../db/repositories/events';
import type { WorkflowGateway } from '../../services/workflow-gateway';
import { webRoutes } from '../../web/routes';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { csrfOf, signedInStaff } from '../helpers/staff';
import { testEngineEnv } from '../helpers/engine-env';

jest.setTimeout(120_000);

const ROLES = {
  handlerA: { user: 'hanna.a', role: 'handler' },
  handlerB: { user: 'heikki.b', role: 'handler' },
  dpo: { user: 'dora.dpo', role: 'dpo' },
  admin: { user: 'aatu.admin', role: 'admin' },
  auditor: { user: 'aino.auditor', role: 'auditor' },
} as const;
type RoleName = keyof typeof ROLES;

const KINDS = ['ownOfA', 'ownOfB', 'unassignedOpen', 'closedByDpo', 'closedHandledByA'] as const;
type Kind = (typeof KINDS)[number];

type Access = { read: boolean; act: boolean; document: boolean };
const all: Access = { read: true, act: true, document: true };
const none: Access = { read: false, act: false, document: false };
const readOnly: Access = { read: true, act: false, document: true };

/** The law of the land (README, "Who sees what"). */
const EXPECTED: Record<RoleName, Record<Kind, Access>> = {
  handlerA: { ownOfA: all, ownOfB: none, unassignedOpen: all, closedByDpo: none, closedHandledByA: all },
  handlerB: { ownOfA: none, ownOfB: all, unassignedOpen: all, closedByDpo: none, closedHandledByA: none },
  dpo: { ownOfA: all, ownOfB: all, unassignedOpen: all, closedByDpo: all, closedHandledByA: all },
  admin: { ownOfA: all, ownOfB: all, unassignedOpen: all, closedByDpo: all, closedHandledByA: all },
  auditor: { ownOfA: readOnly, ownOfB: readOnly, unassignedOpen: readOnly, closedByDpo: readOnly, closedHandledByA: readOnly },
};

let tdb: TestDatabase;
let api: ApiServer;
const decided: { id: string; name: string }[] = [];

const gateway: WorkflowGateway = {
  async start() {
    return true;
  },
  async decide(id, name) {
    decided.push({ id, name });
    return { accepted: true } as never;
  },
  async startRestrictionLift() {
    throw new Error('no restriction lifts in these tests');
  },
  async status() {
    throw new Error('no status queries in these tests');
  },
};

const fixtures = {} as Record<Kind, { id: string; reference: string; documentId: string; assignedTo: string | null }>;
const agents = {} as Record<RoleName, { agent: TestAgent; csrf: string; bearer: string }>;

async function submit(kind: Kind, assignedTo: string | null, closedBy: string[]): Promise<void> {
  const result = await api.ctx.intake.submit({
    rights: ['access'],
    language: 'fi',
    channel: 'e_form',
    receivedAt: new Date(),
    identityMethod: null,
    subject: { firstName: 'Aino', lastName: `Matriisi${kind}`, hetu: '131052-308T', email: `${kind.toLowerCase()}@example.fi` },
    idempotencyKey: null,
    enteredBy: 'subject',
  });
  const { id, reference } = result.requests[0];
  // Everyone who handled it is recorded as an actor; then the last one closes it.
  for (const [i, actor] of closedBy.entries()) {
    await recordTransition(tdb.db, { requestId: id, businessKey: `matrix:${i}`, type: i === closedBy.length - 1 ? 'withdrawn' : 'identity_verified', actor });
  }
  if (closedBy.length) await tdb.db.updateTable('dsr.requests').set({ state: 'closed', outcome: 'withdrawn', closed_at: new Date() }).where('id', '=', id).execute();
  await tdb.db.updateTable('dsr.requests').set({ assigned_to: assignedTo }).where('id', '=', id).execute();
  const doc = await storeDocument(tdb.db, { requestId: id, businessKey: `matrix-doc:${id}`, kind: 'answer', language: 'fi', filename: 'vastaus.pdf', mediaType: 'application/pdf', content: Buffer.from(`%PDF-1.4 ${kind}`) });
  fixtures[kind] = { id, reference, documentId: doc.id, assignedTo };
}

/** Everything a refused attempt must leave as it was. */
async function snapshot(id: string) {
  const row = await tdb.db.selectFrom('dsr.requests').select(['assigned_to', 'state', 'closed_at', 'updated_at']).where('id', '=', id).executeTakeFirstOrThrow();
  const events = await tdb.db.selectFrom('dsr.events').select((eb) => eb.fn.countAll<string>().as('n')).where('request_id', '=', id).executeTakeFirstOrThrow();
  const audit = await tdb.db.selectFrom('dsr.audit_log').select((eb) => eb.fn.countAll<string>().as('n')).where('request_id', '=', id).executeTakeFirstOrThrow();
  return { row, events: events.n, audit: audit.n, decided: decided.filter((d) => d.id === id).length };
}

beforeAll(async () => {
  tdb = await createTestDatabase();
  const config = loadConfig({
    ...testEngineEnv(tdb.url),
    AUTH_DEV_SIGN_IN: 'true',
  });
  api = buildApiServer({ config, db: tdb.db, description: loadRegisterDescription(config.registerDescriptionPath, REGISTER_COLUMNS), logger: createLogger('silent'), gateway, extraRouters: (ctx) => [webRoutes(ctx)] });
  await submit('ownOfA', ROLES.handlerA.user, []);
  await submit('ownOfB', ROLES.handlerB.user, []);
  await submit('unassignedOpen', null, []);
  // The leak of issue 11: closed by the DPO, who never assigns, so nobody is assigned.
  await submit('closedByDpo', null, [ROLES.dpo.user]);
  await submit('closedHandledByA', null, [ROLES.handlerA.user, ROLES.dpo.user]);
  for (const [name, r] of Object.entries(ROLES) as [RoleName, (typeof ROLES)[RoleName]][]) {
    const agent = await signedInStaff(api.app, r.user, r.role);
    const landing = name === 'auditor' ? '/staff/audit?lang=en' : '/staff?lang=en';
    const page = await agent.get(landing).expect(200);
    const res = await request(api.app).post('/api/v1/auth/dev-sign-in').send({ user: r.user, roles: [r.role] }).expect(200);
    agents[name] = { agent, csrf: csrfOf(page.text), bearer: `Bearer ${res.body.token as string}` };
  }
});

afterAll(async () => {
  await api?.close();
  await tdb?.destroy();
});

/** An allowed action may take an unassigned request: put every request back as the fixture had it. */
afterEach(async () => {
  for (const f of Object.values(fixtures)) await tdb.db.updateTable('dsr.requests').set({ assigned_to: f.assignedTo }).where('id', '=', f.id).execute();
});

const cells = (Object.keys(ROLES) as RoleName[]).flatMap((role) => KINDS.map((kind) => [role, kind, EXPECTED[role][kind]] as const));
const isConsoleRole = (role: RoleName) => role !== 'auditor';

describe.each(cells)('%s on a request %s', (role, kind, expected) => {
  test(`reads it: ${expected.read ? 'allowed' : 'refused with 403'}`, async () => {
    const f = fixtures[kind];
    const { agent, bearer } = agents[role];
    const before = await snapshot(f.id);
    if (isConsoleRole(role)) {
      const page = await agent.get(`/staff/requests/${f.id}?lang=en`);
      const json = await request(api.app).get(`/api/v1/staff/requests/${f.id}`).set('Authorization', bearer);
      expect([page.status, json.status]).toEqual(expected.read ? [200, 200] : [403, 403]);
      if (expected.read) expect(json.body.subject.lastName).toBe(`Matriisi${kind}`);
      else expect(`${page.text}${JSON.stringify(json.body)}`).not.toContain(`Matriisi${kind}`);
      // The lists agree with the single request's answer.
      const list = await request(api.app).get('/api/v1/staff/requests?limit=100').set('Authorization', bearer).expect(200);
      expect((list.body.items as { id: string }[]).some((i) => i.id === f.id)).toBe(expected.read);
      const console = await agent.get('/staff?lang=en&status=all').expect(200);
      expect(console.text.includes(`data-reference="${f.reference}"`)).toBe(expected.read);
    } else {
      await agent.get(`/staff/audit/requests/${f.id}?lang=en`).expect(200);
      const json = await request(api.app).get(`/api/v1/audit/requests/${f.id}`).set('Authorization', bearer).expect(200);
      expect(json.body.request.id).toBe(f.id);
      // Auditors read through their own views, not the console's.
      await agent.get(`/staff/requests/${f.id}?lang=en`).expect(403);
      await request(api.app).get(`/api/v1/staff/requests/${f.id}`).set('Authorization', bearer).expect(403);
    }
    if (!expected.read) expect(await snapshot(f.id)).toEqual(before);
  });

  test(`acts on it (extend, through the API and the page's form): ${expected.act ? 'reaches the workflow' : 'refused with 403, nothing changes'}`, async () => {
    const f = fixtures[kind];
    const { agent, csrf, bearer } = agents[role];
    const before = await snapshot(f.id);
    const reasons = 'Laaja pyyntö, useita järjestelmiä.';
    const json = await request(api.app).post(`/api/v1/staff/requests/${f.id}/extend`).set('Authorization', bearer).send({ reasons });
    const page = await agent.post(`/staff/requests/${f.id}/actions/extend?lang=en`).type('form').send({ csrf, reasons });
    if (expected.act) {
      expect([json.status, page.status]).toEqual([200, 303]);
      expect(decided.filter((d) => d.id === f.id && d.name === 'extendDeadline').length).toBe(before.decided + 2);
    } else {
      expect([json.status, page.status]).toEqual([403, 403]);
      expect(await snapshot(f.id)).toEqual(before);
    }
  });

  test(`opens its document: ${expected.document ? 'allowed' : 'refused with 403'}`, async () => {
    const f = fixtures[kind];
    const { agent, bearer } = agents[role];
    const before = await snapshot(f.id);
    if (isConsoleRole(role)) {
      const page = await agent.get(`/staff/documents/${f.documentId}`);
      const json = await request(api.app).get(`/api/v1/staff/documents/${f.documentId}/content`).set('Authorization', bearer);
      expect([page.status, json.status]).toEqual(expected.document ? [200, 200] : [403, 403]);
      if (!expected.document) expect(`${page.text}${json.text}`).not.toContain('%PDF');
    } else {
      const page = await agent.get(`/staff/audit/documents/${f.documentId}`).expect(200);
      expect(page.headers['content-type']).toContain('application/pdf');
      await agent.get(`/staff/documents/${f.documentId}`).expect(403);
    }
    if (!expected.document) expect(await snapshot(f.id)).toEqual(before);
  });
});

test('an unknown request or document is a 404 for everyone, not a 403', async () => {
  const unknown = '00000000-0000-4000-8000-000000000000';
  for (const name of ['handlerA', 'dpo'] as const) {
    await agents[name].agent.get(`/staff/requests/${unknown}`).expect(404);
    await agents[name].agent.get(`/staff/documents/${unknown}`).expect(404);
    await request(api.app).get(`/api/v1/staff/requests/${unknown}`).set('Authorization', agents[name].bearer).expect(404);
    await request(api.app).get(`/api/v1/staff/documents/${unknown}/content`).set('Authorization', agents[name].bearer).expect(404);
  }
});

test('a refusal of a closed request says it was handled by others, in the page language and the API', async () => {
  const f = fixtures.closedByDpo;
  const page = await agents.handlerB.agent.get(`/staff/requests/${f.id}?lang=fi`).expect(403);
  expect(page.text).toContain('Pyynnön käsittelivät muut');
  const json = await request(api.app).get(`/api/v1/staff/requests/${f.id}`).set('Authorization', agents.handlerB.bearer).expect(403);
  expect(json.body.error.code).toBe('not_handled');
});
