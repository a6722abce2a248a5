/**
 * The staff console's session: the signed token of `ctx.tokens` in an HttpOnly, SameSite=Strict
 * cookie, and a CSRF token for every form. The CSRF token is a double submit bound to the session:
 * an HMAC of the session cookie (or, before sign-in, of a random pre-session cookie) under the
 * server secret, so a page on another site can neither read nor forge it.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { StaffUser } from '../../services/staff-auth';
import { secretsOf, type KeyRing } from '../../config/key-ring';
import type { ServiceContext } from '../../services/context';
import type { StaffRole } from '../../domain/request';

export const SESSION_COOKIE = 'dsr_staff';
export const PRE_SESSION_COOKIE = 'dsr_staff_pre';
const COOKIE_PATH = '/staff';

/** The cookies of a request, parsed from the header (values are URL-decoded). */
export function readCookies(req: Request): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (req.get('cookie') ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at < 0) continue;
    const name = part.slice(0, at).trim();
    try {
      out[name] = decodeURIComponent(part.slice(at + 1).trim());
    } catch {
      // A malformed value is as good as none.
    }
  }
  return out;
}

function cookieOptions(ctx: ServiceContext, expires?: Date) {
  return {
    httpOnly: true,
    sameSite: 'strict' as const,
    secure: ctx.config.http.publicBaseUrl.startsWith('https:'),
    path: COOKIE_PATH,
    ...(expires ? { expires } : {}),
  };
}

/**
 * How long the cookie outlives its token. The token's own expiry ends the session; the browser
 * keeping the dead token a while longer lets the next visit say the session ended, rather than
 * just showing the sign-in page as if nobody had been signed in.
 */
const COOKIE_OUTLIVES_TOKEN_MS = 12 * 60 * 60 * 1000;

/** Stores the signed token in the session cookie; the token's expiry (AUTH_SESSION_MINUTES) ends the session. */
export function setSessionCookie(ctx: ServiceContext, res: Response, token: string, expiresAt: string): void {
  res.cookie(SESSION_COOKIE, token, cookieOptions(ctx, new Date(Date.parse(expiresAt) + COOKIE_OUTLIVES_TOKEN_MS)));
  res.clearCookie(PRE_SESSION_COOKIE, cookieOptions(ctx));
}

export function clearSessionCookie(ctx: ServiceContext, res: Response): void {
  res.clearCookie(SESSION_COOKIE, cookieOptions(ctx));
}

/** The pre-session value the sign-in form's CSRF token is bound to; set when it is missing. */
export function preSession(ctx: ServiceContext, req: Request, res: Response): string {
  const existing = readCookies(req)[PRE_SESSION_COOKIE];
  if (existing && /^[A-Za-z0-9_-]{22}$/.test(existing)) return existing;
  const value = randomBytes(16).toString('base64url');
  res.cookie(PRE_SESSION_COOKIE, value, cookieOptions(ctx));
  return value;
}

/** The CSRF token for forms of a session (or pre-session) value. */
export function csrfToken(secret: string, binding: string): string {
  return createHmac('sha256', secret).update(`staff-csrf:${binding}`).digest('base64url');
}

/** True when the form's token is the one of this binding. */
export function csrfMatches(secrets: KeyRing | string, binding: string | undefined, given: unknown): boolean {
  if (!binding || typeof given !== 'string') return false;
  const actual = Buffer.from(given);
  // Any secret of the ring: a form rendered just before a rotation still posts.
  return secretsOf(secrets).some((secret) => {
    const expected = Buffer.from(csrfToken(secret, binding));
    return expected.length === actual.length && timingSafeEqual(expected, actual);
  });
}

/** A signed-in staff member and the CSRF token of their forms. */
export interface StaffSession {
  user: StaffUser;
  csrf: string;
}

declare module 'express-serve-static-core' {
  interface Locals {
    staffSession?: StaffSession;
  }
}

/** The session of the request's cookie, or null when there is none or it is invalid or expired. */
export async function readSession(ctx: ServiceContext, req: Request): Promise<StaffSession | null> {
  const token = readCookies(req)[SESSION_COOKIE];
  if (!token) return null;
  try {
    const user = await ctx.tokens.verify(token);
    return { user, csrf: csrfToken(ctx.config.linkSecret, token) };
  } catch {
    return null;
  }
}

/**
 * Requires a signed-in staff member with one of the roles (admin always passes): unauthenticated
 * visitors go to the sign-in page, others get `onForbidden`. POSTs must carry the session's CSRF token.
 */
export function requireStaff(ctx: ServiceContext, roles: StaffRole[], onUnauthenticated: (req: Request, res: Response) => void, onForbidden: (req: Request, res: Response, reason: 'role' | 'csrf') => void) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const session = await readSession(ctx, req);
    if (!session) return onUnauthenticated(req, res);
    if (!session.user.roles.some((r) => r === 'admin' || roles.includes(r))) return onForbidden(req, res, 'role');
    if (req.method === 'POST') {
      const token = readCookies(req)[SESSION_COOKIE];
      if (!csrfMatches(ctx.config.auth.tokenRing, token, (req.body as Record<string, unknown> | undefined)?.csrf)) return onForbidden(req, res, 'csrf');
    }
    res.locals.staffSession = session;
    req.staff = session.user;
    next();
  };
}
