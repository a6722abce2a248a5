/** Composes the API process: the Temporal gateway (lazy, so intake works while Temporal is away), intake, reconciler and app. */
import { Connection } from '@temporalio/client';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type express from 'express';
import nodemailer from 'nodemailer';
import type { Config } from '../config/settings';
import type { Database } from '../db/database';
import type { RegisterDescription } from '../domain/register-description';
import { dataConverterFor } from '../worker/payload-codec';
import { createApp } from './app';
import { createTokenService } from '../services/staff-auth';
import { isStaffTokenRevoked, revokeStaffToken } from '../db/repositories/staff-sessions';
import type { ServiceContext, ApiMailer } from '../services/context';
import { createMetrics } from '../services/metrics';
import { createLimits, RESIDENT_CODE_ASKS_PER_BROWSER, RESIDENT_CODE_WINDOW_MINUTES } from '../services/rate-limits';
import { Pool } from 'pg';
import { createIntake } from '../services/intake';
import { startReconciler, type Reconciler } from '../services/reconciler';
import { startingWhenMissing, temporalGateway, type WorkflowGateway } from '../services/workflow-gateway';
import { installAuditKeys, keyRingFrom } from '../db/repositories/audit-keys';
import { integrityDeps } from '../services/audit-deps';
import { startCheckpointer } from '../services/audit-integrity';

/** How long a stopping API waits for the workflow starts of the last submissions. */
const START_DRAIN_MS = 5000;

export interface ApiServer {
  app: express.Express;
  ctx: ServiceContext;
  reconciler: Reconciler;
  close(): Promise<void>;
}

export interface ApiServerDeps {
  config: Config;
  db: Kysely<Database>;
  logger: Logger;
  description: RegisterDescription;
  /** Tests may pass their own gateway (say, one pointing at a stopped server). */
  gateway?: WorkflowGateway;
  /** Tests may pass their own mailer; by default an SMTP transport to SMTP_URL, closed with the server. */
  mailer?: ApiMailer;
  /** The pages' routers, and error handlers of their own (say, a page for an unreadable form body). */
  extraRouters?: (ctx: ServiceContext) => (express.Router | express.ErrorRequestHandler)[];
}

export function buildApiServer(deps: ApiServerDeps): ApiServer {
  const { config, db, logger } = deps;
  // Links are written deep inside repository transactions, with the process's keys.
  installAuditKeys(keyRingFrom(config.audit));
  // A lazy connection: the API starts and accepts requests even while Temporal cannot be reached.
  const connection = deps.gateway ? null : Connection.lazy({ address: config.temporal.address });
  const temporal =
    deps.gateway ??
    temporalGateway({
      connection: connection!,
      namespace: config.temporal.namespace,
      taskQueue: config.temporal.taskQueue,
      dataConverter: dataConverterFor(config.payloadCodecKeys),
    });
  const intake = createIntake({ db, gateway: temporal, logger, secret: config.auth.tokenRing, extendedMonths: config.deadlines.extendedMonths });
  // Intake answers before the workflow starts: a decision that finds none starts it first.
  const gateway = startingWhenMissing(temporal, (id) => intake.startIfUnstarted(id));
  // The limits' own small pool: rate-limiter-flexible takes a pg Pool, and shares its counts with every process through it.
  const limitsPool = new Pool({ connectionString: config.databaseUrl, max: 3 });
  limitsPool.on('error', (error) => logger.warn({ err: error.message }, 'an idle database connection of the limits was closed'));
  const ownMailer = deps.mailer ? null : nodemailer.createTransport(config.mail.smtpUrl);
  const mailer: ApiMailer = deps.mailer ?? ownMailer!;
  const ctx: ServiceContext = {
    db,
    mailer,
    gateway,
    intake,
    logger,
    // A sign-out is stored in PostgreSQL, so every API process refuses the token from then on.
    tokens: createTokenService(config.auth.tokenRing, config.auth.sessionMinutes, {
      revoke: (t) => revokeStaffToken(db, t),
      isRevoked: (jti) => isStaffTokenRevoked(db, jti),
    }),
    metrics: createMetrics({ startsWaiting: intake.startsPending }),
    limits: createLimits(limitsPool, config.auth.tokenSecret, {
      codeFailuresPerReference: config.limits.codeFailuresPerReference,
      codeFailuresPerClient: config.limits.codeFailuresPerClient,
      codeWindowMinutes: config.limits.codeLockMinutes,
      linkMaxFailed: config.downloads.maxFailedAttempts,
      linkDays: config.downloads.linkDays,
      submissionsPerAddress: config.limits.submissionsPerAddress,
      submissionWindowMinutes: config.limits.submissionWindowHours * 60,
      residentCodesPerAddress: config.limits.residentCodesPerAddress,
      residentCodeAsksPerBrowser: RESIDENT_CODE_ASKS_PER_BROWSER,
      residentCodeWindowMinutes: RESIDENT_CODE_WINDOW_MINUTES,
      residentCodeMaxAttempts: config.resident.codeMaxAttempts,
      residentCodeMinutes: config.resident.codeMinutes,
    }),
    description: deps.description,
    config: { mode: config.mode, auth: config.auth, http: config.http, downloads: config.downloads, oidc: config.oidc, resident: config.resident, mail: config.mail, linkSecret: config.auth.tokenSecret, auditCheckpointDir: config.audit.checkpointDir },
  };
  const app = createApp(ctx, deps.extraRouters?.(ctx) ?? []);
  const reconciler = startReconciler({ db, intake, logger, intervalMs: config.reconcileIntervalSeconds * 1000 });
  const checkpointer = startCheckpointer(integrityDeps(ctx), config.audit.checkpointMinutes * 60_000);
  return {
    app,
    ctx,
    reconciler,
    async close() {
      reconciler.stop();
      checkpointer.stop();
      // Submissions answered a moment ago may still be starting their workflows; the reconciler has any left.
      await intake.drain(START_DRAIN_MS);
      ownMailer?.close();
      await connection?.close();
      await limitsPool.end();
    },
  };
}
