/**
 * The token of a download link and its stored hash. Under db/ because the hash is the key the link
 * is stored and found by: the activity that creates a link and the service that resolves a fetch
 * both need it, and neither may import the other.
 */
import { createHash, createHmac } from 'node:crypto';

/** The token in a download link, derived from the document so a retried delivery sends the same link. */
export function downloadToken(linkSecret: string, documentId: string): string {
  return createHmac('sha256', linkSecret).update(`download:${documentId}`).digest('base64url');
}

/** Only this hash is stored, so a read of the database gives no working link. */
export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
