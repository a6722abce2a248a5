/**
 * Retention of the engine's own copies of personal data (GDPR 5(1)(e)): a purged document keeps its
 * row (kind, SHA-256, size: what the audit trail and the auditor's pages refer to) but loses its
 * content; an anonymised request keeps its reference, dates, right and outcome but loses the
 * subject's details. Both record when it happened.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE dsr.documents ADD COLUMN purged_at timestamptz`.execute(db);
  await sql`ALTER TABLE dsr.requests ADD COLUMN anonymised_at timestamptz`.execute(db);
  // The purge looks for closed requests not yet anonymised, and for links whose window has ended.
  await sql`CREATE INDEX requests_closed_not_anonymised ON dsr.requests (closed_at) WHERE anonymised_at IS NULL AND closed_at IS NOT NULL`.execute(db);
  await sql`CREATE INDEX download_links_expires ON dsr.download_links (expires_at)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX dsr.download_links_expires`.execute(db);
  await sql`DROP INDEX dsr.requests_closed_not_anonymised`.execute(db);
  await sql`ALTER TABLE dsr.requests DROP COLUMN anonymised_at`.execute(db);
  await sql`ALTER TABLE dsr.documents DROP COLUMN purged_at`.execute(db);
}
