/** The database handle: kysely over pg, typed by the register.* and dsr.* table interfaces. */
import { Kysely, PostgresDialect } from 'kysely';
import { Pool, types } from 'pg';
import type { Logger } from 'pino';
import type { RegisterTables } from './tables/register';
import type { DsrTables } from './tables/dsr';
import type { NotificationTables } from './tables/notifications';
import type { DecisionTables } from './tables/decisions';
import type { ResidentTables } from './tables/resident';
import type { ConsultationTables } from './tables/consultations';

export interface Database extends RegisterTables, DsrTables, DecisionTables, NotificationTables, ResidentTables, ConsultationTables {}

export type Db = Kysely<Database>;

// Calendar dates stay ISO strings: a JS Date would shift them by the process time zone.
types.setTypeParser(types.builtins.DATE, (value) => value);

/**
 * Opens a pooled connection to PostgreSQL at `url`. An idle connection the server ends (a restart,
 * an administrator's termination) is dropped from the pool and logged as a warning (its message
 * only); the next query opens a new one. Without a listener, pg would crash the process on it.
 */
export function createDb(url: string, options: { max?: number; logger?: Pick<Logger, 'warn'> } = {}): Db {
  const pool = new Pool({ connectionString: url, max: options.max ?? 10 });
  pool.on('error', (error) => options.logger?.warn({ err: error.message }, 'an idle database connection was closed'));
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}
