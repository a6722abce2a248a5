/** All SQL for dsr.decisions, dsr.fees and dsr.clock_pauses. */
import type { Kysely } from 'kysely';
import type { Database } from '../database';
import { appendAudit } from './audit';
import type { CategoryDecision, CategoryOutcome, DecisionGround } from '../../domain/decisions';

export interface StoredDecision extends CategoryDecision {
  key: string;
  kind: 'category' | 'correction';
  proposedOutcome: CategoryOutcome;
  proposedGround: DecisionGround;
  decidedAt: Date | null;
  data: Record<string, unknown>;
}

/** Stores the engine's proposals once; a retry (or a later call) never overwrites a decision. */
export async function storeProposals(
  db: Kysely<Database>,
  requestId: string,
  proposals: { key: string; kind: 'category' | 'correction'; outcome: CategoryOutcome; ground: DecisionGround; data?: Record<string, unknown> }[],
): Promise<void> {
  if (proposals.length === 0) return;
  await db
    .insertInto('dsr.decisions')
    .values(
      proposals.map((p) => ({
        request_id: requestId,
        key: p.key,
        kind: p.kind,
        outcome: p.outcome,
        ground: p.ground,
        reason: null,
        proposed_outcome: p.outcome,
        proposed_ground: p.ground,
        decided_by: 'engine',
        decided_at: null,
        data: JSON.stringify(p.data ?? {}),
      })),
    )
    .onConflict((oc) => oc.columns(['request_id', 'key']).doNothing())
    .execute();
}

/**
 * Records a handler's decision on one proposal (confirmation or override), with a link of the audit
 * chain that commits to the decision as recorded. Call inside a transaction.
 */
export async function recordDecision(
  trx: Kysely<Database>,
  requestId: string,
  d: { key: string; outcome: CategoryOutcome; ground: DecisionGround; reason: string | null; decidedBy: string; at: Date; data?: Record<string, unknown> },
): Promise<void> {
  const updated = await trx
    .updateTable('dsr.decisions')
    .set({ outcome: d.outcome, ground: d.ground, reason: d.reason, decided_by: d.decidedBy, decided_at: d.at, ...(d.data ? { data: JSON.stringify(d.data) } : {}) })
    .where('request_id', '=', requestId)
    .where('key', '=', d.key)
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) === 0) return;
  await appendAudit(trx, {
    actor: d.decidedBy,
    action: 'decision_recorded',
    requestId,
    at: d.at,
    ref: { kind: 'decision', key: `${requestId}/${d.key}` },
    details: { key: d.key, outcome: d.outcome, ground: d.ground },
  });
}

export async function listDecisions(db: Kysely<Database>, requestId: string): Promise<StoredDecision[]> {
  const rows = await db.selectFrom('dsr.decisions').selectAll().where('request_id', '=', requestId).orderBy('kind').orderBy('key').execute();
  return rows.map((r) => ({
    key: r.key,
    kind: r.kind,
    category: r.kind === 'category' ? r.key : String((r.data as { category?: string }).category ?? ''),
    outcome: r.outcome as CategoryOutcome,
    ground: r.ground as DecisionGround,
    reason: r.reason,
    decidedBy: r.decided_by,
    proposedOutcome: r.proposed_outcome as CategoryOutcome,
    proposedGround: r.proposed_ground as DecisionGround,
    decidedAt: r.decided_at ? new Date(r.decided_at) : null,
    data: r.data,
  }));
}

export interface Fee {
  amountCents: number;
  ground: string;
  basis: string;
  payBy: string;
  announcedBy: string;
  announcedAt: Date;
  paidAt: Date | null;
}

export async function announceFee(
  trx: Kysely<Database>,
  requestId: string,
  fee: { amountCents: number; ground: string; basis: string; payBy: string; announcedBy: string; at: Date },
): Promise<void> {
  await trx
    .insertInto('dsr.fees')
    .values({ request_id: requestId, amount_cents: fee.amountCents, ground: fee.ground, basis: fee.basis, pay_by: fee.payBy, announced_by: fee.announcedBy, announced_at: fee.at })
    .onConflict((oc) => oc.column('request_id').doNothing())
    .execute();
}

export async function recordFeePaid(trx: Kysely<Database>, requestId: string, by: string, at: Date): Promise<void> {
  await trx.updateTable('dsr.fees').set({ paid_at: at, recorded_by: by }).where('request_id', '=', requestId).where('paid_at', 'is', null).execute();
}

export async function getFee(db: Kysely<Database>, requestId: string): Promise<Fee | null> {
  const r = await db.selectFrom('dsr.fees').selectAll().where('request_id', '=', requestId).executeTakeFirst();
  return r ? { amountCents: r.amount_cents, ground: r.ground, basis: r.basis, payBy: r.pay_by, announcedBy: r.announced_by, announcedAt: new Date(r.announced_at), paidAt: r.paid_at ? new Date(r.paid_at) : null } : null;
}

export async function startClockPause(db: Kysely<Database>, requestId: string, at: Date): Promise<void> {
  const open = await db.selectFrom('dsr.clock_pauses').select('started_at').where('request_id', '=', requestId).where('ended_at', 'is', null).executeTakeFirst();
  if (!open) await db.insertInto('dsr.clock_pauses').values({ request_id: requestId, started_at: at }).execute();
}

export async function endClockPause(trx: Kysely<Database>, requestId: string, at: Date): Promise<void> {
  await trx.updateTable('dsr.clock_pauses').set({ ended_at: at }).where('request_id', '=', requestId).where('ended_at', 'is', null).execute();
}

export async function listClockPauses(db: Kysely<Database>, requestId: string): Promise<{ start: Date; end: Date | null }[]> {
  const rows = await db.selectFrom('dsr.clock_pauses').selectAll().where('request_id', '=', requestId).orderBy('started_at').execute();
  return rows.map((r) => ({ start: new Date(r.started_at), end: r.ended_at ? new Date(r.ended_at) : null }));
}
