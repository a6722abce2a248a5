/**
 * The retention purge against the audit triggers: a stored document's content still never changes,
 * except that the purge may clear it (to no bytes) in the same update that stamps `purged_at`, once.
 * The mark cannot be taken back or moved. Verification then accepts the document by its stored
 * SHA-256 only when it is so marked and a keyed retention_purge link names it (audit-verify.ts).
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE OR REPLACE FUNCTION dsr.documents_content_fixed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF (NEW.id, NEW.request_id, NEW.business_key, NEW.kind, NEW.language, NEW.filename, NEW.media_type, NEW.sha256, NEW.byte_size, NEW.created_at)
         IS DISTINCT FROM
         (OLD.id, OLD.request_id, OLD.business_key, OLD.kind, OLD.language, OLD.filename, OLD.media_type, OLD.sha256, OLD.byte_size, OLD.created_at) THEN
        RAISE EXCEPTION 'dsr.documents: a stored document''s content does not change';
      END IF;
      IF (NEW.content, NEW.purged_at) IS DISTINCT FROM (OLD.content, OLD.purged_at)
         AND NOT (OLD.purged_at IS NULL AND NEW.purged_at IS NOT NULL AND octet_length(NEW.content) = 0) THEN
        RAISE EXCEPTION 'dsr.documents: a stored document''s content does not change, except cleared once by a recorded purge';
      END IF;
      RETURN NEW;
    END $$`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE OR REPLACE FUNCTION dsr.documents_content_fixed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF (NEW.id, NEW.request_id, NEW.business_key, NEW.kind, NEW.language, NEW.filename, NEW.media_type, NEW.content, NEW.sha256, NEW.byte_size, NEW.created_at)
         IS DISTINCT FROM
         (OLD.id, OLD.request_id, OLD.business_key, OLD.kind, OLD.language, OLD.filename, OLD.media_type, OLD.content, OLD.sha256, OLD.byte_size, OLD.created_at) THEN
        RAISE EXCEPTION 'dsr.documents: a stored document''s content does not change';
      END IF;
      RETURN NEW;
    END $$`.execute(db);
}
