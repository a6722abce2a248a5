/** What every resident route does: find the page language and the identified resident, and send the page. */
import type { Request, Response } from 'express';
import type { ServiceContext } from '../services/context';
import type { LimitReachedError } from '../services/rate-limits';
import type { Language } from '../domain/request';
import { LANGUAGE_TAGS, pageLanguage } from './i18n';
import { pageContext, type PageContext } from './page';
import { readResidentSession, type ResidentSession } from './resident-session';

/** The page context of a request: its language, and the resident's session when there is one. */
export async function residentPage(ctx: ServiceContext, req: Request, language: Language = pageLanguage(req.query)): Promise<{ pc: PageContext; session: ResidentSession | null }> {
  const session = await readResidentSession(ctx, req);
  return { pc: pageContext(language, session && { identity: session.identity, csrf: session.csrf }, ctx.description), session };
}

/** Pages carry personal data or one-time codes: never cached, by the browser or anything between. */
export function sendPage(res: Response, status: number, pc: { language: Language }, body: string): void {
  res
    .status(status)
    .set({ 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store', 'Content-Language': LANGUAGE_TAGS[pc.language] })
    .send(body);
}

/**
 * The page's words for a limit's refusal, with Retry-After set on the response: what is limited
 * and when to come back, in the page's language.
 */
export function limitMessage(res: Response, pc: PageContext, error: LimitReachedError, key: 'reference' | 'client' | 'address' | 'codes' | 'browser' = limitKey(error)): string {
  res.set('Retry-After', String(error.retryAfterSeconds));
  return pc.t(`limits.${key}`, { minutes: Math.max(1, Math.ceil(error.retryAfterSeconds / 60)) });
}

function limitKey(error: LimitReachedError): 'reference' | 'client' | 'address' | 'codes' | 'browser' {
  return error.limit === 'link' ? 'reference' : error.limit;
}
