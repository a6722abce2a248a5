/**
 * A form post whose body cannot be read (too large, an unknown charset or encoding, a broken
 * stream), or that finds the database down, gets a page in the page's language, not the API's JSON
 * and never a 500. The body parsers run before any page router, so this is an app-level handler.
 */
import type { ErrorRequestHandler } from 'express';
import { toApiError } from '../services/errors';
import { pageLanguage } from './i18n';
import { messagePage, pageContext } from './page';
import { sendPage } from './resident-http';
import type { RegisterDescription } from '../domain/register-description';

const PAGE_FOR: Record<string, string> = {
  body_too_large: 'tooLarge',
  unsupported_charset: 'unsupported',
  unsupported_encoding: 'unsupported',
  malformed_body: 'malformed',
  database_unavailable: 'unavailable',
};

/** `description`: the controller the page names (as every resident page does). */
export function pageBodyErrorHandler(description?: RegisterDescription): ErrorRequestHandler {
  return (error, req, res, next) => {
    if (res.headersSent || req.path.startsWith('/api/')) return next(error);
    const mapped = toApiError(error);
    const kind = PAGE_FOR[mapped.code];
    if (!kind) return next(error);
    const pc = pageContext(pageLanguage(req.query), null, description);
    if (mapped.retryAfter !== undefined) res.setHeader('Retry-After', String(mapped.retryAfter));
    sendPage(res, mapped.status, pc, messagePage(pc, { title: pc.t(`bodyError.${kind}Title`), text: pc.t(`bodyError.${kind}Text`), path: req.path }));
  };
}
