/**
 * Staff authentication: signed, expiring bearer tokens carrying the user id and roles. In embedded
 * mode a documented dev sign-in issues them; production puts an OpenID Connect sign-in in front.
 */
import type { NextFunction, Request, Response } from 'express';
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

/** Signs with the ring's current secret and names it (kid); verifies with the secret the kid names. */
export function createTokenService(secrets: KeyRing | string, minutes: number) {
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
  return {
    async issue(user: StaffUser): Promise<{ token: string; expiresAt: string }> {
      const expiresAt = new Date(Date.now() + minutes * 60_000);
      const token = await new SignJWT({ roles: user.roles })
        .setProtectedHeader({ alg: 'HS256', kid: ring.current.id })
        .setSubject(user.id)
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setIssuedAt()
        .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
        .sign(encode(ring.current.secret));
      return { token, expiresAt: expiresAt.toISOString() };
    },
    async verify(token: string): Promise<StaffUser> {
      const { payload } = await verifyWithRing(token);
      const roles = Array.isArray(payload.roles) ? payload.roles.filter((r): r is StaffRole => (STAFF_ROLES as readonly string[]).includes(r)) : [];
      if (!payload.sub) throw new Error('token has no subject');
      return { id: payload.sub, roles };
    },
  };
}

export type TokenService = ReturnType<typeof createTokenService>;

/** Requires a valid token with at least one of the roles. */
export function requireRole(tokens: TokenService, ...roles: StaffRole[]) {
  return async (req: Request, _res: Response, next: NextFunction): Promise<void> => {
    const header = req.get('authorization') ?? '';
    const match = /^Bearer (.+)$/.exec(header);
    if (!match) return next(new ApiError(401, 'unauthenticated', 'authorization: a Bearer token is required'));
    let user: StaffUser;
    try {
      user = await tokens.verify(match[1]);
    } catch {
      return next(new ApiError(401, 'unauthenticated', 'authorization: the token is invalid or has expired'));
    }
    if (!user.roles.some((r) => roles.includes(r) || r === 'admin')) {
      return next(new ApiError(403, 'forbidden', `requires one of the roles: ${roles.join(', ')}`));
    }
    req.staff = user;
    next();
  };
}
