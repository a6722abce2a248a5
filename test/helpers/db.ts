/**
 * A fresh, migrated database per test file in the PostgreSQL server of DATABASE_URL (started by the
 * integration project's globalSetup), so test files never see each other's rows.
 */
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { Client } from 'pg';
import { createDb, type Database } from '../../db/database';

export interface TestDatabase {
  db: Kysely<Database>;
  /** Connection URL of this database, for code under test that opens its own pool. */
  url: string;
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
  const name = `dsr_test_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  await asAdmin(serverUrl, (client) => client.query(`CREATE DATABASE ${quoteIdent(name)}`));
  const url = withDatabase(serverUrl, name);
  const db = createDb(url, { max: 5 });

  let destroying: Promise<void> | undefined;
  const destroy = () =>
    (destroying ??= (async () => {
      await db.destroy();
      await asAdmin(serverUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`));
    })());

  try {
    const migrate = options.migrate ?? (await import('../../db/migrate')).migrateToLatest;
    await migrate(db);
  } catch (err) {
    await destroy().catch(() => undefined);
    throw err;
  }
  return { db, url, name, destroy };
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
