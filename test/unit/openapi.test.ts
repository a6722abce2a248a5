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
    config: { mode: 'embedded', auth: { tokenSecret: 'x'.repeat(32), devSignIn: true, sessionMinutes: 5 }, mail: { from: 'dsr@example.fi', messageIdDomain: 'example.fi', staffNotify: 'dpo@example.fi' }, http: { host: '127.0.0.1', port: 0, publicBaseUrl: 'http://127.0.0.1' }, downloads: { linkDays: 14, maxFailedAttempts: 5 }, linkSecret: 'x' },
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

  type Doc = {
    paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema?: unknown }> }>; requestBody?: unknown }>>;
    components: { schemas: Record<string, { description?: string }> };
  };
  const doc = buildOpenApiDocument('http://127.0.0.1:8080') as Doc;

  /**
   * The statuses each route can answer, read from the routes and services (not from API_ROUTES):
   * every route 400 (validation, malformed JSON) and 500; behind a token 401 and 403; a path id 404;
   * a workflow decision 409 (wrong state, workflow not started), 422 (validator refusal) and 504
   * (no answer in time); 503 when PostgreSQL or Temporal is away; 413 and 415 for a body; 429 where
   * tries or submissions are counted.
   */
  function expectedStatuses(method: string, path: string, hasBody: boolean): number[] {
    const statuses = new Set([400, 500, 503]);
    if (hasBody) [413, 415].forEach((x) => statuses.add(x));
    const success = method === 'post' && (path === '/api/v1/requests' || path === '/api/v1/staff/requests') ? [200, 201] : path.endsWith('/restriction-lift') ? [202] : path.endsWith('/sign-out') ? [204] : [200];
    success.forEach((x) => statuses.add(x));
    if (path.startsWith('/api/v1/staff') || path.startsWith('/api/v1/audit')) [401, 403].forEach((x) => statuses.add(x));
    if (path.endsWith('/sign-out')) statuses.add(401);
    if (method === 'post' && ['/api/v1/requests', '/api/v1/requests/status', '/api/v1/requests/withdraw'].includes(path)) statuses.add(429);
    if (path.startsWith('/api/v1/downloads/')) statuses.add(429);
    if (path.includes('{id}') || path.includes('{token}') || path === '/api/v1/requests/status' || path === '/api/v1/requests/withdraw' || path.endsWith('/dev-sign-in')) statuses.add(404);
    const decisions = ['identity', 'approve', 'extend', 'refuse', 'decide', 'withhold', 'withdraw', 'fee', 'payment', 'retry-step'];
    if (method === 'post' && decisions.some((d) => path.endsWith(`/${d}`))) [409, 422, 504].forEach((x) => statuses.add(x));
    if (path.endsWith('/status') && path.includes('{id}')) statuses.add(409);
    if (path.endsWith('/assignment') || path.endsWith('/restriction-lift') || path.endsWith('/not-notified')) statuses.add(409);
    if (path.startsWith('/api/v1/downloads/')) [403, 410, 423].forEach((x) => statuses.add(x));
    return [...statuses].sort((a, b) => a - b);
  }

  const operations = Object.entries(doc.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({ path, method, op })));

  it.each(operations.map((o) => [`${o.method} ${o.path}`, o] as const))('%s documents every status it can answer, each with a body schema', (_name, { path, method, op }) => {
    expect(Object.keys(op.responses).map(Number).sort((a, b) => a - b)).toEqual(expectedStatuses(method, path, op.requestBody !== undefined));
    for (const [status, response] of Object.entries(op.responses)) {
      // 204 No Content has no body.
      if (status === '204') {
        expect(response.content).toBeUndefined();
        continue;
      }
      const schemas = Object.values(response.content ?? {}).map((c) => c.schema);
      expect([status, schemas.length > 0 && schemas.every(Boolean)]).toEqual([status, true]);
    }
  });

  it('gives a decision’s refusals as 409 and 422 with the Error body, and the staff request view with what was asked', () => {
    const decide = doc.paths['/api/v1/staff/requests/{id}/decide'].post.responses;
    expect(JSON.stringify(decide['422'].content)).toContain('#/components/schemas/Error');
    expect(JSON.stringify(decide['409'].content)).toContain('#/components/schemas/Error');
    expect(JSON.stringify(doc.paths['/api/v1/staff/requests/{id}'].get.responses['200'].content)).toContain('#/components/schemas/StaffRequest');
    expect(Object.keys(doc.components.schemas)).toEqual(expect.arrayContaining(['StaffRequest', 'RequestDetails', 'RegisterMatch', 'WorkflowStatus', 'AuditHistory']));
  });

  it('states the refinements the validators apply beyond the JSON schema', () => {
    const { schemas } = doc.components;
    expect(schemas.PublicSubmission.description).toMatch(/corrections are required for rectification/);
    expect(schemas.PublicSubmission.description).toMatch(/subject\.email is required/);
    expect(schemas.StaffSubmission.description).toMatch(/transmitTo .* only with portability/);
    expect(schemas.DecideCategories.description).toMatch(/legal basis/);
    expect(schemas.DecideCategories.description).toMatch(/422/);
    expect(JSON.stringify(schemas.Subject)).toMatch(/check character/);
  });
});
