/** The e-mail outbox: one row per business key, so a message is composed and sent at most once. */
import { createHash, randomUUID } from 'node:crypto';
import { sql, type Insertable, type Kysely, type Selectable } from 'kysely';
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
  /** Sends made again after an earlier one's outcome was unknown (a crash between accept and mark). */
  resends: number;
}

/** A message to enqueue: the store gives it its id and Message-ID, and counts its sending. */
export type NewOutboxMessage = Omit<OutboxMessage, 'id' | 'messageId' | 'sentAt' | 'attempts' | 'resends'>;

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

/**
 * Notes that a send begins. When an earlier send began and was neither marked sent nor failed, its
 * outcome is unknown (the process died between the SMTP accept and the mark): this send is then a
 * resend, counted and timed on the row. Returns whether it is one.
 */
export async function beginSend(db: Kysely<Database>, id: string, at: Date): Promise<{ resend: boolean }> {
  const row = await db
    .updateTable('dsr.outbox')
    .set((eb) => ({
      resends: sql<number>`resends + CASE WHEN send_started_at IS NULL THEN 0 ELSE 1 END`,
      last_resent_at: sql<Date | null>`CASE WHEN send_started_at IS NULL THEN last_resent_at ELSE ${at} END`,
      send_started_at: eb.val(at),
    }))
    .where('id', '=', id)
    .where('sent_at', 'is', null)
    .returning(sql<boolean>`last_resent_at IS NOT DISTINCT FROM ${at}`.as('resend'))
    .executeTakeFirst();
  return { resend: row?.resend === true };
}

export async function markMessageSent(db: Kysely<Database>, id: string, at: Date): Promise<void> {
  await db.updateTable('dsr.outbox').set({ sent_at: at, last_error: null }).where('id', '=', id).execute();
}

export async function recordSendFailure(db: Kysely<Database>, id: string, error: string): Promise<void> {
  // The SMTP server refused or was not reached: known not sent, so the next send is no resend.
  await db
    .updateTable('dsr.outbox')
    .set((eb) => ({ attempts: eb('attempts', '+', 1), last_error: error.slice(0, 500), send_started_at: null }))
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
    resends: row.resends,
  };
}
