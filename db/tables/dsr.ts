/** Kysely table types for the dsr schema (one interface a table). */
import type { ColumnType, Generated, JSONColumnType } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
/** A timestamp the database fills in by default. */
type GeneratedTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;
/** `date` columns are read as ISO strings (a pg type parser is set in createDb). */
type CalendarDate = ColumnType<string, string, string>;

export interface SubmissionsTable {
  id: string;
  idempotency_key: string | null;
  received_at: Timestamp;
  channel: string;
  language: string;
  access_code_hash: string;
  created_at: GeneratedTimestamp;
}

export interface RequestsTable {
  id: string;
  submission_id: string;
  reference: string;
  right: string;
  state: string;
  outcome: string | null;
  language: string;
  channel: string;
  received_at: Timestamp;
  received_on: CalendarDate;
  deadline: CalendarDate;
  deadline_at: Timestamp;
  extended_deadline: CalendarDate;
  extended_deadline_at: Timestamp;
  deadline_rule: string;
  extended_at: Timestamp | null;
  identity_method: string | null;
  identity_verified_at: Timestamp | null;
  person_id: string | null;
  subject_first_name: string;
  subject_last_name: string;
  subject_hetu: string | null;
  subject_email: string | null;
  subject_phone: string | null;
  subject_address: string | null;
  details: JSONColumnType<Record<string, unknown>>;
  assigned_to: string | null;
  workflow_started_at: Timestamp | null;
  closed_at: Timestamp | null;
  created_at: GeneratedTimestamp;
  updated_at: GeneratedTimestamp;
  /** When the subject's details were removed after the case-record retention period (0011). */
  anonymised_at: Timestamp | null;
  /** Set while a step has failed for good (state `needs_attention`); cleared when it is retried. */
  attention_step: string | null;
  attention_error_type: string | null;
  attention_message: string | null;
  attention_since: Timestamp | null;
  attention_resume_state: string | null;
}

export interface EventsTable {
  id: Generated<string>;
  request_id: string;
  business_key: string;
  type: string;
  state: string | null;
  actor: string;
  at: Timestamp;
  reason: string | null;
  data: JSONColumnType<Record<string, unknown>>;
}

export interface DocumentsTable {
  id: string;
  request_id: string;
  business_key: string;
  kind: string;
  language: string;
  filename: string;
  media_type: string;
  content: Buffer;
  sha256: string;
  byte_size: number;
  created_at: GeneratedTimestamp;
  approved_at: Timestamp | null;
  approved_by: string | null;
  sent_at: Timestamp | null;
  /** When the content was deleted after the retention period (0011); the row and its SHA-256 stay. */
  purged_at: Timestamp | null;
}

export interface ReportPartsTable {
  request_id: string;
  system: string;
  tables: JSONColumnType<unknown[]>;
  row_count: number;
  redactions: number;
  /** The subject's entries in this system's usage log (migration 0013). */
  consultations: ColumnType<unknown[], string | undefined, string>;
  gathered_at: GeneratedTimestamp;
}

export interface OutboxTable {
  id: string;
  business_key: string;
  request_id: string | null;
  kind: string;
  recipient: string;
  subject: string;
  text_body: string;
  html_body: string;
  message_id: string;
  created_at: GeneratedTimestamp;
  sent_at: Timestamp | null;
  attempts: Generated<number>;
  last_error: string | null;
  /** When the last send began; set and not marked sent means the outcome of that send is unknown. */
  send_started_at: Timestamp | null;
  resends: Generated<number>;
  last_resent_at: Timestamp | null;
}

export interface DownloadLinksTable {
  id: string;
  business_key: string;
  request_id: string;
  document_id: string;
  token_hash: string;
  expires_at: Timestamp;
  failed_attempts: Generated<number>;
  fetch_count: Generated<number>;
  created_at: GeneratedTimestamp;
}

export interface AuditLogTable {
  seq: string;
  at: Timestamp;
  actor: string;
  action: string;
  request_id: string | null;
  details: JSONColumnType<Record<string, unknown>>;
  prev_hash: string;
  hash: string;
  key_id: string | null;
  ref_kind: string | null;
  ref_key: string | null;
  content_sha256: string | null;
  /** The request's id, 'system', or NULL for a link of the legacy global chain (before 0015). */
  chain: string | null;
  chain_seq: string | null;
  /** The inserting transaction's id (xid8 as text); NULL before 0015. */
  tx: Generated<string | null>;
}

export interface DsrTables {
  'dsr.submissions': SubmissionsTable;
  'dsr.requests': RequestsTable;
  'dsr.events': EventsTable;
  'dsr.documents': DocumentsTable;
  'dsr.report_parts': ReportPartsTable;
  'dsr.outbox': OutboxTable;
  'dsr.download_links': DownloadLinksTable;
  'dsr.audit_log': AuditLogTable;
  'dsr.audit_checkpoints': AuditCheckpointTable;
  'dsr.audit_alarms': AuditAlarmTable;
}

export interface AuditCheckpointTable {
  id: Generated<string>;
  seq: string;
  hash: string;
  from_genesis: boolean;
  verified_at: Generated<Date>;
  key_id: string;
  signature: string;
  /** The checkpoints' own chain (0015): NULL for a legacy checkpoint of the global chain. */
  number: string | null;
  prev_digest: string | null;
  heads: ColumnType<CheckpointHead[] | null, string | null, string | null>;
  snapshot_xmin: string | null;
}

/** A chain's head as a checkpoint records it: chain, place in it, global seq, hash. */
export interface CheckpointHead {
  c: string;
  n: number;
  s: number;
  h: string;
}

/** A break a verification found, open until an admin records an incident note (itself a link). */
export interface AuditAlarmTable {
  id: Generated<string>;
  detected_at: Date;
  broken_at: string | null;
  problem: string;
  mailed_at: Date | null;
  resolved_at: Date | null;
  resolved_by: string | null;
  incident_seq: string | null;
}
