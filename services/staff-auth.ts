/**
 * Staff authentication: signed, expiring bearer tokens carrying the user id and roles, revoked
 * server-side by signing out. In embedded mode a documented dev sign-in issues them; production puts
 * an OpenID Connect sign-in in front.
 */
import type { NextFunction, Request, Response } from 'express';
import { randomUUID } from 'node:crypto';
import { SignJWT, decodeProtectedHeader, jwtVerify } from 'jose';
import { keyById, singleKeyRing, type KeyRing } from '../config/key-ring';
import { STAFF_ROLES, type StaffRole } from '../domain/request';
import { ApiError } from './errors';

export interface StaffUser {
  id: string;
  roles: StaffRole[];
}

declare module 'express-serve-static-core' {
  interface Request {
    staff?: StaffUser;
  }
}

const ISSUER = 'dsr-engine';
const AUDIENCE = 'dsr-staff';

/** Where revoked tokens are kept (by jti): every API process sees a sign-out at once. */
export interface TokenRevocations {
  revoke(t: { jti: string; staffId: string; expiresAt: Date }): Promise<void>;
  isRevoked(jti: string): Promise<boolean>;
}

/** The thrown error when a token was revoked by signing out. */
export class TokenRevokedError extends Error {
  override name = 'TokenRevokedError';
}

/**
 * Issues and checks staff tokens: signed with the ring's current secret and naming it (kid),
 * verified with the secret the kid names. Each token carries a random jti; with `revocations`, a
 * token whose jti was revoked (signed out) is refused on every request, in the pages and the JSON API.
 */
export function createTokenService(secrets: KeyRing | string, minutes: number, revocations?: TokenRevocations) {
  const ring = typeof secrets === 'string' ? singleKeyRing(secrets) : secrets;
  const encode = (secret: string) => new TextEncoder().encode(secret);
  /** The kid picks the secret; a token from before rings has none and may match any secret of the ring. */
  async function verifyWithRing(token: string) {
    const kid = decodeProtectedHeader(token).kid;
    const candidates = kid === undefined ? ring.keys : [keyById(ring, kid)].filter((k) => k !== undefined);
    if (candidates.length === 0) throw new Error('token signed with a secret no longer in the ring');
    let failure: unknown;
    for (const key of candidates) {
      try {
        return await jwtVerify(token, encode(key.secret), { issuer: ISSUER, audience: AUDIENCE });
      } catch (error) {
        failure = error;
      }
    }
    throw failure;
  }
  async function check(token: string) {
    const { payload } = await verifyWithRing(token);
    if (!payload.sub) throw new Error('token has no subject');
    if (revocations) {
      if (!payload.jti) throw new Error('token has no id');
      if (await revocations.isRevoked(payload.jti)) throw new TokenRevokedError('the token was revoked by signing out');
    }
    return payload;
  }
  return {
    async issue(user: StaffUser): Promise<{ token: string; expiresAt: string }> {
      const expiresAt = new Date(Date.now() + minutes * 60_000);
      const token = await new SignJWT({ roles: user.roles })
        .setProtectedHeader({ alg: 'HS256', kid: ring.current.id })
        .setSubject(user.id)
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setJti(randomUUID())
        .setIssuedAt()
        .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
        .sign(encode(ring.current.secret));
      return { token, expiresAt: expiresAt.toISOString() };
    },
    async verify(token: string): Promise<StaffUser> {
      const payload = await check(token);
      const roles = Array.isArray(payload.roles) ? payload.roles.filter((r): r is StaffRole => (STAFF_ROLES as readonly string[]).includes(r)) : [];
      return { id: payload.sub!, roles };
    },
    /** Signs out: the token stops working at once everywhere. An invalid or expired token needs nothing. */
    async revoke(token: string): Promise<void> {
      const payload = await check(token).catch(() => null);
      if (!payload?.jti || !revocations) return;
      await revocations.revoke({ jti: payload.jti, staffId: payload.sub!, expiresAt: new Date((payload.exp ?? 0) * 1000) });
    },
  };
}

export type TokenService = ReturnType<typeof createTokenService>;

/** The bearer token of a request, or null. */
export function bearerToken(req: Request): string | null {
  return /^Bearer (.+)$/.exec(req.get('authorization') ?? '')?.[1] ?? null;
}

/** Requires a valid token with at least one of the roles. */
export function requireRole(tokens: TokenService, ...roles: StaffRole[]) {
  return async (req: Request, _res: Response, next: NextFunction): Promise<void> => {
    const token = bearerToken(req);
    if (!token) return next(new ApiError(401, 'unauthenticated', 'authorization: a Bearer token is required'));
    let user: StaffUser;
    try {
      user = await tokens.verify(token);
    } catch (error) {
      if (error instanceof TokenRevokedError) return next(new ApiError(401, 'unauthenticated', 'authorization: the token was revoked by signing out'));
      return next(new ApiError(401, 'unauthenticated', 'authorization: the token is invalid or has expired'));
    }
    if (!user.roles.some((r) => roles.includes(r) || r === 'admin')) {
      return next(new ApiError(403, 'forbidden', `requires one of the roles: ${roles.join(', ')}`));
    }
    req.staff = user;
    next();
  };
}
