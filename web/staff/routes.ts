/**
 * The staff pages: the development sign-in of the embedded mode, the deadline console, one
 * request, and its documents. Server-rendered HTML in Finnish, Swedish and English (`?lang=`) that
 * works without JavaScript. Every view of a subject's personal data is recorded in the audit log.
 */
import type { ChangePreview } from '../../domain/decisions';
import { listNotifications } from '../../db/repositories/recipient-notifications';
import { Router, type Request, type Response } from 'express';
import type { ServiceContext } from '../../services/context';
import { appendAudit } from '../../db/repositories/audit';
import { consoleCounts, listAssignees, listConsoleRequests, loadByDeadlineWeek } from '../../db/repositories/console';
import { listDecisions } from '../../db/repositories/decisions';
import { getDocumentContent, listDocuments } from '../../db/repositories/documents';
import { listEvents } from '../../db/repositories/events';
import { getRequestAttention, getRequestSubject, getRequestSummary } from '../../db/repositories/requests';
import { loadTable } from './chart';
import { consolePage, PAGE_SIZE, readConsoleQuery } from './console-page';
import { staffHref, staffMessagePage } from './frame';
import { CONSOLE_ROLES, filenameParameters, notFound, sendStaffPage, staffContext, staffErrorHandler, staffGuards, UUID } from './page-kit';
import { readSession } from './session';
import { mayAccess, notVisible, seesAll } from '../../services/staff-actions';
import type { RequestSummary } from '../../domain/request';
import type { RequestStatus } from '../../workflows/messages';
import { pageLanguage } from '../i18n';
import { actionsSection } from './action-forms';
import { auditPageRoutes } from './audit-routes';
import { currentAlarm } from '../../services/audit-integrity';
import { isAction, readValues, runAction, type ActionFailure } from './actions';
import { requestPage } from './request-page';
import { handlerRequestView } from '../../services/request-view';
import { staffSignInRoutes } from './sign-in-routes';

/** The staff pages as an express router. */
export function staffPageRoutes(ctx: ServiceContext): Router {
  const router = Router();

  router.use(staffSignInRoutes(ctx));
  // A broken audit chain stays loud: every page knows the open alarm; the frame shows it to the DPO, auditors and admins.
  router.use('/staff', async (_req, res, next) => {
    res.locals.auditAlarm = await currentAlarm(ctx.db);
    next();
  });
  router.use(auditPageRoutes(ctx));
  const { console: consoleAccess } = staffGuards(ctx);
  const context = staffContext;
  const send = sendStaffPage;

  // Auditors start at their own pages.
  router.get('/staff', async (req, res, next) => {
    const roles = (await readSession(ctx, req))?.user.roles ?? [];
    if (roles.includes('auditor') && !roles.some((r) => r === 'admin' || CONSOLE_ROLES.includes(r))) return res.redirect(303, staffHref('/staff/audit', pageLanguage(req.query)));
    next();
  });

  router.get('/staff', consoleAccess, async (req, res) => {
    const pc = context(req, res);
    const query = readConsoleQuery(req.query as Record<string, unknown>);
    const now = new Date();
    const me = req.staff!;
    // A handler sees their own, the open unassigned and the closed ones they handled; the DPO sees all.
    const visibleTo = seesAll(me) ? undefined : me.id;
    const [list, counts, load, assignees] = await Promise.all([
      listConsoleRequests(ctx.db, { ...query.filter, visibleTo }, now, { limit: PAGE_SIZE, offset: (query.page - 1) * PAGE_SIZE }),
      consoleCounts(ctx.db, now, visibleTo),
      loadByDeadlineWeek(ctx.db, now, visibleTo),
      visibleTo ? Promise.resolve([]) : listAssignees(ctx.db),
    ]);
    const table = loadTable(pc.t, pc.language, load, now);
    send(res, 200, pc.language, consolePage(pc, { query, counts, load: table, rows: list.rows, total: list.total, now, me: me.id, assignees }));
  });

  /** The request page for the signed-in staff member, with the action forms (and a refused action's errors). */
  const showRequest = async (req: Request, res: Response, summary: RequestSummary, failure: ActionFailure | null) => {
    const [subject, events, documents, decisions, status, attention] = await Promise.all([
      getRequestSubject(ctx.db, summary.id),
      listEvents(ctx.db, summary.id),
      listDocuments(ctx.db, summary.id),
      listDecisions(ctx.db, summary.id),
      summary.closedAt ? Promise.resolve(null) : workflowStatus(ctx, summary.id),
      getRequestAttention(ctx.db, summary.id),
    ]);
    const { asked, register } = await handlerRequestView(ctx.db, ctx.description, summary.id, subject);
    // Every staff view of personal data is itself recorded, before the data leaves the engine.
    await ctx.db.transaction().execute((trx) => appendAudit(trx, { actor: req.staff!.id, action: 'staff_viewed_request', requestId: summary.id, details: { via: 'staff_page' } }));
    const pc = context(req, res);
    const done = typeof req.query.done === 'string' && isAction(req.query.done) && !failure ? req.query.done : null;
    const previewed = events.find((e) => e.businessKey === 'changes_previewed');
    const preview = previewed ? (previewed.data as unknown as ChangePreview) : null;
    const notifications = await listNotifications(ctx.db, summary.id);
    const actions = actionsSection(pc, { summary, status, decisions, documents, description: ctx.description, user: req.staff!, csrf: res.locals.staffSession!.csrf, failure, done, preview, notifications });
    send(res, failure?.status ?? 200, pc.language, requestPage(pc, { summary, subject, asked, register, description: ctx.description, events, documents, decisions, actions, attention }));
  };

  /** The request, if the signed-in staff member may see it; otherwise the answer has been sent. */
  const visible = async (req: Request, res: Response): Promise<RequestSummary | null> => {
    const id = String(req.params.id);
    const summary = UUID.test(id) ? await getRequestSummary(ctx.db, id.toLowerCase()) : null;
    if (!summary) {
      notFound(req, res);
      return null;
    }
    if (!(await mayAccess(ctx.db, req.staff!, summary))) {
      refuse(req, res, summary);
      return null;
    }
    return summary;
  };

  /** The 403 page for a request outside the signed-in staff member's view (the API's notVisible, in words). */
  const refuse = (req: Request, res: Response, summary: RequestSummary) => {
    const pc = context(req, res);
    const key = notVisible(summary).code === 'assigned_elsewhere' ? 'assignedElsewhere' : 'notHandled';
    send(res, 403, pc.language, staffMessagePage(pc, { title: pc.t(`actions.${key}.title`), text: pc.t(`actions.${key}.text`, { user: summary.assignedTo }) }));
  };

  router.get('/staff/requests/:id', consoleAccess, async (req, res) => {
    const summary = await visible(req, res);
    if (summary) await showRequest(req, res, summary, null);
  });

  router.post('/staff/requests/:id/actions/:action', consoleAccess, async (req, res) => {
    const action = String(req.params.action);
    if (!isAction(action)) return notFound(req, res);
    const summary = await visible(req, res);
    if (!summary) return;
    const decisions = await listDecisions(ctx.db, summary.id);
    const failure = await runAction(ctx, req.staff!, summary, action, readValues(req.body), decisions);
    if (failure) {
      const fresh = (await getRequestSummary(ctx.db, summary.id)) ?? summary;
      return showRequest(req, res, fresh, failure);
    }
    const q = new URLSearchParams({ done: action });
    res.redirect(303, `${staffHref(`/staff/requests/${summary.id}`, pageLanguage(req.query), q)}#actions`);
  });

  router.get('/staff/documents/:id', consoleAccess, async (req, res) => {
    const id = String(req.params.id);
    const found = UUID.test(id) ? await getDocumentContent(ctx.db, id.toLowerCase()) : null;
    if (!found) return notFound(req, res);
    const { document } = found;
    const owner = await getRequestSummary(ctx.db, document.requestId);
    if (!owner) return notFound(req, res);
    if (!(await mayAccess(ctx.db, req.staff!, owner))) return refuse(req, res, owner);
    await ctx.db.transaction().execute((trx) =>
      appendAudit(trx, { actor: req.staff!.id, action: 'staff_viewed_document', requestId: document.requestId, details: { documentId: document.id, sha256: document.sha256, via: 'staff_page' } }),
    );
    res
      .status(200)
      .type(document.mediaType)
      .set({ 'Cache-Control': 'no-store', 'Content-Disposition': `inline; ${filenameParameters(document.filename)}` })
      .send(found.content);
  });

  // Failures of these pages get a staff page; only the error's name and message are logged.
  router.use('/staff', staffErrorHandler(ctx, 'staff page'));

  return router;
}

/** How long a page waits for the workflow's status before showing the request without actions. */
const STATUS_WAIT_MS = 3000;

/** The workflow's live status, or null when Temporal does not answer in time (the page still shows). */
async function workflowStatus(ctx: ServiceContext, requestId: string): Promise<RequestStatus | null> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), STATUS_WAIT_MS)));
  try {
    return await Promise.race([ctx.gateway.status(requestId).catch(() => null), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
