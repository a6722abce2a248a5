/** Production API process: `npm run api` with the configuration in the environment. */
import { loadConfig } from '../config/settings';
import { createDb } from '../db/database';
import { createLogger } from '../config/logger';
import { loadRegisterDescription } from '../config/register-description';
import { REGISTER_COLUMNS } from '../db/tables/register';
import { buildApiServer } from './server';
import { webRoutes } from '../web/routes';
import { pageBodyErrorHandler } from '../web/body-errors';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel, 'api');
  const db = createDb(config.databaseUrl, { logger });
  const description = loadRegisterDescription(config.registerDescriptionPath, REGISTER_COLUMNS);
  const api = buildApiServer({ config, db, logger, description, extraRouters: (ctx) => [webRoutes(ctx), pageBodyErrorHandler()] });
  const server = api.app.listen(config.http.port, config.http.host, () => logger.info({ url: config.http.publicBaseUrl }, 'API listening'));
  const stop = () => {
    server.close(() => void api.close().then(() => db.destroy()).then(() => logger.info('API stopped')));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
