/**
 * GDPR 19 and 20(2): what each recipient was told of a rectification, erasure or restriction (or
 * the recorded decision that telling it was impossible or disproportionate), and the direct
 * transmissions of portable data to another controller. One row per business key, so a retried
 * activity never tells a recipient twice nor sends the files twice.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE dsr.recipient_notifications (
      id uuid PRIMARY KEY,
      request_id uuid NOT NULL REFERENCES dsr.requests(id),
      business_key text NOT NULL UNIQUE,
      recipient_key text NOT NULL,
      channel text NOT NULL CHECK (channel IN ('email', 'https', 'none')),
      change_kind text NOT NULL CHECK (change_kind IN ('rectification', 'erasure', 'restriction')),
      categories text[] NOT NULL,
      status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed', 'not_notified')),
      attempts integer NOT NULL DEFAULT 0,
      last_error text,
      delivered_at timestamptz,
      response_status integer,
      not_notified_reason text,
      decided_by text,
      decided_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      -- GDPR 19 "unless impossible or disproportionate": that exception holds only as a recorded decision.
      CONSTRAINT not_notified_is_decided CHECK (
        status <> 'not_notified' OR (not_notified_reason IS NOT NULL AND decided_by IS NOT NULL AND decided_at IS NOT NULL)
      ),
      CONSTRAINT delivered_has_time CHECK (status <> 'delivered' OR delivered_at IS NOT NULL)
    )`.execute(db);
  await sql`CREATE INDEX recipient_notifications_request ON dsr.recipient_notifications (request_id)`.execute(db);

  await sql`
    CREATE TABLE dsr.transmissions (
      id uuid PRIMARY KEY,
      request_id uuid NOT NULL REFERENCES dsr.requests(id),
      business_key text NOT NULL UNIQUE,
      document_ids uuid[] NOT NULL,
      endpoint_url text NOT NULL CHECK (endpoint_url LIKE 'https://%'),
      status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
      response_status integer,
      attempts integer NOT NULL DEFAULT 0,
      last_error text,
      delivered_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT delivered_has_time CHECK (status <> 'delivered' OR delivered_at IS NOT NULL)
    )`.execute(db);
  await sql`CREATE INDEX transmissions_request ON dsr.transmissions (request_id)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE IF EXISTS dsr.transmissions`.execute(db);
  await sql`DROP TABLE IF EXISTS dsr.recipient_notifications`.execute(db);
}
