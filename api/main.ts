/** Production API process: `npm run api` with the configuration in the environment. */
import { loadConfig } from '../config/settings';
import { createDb } from '../db/database';
import { createLogger } from '../config/logger';
import { loadRegisterDescription } from '../config/register-description';
import { REGISTER_COLUMNS } from '../db/tables/register';
import { buildApiServer } from './server';
import { webRoutes } from '../web/routes';
import { pageBodyErrorHandler } from '../web/body-errors';

/** How long requests in flight may finish after SIGTERM or SIGINT. */
const STOP_GRACE_MS = 10_000;

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel, 'api');
  const db = createDb(config.databaseUrl, { logger });
  const description = loadRegisterDescription(config.registerDescriptionPath, REGISTER_COLUMNS);
  const api = buildApiServer({ config, db, logger, description, extraRouters: (ctx) => [webRoutes(ctx), pageBodyErrorHandler(ctx.description)] });
  const server = api.app.listen(config.http.port, config.http.host, () => logger.info({ url: config.http.publicBaseUrl }, 'API listening'));
  const stop = () => {
    server.close(() => void api.close().then(() => db.destroy()).then(() => logger.info('API stopped')));
    // Idle keep-alive connections would hold the server open; a service manager waits for the exit.
    server.closeIdleConnections();
    setTimeout(() => server.closeAllConnections(), STOP_GRACE_MS).unref();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
