/**
 * The one-time code that confirms a resident's e-mail address: six random digits, sent by e-mail,
 * stored only as an HMAC under the server secret, valid for `codeMinutes`, dead after
 * `codeMaxAttempts` wrong tries, and usable once, in the browser that asked for it. An address gets
 * at most CODES_PER_WINDOW codes per THROTTLE_MINUTES; asks beyond that are recorded, not sent. One
 * browser may ask at most ASKS_PER_BROWSER times per THROTTLE_MINUTES (beyond that nothing is
 * recorded or sent), so one client cannot mail address after address. Limits per network address
 * belong to the reverse proxy in front.
 */
import { createHmac, randomInt, randomUUID, timingSafeEqual } from 'node:crypto';
import type { ServiceContext } from '../services/context';
import { countBrowserAsks, countCodesSent, countWrongAttempt, deleteOldCodes, deleteResidentCode, insertResidentCode, latestCodeAsk, unusedCodes, useCode } from '../db/repositories/resident-identity';
import type { Language } from '../domain/request';
import { pageText } from './i18n';

/** At most this many codes to one address in THROTTLE_MINUTES, so the form cannot flood a mailbox. */
export const CODES_PER_WINDOW = 3;
export const THROTTLE_MINUTES = 15;
/** At most this many asks (for any addresses) from one browser in THROTTLE_MINUTES. */
export const ASKS_PER_BROWSER = 6;
/** Codes are forgotten this long after they were asked for (and had expired). */
const KEEP_CODES_HOURS = 24;

export const CODE_SHAPE = /^\d{6}$/;

/** The code could not be sent (the SMTP server refused or was away); nothing was stored. */
export class CodeNotSentError extends Error {
  override name = 'CodeNotSentError';
}

function codeHash(secret: string, id: string, code: string): string {
  return createHmac('sha256', secret).update(`resident-code:${id}:${code}`).digest('hex');
}

function hashMatches(secret: string, id: string, code: string, stored: string): boolean {
  const a = Buffer.from(codeHash(secret, id, code));
  const b = Buffer.from(stored);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Records an ask for a code and sends the code, unless the address or the browser has had its
 * share: then `limited` says which limit held it back, so the page can say that no code is coming.
 */
export async function askForCode(ctx: ServiceContext, a: { browserHash: string; email: string; language: Language; now?: Date }): Promise<{ sent: boolean; limited?: 'address' | 'browser' }> {
  const now = a.now ?? new Date();
  await deleteOldCodes(ctx.db, new Date(now.getTime() - KEEP_CODES_HOURS * 3_600_000));
  const id = randomUUID();
  const expiresAt = new Date(now.getTime() + ctx.config.resident.codeMinutes * 60_000);
  const windowStart = new Date(now.getTime() - THROTTLE_MINUTES * 60_000);
  if ((await countBrowserAsks(ctx.db, a.browserHash, windowStart)) >= ASKS_PER_BROWSER) return { sent: false, limited: 'browser' };
  const sentRecently = await countCodesSent(ctx.db, a.email, windowStart);
  if (sentRecently >= CODES_PER_WINDOW) {
    await insertResidentCode(ctx.db, { id, browserHash: a.browserHash, email: a.email, codeHash: null, createdAt: now, expiresAt: now });
    return { sent: false, limited: 'address' };
  }
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  await insertResidentCode(ctx.db, { id, browserHash: a.browserHash, email: a.email, codeHash: codeHash(ctx.config.linkSecret, id, code), createdAt: now, expiresAt });
  try {
    await sendCode(ctx, a.email, code, a.language);
  } catch (error) {
    await deleteResidentCode(ctx.db, id);
    // The SMTP error may quote the address: only its name goes further.
    throw new CodeNotSentError(`the one-time code could not be sent: ${error instanceof Error ? error.name : 'error'}`);
  }
  return { sent: true };
}

/** Only the code and a plain explanation: no name, no request details (DESIGN.md non-negotiables). */
async function sendCode(ctx: ServiceContext, to: string, code: string, language: Language): Promise<void> {
  const t = pageText(language);
  const minutes = ctx.config.resident.codeMinutes;
  await ctx.mailer.sendMail({
    from: ctx.config.mail.from,
    to,
    subject: t('identify.mail.subject', { service: t('common.service') }),
    text: t('identify.mail.body', { code, minutes }),
    messageId: `<${randomUUID()}@${ctx.config.mail.messageIdDomain}>`,
    headers: { 'X-DSR-Kind': 'resident_code', 'Auto-Submitted': 'auto-generated' },
  });
}

/** The address the browser last asked a code for, if it has asked. */
export async function pendingAddress(ctx: ServiceContext, browserHash: string): Promise<string | null> {
  return (await latestCodeAsk(ctx.db, browserHash))?.email ?? null;
}

export type CodeCheck =
  | { kind: 'verified'; email: string }
  /** Wrong code; `remaining` more tries before the code dies. */
  | { kind: 'wrong'; remaining: number }
  /** Too many wrong tries: the code is dead, a new one must be asked for. */
  | { kind: 'locked' }
  /** The code's time is up (or it was replaced by a newer one, or never sent). */
  | { kind: 'expired' }
  /** This browser has not asked for a code. */
  | { kind: 'not_asked' };

/**
 * Checks a well-formed code against the codes this browser was sent for the address it asked last.
 * A wrong code counts against every live code it was tried on, so several codes give no extra tries.
 */
export async function checkCode(ctx: ServiceContext, c: { browserHash: string; code: string; now?: Date }): Promise<CodeCheck> {
  const now = c.now ?? new Date();
  const max = ctx.config.resident.codeMaxAttempts;
  const ask = await latestCodeAsk(ctx.db, c.browserHash);
  if (!ask) return { kind: 'not_asked' };
  const codes = await unusedCodes(ctx.db, c.browserHash, ask.email);
  const live = codes.filter((x) => x.expiresAt.getTime() > now.getTime() && x.attempts < max);
  if (live.length === 0) return codes[0] && codes[0].attempts >= max ? { kind: 'locked' } : { kind: 'expired' };
  const match = live.find((x) => hashMatches(ctx.config.linkSecret, x.id, c.code, x.codeHash!));
  if (match) {
    // Two tabs posting the same code at once: one signs in, the other hears the code is spent.
    const used = await useCode(ctx.db, { id: match.id, browserHash: c.browserHash, maxAttempts: max, now });
    return used ? { kind: 'verified', email: match.email } : { kind: 'expired' };
  }
  const attempts = await countWrongAttempt(ctx.db, live.map((x) => x.id));
  const remaining = Math.max(0, ...attempts.map((n) => max - n));
  return remaining === 0 ? { kind: 'locked' } : { kind: 'wrong', remaining };
}
