/**
 * Rotating the payload key and the token secret under an open request, on the real Temporal dev
 * server and PostgreSQL: a request opened while the engine runs with key 1 is answered and closed
 * after the engine restarts with the ring [2, 1]; the status query keeps working; the handler's
 * token issued before the restart is still accepted; and what the engine writes after the restart
 * is encrypted with key 2.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { Connection, WorkflowClient } from '@temporalio/client';
import type { Worker } from '@temporalio/worker';
import request from 'supertest';
import { buildApiServer, type ApiServer } from '../../api/server';
import { createLogger } from '../../config/logger';
import { loadRegisterDescription } from '../../config/register-description';
import { REGISTER_COLUMNS } from '../../db/tables/register';
import { loadConfig, type Config } from '../../config/settings';
import { seedRegister } from '../../db/seed';
import { createWorker } from '../../worker/worker';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { seedRequest } from '../helpers/seed-request';
import { deliveryActivities } from '../../activities/delivery';
import { downloadToken, tokenHash } from '../../db/download-token';
import { createDownloadLink, findLinkByTokenHash } from '../../db/repositories/downloads';
import type { ActivitySettings } from '../../activities';
import { startSmtpCapture, type SmtpCapture } from '../helpers/smtp';

jest.setTimeout(180_000);

const key1 = randomBytes(32).toString('base64');
const key2 = randomBytes(32).toString('base64');
const secret1 = randomBytes(32).toString('hex');
const secret2 = randomBytes(32).toString('hex');
const taskQueue = `it-rotation-${randomUUID()}`;

let tdb: TestDatabase;
let smtp: SmtpCapture;

interface Running {
  api: ApiServer;
  stop(): Promise<void>;
}

function configWith(rings: { PAYLOAD_CODEC_KEYS: string; AUTH_TOKEN_SECRETS: string }): Config {
  return loadConfig({
    DSR_MODE: 'embedded',
    DATABASE_URL: tdb.url,
    TEMPORAL_ADDRESS: process.env.TEMPORAL_ADDRESS,
    TEMPORAL_NAMESPACE: process.env.TEMPORAL_NAMESPACE ?? 'default',
    TEMPORAL_TASK_QUEUE: taskQueue,
    SMTP_URL: smtp.url,
    STAFF_NOTIFY_EMAIL: 'tietosuojavastaava@example.fi',
    AUTH_DEV_SIGN_IN: 'true',
    PUBLIC_BASE_URL: 'http://127.0.0.1:9',
    RECONCILE_INTERVAL_SECONDS: '3600',
    LOG_LEVEL: 'silent',
    ...rings,
  });
}

/** Starts the worker and the API the way a deployment would, with this configuration. */
async function startEngineWith(config: Config): Promise<Running> {
  const description = loadRegisterDescription(config.registerDescriptionPath, REGISTER_COLUMNS);
  const built = await createWorker({ config, db: tdb.db, description });
  const worker: Worker = built.worker;
  const running = worker.run();
  const api = buildApiServer({ config, db: tdb.db, description, logger: createLogger('silent') });
  return {
    api,
    async stop() {
      await api.close();
      worker.shutdown();
      await running;
      await built.connection.close();
    },
  };
}

async function waitForStatus(api: ApiServer, id: string, auth: string, pred: (s: Record<string, unknown>) => boolean): Promise<Record<string, unknown>> {
  let last: request.Response | undefined;
  for (let i = 0; i < 300; i++) {
    last = await request(api.app).get(`/api/v1/staff/requests/${id}/status`).set('Authorization', auth);
    if (last.status === 200 && pred(last.body)) return last.body;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`request ${id} did not reach the expected state (last answer ${last?.status} ${JSON.stringify(last?.body)})`);
}

/** The key ids named by the encrypted payloads of a workflow's history, read without any codec. */
async function keyIdsInHistory(workflowId: string): Promise<Set<string>> {
  const connection = await Connection.connect({ address: process.env.TEMPORAL_ADDRESS! });
  try {
    const client = new WorkflowClient({ connection, namespace: process.env.TEMPORAL_NAMESPACE ?? 'default' });
    const history = await client.getHandle(workflowId).fetchHistory();
    const ids = new Set<string>();
    const walk = (node: unknown): void => {
      if (!node || typeof node !== 'object' || node instanceof Uint8Array) return;
      for (const [key, value] of Object.entries(node)) {
        if (key === 'encryption-key-id' && value instanceof Uint8Array) ids.add(Buffer.from(value).toString());
        else walk(value);
      }
    };
    walk(history);
    return ids;
  } finally {
    await connection.close();
  }
}

beforeAll(async () => {
  tdb = await createTestDatabase();
  await seedRegister(tdb.ownerDb, { persons: 20, seed: 7 });
  smtp = await startSmtpCapture();
});

afterAll(async () => {
  await smtp?.close();
  await tdb?.destroy();
});

describe('rotating the payload key and the token secret under an open request', () => {
  it('a request opened under key 1 is answered and closed after a restart with the ring [2, 1]', async () => {
    const first = await startEngineWith(configWith({ PAYLOAD_CODEC_KEYS: `k1:${key1}`, AUTH_TOKEN_SECRETS: `t1:${secret1}` }));
    let id: string;
    let handler: string;
    let draftDocumentId: string;
    try {
      const submitted = await request(first.api.app)
        .post('/api/v1/requests')
        .send({ rights: ['access'], language: 'fi', subject: { firstName: 'Testi', lastName: 'Demo', hetu: '131052-308T', email: 'testi.demo@example.fi' } })
        .expect(201);
      id = submitted.body.id as string;
      const signedIn = await request(first.api.app).post('/api/v1/auth/dev-sign-in').send({ user: 'h.kasittelija', roles: ['handler'] }).expect(200);
      handler = `Bearer ${signedIn.body.token as string}`;
      await waitForStatus(first.api, id, handler, (s) => s.awaiting === 'identity');
      await request(first.api.app)
        .post(`/api/v1/staff/requests/${id}/identity`)
        .set('Authorization', handler)
        .send({ decision: 'verified', method: 'handler_verified', note: 'Henkilöllisyys tarkistettu.' })
        .expect(200);
      draftDocumentId = (await waitForStatus(first.api, id, handler, (s) => s.awaiting === 'approval')).draftDocumentId as string;
    } finally {
      await first.stop();
    }
    expect([...(await keyIdsInHistory(id))]).toEqual(['k1']);

    const second = await startEngineWith(configWith({ PAYLOAD_CODEC_KEYS: `k2:${key2},k1:${key1}`, AUTH_TOKEN_SECRETS: `t2:${secret2},t1:${secret1}` }));
    try {
      // The status query decodes the history written under key 1; the token signed with t1 still counts.
      const status = await waitForStatus(second.api, id, handler, (s) => s.awaiting === 'approval');
      expect(status.draftDocumentId).toBe(draftDocumentId);
      await request(second.api.app).post(`/api/v1/staff/requests/${id}/approve`).set('Authorization', handler).send({ documentId: draftDocumentId }).expect(200);
      const closed = await waitForStatus(second.api, id, handler, (s) => s.closed === true);
      expect(closed.state).toBe('closed');
      const ready = await smtp.waitFor((m) => m.headers.get('x-dsr-kind') === 'document_ready');
      expect(ready.to).toContain('testi.demo@example.fi');
    } finally {
      await second.stop();
    }
    // Payloads written after the restart name key 2; the older ones still name key 1.
    expect([...(await keyIdsInHistory(id))].sort()).toEqual(['k1', 'k2']);
  });

  it('a delivery retried after the token secret rotated e-mails the link made before the rotation', async () => {
    const { requestId, documents } = await seedRequest(tdb.db, { closedAt: null, linkExpiresAt: new Date(Date.now() + 14 * 24 * 3_600_000) });
    const documentId = documents.draft;
    // The first attempt made the link under t1, then stopped before the e-mail.
    const oldToken = downloadToken(secret1, documentId);
    await createDownloadLink(tdb.db, { businessKey: `link:${documentId}`, requestId, documentId, tokenHash: tokenHash(oldToken), expiresAt: new Date(Date.now() + 14 * 24 * 3_600_000) });
    const sent: string[] = [];
    const settings = { publicBaseUrl: 'http://127.0.0.1:9', mailFrom: 'dsr@example.fi', messageIdDomain: 'dsr.test', downloadLinkDays: 14, linkSecret: secret2, olderLinkSecrets: [secret1] } as ActivitySettings;
    const delivery = deliveryActivities({ db: tdb.db, description: loadRegisterDescription('config/register-description.kuopio.yaml', REGISTER_COLUMNS), mailer: { sendMail: async (m) => (sent.push(m.text), {}) }, settings });
    await delivery.deliverDocument({ requestId, documentId });
    expect(sent).toHaveLength(1);
    expect(sent[0]).toContain(`/download/${oldToken}`);
    // Under t2 alone the e-mail would carry a token that opens nothing.
    expect(await findLinkByTokenHash(tdb.db, tokenHash(downloadToken(secret2, documentId)))).toBeNull();
  });
});
