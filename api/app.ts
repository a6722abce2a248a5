/** The express application: public intake and status, staff and auditor APIs, health and metrics. */
import express from 'express';
import helmet from 'helmet';
import { sql } from 'kysely';
import type { ServiceContext } from '../services/context';
import { ApiError, errorHandler, parseOrThrow } from '../services/errors';
import { buildOpenApiDocument } from './openapi';
import { auditRoutes } from './routes/audit';
import { downloadRoutes } from './routes/download';
import { publicRoutes } from './routes/public';
import { staffRoutes } from './routes/staff';
import { recipientRoutes } from './routes/recipients';
import { devSignInSchema } from '../services/schemas';
import { bearerToken } from '../services/staff-auth';

/** Bodies come plain, gzip or deflate; anything else (br, compress, a chain of codings) is refused before it is read. */
const ENCODINGS = new Set(['identity', 'gzip', 'deflate']);

function refuseUnknownEncodings(req: express.Request, _res: express.Response, next: express.NextFunction): void {
  const coding = (req.get('content-encoding') ?? 'identity').trim().toLowerCase();
  if (ENCODINGS.has(coding)) return next();
  next(new ApiError(415, 'unsupported_encoding', 'body: the content encoding is not supported; send identity, gzip or deflate'));
}

export function createApp(ctx: ServiceContext, extra: (express.Router | express.ErrorRequestHandler)[] = []): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.use(helmet());
  app.use(refuseUnknownEncodings);
  app.use(express.json({ limit: '100kb' }));
  app.use(express.urlencoded({ extended: false, limit: '100kb' }));
  app.use((req, res, next) => {
    const end = ctx.metrics.httpRequests.startTimer({ method: req.method });
    res.on('finish', () => end({ route: req.route?.path ?? 'unmatched', status: String(res.statusCode) }));
    next();
  });

  app.get('/health', (_req, res) => void res.json({ status: 'ok' }));
  // Not ready while PostgreSQL cannot be reached: a load balancer then sends the traffic elsewhere.
  app.get('/ready', async (_req, res) => {
    try {
      await sql`SELECT 1`.execute(ctx.db);
    } catch (error) {
      ctx.logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'not ready: the database cannot be reached');
      res.setHeader('Retry-After', '5');
      res.status(503).json({ status: 'unavailable', database: 'unreachable' });
      return;
    }
    res.json({ status: 'ready' });
  });
  app.get('/metrics', async (_req, res) => {
    res.type(ctx.metrics.registry.contentType).send(await ctx.metrics.registry.metrics());
  });
  app.get('/api/v1/openapi.json', (_req, res) => void res.json(buildOpenApiDocument(ctx.config.http.publicBaseUrl)));

  app.post('/api/v1/auth/dev-sign-in', async (req, res) => {
    // A documented convenience of the embedded mode; production signs staff in through OpenID Connect.
    if (!ctx.config.auth.devSignIn) throw new ApiError(404, 'not_found', 'the dev sign-in is available only in embedded mode');
    const body = parseOrThrow(devSignInSchema, req.body);
    res.json(await ctx.tokens.issue({ id: body.user, roles: body.roles }));
  });

  // Signing out revokes the token server-side at once (in every API process, for the pages too).
  app.post('/api/v1/auth/sign-out', async (req, res) => {
    const token = bearerToken(req);
    if (!token) throw new ApiError(401, 'unauthenticated', 'authorization: a Bearer token is required');
    await ctx.tokens.revoke(token);
    res.status(204).end();
  });

  app.use(publicRoutes(ctx));
  app.use(staffRoutes(ctx));
  app.use(recipientRoutes(ctx));
  app.use(auditRoutes(ctx));
  app.use(downloadRoutes(ctx));
  for (const router of extra) app.use(router);

  app.use('/api', (_req, _res, next) => next(new ApiError(404, 'not_found', 'no such endpoint')));
  app.use(errorHandler(ctx.logger));
  return app;
}
