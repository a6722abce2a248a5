/**
 * PostgreSQL going away and coming back (issue 9, points 3 and 4), on a throwaway cluster of this
 * test's own so it can be stopped: the API answers 503 with Retry-After (JSON in the API, a page on
 * the forms) and /ready says 503; once the cluster is back, the same requests succeed. A process
 * holding a transaction open while the cluster restarts stays alive and its next query works.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { loadConfig } from '../../config/settings';
import { createLogger } from '../../config/logger';
import { loadRegisterDescription } from '../../config/register-description';
import { REGISTER_COLUMNS } from '../../db/tables/register';
import { createDb, type Db } from '../../db/database';
import { migrateToLatest } from '../../db/migrate';
import { startPostgresCluster, type PostgresCluster } from '../../embedded/postgres-cluster';
import { buildApiServer, type ApiServer } from '../../api/server';
import { webRoutes } from '../../web/routes';
import { pageBodyErrorHandler } from '../../web/body-errors';
import { recordingGateway } from '../helpers/recording-gateway';

jest.setTimeout(120_000);

let tempDir: string;
let cluster: PostgresCluster;
let db: Db;
let api: ApiServer;

const SUBMISSION = { rights: ['access'], language: 'fi', subject: { firstName: 'Aino', lastName: 'Katko', email: 'aino.katko@example.fi' } };

async function restart(): Promise<void> {
  cluster = await startPostgresCluster({ dataDir: cluster.dataDir, port: cluster.port, persistent: false });
}

beforeAll(async () => {
  tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dsr-outage-'));
  fs.chmodSync(tempDir, 0o755); // as root the cluster runs as the "postgres" OS user
  cluster = await startPostgresCluster({ dataDir: path.join(tempDir, 'pg'), persistent: false });
  db = createDb(cluster.url, { max: 4 });
  await migrateToLatest(db);
  const config = loadConfig({
    DSR_MODE: 'embedded',
    DATABASE_URL: cluster.url,
    TEMPORAL_ADDRESS: '127.0.0.1:9',
    SMTP_URL: 'smtp://127.0.0.1:9',
    STAFF_NOTIFY_EMAIL: 'tietosuojavastaava@example.fi',
    AUTH_TOKEN_SECRET: randomBytes(32).toString('hex'),
    PAYLOAD_CODEC_KEY: randomBytes(32).toString('base64'),
    RECONCILE_INTERVAL_SECONDS: '3600',
    LOG_LEVEL: 'silent',
  });
  const description = loadRegisterDescription(config.registerDescriptionPath, REGISTER_COLUMNS);
  api = buildApiServer({ config, db, description, logger: createLogger('silent'), gateway: recordingGateway([]), extraRouters: (ctx) => [webRoutes(ctx), pageBodyErrorHandler(ctx.description)] });
});

afterAll(async () => {
  await api?.close();
  await db?.destroy();
  await cluster?.stop();
  fs.rmSync(tempDir, { recursive: true, force: true });
});

describe('with PostgreSQL stopped', () => {
  it('answers 503 with Retry-After, /ready says 503, and after the restart the same calls succeed', async () => {
    await request(api.app).get('/ready').expect(200);
    await request(api.app).post('/api/v1/requests').send(SUBMISSION).expect(201);

    await cluster.stop();
    const intake = await request(api.app).post('/api/v1/requests').send(SUBMISSION);
    expect([intake.status, intake.headers['retry-after'], intake.body.error?.code]).toEqual([503, '5', 'database_unavailable']);
    const ready = await request(api.app).get('/ready');
    expect([ready.status, ready.headers['retry-after'], ready.body.status]).toEqual([503, '5', 'unavailable']);
    await request(api.app).get('/health').expect(200);
    const lookup = await request(api.app).post('/api/v1/requests/status').send({ reference: 'DSR-2026-ABCDEF', accessCode: 'ABCD-EFGH' });
    expect([lookup.status, lookup.headers['retry-after']]).toEqual([503, '5']);
    const page = await request(api.app).post('/status?lang=en').type('form').send({ reference: 'DSR-2026-ABCDEF', accessCode: 'ABCD-EFGH' });
    expect([page.status, page.type, page.headers['retry-after']]).toEqual([503, 'text/html', '5']);
    expect(page.text).toContain('The service is temporarily unavailable');

    await restart();
    await request(api.app).get('/ready').expect(200);
    await request(api.app).post('/api/v1/requests').send(SUBMISSION).expect(201);
  });
});

describe('a process holding a transaction open while PostgreSQL restarts', () => {
  it('stays alive; the transaction fails, and the next query works', async () => {
    const child: ChildProcessWithoutNullStreams = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, '../helpers/pg-restart-child.ts'), cluster.url], { stdio: 'pipe' });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      await until(() => out.includes('in-transaction'), 30_000, () => out);
      await cluster.stop(); // fast shutdown: the server ends the checked-out connection with 57P01
      await new Promise((r) => setTimeout(r, 1000));
      expect({ alive: child.exitCode === null && child.signalCode === null, out }).toEqual({ alive: true, out: 'in-transaction\n' });
      await restart();
      child.stdin.write('go\n');
      expect(await exited).toBe(0);
      expect(out).toMatch(/transaction: failed/);
      expect(out).toContain('next query: ok');
      expect(out).toMatch(/warnings: [1-9]/);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});

async function until(ok: () => boolean, ms: number, what: () => string): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out; output so far: ${what()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
