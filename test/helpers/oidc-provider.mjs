/**
 * A real OpenID provider for tests: oidc-provider on 127.0.0.1, in its own Node process because the
 * library is ESM-only and jest's CommonJS runtime cannot load it. Started by `test/helpers/oidc.ts`.
 *
 * Configuration: one JSON argument (or the OIDC_PROVIDER_CONFIG variable):
 *   {
 *     "port": 0,                                   // 0: any free port
 *     "issuerHost": "127.0.0.1",                   // the issuer URL's host; "localhost" makes the provider
 *                                                  // another site than an engine on 127.0.0.1, as in production
 *     "clients": [{ "client_id": "...", "client_secret": "...", "redirect_uris": ["..."] }],
 *     "accounts": { "<login name>": { "preferred_username": "...", "roles": ["handler"], ... } },
 *     "claims": { "<scope>": ["<claim>", ...] },   // optional; default: every account claim under profile
 *     "claimsInIdToken": false                     // optional; true: scope claims in the ID token too
 *   }
 * The login name is also the account's `sub`. Sign-in uses the library's development interactions:
 * a form with `login` (the login name; any unknown name is refused) and `password` (anything), then
 * a consent form ("Continue") the first time an account meets a client. When listening, the process
 * prints one JSON line on stdout: {"ready":true,"port":...,"issuer":"http://127.0.0.1:..."}. It always
 * listens on 127.0.0.1 only.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import process from 'node:process';
import Provider from 'oidc-provider';

const config = JSON.parse(process.argv[2] ?? process.env.OIDC_PROVIDER_CONFIG ?? '{}');
const accounts = config.accounts ?? {};

/** Every claim some account has (but sub, which is the login name), released under `profile`. */
function defaultClaims() {
  const names = new Set();
  for (const claims of Object.values(accounts)) for (const name of Object.keys(claims)) if (name !== 'sub') names.add(name);
  return { openid: ['sub'], profile: [...names] };
}

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const signingKey = { ...privateKey.export({ format: 'jwk' }), kid: 'test-signing-key', use: 'sig', alg: 'RS256' };

const server = createServer();
server.listen(config.port ?? 0, '127.0.0.1', () => {
  const { port } = server.address();
  const issuer = `http://${config.issuerHost ?? '127.0.0.1'}:${port}`;
  const provider = new Provider(issuer, {
    clients: (config.clients ?? []).map((c) => ({ grant_types: ['authorization_code'], response_types: ['code'], ...c })),
    jwks: { keys: [signingKey] },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    claims: config.claims ?? defaultClaims(),
    conformIdTokenClaims: !config.claimsInIdToken,
    features: { devInteractions: { enabled: true } },
    pkce: { required: () => true },
    async findAccount(_ctx, id) {
      const claims = Object.hasOwn(accounts, id) ? accounts[id] : undefined;
      if (!claims) return undefined;
      return { accountId: id, claims: async () => ({ ...claims, sub: id }) };
    },
  });
  // Test accounts are fake, but the provider's own error logging would print their ids: keep it quiet.
  provider.on('server_error', (_ctx, err) => process.stderr.write(`oidc-provider server_error: ${err.name}: ${err.message}\n`));
  server.on('request', provider.callback());
  process.stdout.write(`${JSON.stringify({ ready: true, port, issuer })}\n`);
});

const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
// The launcher closing our stdin (or dying) ends us too, so no provider outlives its test run.
process.stdin.on('end', stop);
process.stdin.resume();
