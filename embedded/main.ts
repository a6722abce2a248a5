/**
 * `npm start`: the engine on its embedded defaults. Starts (unless pointed elsewhere by DATABASE_URL,
 * TEMPORAL_ADDRESS, SMTP_URL) a local PostgreSQL cluster, a Temporal dev server and a loopback mailbox,
 * all keeping their state under the data folder so a restart resumes open requests; migrates, seeds
 * a small demo register, runs the worker and the API in this process, and stops it all on Ctrl-C.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { loadConfig } from '../config/settings';
import { createDb } from '../db/database';
import { migrateToLatest } from '../db/migrate';
import { seedRegister } from '../db/seed';
import { loadRegisterDescription } from '../config/register-description';
import { REGISTER_COLUMNS } from '../db/tables/register';
import { createEngineDatabase, startPostgresCluster } from './postgres-cluster';
import { startTemporalDevServer } from './temporal-dev-server';
import { createLogger } from '../config/logger';
import { buildApiServer } from '../api/server';
import { webRoutes } from '../web/routes';
import { pageBodyErrorHandler } from '../web/body-errors';
import { createWorker, installTemporalRuntime } from '../worker/worker';
import { startMailSink } from './mail-sink';
import { loadOrCreateSecrets } from './secrets';
import { Connection } from '@temporalio/client';
import { ensurePurgeSchedule } from '../worker/purge-schedule';
import { setNamespaceRetention } from './namespace-retention';

const DEMO_PERSONS = 200;

/** GDPR 5(1)(e): the dev server's own namespace keeps closed histories as configured; the purge schedule exists. */
async function startRetentionWith(config: import('../config/settings').Config, ownDevServer: boolean): Promise<void> {
  const client = await Connection.connect({ address: config.temporal.address });
  try {
    if (ownDevServer) await setNamespaceRetention(client, config.temporal.namespace, config.retention.temporalDays);
    await ensurePurgeSchedule(client, config);
  } finally {
    await client.close();
  }
}

/** Thrown between start-up steps when a stop signal arrived meanwhile: stop what has started, exit 0. */
class StopRequested extends Error {}

async function main(): Promise<void> {
  const dataDir = path.resolve(process.env.DSR_DATA_DIR ?? '.data');
  mkdirSync(dataDir, { recursive: true });
  const stops: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
  };
  // Listen from the first moment: a service manager may send SIGTERM while the children are still
  // starting, and the default action would leave them running without us.
  const signal = untilStopSignal();
  const checkpoint = () => {
    if (signal.received) throw new StopRequested();
  };
  try {
    const secrets = loadOrCreateSecrets(dataDir);
    const pg = process.env.DATABASE_URL ? null : await startPostgresCluster({ dataDir: path.join(dataDir, 'pg'), persistent: true });
    if (pg) stops.push(() => pg.stop());
    checkpoint();
    // Least privilege: the owner role migrates the `dsr` database, the engine runs as the engine role.
    const roles = pg ? await createEngineDatabase(pg.url, 'dsr') : null;
    checkpoint();
    const temporal = process.env.TEMPORAL_ADDRESS ? null : await startTemporalDevServer({ dataDir: path.join(dataDir, 'temporal') });
    if (temporal) stops.push(() => temporal.stop());
    checkpoint();
    const mail = process.env.SMTP_URL ? null : await startMailSink(path.join(dataDir, 'mail'));
    if (mail) stops.push(() => mail.close());
    checkpoint();

    const config = loadConfig({
      HTTP_PORT: '8080',
      STAFF_NOTIFY_EMAIL: 'dpo@embedded.localhost',
      ...process.env,
      DSR_MODE: 'embedded',
      AUTH_DEV_SIGN_IN: 'true',
      DATABASE_URL: process.env.DATABASE_URL ?? roles!.engineUrl,
      TEMPORAL_ADDRESS: process.env.TEMPORAL_ADDRESS ?? temporal!.address,
      SMTP_URL: process.env.SMTP_URL ?? mail!.url,
      // The generated secrets stand in only when no key (single or ring) is given.
      ...(process.env.AUTH_TOKEN_SECRETS ? {} : { AUTH_TOKEN_SECRET: process.env.AUTH_TOKEN_SECRET ?? secrets.tokenSecret }),
      ...(process.env.PAYLOAD_CODEC_KEYS ? {} : { PAYLOAD_CODEC_KEY: process.env.PAYLOAD_CODEC_KEY ?? secrets.payloadCodecKey }),
      AUDIT_HMAC_KEY: process.env.AUDIT_HMAC_KEY ?? secrets.auditHmacKey,
      AUDIT_HMAC_KEY_ID: process.env.AUDIT_HMAC_KEY ? (process.env.AUDIT_HMAC_KEY_ID ?? 'k1') : secrets.auditHmacKeyId,
      AUDIT_SIGNING_KEY: process.env.AUDIT_SIGNING_KEY ?? secrets.auditSigningKey,
      AUDIT_CHECKPOINT_DIR: process.env.AUDIT_CHECKPOINT_DIR ?? path.join(dataDir, 'checkpoints'),
    });
    const logger = createLogger(config.logLevel, 'embedded');
    installTemporalRuntime(config.logLevel);
    const description = loadRegisterDescription(config.registerDescriptionPath, REGISTER_COLUMNS);
    const ownerUrl = process.env.DATABASE_OWNER_URL ?? roles?.ownerUrl ?? config.databaseUrl;
    const owner = createDb(ownerUrl, { max: 2, logger });
    try {
      await migrateToLatest(owner, { engineRole: process.env.DATABASE_ENGINE_ROLE ?? roles?.engineRole ?? engineRoleOf(config.databaseUrl, ownerUrl) });
      // Seeding is a bulk load (indexes dropped and rebuilt): the owner's work too.
      const { count } = await sql<{ count: string }>`SELECT count(*)::text AS count FROM register.persons`.execute(owner).then((r) => r.rows[0]);
      if (Number(count) === 0) {
        logger.info({ persons: DEMO_PERSONS }, 'seeding the demo register');
        await seedRegister(owner, { persons: DEMO_PERSONS, seed: 1 });
      }
    } finally {
      await owner.destroy();
    }
    checkpoint();
    const db = createDb(config.databaseUrl, { logger });
    stops.push(() => db.destroy());

    const { worker, connection, renderPool } = await createWorker({ config, db, description });
    const running = worker.run();
    stops.push(async () => {
      worker.shutdown();
      await running;
      await connection.close();
      await renderPool.close();
    });
    await startRetentionWith(config, temporal !== null);
    checkpoint();

    const api = buildApiServer({ config, db, logger, description, extraRouters: (ctx) => [webRoutes(ctx), pageBodyErrorHandler(ctx.description)] });
    const server = await new Promise<import('node:http').Server>((resolve) => {
      const s = api.app.listen(config.http.port, config.http.host, () => resolve(s));
    });
    stops.push(() => new Promise<void>((resolve) => server.close(() => resolve())).then(() => api.close()));

    const base = config.http.publicBaseUrl;
    console.log(
      [
        '',
        'Data-subject request engine is running (embedded mode).',
        `  Resident e-form:      ${base}/`,
        `  Request status:       ${base}/status`,
        `  API (OpenAPI):        ${base}/api/v1/openapi.json`,
        `  Health / metrics:     ${base}/health  ${base}/metrics`,
        temporal ? `  Temporal UI:          ${temporal.uiUrl}` : `  Temporal:             ${config.temporal.address}`,
        mail ? `  Outgoing mail (.eml): ${mail.dir}   (residents' one-time codes arrive here)` : `  SMTP:                 ${config.mail.smtpUrl}`,
        `  Staff console:        ${base}/staff/sign-in   (dev sign-in: any user id, any role)`,
        `  Auditor pages:        ${base}/staff/audit`,
        `  Staff API token:      POST ${base}/api/v1/auth/dev-sign-in {"user":"h.handler","roles":["handler"]}`,
        `  Audit checkpoints:    ${config.audit.checkpointDir}   (signed; ship them elsewhere)`,
        `  Data folder:          ${dataDir}`,
        'Press Ctrl-C to stop.',
        '',
      ].join('\n'),
    );

    await signal.promise;
    console.log('Stopping…');
    await stopAll();
  } catch (error) {
    if (error instanceof StopRequested) {
      console.log('Stopping…');
    } else {
      console.error(error instanceof Error ? error.message : error);
      process.exitCode = 1;
    }
    await stopAll();
  }
  // Everything we started is stopped; a handle left open by a library must not keep a service
  // manager waiting until it kills us.
  setTimeout(() => process.exit(), EXIT_GRACE_MS).unref();
}

/** The engine's role: the user of DATABASE_URL when the owner's URL names another user; none when they are the same. */
function engineRoleOf(engineUrl: string, ownerUrl: string): string | undefined {
  const engine = decodeURIComponent(new URL(engineUrl).username);
  return engine && engine !== decodeURIComponent(new URL(ownerUrl).username) ? engine : undefined;
}

const EXIT_GRACE_MS = 5_000;

/**
 * Settles on the first SIGINT or SIGTERM. Ctrl-C reaches this process more than once (from the
 * terminal and relayed by the launcher), so later signals are absorbed while shutdown runs.
 */
function untilStopSignal(): { promise: Promise<void>; readonly received: boolean } {
  let received = false;
  const promise = new Promise<void>((resolve) => {
    const onSignal = () => {
      received = true;
      resolve();
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
  return {
    promise,
    get received() {
      return received;
    },
  };
}

void main();
