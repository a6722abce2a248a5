/**
 * The auditor's pages (tarkastajan sivut): the search, one request's complete history, its
 * documents, and the history as CSV, PDF and signed JSON. Read-only for auditors: only GET routes,
 * and nothing but the auditor's own views and exports is written, each as a link in the audit log
 * before the data leaves the engine. The one POST is an admin's incident note answering an alarm
 * of a broken chain. Paths are absolute, so the router works mounted at the root or inside the
 * staff router.
 */
import { createHash } from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import type { ServiceContext } from '../../services/context';
import { appendAudit } from '../../db/repositories/audit';
import { checkRecentChains, checkWholeChain, recordIncidentNote } from '../../services/audit-integrity';
import { integrityDeps } from '../../services/audit-deps';
import { incidentForm, readIncidentNote } from './audit-incident';
import { searchAuditRequests } from '../../db/repositories/audit-search';
import { getDocumentContent } from '../../db/repositories/documents';
import { getRequestSummary } from '../../db/repositories/requests';
import type { RequestSummary } from '../../domain/request';
import { historyCsv } from './audit-csv';
import { auditHistoryPage } from './audit-history-page';
import { historyPdf } from './audit-pdf';
import { loadAuditHistory } from './audit-queries';
import { AUDIT_PAGE_SIZE, auditSearchPage, readAuditSearch } from './audit-search-page';
import { filenameParameters, forbidden, notFound, sendStaffPage, staffContext, staffErrorHandler, staffGuards, toSignIn, UUID } from './page-kit';
import { requireStaff } from './session';
import { auditExportJson } from './audit-export';

/** The auditor's pages as an express router (roles auditor and dpo; admin passes). */
export function auditPageRoutes(ctx: ServiceContext): Router {
  const router = Router();
  const { audit: auditors } = staffGuards(ctx);
  // Only admins record incident notes (admin always passes; no other role is listed).
  const admins = requireStaff(ctx, [], toSignIn, forbidden);
  const deps = integrityDeps(ctx);

  /** The request of the `:id` parameter, or null (a 404) when the id is not a request's. */
  async function requestOf(req: Request): Promise<RequestSummary | null> {
    const id = String(req.params.id);
    return UUID.test(id) ? getRequestSummary(ctx.db, id.toLowerCase()) : null;
  }

  /** Appends one link for what the auditor did, in its own transaction. */
  function record(req: Request, action: string, requestId: string, details: Record<string, unknown>): Promise<unknown> {
    return ctx.db.transaction().execute((trx) => appendAudit(trx, { actor: req.staff!.id, action, requestId, details }));
  }

  router.get('/staff/audit', auditors, async (req, res) => {
    const pc = staffContext(req, res);
    const { input, filter, errors } = readAuditSearch(req.query as Record<string, unknown>, pc.t);
    const [integrity, result] = await Promise.all([
      // The chains changed since the newest signed checkpoint (the whole log is walked at intervals).
      checkRecentChains(deps),
      filter ? searchAuditRequests(ctx.db, filter, { limit: AUDIT_PAGE_SIZE, offset: (input.page - 1) * AUDIT_PAGE_SIZE }) : null,
    ]);
    // An alarm this very check raised shows in the banner at once.
    pc.auditAlarm = integrity.alarm;
    const form = integrity.alarm && req.staff!.roles.includes('admin') ? incidentForm(pc, { value: '', error: null, recorded: null }) : null;
    sendStaffPage(res, filter ? 200 : 400, pc.language, auditSearchPage(pc, { input, errors, integrity, incidentForm: form, result }));
  });

  router.post('/staff/audit/incident', admins, async (req, res) => {
    const pc = staffContext(req, res);
    const note = readIncidentNote(req.body);
    const recorded = note.ok ? await recordIncidentNote(ctx.db, req.staff!.id, note.value) : null;
    const integrity = await checkWholeChain(deps);
    pc.auditAlarm = integrity.alarm;
    const form = incidentForm(pc, { value: note.ok ? '' : note.value, error: note.ok ? (recorded ? null : 'none') : 'invalid', recorded: recorded?.seq ?? null });
    const { input, errors } = readAuditSearch({}, pc.t);
    sendStaffPage(res, note.ok ? 200 : 400, pc.language, auditSearchPage(pc, { input, errors, integrity, incidentForm: form, result: null }));
  });

  router.get('/staff/audit/requests/:id', auditors, async (req, res) => {
    const summary = await requestOf(req);
    if (!summary) return notFound(req, res);
    // The view is recorded first, so the history it shows already includes it.
    await record(req, 'auditor_viewed_request', summary.id, { via: 'audit_page' });
    const history = await loadAuditHistory(deps, summary);
    res.locals.auditAlarm = history.integrity.alarm;
    const pc = staffContext(req, res);
    sendStaffPage(res, 200, pc.language, auditHistoryPage(pc, history, ctx.description));
  });

  router.get('/staff/audit/requests/:id/history.csv', auditors, async (req, res) => {
    const summary = await requestOf(req);
    if (!summary) return notFound(req, res);
    const pc = staffContext(req, res);
    const file = historyCsv(pc.t, await loadAuditHistory(deps, summary));
    await sendExport(req, res, summary, { format: 'csv', contentType: 'text/csv; charset=utf-8', file });
  });

  router.get('/staff/audit/requests/:id/history.pdf', auditors, async (req, res) => {
    const summary = await requestOf(req);
    if (!summary) return notFound(req, res);
    const pc = staffContext(req, res);
    const history = await loadAuditHistory(deps, summary);
    const generatedAt = new Date();
    const signedExport = auditExportJson(history, { exportedAt: generatedAt, exportedBy: req.staff!.id });
    const file = await historyPdf({ t: pc.t, language: pc.language, history, generatedAt, generatedBy: req.staff!.id, signedExport, description: ctx.description });
    await sendExport(req, res, summary, { format: 'pdf', contentType: 'application/pdf', file });
  });

  router.get('/staff/audit/requests/:id/history.json', auditors, async (req, res) => {
    const summary = await requestOf(req);
    if (!summary) return notFound(req, res);
    const history = await loadAuditHistory(deps, summary);
    const file = auditExportJson(history, { exportedAt: new Date(), exportedBy: req.staff!.id });
    await sendExport(req, res, summary, { format: 'json', contentType: 'application/json; charset=utf-8', file });
  });

  /** Records the export with the sha256 of the very bytes sent, then sends them as a download. */
  async function sendExport(req: Request, res: Response, summary: RequestSummary, e: { format: 'csv' | 'pdf' | 'json'; contentType: string; file: Buffer }) {
    const sha256 = createHash('sha256').update(e.file).digest('hex');
    await record(req, 'auditor_exported_history', summary.id, { format: e.format, sha256, via: 'audit_page' });
    res
      .status(200)
      .set({
        'Content-Type': e.contentType,
        'Cache-Control': 'no-store',
        'Content-Disposition': `attachment; ${filenameParameters(`${summary.reference}-history.${e.format}`)}`,
      })
      .send(e.file);
  }

  router.get('/staff/audit/documents/:id', auditors, async (req, res) => {
    const id = String(req.params.id);
    const found = UUID.test(id) ? await getDocumentContent(ctx.db, id.toLowerCase()) : null;
    if (!found) return notFound(req, res);
    const { document } = found;
    await record(req, 'auditor_viewed_document', document.requestId, { documentId: document.id, sha256: document.sha256, via: 'audit_page' });
    res
      .status(200)
      .type(document.mediaType)
      .set({ 'Cache-Control': 'no-store', 'Content-Disposition': `inline; ${filenameParameters(document.filename)}` })
      .send(found.content);
  });

  router.use('/staff/audit', staffErrorHandler(ctx, 'audit page'));

  return router;
}
