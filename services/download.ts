/**
 * Fetching an answer: the link's token names one document of one subject; the access code from the
 * submission is the second factor; links expire and lock after repeated wrong codes; every fetch
 * and every refusal is audited.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/database';
import { tokenHash } from '../db/download-token';
import { appendAudit } from '../db/repositories/audit';
import { getDocumentContent } from '../db/repositories/documents';
import { findLinkByTokenHash, recordFailedAttempt, recordFetch } from '../db/repositories/downloads';
import { recordTransitionIn } from '../db/repositories/events';
import { getRequestSummary } from '../db/repositories/requests';
import { ApiError } from './errors';
import { accessCodeOpens } from './access-code';

export interface DownloadResult {
  filename: string;
  mediaType: string;
  content: Buffer;
  reference: string;
}

/** Checks that a token names a live link (for the page that asks for the code). */
export async function checkLink(db: Kysely<Database>, token: string, maxFailed: number): Promise<{ reference: string; expiresAt: Date }> {
  const link = await findLinkByTokenHash(db, tokenHash(token));
  if (!link) throw new ApiError(404, 'not_found', 'token: this link is not valid');
  if (link.expiresAt.getTime() <= Date.now()) throw new ApiError(410, 'link_expired', 'token: this link has expired; ask for a new one');
  if (link.failedAttempts >= maxFailed) throw new ApiError(423, 'link_locked', 'token: this link is locked after too many wrong access codes');
  const summary = await getRequestSummary(db, link.requestId);
  return { reference: summary!.reference, expiresAt: link.expiresAt };
}

export async function fetchDocument(db: Kysely<Database>, token: string, accessCode: string, maxFailed: number): Promise<DownloadResult> {
  await checkLink(db, token, maxFailed);
  const link = (await findLinkByTokenHash(db, tokenHash(token)))!;
  if (!(await accessCodeOpens(db, link.requestId, accessCode))) {
    const failures = await recordFailedAttempt(db, link.id);
    await db.transaction().execute((trx) =>
      appendAudit(trx, { actor: 'subject', action: 'download_refused', requestId: link.requestId, details: { documentId: link.documentId, failures } }),
    );
    throw new ApiError(403, 'wrong_access_code', 'accessCode: the access code does not match this request');
  }
  const found = await getDocumentContent(db, link.documentId);
  if (!found) throw new ApiError(404, 'not_found', 'token: the document no longer exists');
  const summary = (await getRequestSummary(db, link.requestId))!;
  await db.transaction().execute(async (trx) => {
    const count = await recordFetch(trx, link.id);
    await recordTransitionIn(trx, {
      requestId: link.requestId,
      businessKey: `downloaded:${link.documentId}:${count}`,
      type: 'document_downloaded',
      actor: 'subject',
      data: { documentId: link.documentId, sha256: found.document.sha256, fetch: count },
    });
  });
  return { filename: found.document.filename, mediaType: found.document.mediaType, content: found.content, reference: summary.reference };
}
