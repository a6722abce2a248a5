/** The narrow dependencies activities are built from; the worker wires real ones, tests their own. */
import type { Kysely } from 'kysely';
import type { Database } from '../db/database';
import type { RegisterDescription } from '../domain/register-description';
import type { Letter } from '../templates/types';

/** The part of a nodemailer transport the activities use. */
export interface Mailer {
  sendMail(message: {
    from: string;
    to: string;
    subject: string;
    text: string;
    html: string;
    messageId: string;
    headers?: Record<string, string>;
  }): Promise<{ messageId?: string }>;
}

export interface ActivitySettings {
  publicBaseUrl: string;
  mailFrom: string;
  messageIdDomain: string;
  staffNotifyEmail: string;
  reminderDaysBefore: number[];
  overdueRepeatDays: number;
  pauseWhileAwaitingIdentity: boolean;
  identityReminderDays: number;
  identityCloseDays: number;
  extendedMonths: number;
  downloadLinkDays: number;
  /** Secret from which download tokens are derived, so a retried delivery sends the same link. */
  linkSecret: string;
  /** Older secrets still in the token ring: a delivery retried across a rotation finds its first link's token. */
  olderLinkSecrets?: string[];
  /** GDPR 5(1)(e): days after a download window ends until answer documents and exports are deleted. */
  documentRetentionDays: number;
  /** How far transient failures are retried before the step counts as failed (needs_attention). */
  activityRetry?: { maximumAttempts: number; scheduleToCloseMinutes: number };
}

export interface ActivityDeps {
  db: Kysely<Database>;
  description: RegisterDescription;
  mailer: Mailer;
  settings: ActivitySettings;
  now?: () => Date;
  /** Renders a letter to PDF bytes; the worker passes its thread pool, tests may leave it out (in-process). */
  renderLetter?: (letter: Letter) => Promise<Buffer>;
}
