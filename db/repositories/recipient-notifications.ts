/**
 * GDPR 19 and 20(2): all SQL for dsr.recipient_notifications and dsr.transmissions, and the reads of
 * the disclosure log (register.disclosures) that say whom a subject's data went to.
 */
import { randomUUID } from 'node:crypto';
import { sql, type Kysely, type Selectable } from 'kysely';
import type { Database } from '../database';
import type { RecipientNotificationsTable, TransmissionsTable } from '../tables/notifications';

/** The changes GDPR 19 says must be passed on to recipients. */
export const CHANGE_KINDS = [
  'rectification', // GDPR 16
  'erasure', // GDPR 17(1)
  'restriction', // GDPR 18
] as const;
export type ChangeKind = (typeof CHANGE_KINDS)[number];

/** How a recipient is told: the register description's channel, or none configured. */
export const NOTIFICATION_CHANNELS = ['email', 'https', 'none'] as const;
export type NotificationChannelType = (typeof NOTIFICATION_CHANNELS)[number];

export const NOTIFICATION_STATUSES = ['pending', 'delivered', 'failed', 'not_notified'] as const;
export type NotificationStatus = (typeof NOTIFICATION_STATUSES)[number];

export const TRANSMISSION_STATUSES = ['pending', 'delivered', 'failed'] as const;
export type TransmissionStatus = (typeof TRANSMISSION_STATUSES)[number];

const MAX_ERROR_LENGTH = 500;

export interface RecipientNotification {
  id: string;
  requestId: string;
  businessKey: string;
  recipientKey: string;
  channel: NotificationChannelType;
  changeKind: ChangeKind;
  categories: string[];
  status: NotificationStatus;
  attempts: number;
  lastError: string | null;
  deliveredAt: Date | null;
  responseStatus: number | null;
  notNotifiedReason: string | null;
  decidedBy: string | null;
  decidedAt: Date | null;
  createdAt: Date;
}

/** The recorded decision that notifying a recipient is impossible or disproportionate (GDPR 19). */
export interface NotNotifiedDecision {
  reason: string;
  decidedBy: string;
  at: Date;
}

export interface NewRecipientNotification {
  requestId: string;
  businessKey: string;
  recipientKey: string;
  channel: NotificationChannelType;
  changeKind: ChangeKind;
  categories: string[];
  /** Given: the row is created as not_notified with this decision. */
  decision?: NotNotifiedDecision;
}

/** The distinct recipients in the subject's disclosure log, optionally only of disclosures covering `categories`. */
export async function recipientsOfSubject(db: Kysely<Database>, personId: string, categories?: readonly string[]): Promise<string[]> {
  let q = db.selectFrom('register.disclosures').select('recipient_key').distinct().where('person_id', '=', personId);
  if (categories) q = q.where(sql<boolean>`categories && ${sql.val([...categories])}::text[]`);
  const rows = await q.orderBy('recipient_key').execute();
  return rows.map((r) => r.recipient_key);
}

/**
 * Per recipient, the categories of the subject's data it was given, limited to `categories` when
 * given: a recipient is told only of changes to data it actually received (GDPR 19).
 */
export async function disclosedCategoriesByRecipient(
  db: Kysely<Database>,
  personId: string,
  categories?: readonly string[],
): Promise<Map<string, string[]>> {
  const only = categories ? sql`and c.category = any(${sql.val([...categories])}::text[])` : sql``;
  const { rows } = await sql<{ recipient_key: string; category: string }>`
    select distinct d.recipient_key, c.category
    from register.disclosures d cross join lateral unnest(d.categories) as c(category)
    where d.person_id = ${personId} ${only}
    order by d.recipient_key, c.category`.execute(db);
  const byRecipient = new Map<string, string[]>();
  for (const row of rows) byRecipient.set(row.recipient_key, [...(byRecipient.get(row.recipient_key) ?? []), row.category]);
  return byRecipient;
}

/** The register person's henkilötunnus: only ever sent over TLS to a recipient that already holds it. */
export async function personHetu(db: Kysely<Database>, personId: string): Promise<string | null> {
  const row = await db.selectFrom('register.persons').select('hetu').where('id', '=', personId).executeTakeFirst();
  return row?.hetu ?? null;
}

/** Creates the notification for a business key unless it exists; returns the stored one either way. */
export async function ensureNotification(db: Kysely<Database>, n: NewRecipientNotification): Promise<RecipientNotification> {
  await db
    .insertInto('dsr.recipient_notifications')
    .values({
      id: randomUUID(),
      request_id: n.requestId,
      business_key: n.businessKey,
      recipient_key: n.recipientKey,
      channel: n.channel,
      change_kind: n.changeKind,
      categories: n.categories,
      ...(n.decision
        ? { status: 'not_notified', not_notified_reason: n.decision.reason, decided_by: n.decision.decidedBy, decided_at: n.decision.at }
        : {}),
    })
    .onConflict((oc) => oc.column('business_key').doNothing())
    .execute();
  return (await getNotification(db, n.businessKey))!;
}

export async function getNotification(db: Kysely<Database>, businessKey: string): Promise<RecipientNotification | null> {
  const row = await db.selectFrom('dsr.recipient_notifications').selectAll().where('business_key', '=', businessKey).executeTakeFirst();
  return row ? toNotification(row) : null;
}

/** Every notification of a request, recipient by recipient (staff and audit views). */
export async function listNotifications(db: Kysely<Database>, requestId: string): Promise<RecipientNotification[]> {
  const rows = await db
    .selectFrom('dsr.recipient_notifications')
    .selectAll()
    .where('request_id', '=', requestId)
    .orderBy('change_kind')
    .orderBy('recipient_key')
    .execute();
  return rows.map(toNotification);
}

export async function markNotificationDelivered(db: Kysely<Database>, id: string, at: Date, responseStatus: number | null): Promise<void> {
  await db
    .updateTable('dsr.recipient_notifications')
    .set((eb) => ({ status: 'delivered', delivered_at: at, response_status: responseStatus, last_error: null, attempts: eb('attempts', '+', 1) }))
    .where('id', '=', id)
    .where('status', 'in', ['pending', 'failed'])
    .execute();
}

/** Records a failed attempt; returns the number of attempts so far. */
export async function recordNotificationFailure(db: Kysely<Database>, id: string, error: string, responseStatus: number | null): Promise<number> {
  const row = await db
    .updateTable('dsr.recipient_notifications')
    .set((eb) => ({ status: 'failed', response_status: responseStatus, last_error: error.slice(0, MAX_ERROR_LENGTH), attempts: eb('attempts', '+', 1) }))
    .where('id', '=', id)
    .returning('attempts')
    .executeTakeFirstOrThrow();
  return row.attempts;
}

/**
 * Records that a recipient will not be notified. A delivered notice cannot be undone, so it is
 * left alone; returns false then.
 */
export async function decideNotNotified(db: Kysely<Database>, id: string, decision: NotNotifiedDecision): Promise<boolean> {
  const result = await db
    .updateTable('dsr.recipient_notifications')
    .set({ status: 'not_notified', not_notified_reason: decision.reason, decided_by: decision.decidedBy, decided_at: decision.at })
    .where('id', '=', id)
    .where('status', '<>', 'delivered')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/**
 * GDPR 19: notices that could not be sent (no channel, or a failed delivery) and wait for a handler
 * to decide whether telling the recipient is impossible or disproportionate. Of requests visible to
 * `visibleTo` (assigned to them or to nobody) when given.
 */
export async function countAwaitingRecipientDecision(db: Kysely<Database>, visibleTo?: string): Promise<number> {
  let q = db
    .selectFrom('dsr.recipient_notifications as n')
    .innerJoin('dsr.requests as r', 'r.id', 'n.request_id')
    .select(sql<string>`count(*)`.as('n'))
    .where((eb) => eb.or([eb.and([eb('n.status', '=', 'pending'), eb('n.channel', '=', 'none')]), eb('n.status', '=', 'failed')]));
  if (visibleTo !== undefined) q = q.where((eb) => eb.or([eb('r.assigned_to', '=', visibleTo), eb('r.assigned_to', 'is', null)]));
  const row = await q.executeTakeFirstOrThrow();
  return Number(row.n);
}

function toNotification(row: Selectable<RecipientNotificationsTable>): RecipientNotification {
  return {
    id: row.id,
    requestId: row.request_id,
    businessKey: row.business_key,
    recipientKey: row.recipient_key,
    channel: row.channel as NotificationChannelType,
    changeKind: row.change_kind as ChangeKind,
    categories: row.categories,
    status: row.status as NotificationStatus,
    attempts: row.attempts,
    lastError: row.last_error,
    deliveredAt: row.delivered_at ? new Date(row.delivered_at) : null,
    responseStatus: row.response_status,
    notNotifiedReason: row.not_notified_reason,
    decidedBy: row.decided_by,
    decidedAt: row.decided_at ? new Date(row.decided_at) : null,
    createdAt: new Date(row.created_at),
  };
}

export interface Transmission {
  id: string;
  requestId: string;
  businessKey: string;
  documentIds: string[];
  endpointUrl: string;
  status: TransmissionStatus;
  responseStatus: number | null;
  attempts: number;
  lastError: string | null;
  deliveredAt: Date | null;
  createdAt: Date;
}

export interface NewTransmission {
  requestId: string;
  businessKey: string;
  documentIds: string[];
  endpointUrl: string;
}

/** Creates the transmission for a business key unless it exists; returns the stored one either way. */
export async function ensureTransmission(db: Kysely<Database>, t: NewTransmission): Promise<Transmission> {
  await db
    .insertInto('dsr.transmissions')
    .values({ id: randomUUID(), request_id: t.requestId, business_key: t.businessKey, document_ids: t.documentIds, endpoint_url: t.endpointUrl })
    .onConflict((oc) => oc.column('business_key').doNothing())
    .execute();
  const row = await db.selectFrom('dsr.transmissions').selectAll().where('business_key', '=', t.businessKey).executeTakeFirstOrThrow();
  return toTransmission(row);
}

export async function listTransmissions(db: Kysely<Database>, requestId: string): Promise<Transmission[]> {
  const rows = await db.selectFrom('dsr.transmissions').selectAll().where('request_id', '=', requestId).orderBy('created_at').execute();
  return rows.map(toTransmission);
}

export async function markTransmissionDelivered(db: Kysely<Database>, id: string, at: Date, responseStatus: number): Promise<void> {
  await db
    .updateTable('dsr.transmissions')
    .set((eb) => ({ status: 'delivered', delivered_at: at, response_status: responseStatus, last_error: null, attempts: eb('attempts', '+', 1) }))
    .where('id', '=', id)
    .where('status', '<>', 'delivered')
    .execute();
}

/** Records a failed attempt; returns the number of attempts so far. */
export async function recordTransmissionFailure(db: Kysely<Database>, id: string, error: string, responseStatus: number | null): Promise<number> {
  const row = await db
    .updateTable('dsr.transmissions')
    .set((eb) => ({ status: 'failed', response_status: responseStatus, last_error: error.slice(0, MAX_ERROR_LENGTH), attempts: eb('attempts', '+', 1) }))
    .where('id', '=', id)
    .returning('attempts')
    .executeTakeFirstOrThrow();
  return row.attempts;
}

function toTransmission(row: Selectable<TransmissionsTable>): Transmission {
  return {
    id: row.id,
    requestId: row.request_id,
    businessKey: row.business_key,
    documentIds: row.document_ids,
    endpointUrl: row.endpoint_url,
    status: row.status as TransmissionStatus,
    responseStatus: row.response_status,
    attempts: row.attempts,
    lastError: row.last_error,
    deliveredAt: row.delivered_at ? new Date(row.delivered_at) : null,
    createdAt: new Date(row.created_at),
  };
}
