/**
 * Request events and transitions. A transition is one transaction: the event (unique per
 * business key, so a retried activity records nothing twice), the projection change and the audit link.
 */
import type { Kysely, Selectable } from 'kysely';
import type { Database } from '../database';
import type { EventsTable } from '../tables/dsr';
import { appendAudit } from './audit';
import { updateRequest, type StateChange } from './requests';

export interface RequestEvent {
  id: number;
  requestId: string;
  businessKey: string;
  type: string;
  state: string | null;
  actor: string;
  at: Date;
  reason: string | null;
  data: Record<string, unknown>;
}

export interface TransitionInput {
  requestId: string;
  /** Unique within the request: the same key twice records one event. */
  businessKey: string;
  type: string;
  actor: string;
  at?: Date;
  reason?: string | null;
  /** Ids, kinds, counts and dates only: never personal data. */
  data?: Record<string, unknown>;
  change?: StateChange;
}

/** Records a transition exactly once; returns false when the business key was already recorded. */
export async function recordTransition(db: Kysely<Database>, t: TransitionInput): Promise<boolean> {
  return db.transaction().execute(async (trx) => recordTransitionIn(trx, t));
}

/** As recordTransition, inside a caller's transaction (for changes that must commit together). */
export async function recordTransitionIn(trx: Kysely<Database>, t: TransitionInput): Promise<boolean> {
  const at = t.at ?? new Date();
  const inserted = await trx
    .insertInto('dsr.events')
    .values({
      request_id: t.requestId,
      business_key: t.businessKey,
      type: t.type,
      state: t.change?.state ?? null,
      actor: t.actor,
      at,
      reason: t.reason ?? null,
      data: JSON.stringify(t.data ?? {}),
    })
    .onConflict((oc) => oc.columns(['request_id', 'business_key']).doNothing())
    .returning('id')
    .executeTakeFirst();
  if (!inserted) return false;
  if (t.change) await updateRequest(trx, t.requestId, t.change);
  await appendAudit(trx, {
    actor: t.actor,
    action: t.type,
    requestId: t.requestId,
    at,
    ref: { kind: 'event', key: String(inserted.id) },
    details: { event: Number(inserted.id), businessKey: t.businessKey, state: t.change?.state ?? null, reason: t.reason ?? null, ...(t.data ?? {}) },
  });
  return true;
}

/** Every event of a request, oldest first. */
export async function listEvents(db: Kysely<Database>, requestId: string): Promise<RequestEvent[]> {
  const rows = await db.selectFrom('dsr.events').selectAll().where('request_id', '=', requestId).orderBy('id').execute();
  return rows.map(toEvent);
}

/** The event a business key names (unique within a request), or null. */
export async function findEvent(db: Kysely<Database>, requestId: string, businessKey: string): Promise<RequestEvent | null> {
  const row = await db.selectFrom('dsr.events').selectAll().where('request_id', '=', requestId).where('business_key', '=', businessKey).executeTakeFirst();
  return row ? toEvent(row) : null;
}

/** The latest event of a type, or null. */
export async function latestEventOfType(db: Kysely<Database>, requestId: string, type: string): Promise<RequestEvent | null> {
  const row = await db
    .selectFrom('dsr.events')
    .selectAll()
    .where('request_id', '=', requestId)
    .where('type', '=', type)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? toEvent(row) : null;
}

/** The events of the given types, oldest first. */
export async function listEventsOfTypes(db: Kysely<Database>, requestId: string, types: readonly string[]): Promise<RequestEvent[]> {
  if (types.length === 0) return [];
  const rows = await db.selectFrom('dsr.events').selectAll().where('request_id', '=', requestId).where('type', 'in', types).orderBy('id').execute();
  return rows.map(toEvent);
}

function toEvent(r: Selectable<EventsTable>): RequestEvent {
  return {
    id: Number(r.id),
    requestId: r.request_id,
    businessKey: r.business_key,
    type: r.type,
    state: r.state,
    actor: r.actor,
    at: new Date(r.at),
    reason: r.reason,
    data: r.data,
  };
}
