/**
 * Identification routes: the choice, the e-mail code (address, then code), strong e-ID through the
 * OpenID provider, and signing out. Addresses and codes travel only in POST bodies; URLs carry the
 * language and a local return path. The forms' CSRF tokens are bound to the browser's pre-session.
 */
import { Router, type Request } from 'express';
import { z } from 'zod';
import type { ServiceContext } from '../services/context';
import { OidcSignInError } from './oidc';
import { ASKS_PER_BROWSER, askForCode, checkCode, CODE_SHAPE, CODES_PER_WINDOW, CodeNotSentError, pendingAddress, THROTTLE_MINUTES, type CodeCheck } from './identify-code';
import { identityFromClaims, problemOf, residentRelyingParty } from './identify-oidc';
import { codeFormPage, emailFormPage, hrefWithNext, identifyChoicePage, oidcProblemPage, safeNext, signOutAgainPage } from './identify-pages';
import { pageLanguage } from './i18n';
import { withLang } from './page';
import { residentPage, sendPage } from './resident-http';
import { checkedPreSession, endResidentSession, preSession, readResidentSession, sessionCsrfMatches, startResidentSession } from './resident-session';

const emailSchema = z.email().max(254);

function body(req: Request): Record<string, unknown> {
  return (req.body ?? {}) as Record<string, unknown>;
}

/** The return path of a GET (query) or a POST (hidden field). */
function nextOf(req: Request): string {
  return safeNext(req.method === 'POST' ? body(req).next : req.query.next);
}

/** The code page's message and status for a code that did not sign the resident in. */
const CODE_REFUSALS: Record<Exclude<CodeCheck['kind'], 'verified' | 'not_asked'>, { status: number; key: string }> = {
  wrong: { status: 403, key: 'identify.code.errors.wrong' },
  locked: { status: 423, key: 'identify.code.errors.locked' },
  expired: { status: 410, key: 'identify.code.errors.expired' },
};

export function identifyRoutes(ctx: ServiceContext): Router {
  const router = Router();
  const minutes = ctx.config.resident.codeMinutes;
  const relyingParty = residentRelyingParty(ctx);

  router.get('/identify', async (req, res) => {
    const { pc } = await residentPage(ctx, req);
    sendPage(res, 200, pc, identifyChoicePage(pc, { path: '/identify', next: nextOf(req), eidAvailable: relyingParty !== null }));
  });

  // --- e-mail code ------------------------------------------------------------------------------

  router.get('/identify/email', async (req, res) => {
    const { pc } = await residentPage(ctx, req);
    const { csrf } = preSession(ctx, req, res);
    sendPage(res, 200, pc, emailFormPage(pc, { email: '', csrf, next: nextOf(req) }, minutes));
  });

  router.post('/identify/email', async (req, res) => {
    const { pc } = await residentPage(ctx, req);
    const next = nextOf(req);
    const email = typeof body(req).email === 'string' ? (body(req).email as string).trim() : '';
    const checked = checkedPreSession(ctx, req, body(req).csrf);
    if (!checked) {
      const { csrf } = preSession(ctx, req, res);
      sendPage(res, 403, pc, emailFormPage(pc, { email, csrf, next, formMessage: pc.t('identify.emailForm.formExpired') }, minutes));
      return;
    }
    const error = email === '' ? 'required' : emailSchema.safeParse(email).success ? null : 'invalid';
    if (error) {
      sendPage(res, 400, pc, emailFormPage(pc, { email, csrf: checked.csrf, next, error: pc.t(`identify.emailForm.errors.${error}`) }, minutes));
      return;
    }
    try {
      const asked = await askForCode(ctx, { browserHash: checked.browserHash, email, language: pc.language });
      if (asked.limited) {
        // Held back by a limit: the resident must know that no code is coming, and when to try again.
        const formMessage = pc.t(`identify.emailForm.rateLimited.${asked.limited}`, { count: asked.limited === 'address' ? CODES_PER_WINDOW : ASKS_PER_BROWSER, minutes: THROTTLE_MINUTES });
        sendPage(res, 429, pc, emailFormPage(pc, { email, csrf: checked.csrf, next, formMessage }, minutes));
        return;
      }
    } catch (failure) {
      if (!(failure instanceof CodeNotSentError)) throw failure;
      ctx.logger.error({ err: failure.message }, 'one-time code not sent');
      sendPage(res, 503, pc, emailFormPage(pc, { email, csrf: checked.csrf, next, formMessage: pc.t('identify.emailForm.sendFailed') }, minutes));
      return;
    }
    res.redirect(303, hrefWithNext('/identify/email/code', next, pc.language));
  });

  router.get('/identify/email/code', async (req, res) => {
    const { pc } = await residentPage(ctx, req);
    const next = nextOf(req);
    const { csrf, browserHash } = preSession(ctx, req, res);
    const email = await pendingAddress(ctx, browserHash);
    if (!email) return res.redirect(303, hrefWithNext('/identify/email', next, pc.language));
    sendPage(res, 200, pc, codeFormPage(pc, { email, csrf, next }, minutes));
  });

  router.post('/identify/email/code', async (req, res) => {
    const { pc } = await residentPage(ctx, req);
    const next = nextOf(req);
    const checked = checkedPreSession(ctx, req, body(req).csrf);
    const browser = checked ?? preSession(ctx, req, res);
    const email = await pendingAddress(ctx, browser.browserHash);
    if (!email) return res.redirect(303, hrefWithNext('/identify/email', next, pc.language));
    const page = (status: number, o: { error?: string; formMessage?: string }) => sendPage(res, status, pc, codeFormPage(pc, { email, csrf: browser.csrf, next, ...o }, minutes));
    if (!checked) return page(403, { formMessage: pc.t('identify.code.formExpired') });
    // People copy codes with spaces or a dash in the middle; neither is part of the code.
    const code = typeof body(req).code === 'string' ? (body(req).code as string).replace(/[\s-]/g, '') : '';
    // An empty or malformed code is not an attempt: it does not count towards the lock.
    if (code === '') return page(400, { error: pc.t('identify.code.errors.required') });
    if (!CODE_SHAPE.test(code)) return page(400, { error: pc.t('identify.code.errors.format') });
    const result = await checkCode(ctx, { browserHash: checked.browserHash, code });
    if (result.kind === 'not_asked') return res.redirect(303, hrefWithNext('/identify/email', next, pc.language));
    if (result.kind === 'verified') {
      await startResidentSession(ctx, res, { method: 'email', email: result.email });
      return res.redirect(303, withLang(next, pc.language));
    }
    const refusal = CODE_REFUSALS[result.kind];
    page(refusal.status, { error: pc.t(refusal.key, result.kind === 'wrong' ? { count: result.remaining } : undefined) });
  });

  // --- strong electronic identification ---------------------------------------------------------

  router.get('/identify/oidc/start', async (req, res) => {
    const { pc } = await residentPage(ctx, req);
    const next = nextOf(req);
    if (!relyingParty) return sendPage(res, 404, pc, oidcProblemPage(pc, 'notInUse', next));
    try {
      res.redirect(303, await relyingParty.begin(req, res, { returnTo: next, language: pc.language }));
    } catch (failure) {
      if (!(failure instanceof OidcSignInError)) throw failure;
      ctx.logger.warn({ failure: failure.failure, err: failure.message }, 'resident strong identification could not start');
      const { problem, status } = problemOf(failure.failure);
      sendPage(res, status, pc, oidcProblemPage(pc, problem, next));
    }
  });

  router.get('/identify/oidc/callback', async (req, res) => {
    if (!relyingParty) {
      const { pc } = await residentPage(ctx, req);
      return sendPage(res, 404, pc, oidcProblemPage(pc, 'notInUse', '/'));
    }
    let signIn;
    try {
      signIn = await relyingParty.complete(req, res);
    } catch (failure) {
      if (!(failure instanceof OidcSignInError)) throw failure;
      ctx.logger.warn({ failure: failure.failure, err: failure.message }, 'resident strong identification failed');
      const { pc } = await residentPage(ctx, req, failure.language ?? pageLanguage(req.query));
      const { problem, status } = problemOf(failure.failure);
      return sendPage(res, status, pc, oidcProblemPage(pc, problem, '/'));
    }
    const next = safeNext(signIn.returnTo);
    const identity = identityFromClaims(signIn.claims, ctx.config.oidc.resident!);
    if (!identity) {
      // The claims themselves are personal data: only the fact is logged.
      ctx.logger.warn('resident strong identification gave no valid henkilötunnus and names');
      const { pc } = await residentPage(ctx, req, signIn.language);
      return sendPage(res, 400, pc, oidcProblemPage(pc, 'noHetu', next));
    }
    await startResidentSession(ctx, res, identity);
    res.redirect(303, withLang(next, signIn.language));
  });

  // --- signing out ------------------------------------------------------------------------------

  router.post('/sign-out', async (req, res) => {
    const language = pageLanguage(req.query);
    const session = await readResidentSession(ctx, req);
    if (session && !sessionCsrfMatches(ctx, req, body(req).csrf)) {
      const { pc } = await residentPage(ctx, req, language);
      return sendPage(res, 403, pc, signOutAgainPage(pc));
    }
    await endResidentSession(ctx, req, res);
    res.redirect(303, `/?lang=${language}&signedOut=1`);
  });

  return router;
}
