/**
 * The resident pages: the e-form, the status lookup and the answer's download page. Server-rendered
 * HTML that works without JavaScript, in Finnish, Swedish and English (`?lang=`). They validate
 * with the same schemas and call the same services as the JSON API, so both accept exactly the same.
 * Form contents are personal data: they are never logged and never put into a URL.
 */
import { Router, type NextFunction, type Request, type Response } from 'express';
import { findRequestByReference, getAccessCodeHash, getRequestSubject } from '../db/repositories/requests';
import type { Language } from '../domain/request';
import type { ApiContext } from '../api/context';
import { ApiError } from '../api/errors';
import { statusLookupSchema } from '../api/schemas';
import { accessCodeMatches } from '../api/services/access-code';
import { checkLink, fetchDocument } from '../api/services/download';
import { confirmationPage } from './confirmation';
import { deadLinkPage, downloadFormPage, isDeadLinkStatus } from './download-page';
import { isFormToken, issueFormToken } from './form-token';
import { LANGUAGE_TAGS, pageLanguage } from './i18n';
import { messagePage, pageContext, withLang, type PageContext } from './page';
import { checkForm, EMPTY_FORM, readForm } from './request-form';
import { requestFormPage } from './request-form-page';
import { formChoices } from './right-details';
import { statusFormPage, statusResultPage } from './status-page';
import { staffPageRoutes } from './staff/routes';

/** The resident pages as an express router, mounted next to the JSON API. */
export function webRoutes(ctx: ApiContext): Router {
  const router = Router();
  const secret = ctx.config.linkSecret;
  const maxFailed = ctx.config.downloads.maxFailedAttempts;
  router.use(staffPageRoutes(ctx));

  router.get('/', (req, res) => {
    const pc = pageContext(pageLanguage(req.query));
    const choices = formChoices(ctx.description, pc.language);
    sendPage(res, 200, pc, requestFormPage(pc, { values: EMPTY_FORM, errors: {}, choices, formToken: issueFormToken(secret) }));
  });

  // The form posts here; someone who reloads the address gets the form back.
  router.get('/request', (req, res) => res.redirect(303, withLang('/', pageLanguage(req.query))));

  router.post('/request', async (req, res) => {
    const pc = pageContext(pageLanguage(req.query));
    const values = readForm(req.body);
    const token = (req.body as Record<string, unknown> | undefined)?.formToken;
    const tokenValid = isFormToken(secret, token);
    const { submission, errors } = checkForm(ctx.description, values, pc.language, pc.t);
    if (!submission || !tokenValid) {
      const formMessage = tokenValid ? undefined : pc.t('form.expired');
      const formToken = tokenValid ? token : issueFormToken(secret);
      const choices = formChoices(ctx.description, pc.language);
      sendPage(res, 400, pc, requestFormPage(pc, { values, errors: errors ?? {}, choices, formMessage, formToken }));
      return;
    }
    const result = await ctx.intake.submit({
      ...submission,
      channel: 'e_form',
      receivedAt: new Date(),
      identityMethod: null,
      // One token per rendered form: a double click or a refresh replays the first submit.
      idempotencyKey: token,
      enteredBy: 'subject',
    });
    if (!result.replayed) for (const r of result.requests) ctx.metrics.submissions.inc({ right: r.right, channel: r.channel });
    const stored = await getRequestSubject(ctx.db, result.requests[0].id);
    sendPage(
      res,
      result.replayed ? 200 : 201,
      pc,
      confirmationPage(pc, {
        requests: result.requests,
        accessCode: result.accessCode,
        replayed: result.replayed,
        subject: {
          firstName: stored?.firstName ?? '',
          lastName: stored?.lastName ?? '',
          email: stored?.email ?? null,
          phone: stored?.phone ?? null,
          hetuGiven: Boolean(stored?.hetu),
        },
        linkDays: ctx.config.downloads.linkDays,
      }),
    );
  });

  router.get('/status', (req, res) => {
    const pc = pageContext(pageLanguage(req.query));
    sendPage(res, 200, pc, statusFormPage(pc, { reference: '', errors: {} }));
  });

  router.post('/status', async (req, res) => {
    const pc = pageContext(pageLanguage(req.query));
    const body = (req.body ?? {}) as Record<string, unknown>;
    const reference = typeof body.reference === 'string' ? body.reference : '';
    const accessCode = typeof body.accessCode === 'string' ? body.accessCode : '';
    const errors = {
      reference: reference.trim() ? undefined : pc.t('status.errors.reference'),
      accessCode: accessCode.trim() ? undefined : pc.t('status.errors.accessCode'),
    };
    if (errors.reference || errors.accessCode) {
      sendPage(res, 400, pc, statusFormPage(pc, { reference, errors }));
      return;
    }
    const summary = await lookUp(ctx, reference, accessCode);
    if (!summary) {
      // One answer for an unknown reference and a wrong code: the page does not confirm references.
      sendPage(res, 404, pc, statusFormPage(pc, { reference, errors: {}, notFound: pc.t('status.notFound') }));
      return;
    }
    sendPage(res, 200, pc, statusResultPage(pc, summary));
  });

  router.get('/download/:token', async (req, res) => {
    const pc = pageContext(pageLanguage(req.query));
    const token = String(req.params.token);
    try {
      const link = await checkLink(ctx.db, token, maxFailed);
      sendPage(res, 200, pc, downloadFormPage(pc, { token, ...link }));
    } catch (error) {
      if (!sendDeadLink(res, pc, error, token)) throw error;
    }
  });

  router.post('/download/:token', async (req, res) => {
    const pc = pageContext(pageLanguage(req.query));
    const token = String(req.params.token);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const accessCode = typeof body.accessCode === 'string' ? body.accessCode.trim() : '';
    try {
      if (!accessCode) {
        // An empty code is not an attempt: it does not count towards the lock.
        const link = await checkLink(ctx.db, token, maxFailed);
        sendPage(res, 400, pc, downloadFormPage(pc, { token, ...link, error: pc.t('download.missingCode') }));
        return;
      }
      const doc = await fetchDocument(ctx.db, token, accessCode, maxFailed);
      ctx.metrics.downloads.inc({ result: 'ok' });
      res.status(200).attachment(doc.filename).type(doc.mediaType).set('Cache-Control', 'no-store').send(doc.content);
    } catch (error) {
      if (accessCode) ctx.metrics.downloads.inc({ result: 'refused' });
      if (error instanceof ApiError && error.status === 403) {
        // The wrong code may have been the last allowed one: then the page says the link is locked.
        try {
          const link = await checkLink(ctx.db, token, maxFailed);
          sendPage(res, 403, pc, downloadFormPage(pc, { token, ...link, error: pc.t('download.wrongCode') }));
        } catch (again) {
          if (!sendDeadLink(res, pc, again, token)) throw again;
        }
        return;
      }
      if (!sendDeadLink(res, pc, error, token)) throw error;
    }
  });

  // Failures of these pages get a page, not the API's JSON; only the error's name and message are logged.
  router.use((error: unknown, req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(error);
    ctx.logger.error({ err: error instanceof Error ? `${error.name}: ${error.message}` : String(error), path: req.route?.path }, 'page failed');
    const pc = pageContext(pageLanguage(req.query));
    sendPage(res, 500, pc, messagePage(pc, { title: pc.t('failure.title'), text: pc.t('failure.text'), path: '/' }));
  });

  return router;
}

/** The request a reference names, if the access code is that submission's. */
async function lookUp(ctx: ApiContext, reference: string, accessCode: string) {
  const parsed = statusLookupSchema.safeParse({ reference, accessCode });
  if (!parsed.success) return null;
  const summary = await findRequestByReference(ctx.db, parsed.data.reference.toUpperCase());
  const hash = summary ? await getAccessCodeHash(ctx.db, summary.id) : null;
  return summary && hash && accessCodeMatches(parsed.data.accessCode, hash) ? summary : null;
}

/** Renders the page for an unknown, expired or locked link; false for any other error. */
function sendDeadLink(res: Response, pc: PageContext, error: unknown, token: string): boolean {
  if (!(error instanceof ApiError) || !isDeadLinkStatus(error.status)) return false;
  sendPage(res, error.status, pc, deadLinkPage(pc, error.status, token));
  return true;
}

/** Pages carry personal data or one-time codes: never cached, by the browser or anything between. */
function sendPage(res: Response, status: number, pc: { language: Language }, body: string): void {
  res
    .status(status)
    .set({ 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store', 'Content-Language': LANGUAGE_TAGS[pc.language] })
    .send(body);
}
