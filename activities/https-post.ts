/**
 * POSTing JSON to a recipient's or another controller's endpoint. Only over verified TLS: these
 * bodies carry personal data (GDPR 19 notices name the subject, GDPR 20(2) transmissions are the
 * subject's data), so plain http, disabled verification and redirects are never used.
 *
 * Node 20's built-in fetch cannot take a custom CA without the undici package (not a dependency),
 * so the default transport is `https.request`; an injected fetch is used as given.
 */
import https from 'node:https';
import tls from 'node:tls';

export interface HttpsResponse {
  status: number;
}

/** Sends one JSON body; resolves with the response status, rejects on a network or TLS failure. */
export type HttpsPost = (url: URL, body: string, headers: Record<string, string>) => Promise<HttpsResponse>;

export interface HttpsPostOptions {
  /** Used instead of `https.request` when given (its TLS setup is the caller's). */
  fetch?: typeof fetch;
  /** A CA trusted besides the system's roots (a private PKI, or a test server's certificate). */
  ca?: string | Buffer;
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 30_000;

/** Builds the POST transport from the options; refuses a custom CA it could not apply. */
export function httpsPoster(options: HttpsPostOptions = {}): HttpsPost {
  if (options.fetch && options.ca) throw new Error('httpsCa cannot be applied to an injected fetch: configure its TLS there, or drop one of the two');
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const post = options.fetch ? viaFetch(options.fetch, timeoutMs) : viaHttps(options.ca, timeoutMs);
  return (url, body, headers) => {
    if (url.protocol !== 'https:') return Promise.reject(new Error(`refusing to send over ${url.protocol}: only https is allowed`));
    return post(url, body, { ...headers, 'content-type': 'application/json; charset=utf-8' });
  };
}

function viaFetch(fetchFn: typeof fetch, timeoutMs: number): HttpsPost {
  return async (url, body, headers) => {
    // A redirect could take the body elsewhere; it counts as a failed delivery instead.
    const response = await fetchFn(url, { method: 'POST', headers, body, redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
    // The response body is not kept: it might echo personal data back.
    await response.body?.cancel().catch(() => undefined);
    return { status: response.status };
  };
}

function viaHttps(ca: string | Buffer | undefined, timeoutMs: number): HttpsPost {
  const trusted = ca ? [...tls.rootCertificates, ca] : undefined;
  return (url, body, headers) =>
    new Promise<HttpsResponse>((resolve, reject) => {
      const request = https.request(
        url,
        {
          method: 'POST',
          headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
          ca: trusted,
          timeout: timeoutMs,
          // No pooled sockets: notices are few, and an idle keep-alive socket would outlive the activity.
          agent: false,
        },
        (response) => {
          response.resume();
          response.on('end', () => resolve({ status: response.statusCode ?? 0 }));
          response.on('error', reject);
        },
      );
      request.on('timeout', () => request.destroy(new Error(`no answer from ${url.host} within ${timeoutMs} ms`)));
      request.on('error', reject);
      request.end(body);
    });
}

/**
 * True for answers a retry may turn into success: server errors, timeouts, rate limits. Any other
 * non-2xx answer (a refusal, a redirect) will not change by asking again.
 */
export function isRetryableStatus(status: number): boolean {
  return status >= 500 || status === 408 || status === 429;
}
