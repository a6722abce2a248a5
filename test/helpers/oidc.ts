/**
 * A real OpenID provider on loopback for tests (`oidc-provider.mjs` in its own Node process), and a
 * scripted visit to its sign-in pages the way a browser would make it, for tests without a browser.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';

export interface OidcTestClient {
  client_id: string;
  client_secret: string;
  redirect_uris: string[];
}

export interface OidcProviderOptions {
  clients: OidcTestClient[];
  /** Login name (also the account's `sub`) to its claims, e.g. `{ "hanna": { "preferred_username": "hanna.handler", "roles": ["handler"] } }`. */
  accounts: Record<string, Record<string, unknown>>;
  /** Scope to the claims it releases; default: every account claim under `profile`. */
  claims?: Record<string, string[]>;
  /** True: the scope claims are in the ID token too; default: only the userinfo endpoint has them. */
  claimsInIdToken?: boolean;
  /** Default 0, any free port. */
  port?: number;
  /**
   * The issuer URL's host (it always listens on 127.0.0.1). Default 127.0.0.1; `localhost` makes the
   * provider another site than an engine on 127.0.0.1, so a browser applies SameSite as in production.
   */
  issuerHost?: '127.0.0.1' | 'localhost';
}

export interface OidcTestProvider {
  /** The issuer URL, `http://127.0.0.1:<port>` (or `localhost`, see `issuerHost`). */
  issuer: string;
  port: number;
  stop(): Promise<void>;
}

const SCRIPT = path.join(__dirname, 'oidc-provider.mjs');

/** Starts the provider and resolves once it listens; `stop()` ends the process. */
export async function startOidcProvider(options: OidcProviderOptions): Promise<OidcTestProvider> {
  const child = spawn(process.execPath, ['--no-warnings', SCRIPT, JSON.stringify(options)], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    // The library warns about its development settings (and the Node version); only errors matter.
    stderr = (stderr + chunk).slice(-4000);
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const ready = new Promise<{ issuer: string; port: number }>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      try {
        const message = JSON.parse(line) as { ready?: boolean; issuer: string; port: number };
        if (message.ready) resolve(message);
      } catch {
        // not our line
      }
    });
    void exited.then((code) => reject(new Error(`the test OpenID provider exited (${String(code)}) before it was ready:\n${stderr}`)));
    child.on('error', reject);
  });
  const timeout = setTimeout(() => child.kill('SIGKILL'), 20_000);
  try {
    const { issuer, port } = await ready;
    return {
      issuer,
      port,
      async stop() {
        if (child.exitCode !== null || child.signalCode !== null) return;
        child.kill('SIGTERM');
        const hung = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(hung);
      },
    };
  } finally {
    clearTimeout(timeout);
  }
}

export interface ProviderVisit {
  /** The login name typed into the provider's form. */
  login: string;
  /** 'cancel' presses the provider's Cancel link instead of signing in (the provider answers access_denied). */
  action?: 'sign-in' | 'cancel';
}

/**
 * Follows an authorization URL through the provider's development pages: the login form (login
 * name, any password), then the consent form ("Continue") when the provider asks for it. Keeps the
 * provider's cookies like a browser. Resolves with the URL the provider finally redirects to (the
 * client's callback, with `code` and `state`, or `error`).
 */
export async function visitProvider(authorizationUrl: string, visit: ProviderVisit): Promise<string> {
  const origin = new URL(authorizationUrl).origin;
  const jar = new Map<string, string>();
  let url = authorizationUrl;
  let form: URLSearchParams | undefined;
  for (let step = 0; step < 12; step += 1) {
    const res = await fetch(url, {
      method: form ? 'POST' : 'GET',
      redirect: 'manual',
      headers: { cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; '), ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
      body: form?.toString(),
    });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const at = pair.indexOf('=');
      jar.set(pair.slice(0, at), pair.slice(at + 1));
    }
    form = undefined;
    const location = res.headers.get('location');
    if (res.status >= 300 && res.status < 400 && location) {
      const next = new URL(location, url);
      if (next.origin !== origin) return next.toString();
      url = next.toString();
      continue;
    }
    const page = await res.text();
    if (res.status !== 200) throw new Error(`the provider answered ${res.status} at ${url}: ${page.slice(0, 500)}`);
    const prompt = /name="prompt" value="(login|consent)"/.exec(page)?.[1];
    const action = /<form[^>]*action="([^"]+)"/.exec(page)?.[1];
    if (!prompt || !action) throw new Error(`unexpected provider page at ${url}: ${page.slice(0, 500)}`);
    if (visit.action === 'cancel') {
      const cancel = /<a href="([^"]+\/abort)"/.exec(page)?.[1];
      if (!cancel) throw new Error('the provider page has no Cancel link');
      url = new URL(cancel, url).toString();
      continue;
    }
    url = new URL(action.replace(/&amp;/g, '&'), url).toString();
    form = new URLSearchParams(prompt === 'login' ? { prompt, login: visit.login, password: 'any password' } : { prompt });
  }
  throw new Error('the provider kept redirecting');
}
