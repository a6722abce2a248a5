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
import type { ServiceContext, ApiMailer } from '../services/context';
import { createMetrics } from '../services/metrics';
import { createIntake } from '../services/intake';
import { startReconciler, type Reconciler } from '../services/reconciler';
import { temporalGateway, type WorkflowGateway } from '../services/workflow-gateway';
import { installAuditKeys, keyRingFrom } from '../db/repositories/audit-keys';
import { integrityDeps } from '../services/audit-deps';
import { startCheckpointer } from '../services/audit-integrity';

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
  extraRouters?: (ctx: ServiceContext) => express.Router[];
}

export function buildApiServer(deps: ApiServerDeps): ApiServer {
  const { config, db, logger } = deps;
  // Links are written deep inside repository transactions, with the process's keys.
  installAuditKeys(keyRingFrom(config.audit));
  // A lazy connection: the API starts and accepts requests even while Temporal cannot be reached.
  const connection = deps.gateway ? null : Connection.lazy({ address: config.temporal.address });
  const gateway =
    deps.gateway ??
    temporalGateway({
      connection: connection!,
      namespace: config.temporal.namespace,
      taskQueue: config.temporal.taskQueue,
      dataConverter: dataConverterFor(config.payloadCodecKey),
    });
  const intake = createIntake({ db, gateway, logger, secret: config.auth.tokenSecret, extendedMonths: config.deadlines.extendedMonths });
  const ownMailer = deps.mailer ? null : nodemailer.createTransport(config.mail.smtpUrl);
  const mailer: ApiMailer = deps.mailer ?? ownMailer!;
  const ctx: ServiceContext = {
    db,
    mailer,
    gateway,
    intake,
    logger,
    tokens: createTokenService(config.auth.tokenSecret, config.auth.sessionMinutes),
    metrics: createMetrics(),
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
      ownMailer?.close();
      await connection?.close();
    },
  };
}
