/** Sending through the outbox: composed once per business key, sent once, failures recorded and retried. */
import { enqueueMessage, markMessageSent, recordSendFailure, type NewOutboxMessage } from '../db/repositories/outbox';
import type { ActivityDeps } from './deps';

/** Sends the message for a business key unless it already went; a retry never sends a second one. */
export async function sendOnce(deps: ActivityDeps, message: NewOutboxMessage): Promise<{ sent: boolean }> {
  const stored = await enqueueMessage(deps.db, message, deps.settings.messageIdDomain);
  if (stored.sentAt) return { sent: false };
  try {
    await deps.mailer.sendMail({
      from: deps.settings.mailFrom,
      to: stored.recipient,
      subject: stored.subject,
      text: stored.textBody,
      html: stored.htmlBody,
      messageId: stored.messageId,
      headers: { 'X-DSR-Kind': stored.kind },
    });
  } catch (error) {
    await recordSendFailure(deps.db, stored.id, error instanceof Error ? error.message : String(error));
    throw error;
  }
  await markMessageSent(deps.db, stored.id, (deps.now ?? (() => new Date()))());
  return { sent: true };
}
