/**
 * A fresh, migrated database per test file in the PostgreSQL server of DATABASE_URL (started by the
 * integration project's globalSetup), so test files never see each other's rows. As in production,
 * the owner role migrates it and the engine connects as the engine role, which may only read and
 * add to the append-only tables. DATABASE_URL must be a superuser's: it makes the roles.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { Client } from 'pg';
import { createDb, type Database } from '../../db/database';
import { createEngineDatabase } from '../../embedded/postgres-cluster';
import { installAuditKeys, keyRingFrom } from '../../db/repositories/audit-keys';
import { loadConfig } from '../../config/settings';

export interface TestDatabase {
  /** As the engine's role (with the project's migrations), or as the owner with a custom `migrate`. */
  db: Kysely<Database>;
  /** Connection URL of `db`, for code under test that opens its own pool. */
  url: string;
  /** As the owner role, which ran the migrations. */
  ownerDb: Kysely<Database>;
  /** As the server's superuser, on this database: the insider of the tampering tests. */
  adminDb: Kysely<Database>;
  name: string;
  /** Closes the pool and drops the database; safe to call twice. */
  destroy(): Promise<void>;
}

export interface TestDatabaseOptions {
  /** Brings the schema up; default: the project's migrations (`migrateToLatest`). */
  migrate?: (db: Kysely<Database>) => Promise<unknown>;
}

/** Creates a uniquely named database, migrates it, and returns a kysely handle on it. */
export async function createTestDatabase(options: TestDatabaseOptions = {}): Promise<TestDatabase> {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    throw new Error(
      'DATABASE_URL is not set: run integration tests through jest (its globalSetup starts PostgreSQL) or point it at a server',
    );
  }
  installTestAuditKeys();
  const name = `dsr_test_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const roles = await createEngineDatabase(serverUrl, name);
  const ownerDb = createDb(roles.ownerUrl, { max: 3 });
  const adminDb = createDb(withDatabase(serverUrl, name), { max: 2 });
  // A custom schema gets no grants: its tests run as the owner.
  const url = options.migrate ? roles.ownerUrl : roles.engineUrl;
  const db = options.migrate ? ownerDb : createDb(roles.engineUrl, { max: 5 });

  let destroying: Promise<void> | undefined;
  const destroy = () =>
    (destroying ??= (async () => {
      if (db !== ownerDb) await db.destroy();
      await ownerDb.destroy();
      await adminDb.destroy();
      await asAdmin(serverUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`));
    })());

  try {
    if (options.migrate) await options.migrate(ownerDb);
    else await (await import('../../db/migrate')).migrateToLatest(ownerDb, { engineRole: roles.engineRole });
  } catch (err) {
    await destroy().catch(() => undefined);
    throw err;
  }
  return { db, url, ownerDb, adminDb, name, destroy };
}

let testKeysInstalled = false;

/** Tests that write links without starting an engine need the process's audit keys too. */
function installTestAuditKeys(): void {
  if (testKeysInstalled) return;
  testKeysInstalled = true;
  installAuditKeys(keyRingFrom(testAuditSettings()));
}

/** Made-up audit keys, the same as an embedded configuration without keys gets. */
export function testAuditSettings() {
  return loadConfig({
    DSR_MODE: 'embedded',
    DATABASE_URL: 'postgres://unused@127.0.0.1/unused',
    TEMPORAL_ADDRESS: '127.0.0.1:7233',
    SMTP_URL: 'smtp://127.0.0.1:25',
    STAFF_NOTIFY_EMAIL: 'dpo@example.fi',
    AUTH_TOKEN_SECRET: 'x'.repeat(32),
    PAYLOAD_CODEC_KEY: Buffer.alloc(32, 1).toString('base64'),
  }).audit;
}

async function asAdmin<T>(serverUrl: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: serverUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

function withDatabase(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

let auditEnv: Record<string, string> | undefined;

/** Audit keys and a checkpoint folder, which a production configuration must name (one set per test process). */
export function testAuditEnv(): Record<string, string> {
  auditEnv ??= {
    AUDIT_HMAC_KEY: randomBytes(32).toString('base64'),
    AUDIT_SIGNING_KEY: generateKeyPairSync('ed25519').privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64'),
    AUDIT_CHECKPOINT_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'dsr-checkpoints-')),
  };
  return auditEnv;
}
