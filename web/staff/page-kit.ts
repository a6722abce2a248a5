/**
 * What every staff router shares: the page context of a request, the no-store HTML response, the
 * answers for no access / not found / not signed in, and the guards for console, auditor and any staff.
 */
import type { NextFunction, Request, Response } from 'express';
import type { ServiceContext } from '../../services/context';
import { toApiError } from '../../services/errors';
import { STAFF_ROLES, type Language, type StaffRole } from '../../domain/request';
import { LANGUAGE_TAGS, pageLanguage } from '../i18n';
import { staffHref, staffMessagePage, type StaffPageContext } from './frame';
import { staffText } from './i18n';
import { readCookies, requireStaff, SESSION_COOKIE } from './session';

/** Roles that see the deadline console and act on requests (admin always passes). */
export const CONSOLE_ROLES: StaffRole[] = ['handler', 'dpo'];
/** Roles that see the auditor's pages (admin always passes). */
export const AUDIT_ROLES: StaffRole[] = ['auditor', 'dpo'];

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The page context of a request: language, texts, path and query (for the language links), session. */
export function staffContext(req: Request, res: Response): StaffPageContext {
  const language = pageLanguage(req.query);
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries(req.query)) if (typeof v === 'string') query.set(k, v);
  return { language, t: staffText(language), path: req.path, query, session: res.locals.staffSession ?? null, auditAlarm: res.locals.auditAlarm ?? null };
}

/** Staff pages carry personal data: never cached, by the browser or anything between. */
export function sendStaffPage(res: Response, status: number, language: Language, body: string): void {
  res
    .status(status)
    .set({ 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store', 'Content-Language': LANGUAGE_TAGS[language] })
    .send(body);
}

/** To the sign-in page; a session cookie that did not pass (expired or invalid) adds `expired=1`, so the page says the session ended. */
export function toSignIn(req: Request, res: Response): void {
  const params = new URLSearchParams(readCookies(req)[SESSION_COOKIE] ? { expired: '1' } : {});
  res.redirect(303, staffHref('/staff/sign-in', pageLanguage(req.query), params));
}

export function forbidden(req: Request, res: Response, reason: 'role' | 'csrf'): void {
  const pc = staffContext(req, res);
  const [title, text] = reason === 'csrf' ? [pc.t('forbidden.csrfTitle'), pc.t('forbidden.csrfText')] : [pc.t('forbidden.title'), pc.t('forbidden.text')];
  sendStaffPage(res, 403, pc.language, staffMessagePage(pc, { title, text }));
}

export function notFound(req: Request, res: Response): void {
  const pc = staffContext(req, res);
  sendStaffPage(res, 404, pc.language, staffMessagePage(pc, { title: pc.t('notFound.title'), text: pc.t('notFound.text') }));
}

/** Guards: signed in with one of the roles; POSTs must carry the session's CSRF token. */
export function staffGuards(ctx: ServiceContext) {
  return {
    console: requireStaff(ctx, CONSOLE_ROLES, toSignIn, forbidden),
    audit: requireStaff(ctx, AUDIT_ROLES, toSignIn, forbidden),
    anyStaff: requireStaff(ctx, [...STAFF_ROLES], toSignIn, forbidden),
  };
}

/** Failures of staff pages get a staff page; only the error's name and message are logged, never the data. */
export function staffErrorHandler(ctx: ServiceContext, what: string) {
  return (error: unknown, req: Request, res: Response, next: NextFunction): void => {
    if (res.headersSent) return next(error);
    ctx.logger.error({ err: error instanceof Error ? `${error.name}: ${error.message}` : String(error), path: req.route?.path }, `${what} failed`);
    const pc = staffContext(req, res);
    // The database or the workflow service away is temporary (503, 504), not a defect: said so by status.
    const mapped = toApiError(error);
    const status = mapped.status === 503 || mapped.status === 504 ? mapped.status : 500;
    if (mapped.retryAfter !== undefined) res.setHeader('Retry-After', String(mapped.retryAfter));
    sendStaffPage(res, status, pc.language, staffMessagePage(pc, { title: pc.t('failure.title'), text: pc.t('failure.text') }));
  };
}

/**
 * The filename parameters of Content-Disposition: an ASCII name safe inside the quotes (a header
 * cannot carry other characters), and the exact name in RFC 5987 form when it differs.
 */
export function filenameParameters(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return ascii === name ? `filename="${ascii}"` : `filename="${ascii}"; filename*=UTF-8''${rfc5987(name)}`;
}

/** Percent-encoding as RFC 5987 wants it: encodeURIComponent leaves ' ( ) * unencoded. */
function rfc5987(name: string): string {
  return encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
