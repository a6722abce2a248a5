/**
 * Decisions sent while no worker polls the request's task queue (issue 9, point 4): the caller gets
 * a clear 504 within the gateway's deadline instead of a request that hangs, and the request's
 * stored state is unchanged. Real Temporal dev server (from the global setup) and PostgreSQL.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { Connection } from '@temporalio/client';
import request from 'supertest';
import { loadConfig } from '../../config/settings';
import { createLogger } from '../../config/logger';
import { loadRegisterDescription } from '../../config/register-description';
import { REGISTER_COLUMNS } from '../../db/tables/register';
import { buildApiServer, type ApiServer } from '../../api/server';
import { temporalGateway } from '../../services/workflow-gateway';
import { dataConverterFor } from '../../worker/payload-codec';
import { createTestDatabase, type TestDatabase } from '../helpers/db';

jest.setTimeout(60_000);

const DEADLINE_MS = 1500;
let tdb: TestDatabase;
let connection: Connection;
let api: ApiServer;

beforeAll(async () => {
  tdb = await createTestDatabase();
  const config = loadConfig({
    DSR_MODE: 'embedded',
    DATABASE_URL: tdb.url,
    TEMPORAL_ADDRESS: process.env.TEMPORAL_ADDRESS,
    TEMPORAL_NAMESPACE: process.env.TEMPORAL_NAMESPACE ?? 'default',
    // A task queue no worker polls: the worker is "down".
    TEMPORAL_TASK_QUEUE: `no-worker-${randomUUID()}`,
    SMTP_URL: 'smtp://127.0.0.1:9',
    STAFF_NOTIFY_EMAIL: 'tietosuojavastaava@example.fi',
    AUTH_TOKEN_SECRET: randomBytes(32).toString('hex'),
    AUTH_DEV_SIGN_IN: 'true',
    PAYLOAD_CODEC_KEY: randomBytes(32).toString('base64'),
    RECONCILE_INTERVAL_SECONDS: '3600',
    LOG_LEVEL: 'silent',
  });
  connection = await Connection.connect({ address: config.temporal.address });
  const gateway = temporalGateway({
    connection,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    dataConverter: dataConverterFor(config.payloadCodecKeys),
    updateDeadlineMs: DEADLINE_MS,
  });
  const description = loadRegisterDescription(config.registerDescriptionPath, REGISTER_COLUMNS);
  api = buildApiServer({ config, db: tdb.db, description, logger: createLogger('silent'), gateway });
});

afterAll(async () => {
  await api?.close();
  await connection?.close();
  await tdb?.destroy();
});

describe('a decision while the worker is down', () => {
  it('answers 504 within the deadline, saying the decision was not confirmed, and changes nothing', async () => {
    const created = await request(api.app)
      .post('/api/v1/requests')
      .send({ rights: ['access'], language: 'fi', subject: { firstName: 'Aino', lastName: 'Odottaja', email: 'aino.odottaja@example.fi' } })
      .expect(201);
    const id = created.body.id as string;
    // The workflow starts beside the answer.
    await api.ctx.intake.drain(10_000);
    const workflow = await tdb.db.selectFrom('dsr.requests').select(['state', 'workflow_started_at']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(workflow.workflow_started_at).not.toBeNull(); // started on the queue, but nobody runs it
    const token = (await request(api.app).post('/api/v1/auth/dev-sign-in').send({ user: 'h.kasittelija', roles: ['handler'] }).expect(200)).body.token as string;

    const started = Date.now();
    const res = await request(api.app).post(`/api/v1/staff/requests/${id}/extend`).set('Authorization', `Bearer ${token}`).send({ reasons: 'Pyyntö on laaja ja vaatii selvityksiä.' });
    const took = Date.now() - started;
    expect([res.status, res.body.error?.code]).toEqual([504, 'workflow_timeout']);
    expect(res.body.error.message).toMatch(/not confirmed/);
    expect(took).toBeLessThan(DEADLINE_MS + 5000);

    const status = await request(api.app).get(`/api/v1/staff/requests/${id}/status`).set('Authorization', `Bearer ${token}`);
    expect([status.status, status.text]).toEqual([504, expect.anything()]);
    const after = await tdb.db.selectFrom('dsr.requests').select(['state', 'assigned_to']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(after).toEqual({ state: workflow.state, assigned_to: null });
  });
});
