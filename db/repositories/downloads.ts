/** Download links for answers: expiring, one subject's document, a second factor, every fetch counted. */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../database';

export interface DownloadLink {
  id: string;
  requestId: string;
  documentId: string;
  expiresAt: Date;
  failedAttempts: number;
  fetchCount: number;
}

/** Creates the link for a business key once; a retry gets the first link (and a null token). */
export async function createDownloadLink(
  db: Kysely<Database>,
  l: { businessKey: string; requestId: string; documentId: string; tokenHash: string; expiresAt: Date },
): Promise<{ link: DownloadLink; created: boolean }> {
  const inserted = await db
    .insertInto('dsr.download_links')
    .values({
      id: randomUUID(),
      business_key: l.businessKey,
      request_id: l.requestId,
      document_id: l.documentId,
      token_hash: l.tokenHash,
      expires_at: l.expiresAt,
    })
    .onConflict((oc) => oc.column('business_key').doNothing())
    .returning('id')
    .executeTakeFirst();
  const row = await db.selectFrom('dsr.download_links').selectAll().where('business_key', '=', l.businessKey).executeTakeFirstOrThrow();
  return { link: toLink(row), created: inserted !== undefined };
}

export async function findLinkByTokenHash(db: Kysely<Database>, tokenHash: string): Promise<DownloadLink | null> {
  const row = await db.selectFrom('dsr.download_links').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
  return row ? toLink(row) : null;
}

export async function recordFetch(trx: Kysely<Database>, id: string): Promise<number> {
  const row = await trx
    .updateTable('dsr.download_links')
    .set((eb) => ({ fetch_count: eb('fetch_count', '+', 1) }))
    .where('id', '=', id)
    .returning('fetch_count')
    .executeTakeFirstOrThrow();
  return row.fetch_count;
}

function toLink(row: {
  id: string;
  request_id: string;
  document_id: string;
  expires_at: Date;
  failed_attempts: number;
  fetch_count: number;
}): DownloadLink {
  return {
    id: row.id,
    requestId: row.request_id,
    documentId: row.document_id,
    expiresAt: new Date(row.expires_at),
    failedAttempts: row.failed_attempts,
    fetchCount: row.fetch_count,
  };
}
