/**
 * A resident's request found by reference and access code (status, withdrawal). Each try is
 * counted per reference and per client address before the code is compared (services/rate-limits.ts),
 * so guessing locks the reference for a while, also for the right code, in every API process.
 */
import type { RequestSummary } from '../domain/request';
import { findRequestByCode } from './access-code';
import type { ServiceContext } from './context';
import { ApiError } from './errors';

/** The request, or 404 for an unknown reference and a wrong code alike; 429 (LimitReachedError) while locked. */
export async function requestByAccessCode(ctx: Pick<ServiceContext, 'db' | 'limits'>, reference: string, accessCode: string, client: string): Promise<RequestSummary> {
  const normalised = reference.trim().toUpperCase();
  const reservation = await ctx.limits.codeTry({ reference: normalised, client });
  const summary = await findRequestByCode(ctx.db, normalised, accessCode);
  if (!summary) {
    throw new ApiError(404, 'not_found', 'reference or accessCode: no request matches this reference and access code');
  }
  // The right code: its try is given back, so looking up one's own request never locks it.
  await reservation.release();
  return summary;
}

/** The client address a limit counts: the connection's, or the loopback proxy's X-Forwarded-For (express trust proxy). */
export function clientOf(req: { ip?: string }): string {
  return req.ip ?? 'unknown';
}
