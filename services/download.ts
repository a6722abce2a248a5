/**
 * Fetching an answer: the link's token names one document of one subject; the access code from the
 * submission is the second factor; links expire and lock after repeated wrong codes (counted through
 * services/rate-limits.ts); every fetch and every refusal is audited.
 */
import { tokenHash } from '../db/download-token';
import { appendAudit } from '../db/repositories/audit';
import { getDocumentContent } from '../db/repositories/documents';
import { findLinkByTokenHash, recordFetch } from '../db/repositories/downloads';
import { recordTransitionIn } from '../db/repositories/events';
import { getRequestSummary } from '../db/repositories/requests';
import { ApiError } from './errors';
import { accessCodeOpens } from './access-code';
import type { ServiceContext } from './context';
import { LimitReachedError, type Reservation } from './rate-limits';

type DownloadContext = Pick<ServiceContext, 'db' | 'limits'>;

export interface DownloadResult {
  filename: string;
  mediaType: string;
  content: Buffer;
  reference: string;
}

/** Checks that a token names a live link (for the page that asks for the code). */
export async function checkLink(ctx: DownloadContext, token: string): Promise<{ reference: string; expiresAt: Date }> {
  const { link, reference } = await liveLink(ctx, token);
  return { reference, expiresAt: link.expiresAt };
}

async function liveLink(ctx: DownloadContext, token: string) {
  const link = await findLinkByTokenHash(ctx.db, tokenHash(token));
  if (!link) throw new ApiError(404, 'not_found', 'token: this link is not valid');
  if (link.expiresAt.getTime() <= Date.now()) throw new ApiError(410, 'link_expired', 'token: this link has expired; ask for a new one');
  if (await ctx.limits.linkLocked(link.id)) throw linkLocked();
  const summary = await getRequestSummary(ctx.db, link.requestId);
  return { link, reference: summary!.reference };
}

function linkLocked(): ApiError {
  return new ApiError(423, 'link_locked', 'token: this link is locked after too many wrong access codes');
}

/**
 * The document of a link, with the access code as second factor. The try is counted (per link for
 * good, per reference and per client address for a while) before the code is compared, atomically,
 * so parallel guesses get no more tries than the limits; a right code gives its try back.
 */
export async function fetchDocument(ctx: DownloadContext, token: string, accessCode: string, client: string): Promise<DownloadResult> {
  const { db } = ctx;
  const { link, reference } = await liveLink(ctx, token);
  let reservation: Reservation;
  try {
    reservation = await ctx.limits.codeTry({ linkId: link.id, reference, client });
  } catch (error) {
    throw error instanceof LimitReachedError && error.limit === 'link' ? linkLocked() : error;
  }
  if (!(await accessCodeOpens(db, link.requestId, accessCode))) {
    await db.transaction().execute((trx) => appendAudit(trx, { actor: 'subject', action: 'download_refused', requestId: link.requestId, details: { documentId: link.documentId } }));
    throw new ApiError(403, 'wrong_access_code', 'accessCode: the access code does not match this request');
  }
  await reservation.release();
  const found = await getDocumentContent(db, link.documentId);
  if (!found) throw new ApiError(404, 'not_found', 'token: the document no longer exists');
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
  return { filename: found.document.filename, mediaType: found.document.mediaType, content: found.content, reference };
}
