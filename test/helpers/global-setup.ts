/**
 * Jest globalSetup of the integration project: one PostgreSQL cluster and one Temporal dev server
 * for the whole run, unless DATABASE_URL / TEMPORAL_ADDRESS already point at servers to use.
 * Their addresses go to process.env, which the test workers inherit.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startPostgresCluster, type PostgresCluster } from '../../embedded/postgres-cluster';
import { startTemporalDevServer, type TemporalDevServer } from '../../embedded/temporal-dev-server';

interface IntegrationServers {
  tempDir: string;
  postgres?: PostgresCluster;
  temporal?: TemporalDevServer;
}

const HANDLE = Symbol.for('dsr-engine.integration-servers');
type WithHandle = typeof globalThis & { [HANDLE]?: IntegrationServers };

export default async function globalSetup(): Promise<void> {
  const tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dsr-it-'));
  // As root, PostgreSQL runs as the "postgres" OS user, which must be able to enter this folder.
  fs.chmodSync(tempDir, 0o755);
  const servers: IntegrationServers = { tempDir };
  (globalThis as WithHandle)[HANDLE] = servers;

  const started = await Promise.allSettled([
    process.env.DATABASE_URL
      ? undefined
      : startPostgresCluster({ dataDir: path.join(tempDir, 'pg'), persistent: false }).then((pg) => {
          servers.postgres = pg;
          process.env.DATABASE_URL = pg.url;
        }),
    process.env.TEMPORAL_ADDRESS
      ? undefined
      : startTemporalDevServer({ dataDir: path.join(tempDir, 'temporal') }).then((temporal) => {
          servers.temporal = temporal;
          process.env.TEMPORAL_ADDRESS = temporal.address;
          process.env.TEMPORAL_NAMESPACE ??= temporal.namespace;
        }),
  ]);
  const failure = started.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failure) {
    // Jest skips globalTeardown when globalSetup throws, so clean up here.
    await stopIntegrationServers();
    throw failure.reason;
  }
}

/** Stops what globalSetup started and removes its temporary folder; a no-op when nothing was started. */
export async function stopIntegrationServers(): Promise<void> {
  const servers = (globalThis as WithHandle)[HANDLE];
  if (!servers) return;
  delete (globalThis as WithHandle)[HANDLE];
  const stopped = await Promise.allSettled([servers.postgres?.stop(), servers.temporal?.stop()]);
  fs.rmSync(servers.tempDir, { recursive: true, force: true });
  const failure = stopped.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failure) throw failure.reason;
}
