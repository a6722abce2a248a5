/** Kysely table types for resident identification: one-time e-mail codes and resident sessions. */
import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
/** A timestamp the database fills in by default. */
type GeneratedTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;

/** One one-time code asked for on the resident pages (or a refused ask: `code_hash` null). */
export interface ResidentCodesTable {
  id: string;
  browser_hash: string;
  email: string;
  code_hash: string | null;
  attempts: Generated<number>;
  created_at: GeneratedTimestamp;
  expires_at: Timestamp;
  used_at: Timestamp | null;
}

/** One identified resident's session; `id` is the SHA-256 of the cookie's token. */
export interface ResidentSessionsTable {
  id: string;
  method: 'strong_eid' | 'email';
  hetu: string | null;
  first_name: string | null;
  last_name: string | null;
  email: string | null;
  created_at: GeneratedTimestamp;
  expires_at: Timestamp;
}

export interface ResidentTables {
  'dsr.resident_codes': ResidentCodesTable;
  'dsr.resident_sessions': ResidentSessionsTable;
}
