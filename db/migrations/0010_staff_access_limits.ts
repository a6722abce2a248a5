/**
 * Staff access and guessing limits: the staff tokens revoked by signing out (checked on every
 * request until they would have expired anyway), the shared counters of rate-limiter-flexible (wrong
 * access codes, submissions and code requests per address; shared by every API process), and an
 * index for "closed requests this handler handled".
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE dsr.revoked_staff_tokens (
      -- The token's jti claim: a random id, not the token itself.
      jti text PRIMARY KEY,
      staff_id text NOT NULL,
      revoked_at timestamptz NOT NULL DEFAULT now(),
      -- When the token would have expired: after that the row serves no purpose and is deleted.
      expires_at timestamptz NOT NULL
    )`.execute(db);
  await sql`CREATE INDEX revoked_staff_tokens_expiry ON dsr.revoked_staff_tokens (expires_at)`.execute(db);

  // The layout rate-limiter-flexible's RateLimiterPostgres expects (it is told the table exists).
  await sql`
    CREATE TABLE dsr.rate_limits (
      key varchar(255) PRIMARY KEY,
      points integer NOT NULL DEFAULT 0,
      expire bigint
    )`.execute(db);

  // A handler sees the closed requests they handled: found through the actor of the events.
  await sql`CREATE INDEX events_actor_request ON dsr.events (actor, request_id)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX IF EXISTS dsr.events_actor_request`.execute(db);
  await sql`DROP TABLE IF EXISTS dsr.rate_limits, dsr.revoked_staff_tokens`.execute(db);
}
