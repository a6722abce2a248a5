/**
 * The staff pages: the development sign-in of the embedded mode, the deadline console, one
 * request, and its documents. Server-rendered HTML in Finnish, Swedish and English (`?lang=`) that
 * works without JavaScript. Every view of a subject's personal data is recorded in the audit log.
 */
import { Router, type NextFunction, type Request, type Response } from 'express';
import type { ApiContext } from '../../api/context';
import { appendAudit } from '../../db/repositories/audit';
import { listDecisions } from '../../db/repositories/decisions';
import { getDocumentContent, listDocuments } from '../../db/repositories/documents';
import { listEvents } from '../../db/repositories/events';
import { getRequestSubject, getRequestSummary } from '../../db/repositories/requests';
import { loadTable } from './chart';
import { consolePage, PAGE_SIZE, readConsoleQuery } from './console-page';
import { staffMessagePage } from './frame';
import { notFound, sendStaffPage, staffContext, staffGuards, UUID } from './page-kit';
import { consoleCounts, listConsoleRequests, loadByDeadlineWeek } from './queries';
import { requestPage } from './request-page';
import { staffSignInRoutes } from './sign-in-routes';

/** The staff pages as an express router. */
export function staffPageRoutes(ctx: ApiContext): Router {
  const router = Router();

  router.use(staffSignInRoutes(ctx));
  const { console: consoleAccess } = staffGuards(ctx);
  const context = staffContext;
  const send = sendStaffPage;

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
