/**
 * A failed step is a state people see (DESIGN.md `needs_attention`): the request names the step, the
 * failure's type and a value-free message, since when, and the state it resumes in once retried.
 * The outbox remembers when a send began, so a send that follows an unmarked earlier one (a crash
 * between the SMTP server's accept and the "sent" mark) is recorded as a resend.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE dsr.requests
      ADD COLUMN attention_step text,
      ADD COLUMN attention_error_type text,
      ADD COLUMN attention_message text,
      ADD COLUMN attention_since timestamptz,
      ADD COLUMN attention_resume_state text`.execute(db);
  await sql`CREATE INDEX requests_needing_attention ON dsr.requests (attention_since) WHERE attention_since IS NOT NULL`.execute(db);
  await sql`
    ALTER TABLE dsr.outbox
      ADD COLUMN send_started_at timestamptz,
      ADD COLUMN resends integer NOT NULL DEFAULT 0,
      ADD COLUMN last_resent_at timestamptz`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE dsr.outbox DROP COLUMN send_started_at, DROP COLUMN resends, DROP COLUMN last_resent_at`.execute(db);
  await sql`DROP INDEX dsr.requests_needing_attention`.execute(db);
  await sql`
    ALTER TABLE dsr.requests
      DROP COLUMN attention_step, DROP COLUMN attention_error_type, DROP COLUMN attention_message,
      DROP COLUMN attention_since, DROP COLUMN attention_resume_state`.execute(db);
}
