/** Production worker process: `npm run worker` with the configuration in the environment. */
import { loadConfig } from '../config/settings';
import { createDb } from '../db/database';
import { loadRegisterDescription } from '../config/register-description';
import { REGISTER_COLUMNS } from '../db/tables/register';
import { createLogger } from '../config/logger';
import { Connection } from '@temporalio/client';
import { createWorker, installTemporalRuntime } from './worker';
import { ensurePurgeSchedule } from './purge-schedule';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel, 'worker');
  installTemporalRuntime(config.logLevel);
  const description = loadRegisterDescription(config.registerDescriptionPath, REGISTER_COLUMNS);
  const db = createDb(config.databaseUrl, { logger });
  const { worker, connection, renderPool } = await createWorker({ config, db, description });
  // GDPR 5(1)(e): the retention purge runs on a schedule; every worker makes sure it exists.
  const client = await Connection.connect({ address: config.temporal.address });
  logger.info({ schedule: await ensurePurgeSchedule(client, config) }, 'retention purge schedule');
  await client.close();
  const stop = () => worker.shutdown();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  logger.info({ taskQueue: config.temporal.taskQueue }, 'worker running');
  await worker.run();
  await connection.close();
  await renderPool.close();
  await db.destroy();
  logger.info('worker stopped');
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
