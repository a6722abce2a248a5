/**
 * Signing staff in and out. The sign-in page offers the organisation's identity provider when
 * `STAFF_OIDC_*` is configured (its routes are in oidc-routes.ts) and the development sign-in only in
 * embedded mode; with neither, the page says it is not in use.
 */
import { Router, type NextFunction, type Request, type Response } from 'express';
import type { ServiceContext } from '../../services/context';
import { devSignInSchema } from '../../services/schemas';
import { appendAudit } from '../../db/repositories/audit';
import { STAFF_ROLES, type StaffRole } from '../../domain/request';
import { pageLanguage } from '../i18n';
import { staffHref, staffMessagePage } from './frame';
import { staffOidcRoutes } from './oidc-routes';
import { sendStaffPage, staffContext, staffGuards } from './page-kit';
import { clearSessionCookie, csrfMatches, csrfToken, preSession, readCookies, readSession, setSessionCookie, PRE_SESSION_COOKIE, SESSION_COOKIE } from './session';
import { signInPage, type SignInForm } from './sign-in-page';

export function staffSignInRoutes(ctx: ServiceContext): Router {
  const router = Router();
  const secret = ctx.config.linkSecret;
  const { anyStaff } = staffGuards(ctx);

  // The config refuses the dev sign-in outside embedded mode; checking the mode too costs nothing.
  const devSignIn = ctx.config.auth.devSignIn && ctx.config.mode === 'embedded';
  const oidc = ctx.config.oidc.staff !== null;
  const page = (dev: SignInForm | null, notice?: string) => ({ oidc, dev, notice });

  const disabled = (req: Request, res: Response) => {
    const pc = staffContext(req, res);
    sendStaffPage(res, 404, pc.language, staffMessagePage(pc, { title: pc.t('signIn.disabledTitle'), text: pc.t('signIn.disabledText') }));
  };
  const devOnly = (req: Request, res: Response, next: NextFunction) => (devSignIn ? next() : disabled(req, res));

  router.use(staffOidcRoutes(ctx));

  router.get('/staff/sign-in', async (req, res) => {
    if (!devSignIn && !oidc) return disabled(req, res);
    const pc = { ...staffContext(req, res), session: await readSession(ctx, req) };
    const notice = req.query.signedOut === '1' ? pc.t('signIn.signedOut') : req.query.expired === '1' ? pc.t('oidc.sessionEnded') : undefined;
    const dev = devSignIn ? { user: '', role: 'handler' as const, csrf: csrfToken(secret, preSession(ctx, req, res)) } : null;
    sendStaffPage(res, 200, pc.language, signInPage(pc, page(dev, notice)));
  });

  router.post('/staff/sign-in', devOnly, async (req, res) => {
    const pc = staffContext(req, res);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const user = typeof body.user === 'string' ? body.user.trim() : '';
    const role = (STAFF_ROLES as readonly string[]).includes(String(body.role)) ? (body.role as StaffRole) : 'handler';
    const csrfValid = csrfMatches(ctx.config.auth.tokenRing, readCookies(req)[PRE_SESSION_COOKIE], body.csrf);
    const csrf = csrfToken(secret, preSession(ctx, req, res));
    if (!csrfValid) {
      sendStaffPage(res, 403, pc.language, signInPage(pc, page({ user, role, csrf, formError: pc.t('signIn.expired') })));
      return;
    }
    const parsed = devSignInSchema.safeParse({ user, roles: [role] });
    if (!parsed.success) {
      sendStaffPage(res, 400, pc.language, signInPage(pc, page({ user, role, csrf, userError: pc.t('signIn.userError') })));
      return;
    }
    const issued = await ctx.tokens.issue({ id: parsed.data.user, roles: parsed.data.roles });
    await ctx.db.transaction().execute((trx) => appendAudit(trx, { actor: parsed.data.user, action: 'staff_signed_in', requestId: null, details: { method: 'dev' } }));
    setSessionCookie(ctx, res, issued.token, issued.expiresAt);
    res.redirect(303, staffHref('/staff', pc.language));
  });

  router.post('/staff/sign-out', anyStaff, async (req, res) => {
    // Revoked server-side, not only forgotten by this browser: a copied token stops working too.
    await ctx.tokens.revoke(readCookies(req)[SESSION_COOKIE] ?? '');
    await ctx.db.transaction().execute((trx) => appendAudit(trx, { actor: req.staff!.id, action: 'staff_signed_out', requestId: null, details: {} }));
    clearSessionCookie(ctx, res);
    const q = new URLSearchParams({ signedOut: '1' });
    res.redirect(303, staffHref('/staff/sign-in', pageLanguage(req.query), q));
  });

  return router;
}
