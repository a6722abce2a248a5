/** What the pages and the JSON API are built from: the service layer's dependencies. */
import type { Kysely } from 'kysely';
import type { SendMailOptions } from 'nodemailer';
import type { Logger } from 'pino';
import type { Config } from '../config/settings';
import type { Database } from '../db/database';
import type { TokenService } from './staff-auth';
import type { Intake } from './intake';
import type { WorkflowGateway } from './workflow-gateway';
import type { Metrics } from './metrics';
import type { Limits } from './rate-limits';
import type { RegisterDescription } from '../domain/register-description';

/** The API process's own SMTP transport: the one-time codes of the resident pages go out through it. */
export interface ApiMailer {
  sendMail(message: SendMailOptions): Promise<unknown>;
  close(): void;
}

export interface ServiceContext {
  db: Kysely<Database>;
  mailer: ApiMailer;
  gateway: WorkflowGateway;
  intake: Intake;
  tokens: TokenService;
  logger: Logger;
  metrics: Metrics;
  /** Guessing and flooding limits shared through PostgreSQL. */
  limits: Limits;
  description: RegisterDescription;
  config: Pick<Config, 'mode' | 'auth' | 'http' | 'downloads' | 'oidc' | 'resident' | 'mail'> & { linkSecret: string; auditCheckpointDir?: string | null };
}
