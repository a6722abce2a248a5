/**
 * Signing staff in and out. The development sign-in lives here only in embedded mode; elsewhere the
 * organisation's identity provider signs staff in.
 */
import { Router, type NextFunction, type Request, type Response } from 'express';
import type { ApiContext } from '../../api/context';
import { devSignInSchema } from '../../api/schemas';
import { STAFF_ROLES, type StaffRole } from '../../domain/request';
import { pageLanguage } from '../i18n';
import { staffHref, staffMessagePage } from './frame';
import { sendStaffPage, staffContext, staffGuards } from './page-kit';
import { clearSessionCookie, csrfMatches, csrfToken, preSession, readCookies, readSession, setSessionCookie, PRE_SESSION_COOKIE } from './session';
import { signInPage } from './sign-in-page';

export function staffSignInRoutes(ctx: ApiContext): Router {
  const router = Router();
  const secret = ctx.config.linkSecret;
  const { anyStaff } = staffGuards(ctx);

  const devOnly = (req: Request, res: Response, next: NextFunction) => {
    if (ctx.config.auth.devSignIn) return next();
    const pc = staffContext(req, res);
    sendStaffPage(res, 404, pc.language, staffMessagePage(pc, { title: pc.t('signIn.disabledTitle'), text: pc.t('signIn.disabledText') }));
  };

  router.get('/staff/sign-in', devOnly, async (req, res) => {
    const pc = { ...staffContext(req, res), session: await readSession(ctx, req) };
    const notice = req.query.signedOut === '1' ? pc.t('signIn.signedOut') : undefined;
    const csrf = csrfToken(secret, preSession(ctx, req, res));
    sendStaffPage(res, 200, pc.language, signInPage(pc, { user: '', role: 'handler', csrf, notice }));
  });

  router.post('/staff/sign-in', devOnly, async (req, res) => {
    const pc = staffContext(req, res);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const user = typeof body.user === 'string' ? body.user.trim() : '';
    const role = (STAFF_ROLES as readonly string[]).includes(String(body.role)) ? (body.role as StaffRole) : 'handler';
    const csrfValid = csrfMatches(secret, readCookies(req)[PRE_SESSION_COOKIE], body.csrf);
    const csrf = csrfToken(secret, preSession(ctx, req, res));
    if (!csrfValid) {
      sendStaffPage(res, 403, pc.language, signInPage(pc, { user, role, csrf, formError: pc.t('signIn.expired') }));
      return;
    }
    const parsed = devSignInSchema.safeParse({ user, roles: [role] });
    if (!parsed.success) {
      sendStaffPage(res, 400, pc.language, signInPage(pc, { user, role, csrf, userError: pc.t('signIn.userError') }));
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

  return router;
}
