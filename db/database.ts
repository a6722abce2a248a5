/** The database handle: kysely over pg, typed by the register.* and dsr.* table interfaces. */
import { Kysely, PostgresDialect } from 'kysely';
import { Pool, types } from 'pg';
import type { Logger } from 'pino';
import type { RegisterTables } from './tables/register';
import type { DsrTables } from './tables/dsr';
import type { NotificationTables } from './tables/notifications';
import type { DecisionTables } from './tables/decisions';
import type { ResidentTables } from './tables/resident';
import type { StaffAccessTables } from './tables/staff-access';
import type { ConsultationTables } from './tables/consultations';

export interface Database extends RegisterTables, DsrTables, DecisionTables, NotificationTables, ResidentTables, StaffAccessTables, ConsultationTables {}

export type Db = Kysely<Database>;

// Calendar dates stay ISO strings: a JS Date would shift them by the process time zone.
types.setTypeParser(types.builtins.DATE, (value) => value);

/** How long a query waits for a connection before it fails (and the API answers 503), rather than hanging. */
const CONNECT_TIMEOUT_MS = 5000;

/**
 * Opens a pooled connection to PostgreSQL at `url`. A connection the server ends (a restart, an
 * administrator's termination, 57P01) is logged as a warning (its message only) and dropped; the
 * next query opens a new one. pg emits 'error' on the pool for an idle client but on the client
 * itself for one checked out (inside a transaction): without a listener on each client, that
 * event would crash the process, so every client gets one as it connects. The query running on
 * it fails with the error, and its caller (a retried activity, an HTTP request) sees that.
 */
export function createDb(url: string, options: { max?: number; logger?: Pick<Logger, 'warn'> } = {}): Db {
  const pool = new Pool({ connectionString: url, max: options.max ?? 10, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
  pool.on('error', (error) => options.logger?.warn({ err: error.message }, 'an idle database connection was closed'));
  pool.on('connect', (client) => {
    client.on('error', (error) => options.logger?.warn({ err: error.message }, 'a database connection in use was closed'));
  });
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}
