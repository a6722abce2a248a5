/**
 * The audit chain's integrity as staff see it. Every verification (the whole chain, or one
 * request's links) goes through here: a break it finds becomes an alarm, mailed to the DPO
 * (tietosuojavastaava) once, and shown on every auditor and DPO page. The alarm stays, even if a
 * later check passes, until an admin records an incident note, itself a link of the chain; the
 * same break found again after that is shown as recorded, never as intact.
 */
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Database } from '../db/database';
import { appendAudit } from '../db/repositories/audit';
import { answeredAlarm, insertAlarm, latestAlarm, markAlarmMailed, openAlarm, resolveAlarms, type AuditAlarm } from '../db/repositories/audit-alarms';
import { checkpointFile, type SignedCheckpoint } from '../db/repositories/audit-checkpoints';
import { auditKeys } from '../db/repositories/audit-keys';
import { verifyAuditChain, verifyRequestLinks, type ChainProblem, type ChainVerification, type RequestLinksVerification } from '../db/repositories/audit-verify';
import { enqueueMessage, markMessageSent, recordSendFailure } from '../db/repositories/outbox';
import { renderEmail } from '../templates/email';
import type { ApiMailer } from './context';

export interface IntegrityDeps {
  db: Kysely<Database>;
  mailer: ApiMailer;
  logger: Pick<Logger, 'error' | 'warn'>;
  mail: { from: string; messageIdDomain: string; staffNotify: string };
  publicBaseUrl: string;
  checkpointDir: string | null;
}

export type IntegrityState = 'intact' | 'broken' | 'incident_recorded';

export interface IntegrityStatus {
  state: IntegrityState;
  /** What the check found now. */
  found: { valid: boolean; brokenAt?: number; problem?: ChainProblem; entries: number; headHash?: string };
  /** The open alarm (what was found first), when there is one. */
  alarm: AuditAlarm | null;
  /** The incident note that answered this very break, when the state is incident_recorded. */
  incident: AuditAlarm | null;
  /** The newest signed checkpoint the check was held against, and its file to copy. */
  checkpoint: SignedCheckpoint | null;
  checkpointFile: string | null;
}

/** The default check: the whole chain from the genesis against the newest signed checkpoint. */
export async function checkWholeChain(deps: IntegrityDeps): Promise<IntegrityStatus & { chain: ChainVerification }> {
  const chain = await verifyAuditChain(deps.db, { checkpointDir: deps.checkpointDir });
  const checkpoint = chain.recorded ?? chain.checkpoint;
  const status = await settle(deps, { valid: chain.valid, brokenAt: chain.brokenAt, problem: chain.problem, entries: chain.entries, headHash: chain.headHash }, checkpoint);
  return { ...status, chain };
}

/**
 * The auditor's search page: the chains that changed since the newest signed checkpoint, so a page
 * costs what was added since, not the whole log (the whole log is walked at intervals, by
 * GET /api/v1/audit/chain and by "verify the whole chain"). A break a whole-log check found, and no
 * whole-log check has passed since, is still shown (as recorded once an admin's note answered it):
 * a continued check does not look where that break is, so it cannot say it is gone.
 */
export async function checkRecentChains(deps: IntegrityDeps): Promise<IntegrityStatus & { chain: ChainVerification }> {
  const chain = await verifyAuditChain(deps.db, { checkpointDir: deps.checkpointDir, fromCheckpoint: true });
  const checkpoint = chain.recorded ?? chain.checkpoint;
  let found: IntegrityStatus['found'] = { valid: chain.valid, brokenAt: chain.brokenAt, problem: chain.problem, entries: chain.entries, headHash: chain.headHash };
  const last = chain.valid && chain.from ? await latestAlarm(deps.db) : null;
  if (last && (!chain.lastFull || last.detectedAt.toISOString() > chain.lastFull)) {
    found = { ...found, valid: false, brokenAt: last.brokenAt ?? undefined, problem: last.problem as ChainProblem };
  }
  return { ...(await settle(deps, found, checkpoint)), chain };
}

/** One request's links against the signed checkpoint (a per-request view's check). */
export async function checkRequestLinks(deps: IntegrityDeps, requestId: string): Promise<IntegrityStatus & { links: RequestLinksVerification }> {
  const links = await verifyRequestLinks(deps.db, requestId, { checkpointDir: deps.checkpointDir });
  const status = await settle(deps, { valid: links.valid, brokenAt: links.brokenAt, problem: links.problem, entries: links.links }, links.checkpoint);
  return { ...status, links };
}

async function settle(deps: IntegrityDeps, found: IntegrityStatus['found'], checkpoint: SignedCheckpoint | null): Promise<IntegrityStatus> {
  const file = checkpoint ? checkpointFile(auditKeys(), checkpoint) : null;
  let alarm = await openAlarm(deps.db);
  let incident: AuditAlarm | null = null;
  if (!found.valid) {
    incident = await answeredAlarm(deps.db, found.brokenAt ?? null, found.problem!);
    if (!alarm && !incident) alarm = await raiseAlarm(deps, found.brokenAt ?? null, found.problem!);
  }
  const state: IntegrityState = alarm ? 'broken' : found.valid ? 'intact' : 'incident_recorded';
  return { state, found, alarm, incident: state === 'incident_recorded' ? incident : null, checkpoint, checkpointFile: file };
}

/** Records the alarm and mails the DPO; a mail that fails is left in the outbox and logged, the alarm stands. */
async function raiseAlarm(deps: IntegrityDeps, brokenAt: number | null, problem: ChainProblem): Promise<AuditAlarm> {
  const detectedAt = new Date();
  const alarm = await insertAlarm(deps.db, { detectedAt, brokenAt, problem });
  if (!alarm) return (await openAlarm(deps.db))!;
  deps.logger.error({ alarm: alarm.id, brokenAt, problem }, 'the audit chain is broken');
  const email = renderEmail({
    kind: 'audit_chain_broken',
    language: 'fi',
    reference: '',
    brokenAt,
    problem,
    detectedAt: detectedAt.toISOString(),
    consoleUrl: `${deps.publicBaseUrl}/staff/audit`,
  });
  const message = await enqueueMessage(
    deps.db,
    { businessKey: `audit-alarm:${alarm.id}`, requestId: null, kind: 'audit_chain_broken', recipient: deps.mail.staffNotify, subject: email.subject, textBody: email.text, htmlBody: email.html },
    deps.mail.messageIdDomain,
  );
  try {
    await deps.mailer.sendMail({ from: deps.mail.from, to: message.recipient, subject: message.subject, text: message.textBody, html: message.htmlBody, messageId: message.messageId, headers: { 'X-DSR-Kind': message.kind } });
    await markMessageSent(deps.db, message.id, new Date());
    await markAlarmMailed(deps.db, alarm.id, new Date());
  } catch (error) {
    await recordSendFailure(deps.db, message.id, error instanceof Error ? error.message : String(error));
    deps.logger.warn({ alarm: alarm.id }, 'the audit alarm could not be mailed to the DPO; it stays in the outbox');
  }
  return alarm;
}

/** The open alarm, for the banner of every auditor and DPO page. */
export function currentAlarm(db: Kysely<Database>): Promise<AuditAlarm | null> {
  return openAlarm(db);
}

/**
 * An admin's incident note: a link of the chain (who, when, what was found, the note), answering
 * every open alarm. Returns null when there was no open alarm to answer.
 */
export async function recordIncidentNote(db: Kysely<Database>, admin: string, note: string): Promise<{ seq: number; answered: number } | null> {
  return db.transaction().execute(async (trx) => {
    const alarm = await openAlarm(trx);
    if (!alarm) return null;
    const at = new Date();
    const link = await appendAudit(trx, {
      actor: admin,
      action: 'audit_incident_noted',
      requestId: null,
      at,
      details: { alarm: alarm.id, brokenAt: alarm.brokenAt, problem: alarm.problem, detectedAt: alarm.detectedAt.toISOString(), note },
    });
    const answered = await resolveAlarms(trx, admin, at, link.seq);
    return { seq: link.seq, answered };
  });
}

/**
 * Verifies the whole chain at intervals, so checkpoints are signed and exported even when no one
 * opens the auditor's pages, and a break raises its alarm by itself. Failures are logged, and the
 * next round tries again.
 */
export function startCheckpointer(deps: IntegrityDeps, intervalMs: number): { stop(): void } {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    checkWholeChain(deps)
      .catch((error: unknown) => deps.logger.error({ err: error instanceof Error ? error.message : String(error) }, 'the periodic audit verification failed'))
      .finally(() => {
        running = false;
      });
  }, intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
