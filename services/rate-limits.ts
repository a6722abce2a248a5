/**
 * Limits on guessing and flooding, shared by every API process through PostgreSQL
 * (rate-limiter-flexible's RateLimiterPostgres over dsr.rate_limits):
 * - wrong access codes (status, withdraw, download) per reference and per client address, in a
 *   window; and per download link for good (the link locks);
 * - submissions per e-mail address (each one sends an acknowledgement there);
 * - one-time codes per e-mail address and asks per browser (resident identification).
 *
 * A try is reserved before the code is compared: the upsert that counts it is atomic, so parallel
 * guesses cannot get more tries than the limit; a right code gives its try back. Keys are HMACs
 * under the server secret, so the table holds no address, reference or e-mail in the clear.
 */
import { createHmac } from 'node:crypto';
import type { Pool } from 'pg';
import { RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';
import { ApiError } from './errors';

/** One browser may ask for this many one-time codes (for any addresses) in the window, so it cannot mail address after address. */
export const RESIDENT_CODE_ASKS_PER_BROWSER = 6;
/** The window of the one-time code limits. */
export const RESIDENT_CODE_WINDOW_MINUTES = 15;

/** What a limit counts, named in the refusal (and in the pages' messages). */
export type LimitName = 'reference' | 'client' | 'link' | 'address' | 'codes' | 'browser';

export interface LimitSettings {
  /** Wrong access codes per reference, and per client address, within `codeWindowMinutes`. */
  codeFailuresPerReference: number;
  codeFailuresPerClient: number;
  codeWindowMinutes: number;
  /** Wrong codes after which a download link locks for good (DOWNLOAD_MAX_FAILED_ATTEMPTS), and the links' lifetime in days. */
  linkMaxFailed: number;
  linkDays: number;
  /** New submissions per e-mail address within `submissionWindowMinutes`. */
  submissionsPerAddress: number;
  submissionWindowMinutes: number;
  /** One-time codes sent to one address, and asks from one browser, within `residentCodeWindowMinutes`. */
  residentCodesPerAddress: number;
  residentCodeAsksPerBrowser: number;
  residentCodeWindowMinutes: number;
  /** Wrong tries of one one-time code (RESIDENT_CODE_MAX_ATTEMPTS) within its life (RESIDENT_CODE_MINUTES). */
  residentCodeMaxAttempts: number;
  residentCodeMinutes: number;
}

/** A refusal by a limit: 429 with Retry-After, naming what is limited (a locked link keeps its 423). */
export class LimitReachedError extends ApiError {
  constructor(
    readonly limit: LimitName,
    readonly retryAfterSeconds: number,
    field: string,
    message: string,
  ) {
    super(429, 'too_many_attempts', `${field}: ${message}`, [{ field, message }]);
  }
}

const MESSAGES: Record<LimitName, { field: string; message: string }> = {
  reference: { field: 'reference', message: 'too many wrong access codes for this request; it is locked for a while' },
  client: { field: 'client', message: 'too many wrong access codes from this address; try again later' },
  link: { field: 'token', message: 'this link is locked after too many wrong access codes' },
  address: { field: 'subject.email', message: 'too many requests have been sent to this e-mail address; try again later' },
  codes: { field: 'email', message: 'too many codes have been sent to this e-mail address; try again later' },
  browser: { field: 'email', message: 'too many codes were asked for from this browser; try again later' },
};

/** One reserved try: give it back when the code was right (or nothing was done). */
export interface Reservation {
  release(): Promise<void>;
}

export function createLimits(pool: Pool, secret: string, s: LimitSettings) {
  // All limiters share one table; one of them sweeps its expired rows (every five minutes, unref'd).
  let sweeps = true;
  const limiter = (keyPrefix: string, points: number, minutes: number) => {
    const clearExpiredByTimeout = sweeps;
    sweeps = false;
    return new RateLimiterPostgres({ storeClient: pool, storeType: 'pool', schemaName: 'dsr', tableName: 'rate_limits', tableCreated: true, clearExpiredByTimeout, keyPrefix, points, duration: minutes * 60 });
  };
  const limiters: Record<LimitName, RateLimiterPostgres> = {
    reference: limiter('code-ref', s.codeFailuresPerReference, s.codeWindowMinutes),
    client: limiter('code-client', s.codeFailuresPerClient, s.codeWindowMinutes),
    // Counted for the link's whole life: a locked link stays locked until it has expired anyway.
    link: limiter('code-link', s.linkMaxFailed, s.linkDays * 24 * 60),
    address: limiter('submit-address', s.submissionsPerAddress, s.submissionWindowMinutes),
    codes: limiter('code-address', s.residentCodesPerAddress, s.residentCodeWindowMinutes),
    browser: limiter('code-browser', s.residentCodeAsksPerBrowser, s.residentCodeWindowMinutes),
  };
  const codeTries = limiter('code-try', s.residentCodeMaxAttempts, s.residentCodeMinutes);
  const keyOf = (value: string) => createHmac('sha256', secret).update(`rate-limit:${value}`).digest('base64url');

  /**
   * Counts one try against every key at once; throws LimitReachedError naming the first limit
   * used up. A refused try is not made, so the other keys get their point back (a client's lock
   * must not use up a reference's tries).
   */
  async function reserve(keys: Partial<Record<LimitName, string>>): Promise<Reservation> {
    const entries = (Object.entries(keys) as [LimitName, string | undefined][]).filter((e): e is [LimitName, string] => e[1] !== undefined).map(([name, value]) => ({ name, key: keyOf(value) }));
    const results = await Promise.allSettled(entries.map((e) => limiters[e.name].consume(e.key)));
    const consumed = entries.filter((_, i) => results[i].status === 'fulfilled');
    const release = async () => {
      await Promise.all(consumed.map((e) => limiters[e.name].reward(e.key, 1)));
    };
    const refusal = results.findIndex((r) => r.status === 'rejected');
    if (refusal >= 0) await release();
    for (const [i, r] of results.entries()) {
      if (r.status === 'fulfilled') continue;
      if (!(r.reason instanceof RateLimiterRes)) throw r.reason;
      const name = entries[i].name;
      throw new LimitReachedError(name, Math.max(1, Math.ceil(r.reason.msBeforeNext / 1000)), MESSAGES[name].field, MESSAGES[name].message);
    }
    return { release };
  }

  return {
    /** Reserves an access-code try for a reference (upper-cased), a client address and, for downloads, a link. */
    codeTry(t: { reference: string; client: string; linkId?: string }): Promise<Reservation> {
      return reserve({ link: t.linkId, reference: t.reference.toUpperCase(), client: t.client });
    },
    /** True when the link has had its wrong codes and is locked for good. */
    async linkLocked(linkId: string): Promise<boolean> {
      const res = await limiters.link.get(keyOf(linkId));
      return res !== null && res.consumedPoints >= s.linkMaxFailed;
    },
    /** Counts a new submission to an e-mail address (any letter case); release it for a replay. */
    submission(email: string): Promise<Reservation> {
      return reserve({ address: email.trim().toLowerCase() });
    },
    /**
     * Counts an ask for a one-time code from a browser and a code to its address (any letter
     * case); throws naming the limit used up. Release it when the code could not be sent.
     */
    codeAsk(browserHash: string, email: string): Promise<Reservation> {
      return reserve({ browser: browserHash, codes: email.trim().toLowerCase() });
    },
    /**
     * Reserves a try of each one-time code (by id) before the typed code is compared with them:
     * for each, whether a try was left and how many are left after this one.
     */
    async codeTries(ids: string[]): Promise<{ id: string; reserved: boolean; remaining: number }[]> {
      return Promise.all(
        ids.map((id) =>
          codeTries.consume(keyOf(`code-try:${id}`)).then(
            (r) => ({ id, reserved: true, remaining: r.remainingPoints }),
            (error: unknown) => {
              if (!(error instanceof RateLimiterRes)) throw error;
              return { id, reserved: false, remaining: 0 };
            },
          ),
        ),
      );
    },
    settings: s,
  };
}

export type Limits = ReturnType<typeof createLimits>;
