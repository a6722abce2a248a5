/** The OpenAPI document matches the code: every JSON route served is documented, and nothing else. */
import type { Kysely } from 'kysely';
import { createApp } from '../../api/app';
import { createTokenService } from '../../services/staff-auth';
import type { ServiceContext } from '../../services/context';
import { createMetrics } from '../../services/metrics';
import { API_ROUTES, buildOpenApiDocument } from '../../api/openapi';
import { createLogger } from '../../config/logger';

function servedApiRoutes(): string[] {
  const ctx = {
    db: {} as Kysely<never>,
    gateway: {} as ServiceContext['gateway'],
    intake: {} as ServiceContext['intake'],
    tokens: createTokenService('x'.repeat(32), 5),
    logger: createLogger('silent'),
    metrics: createMetrics(),
    config: { mode: 'embedded', auth: { tokenSecret: 'x'.repeat(32), devSignIn: true, sessionMinutes: 5 }, http: { host: '127.0.0.1', port: 0, publicBaseUrl: 'http://127.0.0.1' }, downloads: { linkDays: 14, maxFailedAttempts: 5 }, mail: { smtpUrl: 'smtp://127.0.0.1:25', from: 'dsr@example.fi', messageIdDomain: 'example.fi', staffNotify: 'dpo@example.fi' }, linkSecret: 'x' },
  } as unknown as ServiceContext;
  const app = createApp(ctx);
  const routes: string[] = [];
  const walk = (stack: { route?: { path: string; methods: Record<string, boolean> }; handle?: { stack?: unknown[] } }[]) => {
    for (const layer of stack) {
      if (layer.route) {
        for (const method of Object.keys(layer.route.methods)) routes.push(`${method} ${layer.route.path}`);
      } else if (layer.handle?.stack) {
        walk(layer.handle.stack as typeof stack);
      }
    }
  };
  walk((app as unknown as { router: { stack: never[] } }).router.stack);
  return routes.filter((r) => r.includes(' /api/v1/') && !r.endsWith('/openapi.json')).map((r) => r.replace(/:(\w+)/g, '{$1}'));
}

describe('the OpenAPI document', () => {
  it('lists exactly the JSON routes the express app serves', () => {
    const documented = API_ROUTES.map((r) => `${r.method} ${r.path}`).sort();
    expect(servedApiRoutes().sort()).toEqual(documented);
  });

  it('is a valid OpenAPI 3.1 document with the request schemas of the validators', () => {
    const doc = buildOpenApiDocument('http://127.0.0.1:8080') as { openapi: string; paths: Record<string, Record<string, { requestBody?: unknown }>>; components: { schemas: Record<string, unknown> } };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toContain('/api/v1/requests');
    expect(doc.paths['/api/v1/requests'].post.requestBody).toBeDefined();
    expect(Object.keys(doc.components.schemas)).toEqual(expect.arrayContaining(['PublicSubmission', 'Subject', 'RefuseRequest', 'ExtendDeadline']));
  });
});
