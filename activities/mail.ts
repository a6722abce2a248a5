/** Sending through the outbox: composed once per business key, sent once, failures recorded and retried. */
import { beginSend, enqueueMessage, markMessageSent, recordSendFailure, type NewOutboxMessage } from '../db/repositories/outbox';
import type { ActivityDeps } from './deps';

/**
 * Sends the message for a business key unless it already went; a retry never sends a second one.
 * Only a crash between the SMTP server's accept and the "sent" mark can make a second send: it then
 * carries the same Message-ID (from the business key) and is recorded on the row as a resend.
 */
export async function sendOnce(deps: ActivityDeps, message: NewOutboxMessage): Promise<{ sent: boolean; resend?: boolean }> {
  const now = deps.now ?? (() => new Date());
  const stored = await enqueueMessage(deps.db, message, deps.settings.messageIdDomain);
  if (stored.sentAt) return { sent: false };
  const { resend } = await beginSend(deps.db, stored.id, now());
  try {
    await deps.mailer.sendMail({
      from: deps.settings.mailFrom,
      to: stored.recipient,
      subject: stored.subject,
      text: stored.textBody,
      html: stored.htmlBody,
      messageId: stored.messageId,
      headers: { 'X-DSR-Kind': stored.kind, ...(resend ? { 'X-DSR-Resend': '1' } : {}) },
    });
  } catch (error) {
    await recordSendFailure(deps.db, stored.id, error instanceof Error ? error.message : String(error));
    throw error;
  }
  await markMessageSent(deps.db, stored.id, now());
  return { sent: true, resend };
}
