/** All SQL for dsr.audit_alarms: breaks of the audit chain a verification found, until an incident note. */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../database';

export interface AuditAlarm {
  id: number;
  detectedAt: Date;
  brokenAt: number | null;
  problem: string;
  mailedAt: Date | null;
  resolvedAt: Date | null;
  resolvedBy: string | null;
  incidentSeq: number | null;
}

/** The oldest alarm no incident note has answered yet, or null. */
export async function openAlarm(db: Kysely<Database>): Promise<AuditAlarm | null> {
  const row = await db.selectFrom('dsr.audit_alarms').selectAll().where('resolved_at', 'is', null).orderBy('id').limit(1).executeTakeFirst();
  return row ? toAlarm(row) : null;
}

/** The latest answered alarm for this very break (same position, same problem), or null. */
export async function answeredAlarm(db: Kysely<Database>, brokenAt: number | null, problem: string): Promise<AuditAlarm | null> {
  let q = db.selectFrom('dsr.audit_alarms').selectAll().where('resolved_at', 'is not', null).where('problem', '=', problem);
  q = brokenAt === null ? q.where('broken_at', 'is', null) : q.where('broken_at', '=', String(brokenAt));
  const row = await q.orderBy('id', 'desc').limit(1).executeTakeFirst();
  return row ? toAlarm(row) : null;
}

/** The alarm raised last, answered or not, or null. */
export async function latestAlarm(db: Kysely<Database>): Promise<AuditAlarm | null> {
  const row = await db.selectFrom('dsr.audit_alarms').selectAll().orderBy('id', 'desc').limit(1).executeTakeFirst();
  return row ? toAlarm(row) : null;
}

/** Opens an alarm; null when one is open already (raised by a concurrent check), which then stands. */
export async function insertAlarm(db: Kysely<Database>, a: { detectedAt: Date; brokenAt: number | null; problem: string }): Promise<AuditAlarm | null> {
  const row = await db
    .insertInto('dsr.audit_alarms')
    .values({ detected_at: a.detectedAt, broken_at: a.brokenAt === null ? null : String(a.brokenAt), problem: a.problem, mailed_at: null, resolved_at: null, resolved_by: null, incident_seq: null })
    .onConflict((oc) => oc.expression(sql`(resolved_at IS NULL)`).where('resolved_at', 'is', null).doNothing())
    .returningAll()
    .executeTakeFirst();
  return row ? toAlarm(row) : null;
}

export async function markAlarmMailed(db: Kysely<Database>, id: number, at: Date): Promise<void> {
  await db.updateTable('dsr.audit_alarms').set({ mailed_at: at }).where('id', '=', String(id)).execute();
}

/** Answers every open alarm with the incident note at link `incidentSeq`. */
export async function resolveAlarms(db: Kysely<Database>, by: string, at: Date, incidentSeq: number): Promise<number> {
  const result = await db
    .updateTable('dsr.audit_alarms')
    .set({ resolved_at: at, resolved_by: by, incident_seq: String(incidentSeq) })
    .where('resolved_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

function toAlarm(r: {
  id: string;
  detected_at: Date;
  broken_at: string | null;
  problem: string;
  mailed_at: Date | null;
  resolved_at: Date | null;
  resolved_by: string | null;
  incident_seq: string | null;
}): AuditAlarm {
  return {
    id: Number(r.id),
    detectedAt: new Date(r.detected_at),
    brokenAt: r.broken_at === null ? null : Number(r.broken_at),
    problem: r.problem,
    mailedAt: r.mailed_at ? new Date(r.mailed_at) : null,
    resolvedAt: r.resolved_at ? new Date(r.resolved_at) : null,
    resolvedBy: r.resolved_by,
    incidentSeq: r.incident_seq === null ? null : Number(r.incident_seq),
  };
}
