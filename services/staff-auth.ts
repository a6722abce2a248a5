/**
 * Staff authentication: signed, expiring bearer tokens carrying the user id and roles. In embedded
 * mode a documented dev sign-in issues them; production puts an OpenID Connect sign-in in front.
 */
import type { NextFunction, Request, Response } from 'express';
import { SignJWT, jwtVerify } from 'jose';
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

export function createTokenService(secret: string, minutes: number) {
  const key = new TextEncoder().encode(secret);
  return {
    async issue(user: StaffUser): Promise<{ token: string; expiresAt: string }> {
      const expiresAt = new Date(Date.now() + minutes * 60_000);
      const token = await new SignJWT({ roles: user.roles })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(user.id)
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setIssuedAt()
        .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
        .sign(key);
      return { token, expiresAt: expiresAt.toISOString() };
    },
    async verify(token: string): Promise<StaffUser> {
      const { payload } = await jwtVerify(token, key, { issuer: ISSUER, audience: AUDIENCE });
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
