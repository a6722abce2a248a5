/**
 * Decisions per category and per proposed correction, fees (GDPR 12(5)) and clock pauses
 * (EDPB 01/2022, a setting): what the handler decided, who, when and why.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE dsr.decisions (
      request_id uuid NOT NULL REFERENCES dsr.requests(id),
      key text NOT NULL,
      kind text NOT NULL CHECK (kind IN ('category', 'correction')),
      outcome text NOT NULL,
      ground text NOT NULL,
      reason text,
      proposed_outcome text NOT NULL,
      proposed_ground text NOT NULL,
      decided_by text NOT NULL,
      decided_at timestamptz,
      data jsonb NOT NULL DEFAULT '{}'::jsonb,
      PRIMARY KEY (request_id, key)
    )`.execute(db);
  await sql`
    CREATE TABLE dsr.fees (
      request_id uuid PRIMARY KEY REFERENCES dsr.requests(id),
      amount_cents integer NOT NULL CHECK (amount_cents > 0),
      ground text NOT NULL,
      basis text NOT NULL,
      announced_by text NOT NULL,
      announced_at timestamptz NOT NULL,
      pay_by date NOT NULL,
      paid_at timestamptz,
      recorded_by text
    )`.execute(db);
  await sql`
    CREATE TABLE dsr.clock_pauses (
      request_id uuid NOT NULL REFERENCES dsr.requests(id),
      started_at timestamptz NOT NULL,
      ended_at timestamptz,
      PRIMARY KEY (request_id, started_at)
    )`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE IF EXISTS dsr.clock_pauses, dsr.fees, dsr.decisions`.execute(db);
}
