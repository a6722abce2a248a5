/** Builds the worker: the request workflows plus activities wired to their real dependencies. */
import { DefaultLogger, NativeConnection, Runtime, Worker, type WorkerOptions } from '@temporalio/worker';
import { installAuditKeys, keyRingFrom } from '../db/repositories/audit-keys';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import nodemailer from 'nodemailer';
import type { Kysely } from 'kysely';
import type { Config } from '../config/settings';
import type { Database } from '../db/database';
import type { RegisterDescription } from '../domain/register-description';
import { createActivities, type ActivitySettings } from '../activities';
import { checkCatalogs } from '../templates/catalog-check';
import { dataConverterFor } from './payload-codec';
import { createRenderPool, type RenderPool } from './render-pool';

export function activitySettingsFrom(config: Config): ActivitySettings {
  return {
    publicBaseUrl: config.http.publicBaseUrl,
    mailFrom: config.mail.from,
    messageIdDomain: config.mail.messageIdDomain,
    staffNotifyEmail: config.mail.staffNotify,
    reminderDaysBefore: [...config.reminders.daysBefore],
    overdueRepeatDays: config.reminders.overdueRepeatDays,
    pauseWhileAwaitingIdentity: config.deadlines.pauseWhileAwaitingIdentity,
    identityReminderDays: config.identity.reminderDays,
    identityCloseDays: config.identity.closeDays,
    extendedMonths: config.deadlines.extendedMonths,
    downloadLinkDays: config.downloads.linkDays,
    linkSecret: config.auth.tokenSecret,
    olderLinkSecrets: config.auth.tokenRing.keys.slice(1).map((k) => k.secret),
    documentRetentionDays: config.retention.documentDays,
    activityRetry: { ...config.activityRetry },
  };
}

/** The SDK's own log level follows ours, but never below WARN unless debugging: its INFO is bundle noise. */
export function installTemporalRuntime(logLevel: string): void {
  const level = logLevel === 'debug' || logLevel === 'trace' ? 'DEBUG' : logLevel === 'error' || logLevel === 'fatal' ? 'ERROR' : 'WARN';
  Runtime.install({ logger: new DefaultLogger(level) });
}

export interface WorkerDeps {
  config: Config;
  db: Kysely<Database>;
  description: RegisterDescription;
  /** Prebuilt workflow bundle (tests share one); otherwise bundled from source. */
  workflowBundle?: WorkerOptions['workflowBundle'];
}

/**
 * The bundle `npm run build` writes beside the compiled code (dist/workflow-bundle.js); running
 * from source there is none, and the worker bundles the workflows itself.
 */
function prebuiltWorkflowBundle(): WorkerOptions['workflowBundle'] | undefined {
  const codePath = path.join(__dirname, '..', 'workflow-bundle.js');
  return existsSync(codePath) ? { codePath } : undefined;
}

/** The worker, its server connection and its letter-rendering threads; the caller closes all three. */
export interface BuiltWorker {
  worker: Worker;
  connection: NativeConnection;
  renderPool: RenderPool;
}

export async function createWorker(deps: WorkerDeps): Promise<BuiltWorker> {
  // The activities write audit links deep inside their transactions, with the process's keys.
  installAuditKeys(keyRingFrom(deps.config.audit));
  // A text missing in a catalog stops the start, naming it, instead of a request in mid-delivery.
  checkCatalogs();
  const connection = await NativeConnection.connect({ address: deps.config.temporal.address });
  const renderPool = createRenderPool();
  const mailer = nodemailer.createTransport(deps.config.mail.smtpUrl);
  const activities = createActivities({
    db: deps.db,
    description: deps.description,
    mailer,
    settings: activitySettingsFrom(deps.config),
    transmissionHosts: deps.config.transmissionHosts,
    httpsCa: deps.config.recipientCaFile ? readFileSync(deps.config.recipientCaFile) : undefined,
    renderLetter: renderPool.render,
  });
  // Versioning by patching, not Worker Versioning (README, "Changing workflow code"): no build id
  // and no deployment options, so every worker on the queue runs the one current bundle, and open
  // workflows, however old, replay on it through their patches.
  const worker = await Worker.create({
    connection,
    namespace: deps.config.temporal.namespace,
    taskQueue: deps.config.temporal.taskQueue,
    activities,
    dataConverter: dataConverterFor(deps.config.payloadCodecKeys),
    // Requests sleep for weeks between steps: a bounded cache keeps the worker's memory flat, and
    // a workflow that wakes after leaving it is rebuilt from its history.
    maxCachedWorkflows: deps.config.workerMaxCachedWorkflows,
    // A request's workflow sleeps for days and leaves the small cache meanwhile, so most of its tasks
    // (and every new request's first) come on the ordinary queue, not the sticky one: half the
    // pollers there rather than the default fifth. A burst of submissions then reaches "awaiting
    // identity" with its first tasks waiting 0.3-1.0 s for a poller instead of 1.5-2.2 s.
    nonStickyToStickyPollRatio: 0.5,
    // Where the server allows eager activity execution (README, "Temporal server settings"), the
    // activities one task schedules start with its completion: room for an access request's nine
    // gatherings at once (the SDK's default reserves 3).
    maxEagerActivityReservationsPerWorkflowTask: 10,
    ...workflowCode(deps.workflowBundle ?? prebuiltWorkflowBundle()),
  });
  return { worker, connection, renderPool };
}

function workflowCode(bundle: WorkerOptions['workflowBundle'] | undefined): Pick<WorkerOptions, 'workflowBundle' | 'workflowsPath'> {
  return bundle ? { workflowBundle: bundle } : { workflowsPath: require.resolve('../workflows') };
}
