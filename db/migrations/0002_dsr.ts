/**
 * The dsr schema: requests and their submissions, the event history, documents, the e-mail outbox,
 * download links and the append-only, hash-chained audit log.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE SCHEMA IF NOT EXISTS dsr`.execute(db);

  await sql`
    CREATE TABLE dsr.submissions (
      id uuid PRIMARY KEY,
      idempotency_key text UNIQUE,
      received_at timestamptz NOT NULL,
      channel text NOT NULL,
      language text NOT NULL,
      access_code_hash text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);

  await sql`
    CREATE TABLE dsr.requests (
      id uuid PRIMARY KEY,
      submission_id uuid NOT NULL REFERENCES dsr.submissions(id),
      reference text NOT NULL UNIQUE,
      "right" text NOT NULL,
      state text NOT NULL,
      outcome text,
      language text NOT NULL,
      channel text NOT NULL,
      received_at timestamptz NOT NULL,
      received_on date NOT NULL,
      deadline date NOT NULL,
      deadline_at timestamptz NOT NULL,
      extended_deadline date NOT NULL,
      extended_deadline_at timestamptz NOT NULL,
      deadline_rule text NOT NULL,
      extended_at timestamptz,
      identity_method text,
      identity_verified_at timestamptz,
      person_id uuid,
      subject_first_name text NOT NULL,
      subject_last_name text NOT NULL,
      subject_hetu text,
      subject_email text,
      subject_phone text,
      subject_address text,
      details jsonb NOT NULL DEFAULT '{}'::jsonb,
      assigned_to text,
      workflow_started_at timestamptz,
      closed_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`CREATE INDEX requests_open_by_deadline ON dsr.requests (deadline_at) WHERE closed_at IS NULL`.execute(db);
  await sql`CREATE INDEX requests_unstarted ON dsr.requests (created_at) WHERE workflow_started_at IS NULL`.execute(db);
  await sql`CREATE INDEX requests_submission ON dsr.requests (submission_id)`.execute(db);
  await sql`CREATE INDEX requests_received ON dsr.requests (received_at)`.execute(db);

  await sql`
    CREATE TABLE dsr.events (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      request_id uuid NOT NULL REFERENCES dsr.requests(id),
      business_key text NOT NULL,
      type text NOT NULL,
      state text,
      actor text NOT NULL,
      at timestamptz NOT NULL,
      reason text,
      data jsonb NOT NULL DEFAULT '{}'::jsonb,
      UNIQUE (request_id, business_key)
    )`.execute(db);

  await sql`
    CREATE TABLE dsr.documents (
      id uuid PRIMARY KEY,
      request_id uuid NOT NULL REFERENCES dsr.requests(id),
      business_key text NOT NULL UNIQUE,
      kind text NOT NULL,
      language text NOT NULL,
      filename text NOT NULL,
      media_type text NOT NULL,
      content bytea NOT NULL,
      sha256 text NOT NULL,
      byte_size integer NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      approved_at timestamptz,
      approved_by text,
      sent_at timestamptz
    )`.execute(db);
  await sql`CREATE INDEX documents_request ON dsr.documents (request_id)`.execute(db);

  await sql`
    CREATE TABLE dsr.report_parts (
      request_id uuid NOT NULL REFERENCES dsr.requests(id),
      system text NOT NULL,
      tables jsonb NOT NULL,
      row_count integer NOT NULL,
      redactions integer NOT NULL,
      gathered_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (request_id, system)
    )`.execute(db);

  await sql`
    CREATE TABLE dsr.outbox (
      id uuid PRIMARY KEY,
      business_key text NOT NULL UNIQUE,
      request_id uuid REFERENCES dsr.requests(id),
      kind text NOT NULL,
      recipient text NOT NULL,
      subject text NOT NULL,
      text_body text NOT NULL,
      html_body text NOT NULL,
      message_id text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      sent_at timestamptz,
      attempts integer NOT NULL DEFAULT 0,
      last_error text
    )`.execute(db);

  await sql`
    CREATE TABLE dsr.download_links (
      id uuid PRIMARY KEY,
      business_key text NOT NULL UNIQUE,
      request_id uuid NOT NULL REFERENCES dsr.requests(id),
      document_id uuid NOT NULL REFERENCES dsr.documents(id),
      token_hash text NOT NULL UNIQUE,
      expires_at timestamptz NOT NULL,
      failed_attempts integer NOT NULL DEFAULT 0,
      fetch_count integer NOT NULL DEFAULT 0,
      created_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);

  await sql`
    CREATE TABLE dsr.audit_log (
      seq bigint PRIMARY KEY,
      at timestamptz NOT NULL,
      actor text NOT NULL,
      action text NOT NULL,
      request_id uuid,
      details jsonb NOT NULL,
      prev_hash text NOT NULL,
      hash text NOT NULL UNIQUE
    )`.execute(db);
  await sql`CREATE INDEX audit_request ON dsr.audit_log (request_id, seq)`.execute(db);
  // Append-only: the database itself refuses to change or remove a link of the chain.
  await sql`
    CREATE FUNCTION dsr.audit_log_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'dsr.audit_log is append-only';
    END $$`.execute(db);
  await sql`
    CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON dsr.audit_log
    FOR EACH ROW EXECUTE FUNCTION dsr.audit_log_is_append_only()`.execute(db);
  await sql`
    CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON dsr.audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION dsr.audit_log_is_append_only()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP SCHEMA IF EXISTS dsr CASCADE`.execute(db);
}
