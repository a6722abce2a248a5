/**
 * One audit chain per request (issue 13, point 6): a link names its chain (the request's id, or
 * 'system' for links of no request) and its place in it, so appenders lock only their own chain and
 * transitions of different requests no longer queue on one lock. Links written before this
 * migration keep chain NULL: they stay the one legacy global chain, numbered by seq, and verify as
 * before. From here on seq is drawn from a sequence (gaps from rolled-back transactions are
 * allowed); chain_seq is what must be contiguous, and (chain, chain_seq) is unique, so a chain
 * cannot fork even if two appenders raced. `tx` is the inserting transaction's id: it tells a
 * continued verification which chains changed since a checkpoint, even when transactions commit out
 * of order (it decides what is looked at, never what is trusted).
 *
 * Checkpoints become a signed chain of their own: each has a number, the digest of the one before,
 * and the heads (chain, chain_seq, seq, hash) that changed since the checkpoints before it. Rows
 * from before (number NULL) are the legacy chain's checkpoints and keep verifying.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    ALTER TABLE dsr.audit_log
      ADD COLUMN chain text,
      ADD COLUMN chain_seq bigint,
      ADD COLUMN tx xid8,
      ADD CONSTRAINT audit_log_chain_place CHECK ((chain IS NULL) = (chain_seq IS NULL) AND (chain_seq IS NULL OR chain_seq > 0))`.execute(db);
  await sql`ALTER TABLE dsr.audit_log ALTER COLUMN tx SET DEFAULT pg_current_xact_id()`.execute(db);
  await sql`CREATE UNIQUE INDEX audit_chain_place ON dsr.audit_log (chain, chain_seq) WHERE chain IS NOT NULL`.execute(db);
  await sql`CREATE INDEX audit_tx ON dsr.audit_log (tx) WHERE tx IS NOT NULL`.execute(db);
  // The legacy chain is closed: a chain-less link written after this migration is put in behind the engine's back.
  await sql`CREATE INDEX audit_late_legacy ON dsr.audit_log (seq) WHERE chain IS NULL AND tx IS NOT NULL`.execute(db);
  await sql`CREATE SEQUENCE dsr.audit_log_seq OWNED BY dsr.audit_log.seq`.execute(db);
  await sql`SELECT setval('dsr.audit_log_seq', COALESCE((SELECT max(seq) FROM dsr.audit_log), 0) + 1, false)`.execute(db);
  await sql`ALTER TABLE dsr.audit_log ALTER COLUMN seq SET DEFAULT nextval('dsr.audit_log_seq')`.execute(db);

  await sql`
    ALTER TABLE dsr.audit_checkpoints
      ADD COLUMN number bigint UNIQUE,
      ADD COLUMN prev_digest text,
      ADD COLUMN heads jsonb,
      ADD COLUMN snapshot_xmin text`.execute(db);
  // The per-request check finds the newest checkpoint that names its chain.
  await sql`CREATE INDEX audit_checkpoints_heads ON dsr.audit_checkpoints USING gin (heads jsonb_path_ops)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP INDEX dsr.audit_checkpoints_heads`.execute(db);
  await sql`ALTER TABLE dsr.audit_checkpoints DROP COLUMN number, DROP COLUMN prev_digest, DROP COLUMN heads, DROP COLUMN snapshot_xmin`.execute(db);
  await sql`ALTER TABLE dsr.audit_log ALTER COLUMN seq DROP DEFAULT`.execute(db);
  await sql`DROP SEQUENCE dsr.audit_log_seq`.execute(db);
  await sql`DROP INDEX dsr.audit_late_legacy`.execute(db);
  await sql`DROP INDEX dsr.audit_tx`.execute(db);
  await sql`DROP INDEX dsr.audit_chain_place`.execute(db);
  await sql`ALTER TABLE dsr.audit_log DROP CONSTRAINT audit_log_chain_place, DROP COLUMN chain, DROP COLUMN chain_seq, DROP COLUMN tx`.execute(db);
}
