/**
 * Resident identification on the resident pages: the one-time codes that confirm an e-mail address
 * and the server-side sessions of identified residents. Neither table keeps a secret in the clear:
 * a code is stored as an HMAC, a session as the SHA-256 of the token in the resident's cookie.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE dsr.resident_codes (
      id uuid PRIMARY KEY,
      -- SHA-256 of the pre-session cookie: a code works only in the browser that asked for it.
      browser_hash text NOT NULL,
      email text NOT NULL,
      -- NULL: asked for, but not sent because the address had been sent enough codes already.
      code_hash text,
      attempts integer NOT NULL DEFAULT 0,
      created_at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz NOT NULL,
      used_at timestamptz
    )`.execute(db);
  await sql`CREATE INDEX resident_codes_browser ON dsr.resident_codes (browser_hash, created_at)`.execute(db);
  await sql`CREATE INDEX resident_codes_address ON dsr.resident_codes (lower(email), created_at)`.execute(db);

  await sql`
    CREATE TABLE dsr.resident_sessions (
      id text PRIMARY KEY,
      method text NOT NULL CHECK (method IN ('strong_eid', 'email')),
      hetu text,
      first_name text,
      last_name text,
      email text,
      created_at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz NOT NULL,
      CONSTRAINT identity_is_complete CHECK (
        (method = 'strong_eid' AND hetu IS NOT NULL AND first_name IS NOT NULL AND last_name IS NOT NULL AND email IS NULL)
        OR (method = 'email' AND email IS NOT NULL AND hetu IS NULL AND first_name IS NULL AND last_name IS NULL)
      )
    )`.execute(db);
  await sql`CREATE INDEX resident_sessions_expiry ON dsr.resident_sessions (expires_at)`.execute(db);

  // "My requests" finds a resident's own requests by henkilötunnus or by e-mail address.
  await sql`CREATE INDEX requests_subject_hetu ON dsr.requests (subject_hetu) WHERE subject_hetu IS NOT NULL`.execute(db);
  await sql`CREATE INDEX requests_subject_email ON dsr.requests (lower(subject_email)) WHERE subject_email IS NOT NULL`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX IF EXISTS dsr.requests_subject_email, dsr.requests_subject_hetu`.execute(db);
  await sql`DROP TABLE IF EXISTS dsr.resident_sessions, dsr.resident_codes`.execute(db);
}
