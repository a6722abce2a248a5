/**
 * Staff sign-in through the organisation's OpenID provider (`STAFF_OIDC_*`): `/staff/oidc/start`
 * sends the browser to the provider, `/staff/oidc/callback` takes it back, reads the roles from the
 * configured claim and opens the same session the rest of the staff pages use. Someone the provider
 * knows but who has no role here is told so and not signed in.
 */
import { Router, type Request, type Response } from 'express';
import type { ServiceContext } from '../../services/context';
import { createOidcRelyingParty, OidcSignInError, type OidcRelyingParty } from '../oidc';
import type { StaffOidcConfig } from '../../config/settings';
import { appendAudit } from '../../db/repositories/audit';
import { STAFF_ROLES, type Language, type StaffRole } from '../../domain/request';
import { pageLanguage } from '../i18n';
import { staffHref, staffMessagePage, type StaffPageContext } from './frame';
import { staffText } from './i18n';
import { sendStaffPage, staffContext } from './page-kit';
import { setSessionCookie } from './session';
import { noRolePage, oidcFailurePage, signedInPage } from './sign-in-page';

const CALLBACK_PATH = '/staff/oidc/callback';

/** HTTP status of each failure page: the person's browser or choice, or the provider's trouble. */
const FAILURE_STATUS = { expired: 400, state_mismatch: 400, denied: 403, provider_error: 502, invalid_response: 502, unavailable: 503 } as const;

export function staffOidcRoutes(ctx: ServiceContext): Router {
  const router = Router();
  const config = ctx.config.oidc.staff;
  const rp: OidcRelyingParty | null = config
    ? createOidcRelyingParty({
        config,
        redirectUri: `${ctx.config.http.publicBaseUrl}${CALLBACK_PATH}`,
        cookieName: 'dsr_staff_oidc',
        cookiePath: CALLBACK_PATH,
        secret: ctx.config.linkSecret,
      })
    : null;

  const failed = (req: Request, res: Response, err: OidcSignInError) => {
    ctx.logger.warn({ event: 'staff_oidc_failed', failure: err.failure, reason: err.message }, 'staff sign-in through the identity provider failed');
    const pc = pageFor(err.language ?? pageLanguage(req.query), '/staff/sign-in');
    sendStaffPage(res, FAILURE_STATUS[err.failure], pc.language, oidcFailurePage(pc, err.failure));
  };

  router.get('/staff/oidc/start', async (req, res) => {
    if (!rp) return notConfigured(req, res);
    try {
      res.redirect(303, await rp.begin(req, res, { returnTo: '/staff', language: pageLanguage(req.query) }));
    } catch (err) {
      if (!(err instanceof OidcSignInError)) throw err;
      failed(req, res, err);
    }
  });

  router.get(CALLBACK_PATH, async (req, res) => {
    if (!rp || !config) return notConfigured(req, res);
    let result;
    try {
      result = await rp.complete(req, res);
    } catch (err) {
      if (!(err instanceof OidcSignInError)) throw err;
      return failed(req, res, err);
    }
    const roles = staffRolesFrom(result.claims, config);
    const id = staffUserIdFrom(result.claims);
    if (!id) return failed(req, res, new OidcSignInError('invalid_response', 'the ID token has neither a usable preferred_username nor sub', result.language));
    if (roles.length === 0) {
      ctx.logger.info({ event: 'staff_oidc_no_role' }, 'staff sign-in refused: the account has no role in this service');
      const pc = pageFor(result.language, '/staff/sign-in');
      return sendStaffPage(res, 403, pc.language, noRolePage(pc));
    }
    const issued = await ctx.tokens.issue({ id, roles });
    await ctx.db.transaction().execute((trx) => appendAudit(trx, { actor: id, action: 'staff_signed_in', requestId: null, details: { method: 'oidc' } }));
    setSessionCookie(ctx, res, issued.token, issued.expiresAt);
    const landing = landingPath(roles);
    const next = staffHref(landing, result.language);
    res.set('Refresh', `0; url=${next}`);
    sendStaffPage(res, 200, result.language, signedInPage(pageFor(result.language, landing), next));
  });

  return router;
}

/** Auditors who are nothing else start at the auditor's pages; everyone else at the console. */
function landingPath(roles: StaffRole[]): string {
  return roles.every((r) => r === 'auditor') ? '/staff/audit' : '/staff';
}

/**
 * A page context in the sign-in's own language (the callback URL carries none) whose language links
 * go to `path`, not back to the callback with its used-up code.
 */
function pageFor(language: Language, path: string): StaffPageContext {
  return { language, t: staffText(language), path, query: new URLSearchParams(), session: null };
}

function notConfigured(req: Request, res: Response): void {
  const pc = staffContext(req, res);
  sendStaffPage(res, 404, pc.language, staffMessagePage(pc, { title: pc.t('signIn.disabledTitle'), text: pc.t('signIn.disabledText') }));
}

/**
 * The roles a provider's claims give: the `rolesClaim` value (one string or an array; a dotted name
 * such as `realm_access.roles` reaches into an object when no claim has that exact name), mapped
 * through `roleMap` when it has entries, else taken as role names. Unknown values give nothing.
 */
export function staffRolesFrom(claims: Record<string, unknown>, config: Pick<StaffOidcConfig, 'rolesClaim' | 'roleMap'>): StaffRole[] {
  let value: unknown = claims[config.rolesClaim];
  if (value === undefined && config.rolesClaim.includes('.')) {
    value = config.rolesClaim.split('.').reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), claims);
  }
  const values = (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string');
  const mapped = Object.keys(config.roleMap).length > 0 ? values.map((v) => (Object.hasOwn(config.roleMap, v) ? config.roleMap[v] : undefined)) : values;
  const roles = mapped.filter((r): r is StaffRole => (STAFF_ROLES as readonly unknown[]).includes(r));
  return STAFF_ROLES.filter((r) => roles.includes(r));
}

/** Names the pages give their own meaning (the service, the data subject): never a staff id. */
const RESERVED_IDS = new Set(['system', 'engine', 'subject']);

/**
 * The staff user id: `preferred_username` in lower case when it is already a valid id (a–z 0–9
 * `. _ - @`, 2–80 characters), else `sub` under the same rule. Nothing is rewritten, so two
 * accounts can never fold into one id; an account with neither gets no id (and no sign-in).
 */
export function staffUserIdFrom(claims: Record<string, unknown>): string | null {
  for (const name of ['preferred_username', 'sub']) {
    const raw = claims[name];
    if (typeof raw !== 'string') continue;
    const id = raw.trim().toLowerCase();
    if (/^[a-z0-9._@-]{2,80}$/.test(id) && !RESERVED_IDS.has(id)) return id;
  }
  return null;
}
