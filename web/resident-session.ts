/**
 * The resident's session: a random token in the HttpOnly cookie `dsr_resident`, and a row in
 * dsr.resident_sessions under the token's SHA-256 holding the verified identity, so a copy of the
 * table opens no session. Before identification a random pre-session cookie binds the forms' CSRF
 * tokens and the one-time codes to the browser that asked for them.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { CookieOptions, Request, Response } from 'express';
import type { ServiceContext } from '../services/context';
import { secretsOf } from '../config/key-ring';
import { deleteExpiredResidentSessions, deleteResidentSession, findResidentSession, insertResidentSession } from '../db/repositories/resident-identity';
import type { ResidentIdentity } from '../domain/resident-identity';
import { readCookies } from './staff/session';

export type { ResidentIdentity } from '../domain/resident-identity';

export const RESIDENT_COOKIE = 'dsr_resident';
export const RESIDENT_PRE_COOKIE = 'dsr_resident_pre';

const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;
const PRE_SHAPE = /^[A-Za-z0-9_-]{22}$/;

/** An identified resident and the CSRF token of their forms. */
export interface ResidentSession {
  identity: ResidentIdentity;
  expiresAt: Date;
  csrf: string;
}

/** SameSite=Lax: the session survives the top-level redirect back from the identity provider. */
function cookieOptions(ctx: ServiceContext, expires?: Date): CookieOptions {
  return {
    httpOnly: true,
    sameSite: 'lax',
    secure: ctx.config.http.publicBaseUrl.startsWith('https:'),
    path: '/',
    ...(expires ? { expires } : {}),
  };
}

function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

function csrfFor(secret: string, kind: 'session' | 'pre', binding: string): string {
  return createHmac('sha256', secret).update(`resident-csrf:${kind}:${binding}`).digest('base64url');
}

function sameToken(expected: string, given: unknown): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Starts a session for a verified identity, replacing any session the browser had (a fresh token
 * every time, so a token planted before identification never becomes a session).
 */
export async function startResidentSession(ctx: ServiceContext, res: Response, identity: ResidentIdentity): Promise<ResidentSession> {
  const now = new Date();
  const previous = readCookies(res.req)[RESIDENT_COOKIE];
  if (previous && TOKEN_SHAPE.test(previous)) await deleteResidentSession(ctx.db, sha256(previous));
  await deleteExpiredResidentSessions(ctx.db, now);
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + ctx.config.resident.sessionMinutes * 60_000);
  await insertResidentSession(ctx.db, { id: sha256(token), identity, expiresAt });
  res.cookie(RESIDENT_COOKIE, token, cookieOptions(ctx, expiresAt));
  return { identity, expiresAt, csrf: csrfFor(ctx.config.linkSecret, 'session', token) };
}

/** The session of the request's cookie; null without one, or when it has expired or been ended. */
export async function readResidentSession(ctx: ServiceContext, req: Request): Promise<ResidentSession | null> {
  const token = readCookies(req)[RESIDENT_COOKIE];
  if (!token || !TOKEN_SHAPE.test(token)) return null;
  const found = await findResidentSession(ctx.db, sha256(token), new Date());
  return found ? { ...found, csrf: csrfFor(ctx.config.linkSecret, 'session', token) } : null;
}

/** Ends the session: its row is deleted, so the cookie opens nothing even if it was copied. */
export async function endResidentSession(ctx: ServiceContext, req: Request, res: Response): Promise<void> {
  const token = readCookies(req)[RESIDENT_COOKIE];
  if (token && TOKEN_SHAPE.test(token)) await deleteResidentSession(ctx.db, sha256(token));
  res.clearCookie(RESIDENT_COOKIE, cookieOptions(ctx));
}

/** True when a form posted within a session carries that session's CSRF token. */
export function sessionCsrfMatches(ctx: ServiceContext, req: Request, given: unknown): boolean {
  const token = readCookies(req)[RESIDENT_COOKIE];
  return Boolean(token && TOKEN_SHAPE.test(token)) && secretsOf(ctx.config.auth.tokenRing).some((s) => sameToken(csrfFor(s, 'session', token!), given));
}

/** The browser before identification: its pre-session value, set when missing, and what it binds. */
export interface PreSession {
  /** The CSRF token of the identification forms. */
  csrf: string;
  /** The hash the browser's one-time codes are stored under. */
  browserHash: string;
}

export function preSession(ctx: ServiceContext, req: Request, res: Response): PreSession {
  let value = readCookies(req)[RESIDENT_PRE_COOKIE];
  if (!value || !PRE_SHAPE.test(value)) {
    value = randomBytes(16).toString('base64url');
    res.cookie(RESIDENT_PRE_COOKIE, value, cookieOptions(ctx));
  }
  return { csrf: csrfFor(ctx.config.linkSecret, 'pre', value), browserHash: sha256(value) };
}

/** The pre-session of a posted identification form, if the form's CSRF token is the browser's own. */
export function checkedPreSession(ctx: ServiceContext, req: Request, given: unknown): PreSession | null {
  const value = readCookies(req)[RESIDENT_PRE_COOKIE];
  if (!value || !PRE_SHAPE.test(value)) return null;
  const csrf = csrfFor(ctx.config.linkSecret, 'pre', value);
  const signed = secretsOf(ctx.config.auth.tokenRing).some((s) => sameToken(csrfFor(s, 'pre', value), given));
  return signed ? { csrf, browserHash: sha256(value) } : null;
}
