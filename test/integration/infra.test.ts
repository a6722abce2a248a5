/** The local servers the engine and its tests run on: PostgreSQL clusters, the Temporal dev server, free ports. */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { Connection, WorkflowClient } from '@temporalio/client';
import { sql } from 'kysely';
import { freePort } from '../../embedded/ports';
import { startPostgresCluster } from '../../embedded/postgres-cluster';
import { startTemporalDevServer } from '../../embedded/temporal-dev-server';
import { createTestDatabase } from '../helpers/db';

jest.setTimeout(90_000);

let tempDir: string;

beforeAll(() => {
  tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dsr-infra-test-'));
  fs.chmodSync(tempDir, 0o755); // as root the clusters run as the "postgres" OS user
});

afterAll(() => {
  fs.rmSync(tempDir, { recursive: true, force: true });
});

async function query<T extends object>(url: string, text: string): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text)).rows as T[];
  } finally {
    await client.end();
  }
}

describe('startPostgresCluster', () => {
  test('a throwaway cluster starts on loopback without durability, and refuses connections once stopped', async () => {
    const cluster = await startPostgresCluster({ dataDir: path.join(tempDir, 'throwaway'), persistent: false });
    try {
      const [settings] = await query<{ listen: string; fsync: string; sync: string }>(
        cluster.url,
        "SELECT current_setting('listen_addresses') AS listen, current_setting('fsync') AS fsync, " +
          "current_setting('synchronous_commit') AS sync",
      );
      expect(settings).toEqual({ listen: '127.0.0.1', fsync: 'off', sync: 'off' });
      expect(cluster.url).toBe(`postgres://postgres@127.0.0.1:${cluster.port}/postgres`);
    } finally {
      await cluster.stop();
    }
    await expect(query(cluster.url, 'SELECT 1')).rejects.toThrow(/ECONNREFUSED/);
    await cluster.stop(); // a second stop is harmless
  });

  test('a persistent cluster keeps its rows and its port across a restart', async () => {
    const dataDir = path.join(tempDir, 'persistent');
    const first = await startPostgresCluster({ dataDir, persistent: true });
    await query(first.url, 'CREATE TABLE kept (value text); INSERT INTO kept VALUES ($$still here$$)');
    const [{ fsync }] = await query<{ fsync: string }>(first.url, "SELECT current_setting('fsync') AS fsync");
    await first.stop();

    const second = await startPostgresCluster({ dataDir, persistent: true });
    try {
      expect(fsync).toBe('on');
      expect(second.port).toBe(first.port);
      expect(await query(second.url, 'SELECT value FROM kept')).toEqual([{ value: 'still here' }]);
    } finally {
      await second.stop();
    }
  });

  test('a postmaster.pid left behind by a dead server does not block the next start', async () => {
    const dataDir = path.join(tempDir, 'crashed');
    const first = await startPostgresCluster({ dataDir, persistent: false });
    await first.stop();
    const dead = spawnSync(process.execPath, ['-e', 'process.pid']).pid; // a pid that has certainly exited
    const stale = [dead, dataDir, '0', String(first.port), '', '127.0.0.1', '0 0', 'ready   '].join('\n');
    fs.writeFileSync(path.join(dataDir, 'postmaster.pid'), `${stale}\n`);

    const second = await startPostgresCluster({ dataDir, persistent: false });
    try {
      expect(await query(second.url, 'SELECT 1 AS one')).toEqual([{ one: 1 }]);
    } finally {
      await second.stop();
    }
  });

  test('a second start on a running cluster adopts it instead of failing', async () => {
    const dataDir = path.join(tempDir, 'adopted');
    const first = await startPostgresCluster({ dataDir, persistent: false });
    try {
      const second = await startPostgresCluster({ dataDir, persistent: false });
      expect(second.port).toBe(first.port);
    } finally {
      await first.stop();
    }
  });
});

describe('freePort', () => {
  test('returns a port that can then be bound on 127.0.0.1', async () => {
    const port = await freePort();
    const server = net.createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ host: '127.0.0.1', port }, resolve);
    });
    expect((server.address() as net.AddressInfo).port).toBe(port);
    await new Promise((resolve) => server.close(resolve));
  });
});

describe('createTestDatabase', () => {
  test('creates a fresh database with the given schema, and destroy() drops it', async () => {
    const testDb = await createTestDatabase({
      migrate: async (db) => {
        await db.schema.createSchema('probe').execute();
        await db.schema.createTable('probe.items').addColumn('id', 'integer', (c) => c.primaryKey()).execute();
      },
    });
    const databaseExists = async () =>
      (await query(process.env.DATABASE_URL!, `SELECT 1 FROM pg_database WHERE datname = '${testDb.name}'`)).length;
    try {
      await sql`INSERT INTO probe.items (id) VALUES (1)`.execute(testDb.db);
      const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM probe.items`.execute(testDb.db);
      expect(rows).toEqual([{ n: 1 }]);
      expect(await databaseExists()).toBe(1);
    } finally {
      await testDb.destroy();
    }
    expect(await databaseExists()).toBe(0);
  });

  test('a failing migration leaves no database behind', async () => {
    const before = await query(process.env.DATABASE_URL!, "SELECT datname FROM pg_database WHERE datname LIKE 'dsr_test_%'");
    await expect(
      createTestDatabase({
        migrate: async () => {
          throw new Error('broken migration');
        },
      }),
    ).rejects.toThrow('broken migration');
    const after = await query(process.env.DATABASE_URL!, "SELECT datname FROM pg_database WHERE datname LIKE 'dsr_test_%'");
    expect(after).toEqual(before);
  });
});

describe('Temporal dev server', () => {
  test('the one started by globalSetup answers at TEMPORAL_ADDRESS', async () => {
    const connection = await Connection.connect({ address: process.env.TEMPORAL_ADDRESS });
    try {
      const { namespaceInfo } = await connection.workflowService.describeNamespace({ namespace: 'default' });
      expect(namespaceInfo?.name).toBe('default');
    } finally {
      await connection.close();
    }
  });

  test('a restart on the same data directory still knows the open workflows', async () => {
    const dataDir = path.join(tempDir, 'temporal');
    const first = await startTemporalDevServer({ dataDir });
    await withClient(first.address, (client) =>
      client.start('neverRunByAnyWorker', { workflowId: 'infra-test-open', taskQueue: 'infra-test' }),
    );
    await first.stop();

    const second = await startTemporalDevServer({ dataDir });
    try {
      expect(second.address).toMatch(/^127\.0\.0\.1:\d+$/);
      const status = await withClient(second.address, async (client) =>
        (await client.getHandle('infra-test-open').describe()).status.name,
      );
      expect(status).toBe('RUNNING');
    } finally {
      await second.stop();
    }
    expect(fs.readFileSync(second.logFile, 'utf8')).toContain('start-dev');
  });
});

async function withClient<T>(address: string, work: (client: WorkflowClient) => Promise<T>): Promise<T> {
  const connection = await Connection.connect({ address });
  try {
    return await work(new WorkflowClient({ connection }));
  } finally {
    await connection.close();
  }
}
