/**
 * The staff pages: the development sign-in of the embedded mode, the deadline console, one
 * request, and its documents. Server-rendered HTML in Finnish, Swedish and English (`?lang=`) that
 * works without JavaScript. Every view of a subject's personal data is recorded in the audit log.
 */
import { Router, type NextFunction, type Request, type Response } from 'express';
import type { ApiContext } from '../../api/context';
import { devSignInSchema } from '../../api/schemas';
import { appendAudit } from '../../db/repositories/audit';
import { listDecisions } from '../../db/repositories/decisions';
import { getDocumentContent, listDocuments } from '../../db/repositories/documents';
import { listEvents } from '../../db/repositories/events';
import { getRequestSubject, getRequestSummary } from '../../db/repositories/requests';
import { STAFF_ROLES, type Language, type StaffRole } from '../../domain/request';
import { LANGUAGE_TAGS, pageLanguage } from '../i18n';
import { loadTable } from './chart';
import { consolePage, PAGE_SIZE, readConsoleQuery } from './console-page';
import { staffHref, staffMessagePage, type StaffPageContext } from './frame';
import { staffText } from './i18n';
import { consoleCounts, listConsoleRequests, loadByDeadlineWeek } from './queries';
import { requestPage } from './request-page';
import { clearSessionCookie, csrfMatches, csrfToken, preSession, readCookies, readSession, requireStaff, setSessionCookie, PRE_SESSION_COOKIE } from './session';
import { signInPage } from './sign-in-page';

/** Roles that see the deadline console and requests (admin always passes). */
const CONSOLE_ROLES: StaffRole[] = ['handler', 'dpo'];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The staff pages as an express router. */
export function staffPageRoutes(ctx: ApiContext): Router {
  const router = Router();
  const secret = ctx.config.linkSecret;

  const context = (req: Request, res: Response): StaffPageContext => {
    const language = pageLanguage(req.query);
    const query = new URLSearchParams();
    for (const [k, v] of Object.entries(req.query)) if (typeof v === 'string') query.set(k, v);
    return { language, t: staffText(language), path: req.path, query, session: res.locals.staffSession ?? null };
  };
  const toSignIn = (req: Request, res: Response) => res.redirect(303, staffHref('/staff/sign-in', pageLanguage(req.query)));
  const forbidden = (req: Request, res: Response, reason: 'role' | 'csrf') => {
    const pc = context(req, res);
    const [title, text] = reason === 'csrf' ? [pc.t('forbidden.csrfTitle'), pc.t('forbidden.csrfText')] : [pc.t('forbidden.title'), pc.t('forbidden.text')];
    send(res, 403, pc.language, staffMessagePage(pc, { title, text }));
  };
  const notFound = (req: Request, res: Response) => {
    const pc = context(req, res);
    send(res, 404, pc.language, staffMessagePage(pc, { title: pc.t('notFound.title'), text: pc.t('notFound.text') }));
  };
  const consoleAccess = requireStaff(ctx, CONSOLE_ROLES, toSignIn, forbidden);
  const anyStaff = requireStaff(ctx, [...STAFF_ROLES], toSignIn, forbidden);

  // Sign-in lives here only in embedded mode; elsewhere the organisation's identity provider does it.
  const devOnly = (req: Request, res: Response, next: NextFunction) => {
    if (ctx.config.auth.devSignIn) return next();
    const pc = context(req, res);
    send(res, 404, pc.language, staffMessagePage(pc, { title: pc.t('signIn.disabledTitle'), text: pc.t('signIn.disabledText') }));
  };

  router.get('/staff/sign-in', devOnly, async (req, res) => {
    const pc = { ...context(req, res), session: await readSession(ctx, req) };
    const notice = req.query.signedOut === '1' ? pc.t('signIn.signedOut') : undefined;
    const csrf = csrfToken(secret, preSession(ctx, req, res));
    send(res, 200, pc.language, signInPage(pc, { user: '', role: 'handler', csrf, notice }));
  });

  router.post('/staff/sign-in', devOnly, async (req, res) => {
    const pc = context(req, res);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const user = typeof body.user === 'string' ? body.user.trim() : '';
    const role = (STAFF_ROLES as readonly string[]).includes(String(body.role)) ? (body.role as StaffRole) : 'handler';
    const csrfValid = csrfMatches(secret, readCookies(req)[PRE_SESSION_COOKIE], body.csrf);
    const csrf = csrfToken(secret, preSession(ctx, req, res));
    if (!csrfValid) {
      send(res, 403, pc.language, signInPage(pc, { user, role, csrf, formError: pc.t('signIn.expired') }));
      return;
    }
    const parsed = devSignInSchema.safeParse({ user, roles: [role] });
    if (!parsed.success) {
      send(res, 400, pc.language, signInPage(pc, { user, role, csrf, userError: pc.t('signIn.userError') }));
      return;
    }
    const issued = await ctx.tokens.issue({ id: parsed.data.user, roles: parsed.data.roles });
    setSessionCookie(ctx, res, issued.token, issued.expiresAt);
    res.redirect(303, staffHref('/staff', pc.language));
  });

  router.post('/staff/sign-out', anyStaff, (req, res) => {
    clearSessionCookie(ctx, res);
    const q = new URLSearchParams({ signedOut: '1' });
    res.redirect(303, staffHref('/staff/sign-in', pageLanguage(req.query), q));
  });

  router.get('/staff', consoleAccess, async (req, res) => {
    const pc = context(req, res);
    const query = readConsoleQuery(req.query as Record<string, unknown>);
    const now = new Date();
    const [list, counts, load] = await Promise.all([
      listConsoleRequests(ctx.db, query.filter, now, { limit: PAGE_SIZE, offset: (query.page - 1) * PAGE_SIZE }),
      consoleCounts(ctx.db, now),
      loadByDeadlineWeek(ctx.db, now),
    ]);
    const table = loadTable(pc.t, pc.language, load, now);
    send(res, 200, pc.language, consolePage(pc, { query, counts, load: table, rows: list.rows, total: list.total, now }));
  });

  router.get('/staff/requests/:id', consoleAccess, async (req, res) => {
    const id = String(req.params.id);
    const summary = UUID.test(id) ? await getRequestSummary(ctx.db, id.toLowerCase()) : null;
    if (!summary) return notFound(req, res);
    const [subject, events, documents, decisions] = await Promise.all([
      getRequestSubject(ctx.db, summary.id),
      listEvents(ctx.db, summary.id),
      listDocuments(ctx.db, summary.id),
      listDecisions(ctx.db, summary.id),
    ]);
    // Every staff view of personal data is itself recorded, before the data leaves the engine.
    await ctx.db.transaction().execute((trx) => appendAudit(trx, { actor: req.staff!.id, action: 'staff_viewed_request', requestId: summary.id, details: { via: 'staff_page' } }));
    const pc = context(req, res);
    send(res, 200, pc.language, requestPage(pc, { summary, subject, events, documents, decisions }));
  });

  router.get('/staff/documents/:id', consoleAccess, async (req, res) => {
    const id = String(req.params.id);
    const found = UUID.test(id) ? await getDocumentContent(ctx.db, id.toLowerCase()) : null;
    if (!found) return notFound(req, res);
    const { document } = found;
    await ctx.db.transaction().execute((trx) =>
      appendAudit(trx, { actor: req.staff!.id, action: 'staff_viewed_document', requestId: document.requestId, details: { documentId: document.id, sha256: document.sha256, via: 'staff_page' } }),
    );
    res
      .status(200)
      .type(document.mediaType)
      .set({ 'Cache-Control': 'no-store', 'Content-Disposition': `inline; filename="${document.filename.replace(/["\\\r\n]/g, '_')}"` })
      .send(found.content);
  });

  // Failures of these pages get a staff page; only the error's name and message are logged.
  router.use('/staff', (error: unknown, req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(error);
    ctx.logger.error({ err: error instanceof Error ? `${error.name}: ${error.message}` : String(error), path: req.route?.path }, 'staff page failed');
    const pcx = context(req, res);
    send(res, 500, pcx.language, staffMessagePage(pcx, { title: pcx.t('failure.title'), text: pcx.t('failure.text') }));
  });

  return router;
}

/** Staff pages carry personal data: never cached, by the browser or anything between. */
function send(res: Response, status: number, language: Language, body: string): void {
  res
    .status(status)
    .set({ 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store', 'Content-Language': LANGUAGE_TAGS[language] })
    .send(body);
}
