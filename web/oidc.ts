/**
 * An OpenID Connect relying party for the staff sign-in and the residents' strong identification:
 * the authorization code flow with PKCE (S256), `state` and `nonce`, over openid-client 5.
 *
 * No server state: the transaction (state, nonce, PKCE verifier, where to return, page language)
 * travels in a short-lived cookie, encrypted (JWE dir/A256GCM) under a key derived from the server
 * secret and the cookie's name, HttpOnly, SameSite=Lax (the provider's redirect back is a cross-site
 * top-level GET) and scoped to the callback path. One sign-in at a time per browser and cookie name:
 * a second one started in another tab replaces the first, whose callback then fails as expired.
 *
 * Usage (one relying party per client, built once at start-up; discovery happens on first use):
 *   const rp = createOidcRelyingParty({ config, redirectUri: `${base}/x/oidc/callback`,
 *     cookieName: 'dsr_x_oidc', cookiePath: '/x/oidc/callback', secret });
 *   // GET /x/oidc/start:    res.redirect(303, await rp.begin(req, res, { returnTo: '/x', language }))
 *   // GET /x/oidc/callback: const { claims, returnTo, language } = await rp.complete(req, res)
 * Both throw OidcSignInError (and nothing else) when the sign-in cannot go on; its `failure` says why.
 */
import { hkdfSync } from 'node:crypto';
import type { Request, Response } from 'express';
import { EncryptJWT, jwtDecrypt } from 'jose';
import { custom, errors, generators, Issuer, type BaseClient, type HttpOptions } from 'openid-client';
import type { OidcClientConfig } from '../config/settings';
import { LANGUAGES, type Language } from '../domain/request';

/** Why a sign-in could not go on; stable codes the pages pick their text by. */
export const OIDC_FAILURES = [
  /** No transaction cookie, or it is older than 10 minutes (or from another secret or browser). */
  'expired',
  /** The callback's `state` is not the one this browser's transaction sent. */
  'state_mismatch',
  /** The provider answered `access_denied`: the person cancelled, or the provider refused them. */
  'denied',
  /** Any other error the provider reported (at the callback or from its token endpoint). */
  'provider_error',
  /** The provider's answer failed a check: ID token signature, iss, aud, exp, nonce, userinfo subject. */
  'invalid_response',
  /** The provider could not be reached or its discovery document is unusable. */
  'unavailable',
] as const;
export type OidcFailure = (typeof OIDC_FAILURES)[number];

/** A sign-in that cannot go on. The message is for logs: no personal data, no tokens. */
export class OidcSignInError extends Error {
  override name = 'OidcSignInError';
  constructor(
    readonly failure: OidcFailure,
    message: string,
    /** The page language of the sign-in, when the transaction could be read. */
    readonly language?: Language,
  ) {
    super(message);
  }
}

export interface OidcRelyingPartyOptions {
  config: OidcClientConfig;
  /** The absolute callback URL registered at the provider. */
  redirectUri: string;
  /** The transaction cookie's name; give each relying party its own. */
  cookieName: string;
  /** The path the cookie is sent to: the callback's path. */
  cookiePath: string;
  /** The server secret the cookie's key is derived from. */
  secret: string;
  /** Outgoing requests to the provider: timeout (default 5 s) and a CA to trust besides the system's. */
  httpOptions?: { timeoutMs?: number; ca?: string | Buffer };
  /** Extra authorization request parameters, such as `acr_values` for a level of assurance. */
  authorizationParams?: Record<string, string>;
  /** Allowed clock difference to the provider for the ID token's times; default 10 s. */
  clockToleranceSeconds?: number;
}

export interface OidcSignInStart {
  /** A local path (starting with one `/`) to come back to after the sign-in. */
  returnTo: string;
  language: Language;
}

export interface OidcSignInResult {
  /** The ID token's claims, merged over the userinfo endpoint's when the provider has one. */
  claims: Record<string, unknown>;
  returnTo: string;
  language: Language;
}

export interface OidcRelyingParty {
  /** Starts a sign-in: stores the transaction cookie and gives the provider's authorization URL to redirect to. */
  begin(req: Request, res: Response, start: OidcSignInStart): Promise<string>;
  /** Finishes a sign-in at the callback: checks the answer, redeems the code and returns the claims. Clears the cookie. */
  complete(req: Request, res: Response): Promise<OidcSignInResult>;
}

const TRANSACTION_MINUTES = 10;

interface Transaction {
  state: string;
  nonce: string;
  codeVerifier: string;
  returnTo: string;
  language: Language;
}

/** Builds a relying party; nothing is fetched until the first sign-in. */
export function createOidcRelyingParty(options: OidcRelyingPartyOptions): OidcRelyingParty {
  const { config, redirectUri, cookieName, cookiePath } = options;
  const key = new Uint8Array(hkdfSync('sha256', options.secret, 'dsr-oidc-transaction', cookieName, 32));
  const cookieOptions = { httpOnly: true, sameSite: 'lax' as const, secure: redirectUri.startsWith('https:'), path: cookiePath };
  const httpOptions: HttpOptions = { timeout: options.httpOptions?.timeoutMs ?? 5000, ...(options.httpOptions?.ca ? { ca: options.httpOptions.ca } : {}) };
  const withHttpOptions = () => httpOptions;
  const getClient = cachedClient(options, withHttpOptions);

  async function seal(tx: Transaction): Promise<string> {
    return new EncryptJWT({ ...tx })
      .setProtectedHeader({ alg: 'dir', enc: 'A256GCM' })
      .setAudience(cookieName)
      .setIssuedAt()
      .setExpirationTime(`${TRANSACTION_MINUTES}m`)
      .encrypt(key);
  }

  async function open(sealed: string | undefined): Promise<Transaction | null> {
    if (!sealed) return null;
    try {
      const { payload } = await jwtDecrypt(sealed, key, { audience: cookieName });
      const { state, nonce, codeVerifier, returnTo, language } = payload;
      if ([state, nonce, codeVerifier, returnTo].some((v) => typeof v !== 'string')) return null;
      if (!(LANGUAGES as readonly unknown[]).includes(language)) return null;
      return payload as unknown as Transaction;
    } catch {
      return null; // expired, tampered with, or sealed under another secret: all the same to the person
    }
  }

  return {
    async begin(_req, res, start) {
      if (!isLocalPath(start.returnTo)) throw new TypeError('returnTo must be a local path');
      const client = await getClient();
      const tx: Transaction = {
        state: generators.state(),
        nonce: generators.nonce(),
        codeVerifier: generators.codeVerifier(),
        returnTo: start.returnTo,
        language: start.language,
      };
      res.cookie(cookieName, await seal(tx), { ...cookieOptions, maxAge: TRANSACTION_MINUTES * 60_000 });
      return client.authorizationUrl({
        ...options.authorizationParams,
        scope: config.scopes.join(' '),
        response_type: 'code',
        redirect_uri: redirectUri,
        state: tx.state,
        nonce: tx.nonce,
        code_challenge: generators.codeChallenge(tx.codeVerifier),
        code_challenge_method: 'S256',
        ui_locales: start.language,
      });
    },

    async complete(req, res) {
      // A transaction is good for one callback, whatever its outcome.
      const tx = await open(readCookie(req, cookieName));
      res.clearCookie(cookieName, cookieOptions);
      if (!tx) throw new OidcSignInError('expired', 'no valid sign-in transaction (missing or older than 10 minutes)');
      const client = await getClient();
      const params = client.callbackParams(req.originalUrl);
      // RFC 6749 10.12: an answer that does not carry our state is not ours to act on, error or not.
      if (params.state !== tx.state) throw new OidcSignInError('state_mismatch', 'the callback state is not the transaction state', tx.language);
      try {
        const tokens = await client.callback(redirectUri, params, { state: tx.state, nonce: tx.nonce, code_verifier: tx.codeVerifier, response_type: 'code' });
        const idClaims = tokens.claims();
        const userinfo = client.issuer.metadata.userinfo_endpoint && tokens.access_token ? await client.userinfo(tokens) : {};
        // openid-client checks that the userinfo subject is the ID token's (OIDC Core 5.3.2).
        return { claims: { ...userinfo, ...idClaims }, returnTo: tx.returnTo, language: tx.language };
      } catch (err) {
        throw asSignInError(err, tx.language);
      }
    },
  };
}

/** The provider's client, discovered on first use; a failed discovery is tried again on the next sign-in. */
function cachedClient(options: OidcRelyingPartyOptions, httpOptions: () => HttpOptions): () => Promise<BaseClient> {
  // A subclass, so that these HTTP options apply to this discovery and not to every Issuer in the process.
  class ScopedIssuer extends Issuer {}
  (ScopedIssuer as unknown as Record<symbol, unknown>)[custom.http_options] = httpOptions;
  let pending: Promise<BaseClient> | null = null;

  async function discover(): Promise<BaseClient> {
    const issuer = await ScopedIssuer.discover(options.config.issuer);
    // OIDC Discovery 4.3: the document must be the configured issuer's own.
    if (String(issuer.metadata.issuer).replace(/\/$/, '') !== options.config.issuer.replace(/\/$/, '')) {
      throw new Error('the discovery document names another issuer');
    }
    issuer[custom.http_options] = httpOptions;
    const client = new issuer.Client({
      client_id: options.config.clientId,
      client_secret: options.config.clientSecret,
      redirect_uris: [options.redirectUri],
      response_types: ['code'],
    });
    client[custom.http_options] = httpOptions;
    client[custom.clock_tolerance] = options.clockToleranceSeconds ?? 10;
    return client;
  }

  return () =>
    (pending ??= discover().catch((err: unknown) => {
      pending = null;
      throw new OidcSignInError('unavailable', `OpenID provider discovery failed: ${errorText(err)}`);
    }));
}

/** Sorts what openid-client threw into the failures the pages know. */
function asSignInError(err: unknown, language: Language): OidcSignInError {
  if (err instanceof OidcSignInError) return err;
  if (err instanceof errors.OPError) {
    return new OidcSignInError(err.error === 'access_denied' ? 'denied' : 'provider_error', `the provider answered ${err.error ?? 'an error'}`, language);
  }
  if (err instanceof errors.RPError) {
    // Its own timeout is an RPError too, but it is the provider being away, not a bad answer.
    const failure = /timed out/.test(err.message) ? 'unavailable' : 'invalid_response';
    // Only the check's name ("sub mismatch"), not the values after it: a subject id is personal data.
    return new OidcSignInError(failure, `the provider's answer was refused: ${err.message.split(',')[0]}`, language);
  }
  return new OidcSignInError('unavailable', `the provider could not be reached: ${errorText(err)}`, language);
}

function errorText(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}

/** A path on this site: one leading slash, no scheme or host, no backslash tricks. */
function isLocalPath(path: string): boolean {
  return /^\/(?![/\\])[^\s\\]*$/.test(path);
}

function readCookie(req: Request, name: string): string | undefined {
  for (const part of (req.get('cookie') ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at).trim() === name) return part.slice(at + 1).trim();
  }
  return undefined;
}
