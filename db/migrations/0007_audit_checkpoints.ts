/**
 * Checkpoints of the audit chain's verification: the last link a verification reached and its hash.
 * The auditor's pages verify from the latest checkpoint whose link still carries the recorded hash,
 * so a page costs the links added since, not the whole history; a full verification from the
 * genesis is a click away and leaves a checkpoint of its own.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE dsr.audit_checkpoints (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      seq bigint NOT NULL,
      hash text NOT NULL,
      -- true: this verification started at the genesis; false: it continued from an earlier checkpoint.
      from_genesis boolean NOT NULL,
      verified_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`CREATE INDEX audit_checkpoints_latest ON dsr.audit_checkpoints (seq DESC)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE dsr.audit_checkpoints`.execute(db);
}
