/** The e-mail outbox: one row per business key, so a message is composed and sent at most once. */
import { createHash, randomUUID } from 'node:crypto';
import type { Insertable, Kysely, Selectable } from 'kysely';
import type { Database } from '../database';
import type { OutboxTable } from '../tables/dsr';

type OutboxRow = Selectable<OutboxTable>;
type NewOutboxRow = Insertable<OutboxTable>;

export interface OutboxMessage {
  id: string;
  businessKey: string;
  requestId: string | null;
  kind: string;
  recipient: string;
  subject: string;
  textBody: string;
  htmlBody: string;
  messageId: string;
  sentAt: Date | null;
  attempts: number;
}

/** A message to enqueue: the store gives it its id and Message-ID, and counts its sending. */
export type NewOutboxMessage = Omit<OutboxMessage, 'id' | 'messageId' | 'sentAt' | 'attempts'>;

/** A stable Message-ID from the business key, so even a resend after a crash is recognisable. */
export function messageIdFor(businessKey: string, domain: string): string {
  return `<${createHash('sha256').update(businessKey).digest('hex').slice(0, 32)}@${domain}>`;
}

/** Adds a message unless one with the same business key exists; returns the stored one. */
export async function enqueueMessage(db: Kysely<Database>, m: NewOutboxMessage, domain: string): Promise<OutboxMessage> {
  const row: NewOutboxRow = {
    id: randomUUID(),
    business_key: m.businessKey,
    request_id: m.requestId,
    kind: m.kind,
    recipient: m.recipient,
    subject: m.subject,
    text_body: m.textBody,
    html_body: m.htmlBody,
    message_id: messageIdFor(m.businessKey, domain),
  };
  const inserted = await db
    .insertInto('dsr.outbox')
    .values(row)
    .onConflict((oc) => oc.column('business_key').doNothing())
    .returningAll()
    .executeTakeFirst();
  // Only a retry (the key already stored) needs a second query, for the stored message and whether it went.
  if (inserted) return toMessage(inserted);
  return toMessage(await db.selectFrom('dsr.outbox').selectAll().where('business_key', '=', m.businessKey).executeTakeFirstOrThrow());
}

export async function markMessageSent(db: Kysely<Database>, id: string, at: Date): Promise<void> {
  await db.updateTable('dsr.outbox').set({ sent_at: at, last_error: null }).where('id', '=', id).execute();
}

export async function recordSendFailure(db: Kysely<Database>, id: string, error: string): Promise<void> {
  await db
    .updateTable('dsr.outbox')
    .set((eb) => ({ attempts: eb('attempts', '+', 1), last_error: error.slice(0, 500) }))
    .where('id', '=', id)
    .execute();
}

/** Messages of one request (for the staff and audit views). */
export async function listMessages(db: Kysely<Database>, requestId: string): Promise<OutboxMessage[]> {
  const rows = await db.selectFrom('dsr.outbox').selectAll().where('request_id', '=', requestId).orderBy('created_at').execute();
  return rows.map(toMessage);
}

function toMessage(row: OutboxRow): OutboxMessage {
  return {
    id: row.id,
    businessKey: row.business_key,
    requestId: row.request_id,
    kind: row.kind,
    recipient: row.recipient,
    subject: row.subject,
    textBody: row.text_body,
    htmlBody: row.html_body,
    messageId: row.message_id,
    sentAt: row.sent_at ? new Date(row.sent_at) : null,
    attempts: row.attempts,
  };
}
