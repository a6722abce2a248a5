/** Kysely table types for GDPR 19 recipient notifications and GDPR 20(2) direct transmissions. */
import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
/** A timestamp the database fills in by default. */
type GeneratedTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;

/** One recipient told (or, by recorded decision, not told) of one change of one request (GDPR 19). */
export interface RecipientNotificationsTable {
  id: string;
  request_id: string;
  business_key: string;
  recipient_key: string;
  channel: string;
  change_kind: string;
  categories: string[];
  status: Generated<string>;
  attempts: Generated<number>;
  last_error: string | null;
  delivered_at: Timestamp | null;
  response_status: number | null;
  /** The recorded "impossible or disproportionate" decision. */
  not_notified_reason: string | null;
  decided_by: string | null;
  decided_at: Timestamp | null;
  created_at: GeneratedTimestamp;
}

/** One direct transmission of portable data to another controller's endpoint (GDPR 20(2)). */
export interface TransmissionsTable {
  id: string;
  request_id: string;
  business_key: string;
  document_ids: string[];
  endpoint_url: string;
  status: Generated<string>;
  response_status: number | null;
  attempts: Generated<number>;
  last_error: string | null;
  delivered_at: Timestamp | null;
  created_at: GeneratedTimestamp;
}

export interface NotificationTables {
  'dsr.recipient_notifications': RecipientNotificationsTable;
  'dsr.transmissions': TransmissionsTable;
}
