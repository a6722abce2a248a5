/**
 * The resident pages: identification, the e-form, "my requests", the status lookup and the
 * answer's download page. Server-rendered HTML that works without JavaScript, in Finnish, Swedish
 * and English (`?lang=`). They validate with the same schemas and call the same services as the
 * JSON API, so both accept exactly the same. Form contents are personal data: they are never
 * logged and never put into a URL.
 */
import { Router, type NextFunction, type Request, type Response } from 'express';
import { recordTransition } from '../db/repositories/events';
import { getRequestSubject } from '../db/repositories/requests';
import { findOwnRequest, listOwnRequests } from '../db/repositories/resident-identity';
import { ownerOf } from '../domain/resident-identity';
import type { ServiceContext } from '../services/context';
import { ApiError, isDatabaseUnavailable } from '../services/errors';
import { statusLookupSchema } from '../services/schemas';
import { clientOf, requestByAccessCode } from '../services/access-lookup';
import { LimitReachedError } from '../services/rate-limits';
import { checkLink, fetchDocument } from '../services/download';
import { confirmationPage } from './confirmation';
import { deadLinkPage, downloadFormPage, isDeadLinkStatus } from './download-page';
import { isFormToken, issueFormToken } from './form-token';
import { pageLanguage } from './i18n';
import { hrefWithNext, identifyChoicePage, safeNext } from './identify-pages';
import { identifyRoutes } from './identify-routes';
import { html } from './html';
import { messagePage, pageContext, withLang, type PageContext } from './page';
import { askedOnly, checkForm, checkRights, EMPTY_FORM, readForm, withIdentity } from './request-form';
import { detailsStepPage, FORM_RIGHTS, rightsStepPage, type FormPageState } from './request-form-page';
import { limitMessage, residentPage, sendPage } from './resident-http';
import { myRequestsPage } from './resident-requests-page';
import { sessionCsrfMatches, type ResidentSession } from './resident-session';
import { formChoices } from './right-details';
import { statusFormPage, statusResultPage } from './status-page';
import { staffPageRoutes } from './staff/routes';

const REFERENCE = /^DSR-\d{4}-[A-Z0-9]{6}$/;

type FormStep = 'rights' | 'details';

/** The resident pages as an express router, mounted next to the JSON API. */
export function webRoutes(ctx: ServiceContext): Router {
  const router = Router();
  const secret = ctx.config.linkSecret;
  const eidAvailable = ctx.config.oidc.resident !== null;
  router.use(staffPageRoutes(ctx));
  router.use(identifyRoutes(ctx));

  /** A step of the e-form, with what the register lets the resident choose and who they are. */
  const sendStep = (res: Response, status: number, pc: PageContext, session: ResidentSession, step: FormStep, s: Omit<FormPageState, 'choices' | 'identity' | 'csrf'>) => {
    const state: FormPageState = { ...s, choices: formChoices(ctx.description, pc.language), identity: session.identity, csrf: session.csrf };
    sendPage(res, status, pc, step === 'rights' ? rightsStepPage(pc, state) : detailsStepPage(pc, state));
  };
  /** The first step afresh, with a message saying why (an expired form, another session's form). */
  const restart = (res: Response, status: number, pc: PageContext, session: ResidentSession) =>
    sendStep(res, status, pc, session, 'rights', { values: withIdentity(EMPTY_FORM, session.identity), errors: {}, formMessage: pc.t('form.expired'), formToken: issueFormToken(secret) });

  /**
   * What every post of the e-form checks first: an identified resident, and this session's CSRF
   * token. Answers the request itself (and returns null) when either is missing; nothing posted is
   * shown back then, since it may not be from whoever is at the browser now.
   */
  const formPost = async (req: Request, res: Response) => {
    const { pc, session } = await residentPage(ctx, req);
    if (!session) {
      sendPage(res, 403, pc, identifyChoicePage(pc, { path: '/', next: '/', eidAvailable, notice: { text: pc.t('identify.sessionExpired'), warning: true } }));
      return null;
    }
    const body = (req.body ?? {}) as Record<string, unknown>;
    if (!sessionCsrfMatches(ctx, req, body.csrf)) {
      restart(res, 403, pc, session);
      return null;
    }
    // What the identification verified comes from the session, whatever the POST says.
    const values = withIdentity(readForm(body), session.identity);
    // One token per filling of the form, carried through both steps: it is the submit's idempotency key.
    const formToken = isFormToken(ctx.config.auth.tokenRing, body.formToken) ? body.formToken : null;
    return { pc, session, values, formToken };
  };

  /** Step 1 again with the message at the rights, when none or an unknown one was chosen; false when they are fine. */
  const refusedRights = (res: Response, post: NonNullable<Awaited<ReturnType<typeof formPost>>>): boolean => {
    const error = checkRights(post.values, FORM_RIGHTS, post.pc.t);
    if (!error) return false;
    sendStep(res, 400, post.pc, post.session, 'rights', { values: post.values, errors: { rights: error }, formToken: post.formToken ?? issueFormToken(secret) });
    return true;
  };

  // The e-form asks who the resident is first; once identified, the form's first step: the rights.
  router.get('/', async (req, res) => {
    const { pc, session } = await residentPage(ctx, req);
    if (!session) {
      const notice = req.query.signedOut === '1' ? { text: pc.t('identify.signedOut'), warning: false } : undefined;
      sendPage(res, 200, pc, identifyChoicePage(pc, { path: '/', next: '/', eidAvailable, notice }));
      return;
    }
    sendStep(res, 200, pc, session, 'rights', { values: withIdentity(EMPTY_FORM, session.identity), errors: {}, formToken: issueFormToken(secret) });
  });

  // The steps post here; someone who reloads such an address gets the form's start.
  router.get(['/request', '/request/details', '/request/rights'], (req, res) => res.redirect(303, withLang('/', pageLanguage(req.query))));

  // Step 1 done: the rights are checked, then step 2 asks only what they need.
  router.post('/request/details', async (req, res) => {
    const post = await formPost(req, res);
    if (!post) return;
    if (refusedRights(res, post)) return;
    sendStep(res, 200, post.pc, post.session, 'details', { values: askedOnly(post.values), errors: {}, formToken: post.formToken ?? issueFormToken(secret) });
  });

  // Step 2's back button: step 1 again, with everything typed carried along.
  router.post('/request/rights', async (req, res) => {
    const post = await formPost(req, res);
    if (!post) return;
    sendStep(res, 200, post.pc, post.session, 'rights', { values: post.values, errors: {}, formToken: post.formToken ?? issueFormToken(secret) });
  });

  router.post('/request', async (req, res) => {
    const post = await formPost(req, res);
    if (!post) return;
    if (refusedRights(res, post)) return;
    const { pc, session } = post;
    const token = post.formToken;
    const values = askedOnly(post.values);
    const { submission, errors } = checkForm(ctx.description, values, pc.language, pc.t);
    if (!submission || !token) {
      const formMessage = token ? undefined : pc.t('form.expired');
      // A refusal of the rights themselves (which checkRights should have caught) goes back to step 1.
      sendStep(res, 400, pc, session, errors?.rights ? 'rights' : 'details', { values, errors: errors ?? {}, formMessage, formToken: token ?? issueFormToken(secret) });
      return;
    }
    // Each new submission sends an acknowledgement to its address: one address gets only so many.
    // The count runs beside intake's transaction, which commits only once the count admits it.
    const counting = submission.subject.email ? ctx.limits.submission(submission.subject.email) : Promise.resolve(null);
    counting.catch(() => undefined);
    let result;
    let counted;
    try {
      result = await ctx.intake.submit(
        {
          ...submission,
          channel: 'e_form',
          receivedAt: new Date(),
          // GDPR 12(6): strong e-ID verifies the person, so the workflow skips identity verification;
          // an e-mail code shows only the address, so a handler verifies.
          identityMethod: session.identity.method === 'strong_eid' ? 'strong_eid' : null,
          // One token per rendered form: a double click or a refresh replays the first submit.
          idempotencyKey: token,
          enteredBy: 'subject',
        },
        counting,
      );
      counted = await counting;
    } catch (error) {
      if (!(error instanceof LimitReachedError)) throw error;
      sendStep(res, 429, pc, session, 'details', { values, errors: {}, formMessage: limitMessage(res, pc, error), formToken: token });
      return;
    }
    if (result.replayed) await counted?.release();
    if (!result.replayed) for (const r of result.requests) ctx.metrics.submissions.inc({ right: r.right, channel: r.channel });
    if (!result.replayed && session.identity.method === 'email') {
      // The handler who verifies the identity sees that the answer's address was confirmed with a code.
      for (const r of result.requests) {
        await recordTransition(ctx.db, { requestId: r.id, businessKey: 'email-confirmed', type: 'email_confirmed', actor: 'subject', data: { method: 'one_time_code' } });
      }
    }
    const stored = await getRequestSubject(ctx.db, result.requests[0].id);
    if (result.replayed && !(stored && isOwnSubject(stored, session))) {
      // A replayed token of someone else's form: their confirmation (and access code) is theirs alone.
      restart(res, 403, pc, session);
      return;
    }
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

  router.get('/my-requests', async (req, res) => {
    const { pc, session } = await residentPage(ctx, req);
    if (!session) return res.redirect(303, hrefWithNext('/identify', '/my-requests', pc.language));
    const requests = await listOwnRequests(ctx.db, ownerOf(session.identity));
    sendPage(res, 200, pc, myRequestsPage(pc, session.identity, requests));
  });

  router.get('/my-requests/:reference', async (req, res) => {
    const { pc, session } = await residentPage(ctx, req);
    const reference = String(req.params.reference).toUpperCase();
    if (!session) return res.redirect(303, hrefWithNext('/identify', safeNext(`/my-requests/${reference}`), pc.language));
    // Someone else's reference gets the same answer as one that does not exist.
    const summary = REFERENCE.test(reference) ? await findOwnRequest(ctx.db, ownerOf(session.identity), reference) : null;
    const back = { href: withLang('/my-requests', pc.language), text: pc.t('mine.back') };
    if (!summary) {
      const extra = html`<p><a href="${back.href}">${back.text}</a></p>`;
      sendPage(res, 404, pc, messagePage(pc, { title: pc.t('mine.notFoundTitle'), text: pc.t('mine.notFoundText'), path: '/my-requests', extra }));
      return;
    }
    sendPage(res, 200, pc, statusResultPage(pc, summary, { path: `/my-requests/${summary.reference}`, task: 'mine', back }));
  });

  router.get('/status', async (req, res) => {
    const { pc } = await residentPage(ctx, req);
    // The acknowledgement e-mail links here with the reference filled in; only a reference's shape is taken.
    const given = typeof req.query.reference === 'string' ? req.query.reference.trim().toUpperCase() : '';
    const reference = /^DSR-\d{4}-[0-9A-Z]{6}$/.test(given) ? given : '';
    sendPage(res, 200, pc, statusFormPage(pc, { reference, errors: {} }));
  });

  router.post('/status', async (req, res) => {
    const { pc } = await residentPage(ctx, req);
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
    let summary;
    try {
      summary = await lookUp(ctx, reference, accessCode, clientOf(req));
    } catch (error) {
      if (!(error instanceof LimitReachedError)) throw error;
      // Locked: even the right code is refused until the window has passed.
      sendPage(res, 429, pc, statusFormPage(pc, { reference, errors: {}, notFound: limitMessage(res, pc, error) }));
      return;
    }
    if (!summary) {
      // One answer for an unknown reference and a wrong code: the page does not confirm references.
      sendPage(res, 404, pc, statusFormPage(pc, { reference, errors: {}, notFound: pc.t('status.notFound') }));
      return;
    }
    sendPage(res, 200, pc, statusResultPage(pc, summary));
  });

  router.get('/download/:token', async (req, res) => {
    const { pc } = await residentPage(ctx, req);
    const token = String(req.params.token);
    try {
      const link = await checkLink(ctx, token);
      sendPage(res, 200, pc, downloadFormPage(pc, { token, ...link }));
    } catch (error) {
      if (!sendDeadLink(res, pc, error, token)) throw error;
    }
  });

  router.post('/download/:token', async (req, res) => {
    const { pc } = await residentPage(ctx, req);
    const token = String(req.params.token);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const accessCode = typeof body.accessCode === 'string' ? body.accessCode.trim() : '';
    try {
      if (!accessCode) {
        // An empty code is not an attempt: it does not count towards the lock.
        const link = await checkLink(ctx, token);
        sendPage(res, 400, pc, downloadFormPage(pc, { token, ...link, error: pc.t('download.missingCode') }));
        return;
      }
      const doc = await fetchDocument(ctx, token, accessCode, clientOf(req));
      ctx.metrics.downloads.inc({ result: 'ok' });
      res.status(200).attachment(doc.filename).type(doc.mediaType).set('Cache-Control', 'no-store').send(doc.content);
    } catch (error) {
      if (accessCode) ctx.metrics.downloads.inc({ result: 'refused' });
      if (error instanceof LimitReachedError) {
        const link = await checkLink(ctx, token);
        sendPage(res, 429, pc, downloadFormPage(pc, { token, ...link, error: limitMessage(res, pc, error) }));
        return;
      }
      if (error instanceof ApiError && error.status === 403) {
        // The wrong code may have been the last allowed one: then the page says the link is locked.
        try {
          const link = await checkLink(ctx, token);
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
    const pc = pageContext(pageLanguage(req.query), null, ctx.description);
    if (isDatabaseUnavailable(error)) {
      res.setHeader('Retry-After', '5');
      return sendPage(res, 503, pc, messagePage(pc, { title: pc.t('bodyError.unavailableTitle'), text: pc.t('bodyError.unavailableText'), path: '/' }));
    }
    sendPage(res, 500, pc, messagePage(pc, { title: pc.t('failure.title'), text: pc.t('failure.text'), path: '/' }));
  });

  return router;
}

/** True when the stored subject is the identified resident: the same henkilötunnus, or the same address. */
function isOwnSubject(subject: { hetu: string | null; email: string | null }, session: ResidentSession): boolean {
  const owner = ownerOf(session.identity);
  return 'hetu' in owner ? subject.hetu === owner.hetu : subject.email?.toLowerCase() === owner.email.toLowerCase();
}

/** The request a reference names, if the access code is that submission's; throws LimitReachedError while locked. */
async function lookUp(ctx: ServiceContext, reference: string, accessCode: string, client: string) {
  const parsed = statusLookupSchema.safeParse({ reference, accessCode });
  if (!parsed.success) return null;
  try {
    return await requestByAccessCode(ctx, parsed.data.reference, parsed.data.accessCode, client);
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return null;
    throw error;
  }
}

/** Renders the page for an unknown, expired or locked link; false for any other error. */
function sendDeadLink(res: Response, pc: PageContext, error: unknown, token: string): boolean {
  if (!(error instanceof ApiError) || !isDeadLinkStatus(error.status)) return false;
  sendPage(res, error.status, pc, deadLinkPage(pc, error.status, token));
  return true;
}
