/** What the API's routes are built from. */
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Config } from '../config';
import type { Database } from '../db/database';
import type { TokenService } from './auth';
import type { Intake } from './services/intake';
import type { WorkflowGateway } from './workflow-gateway';
import type { Metrics } from './metrics';
import type { RegisterDescription } from '../domain/register-description';

export interface ApiContext {
  db: Kysely<Database>;
  gateway: WorkflowGateway;
  intake: Intake;
  tokens: TokenService;
  logger: Logger;
  metrics: Metrics;
  description: RegisterDescription;
  config: Pick<Config, 'mode' | 'auth' | 'http' | 'downloads' | 'oidc' | 'resident' | 'mail'> & { linkSecret: string };
}
