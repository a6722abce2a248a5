/** Kysely table types for staff sessions: the tokens revoked by signing out. */
import type { ColumnType } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type GeneratedTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;

/** A staff token that no longer opens anything, until it would have expired anyway. */
export interface RevokedStaffTokensTable {
  jti: string;
  staff_id: string;
  revoked_at: GeneratedTimestamp;
  expires_at: Timestamp;
}

export interface StaffAccessTables {
  'dsr.revoked_staff_tokens': RevokedStaffTokensTable;
}
