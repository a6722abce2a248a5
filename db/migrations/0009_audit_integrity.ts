/**
 * The audit log against an insider with database access (issue 11):
 * - each link names the key it was made with and commits to what it records (an event, a document's
 *   bytes, a decision) by a digest of that row;
 * - checkpoints are signed; the unsigned ones written before are dropped, as nothing can vouch for them;
 * - events, checkpoints and documents' content refuse change, like the links themselves; decisions
 *   and documents refuse deletion. Triggers hold against the engine's role, which owns nothing and
 *   so can neither disable them nor set session_replication_role (README: "Database roles");
 * - a break a verification found is kept (dsr.audit_alarms) until an admin records an incident note.
 * Privileges for the engine's role are granted after the migrations (db/privileges.ts), since the
 * role's name is a setting.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    ALTER TABLE dsr.audit_log
      ADD COLUMN key_id text,
      ADD COLUMN ref_kind text CHECK (ref_kind IN ('event', 'document', 'decision')),
      ADD COLUMN ref_key text,
      ADD COLUMN content_sha256 text`.execute(db);
  await sql`CREATE INDEX audit_ref ON dsr.audit_log (ref_kind, ref_key) WHERE ref_kind IS NOT NULL`.execute(db);

  await sql`DELETE FROM dsr.audit_checkpoints`.execute(db);
  await sql`
    ALTER TABLE dsr.audit_checkpoints
      ADD COLUMN key_id text NOT NULL,
      ADD COLUMN signature text NOT NULL`.execute(db);

  await sql`
    CREATE FUNCTION dsr.refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION '% is append-only', TG_TABLE_SCHEMA || '.' || TG_TABLE_NAME;
    END $$`.execute(db);
  // Documents: approval and sending are stamped later; the content, its hash and identity never change.
  await sql`
    CREATE FUNCTION dsr.documents_content_fixed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF (NEW.id, NEW.request_id, NEW.business_key, NEW.kind, NEW.language, NEW.filename, NEW.media_type, NEW.content, NEW.sha256, NEW.byte_size, NEW.created_at)
         IS DISTINCT FROM
         (OLD.id, OLD.request_id, OLD.business_key, OLD.kind, OLD.language, OLD.filename, OLD.media_type, OLD.content, OLD.sha256, OLD.byte_size, OLD.created_at) THEN
        RAISE EXCEPTION 'dsr.documents: a stored document''s content does not change';
      END IF;
      RETURN NEW;
    END $$`.execute(db);
  for (const [table, name, rowEvents] of [
    ['dsr.events', 'events', 'UPDATE OR DELETE'],
    ['dsr.audit_checkpoints', 'audit_checkpoints', 'UPDATE OR DELETE'],
    ['dsr.decisions', 'decisions', 'DELETE'],
    ['dsr.documents', 'documents', 'DELETE'],
  ] as const) {
    await sql.raw(`CREATE TRIGGER ${name}_no_change BEFORE ${rowEvents} ON ${table} FOR EACH ROW EXECUTE FUNCTION dsr.refuse_change()`).execute(db);
    await sql.raw(`CREATE TRIGGER ${name}_no_truncate BEFORE TRUNCATE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION dsr.refuse_change()`).execute(db);
  }
  await sql`
    CREATE TRIGGER documents_content_fixed BEFORE UPDATE ON dsr.documents
    FOR EACH ROW EXECUTE FUNCTION dsr.documents_content_fixed()`.execute(db);

  await sql`
    CREATE TABLE dsr.audit_alarms (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      detected_at timestamptz NOT NULL,
      -- the first link found wrong (or the checkpoint's position), and what was wrong, in words of the code
      broken_at bigint,
      problem text NOT NULL,
      mailed_at timestamptz,
      resolved_at timestamptz,
      resolved_by text,
      incident_seq bigint
    )`.execute(db);
  // One open alarm at a time: two checks finding the same break at once raise (and mail) it once.
  await sql`CREATE UNIQUE INDEX audit_alarms_one_open ON dsr.audit_alarms ((resolved_at IS NULL)) WHERE resolved_at IS NULL`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE dsr.audit_alarms`.execute(db);
  await sql`DROP TRIGGER documents_content_fixed ON dsr.documents`.execute(db);
  for (const [table, name] of [
    ['dsr.events', 'events'],
    ['dsr.audit_checkpoints', 'audit_checkpoints'],
    ['dsr.decisions', 'decisions'],
    ['dsr.documents', 'documents'],
  ] as const) {
    await sql.raw(`DROP TRIGGER ${name}_no_change ON ${table}`).execute(db);
    await sql.raw(`DROP TRIGGER ${name}_no_truncate ON ${table}`).execute(db);
  }
  await sql`DROP FUNCTION dsr.documents_content_fixed(), dsr.refuse_change()`.execute(db);
  await sql`ALTER TABLE dsr.audit_checkpoints DROP COLUMN key_id, DROP COLUMN signature`.execute(db);
  await sql`DROP INDEX dsr.audit_ref`.execute(db);
  await sql`ALTER TABLE dsr.audit_log DROP COLUMN key_id, DROP COLUMN ref_kind, DROP COLUMN ref_key, DROP COLUMN content_sha256`.execute(db);
}
