/**
 * The whole engine for integration tests: a fresh database with a seeded register, a real SMTP
 * server on loopback, the worker on the Temporal dev server started by the global setup, and the API.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { Worker } from '@temporalio/worker';
import request from 'supertest';
import { loadConfig, type Config } from '../../config/settings';
import { seedRegister } from '../../db/seed';
import { loadRegisterDescription } from '../../config/register-description';
import { REGISTER_COLUMNS } from '../../db/tables/register';
import type { RegisterDescription } from '../../domain/register-description';
import { createLogger } from '../../config/logger';
import { buildApiServer, type ApiServer } from '../../api/server';
import { createWorker } from '../../worker/worker';
import { webRoutes } from '../../web/routes';
import { pageBodyErrorHandler } from '../../web/body-errors';
import { createTestDatabase, type TestDatabase } from './db';
import { startSmtpCapture, type SmtpCapture } from './smtp';

export interface Engine {
  tdb: TestDatabase;
  smtp: SmtpCapture;
  config: Config;
  description: RegisterDescription;
  api: ApiServer;
  signIn(user: string, roles: string[]): Promise<string>;
  waitForStatus(id: string, auth: string, pred: (s: Record<string, unknown>) => boolean): Promise<Record<string, unknown>>;
  stop(): Promise<void>;
}

export interface EngineOptions {
  persons?: number;
  adjustDescription?: (d: RegisterDescription) => RegisterDescription;
  env?: Record<string, string>;
  /** Mounts the resident and staff pages next to the API. */
  withPages?: boolean;
}

export async function startEngine(options: EngineOptions = {}): Promise<Engine> {
  const tdb = await createTestDatabase();
  await seedRegister(tdb.ownerDb, { persons: options.persons ?? 30, seed: 7 });
  const smtp = await startSmtpCapture();
  const config = loadConfig({
    DSR_MODE: 'embedded',
    DATABASE_URL: tdb.url,
    TEMPORAL_ADDRESS: process.env.TEMPORAL_ADDRESS,
    TEMPORAL_NAMESPACE: process.env.TEMPORAL_NAMESPACE ?? 'default',
    TEMPORAL_TASK_QUEUE: `it-${randomUUID()}`,
    SMTP_URL: smtp.url,
    STAFF_NOTIFY_EMAIL: 'tietosuojavastaava@example.fi',
    AUTH_TOKEN_SECRET: randomBytes(32).toString('hex'),
    AUTH_DEV_SIGN_IN: 'true',
    PAYLOAD_CODEC_KEY: randomBytes(32).toString('base64'),
    PUBLIC_BASE_URL: 'http://127.0.0.1:9',
    RECONCILE_INTERVAL_SECONDS: '3600',
    LOG_LEVEL: 'silent',
    ...options.env,
  });
  const loaded = loadRegisterDescription(config.registerDescriptionPath, REGISTER_COLUMNS);
  const description = options.adjustDescription ? options.adjustDescription(structuredClone(loaded) as RegisterDescription) : loaded;
  const built = await createWorker({ config, db: tdb.db, description });
  const worker: Worker = built.worker;
  const running = worker.run();
  const api = buildApiServer({ config, db: tdb.db, description, logger: createLogger('silent'), extraRouters: options.withPages ? (ctx) => [webRoutes(ctx), pageBodyErrorHandler(ctx.description)] : undefined });

  return {
    tdb,
    smtp,
    config,
    description,
    api,
    async signIn(user, roles) {
      const res = await request(api.app).post('/api/v1/auth/dev-sign-in').send({ user, roles }).expect(200);
      return `Bearer ${res.body.token as string}`;
    },
    async waitForStatus(id, auth, pred) {
      for (let i = 0; i < 300; i++) {
        const res = await request(api.app).get(`/api/v1/staff/requests/${id}/status`).set('Authorization', auth);
        if (res.status === 200 && pred(res.body)) return res.body;
        await new Promise((r) => setTimeout(r, 200));
      }
      throw new Error(`request ${id} did not reach the expected state`);
    },
    async stop() {
      await api.close();
      worker.shutdown();
      await running.catch(() => undefined);
      await built.connection.close();
      await built.renderPool.close();
      await smtp.close();
      await tdb.destroy();
    },
  };
}

/** Reads a binary response body (a PDF) with supertest. */
export function binary(res: request.Test): request.Test {
  return res.buffer(true).parse((r, done) => {
    const chunks: Buffer[] = [];
    r.on('data', (c: Buffer) => chunks.push(c));
    r.on('end', () => done(null, Buffer.concat(chunks)));
  });
}
