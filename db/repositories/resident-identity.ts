/**
 * Resident identification: all SQL for dsr.resident_codes and dsr.resident_sessions, and the
 * queries behind "my requests" (a resident's own requests, found by henkilötunnus or e-mail).
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../database';
import type { RequestOwner, ResidentIdentity } from '../../domain/resident-identity';
import type { Outcome, RequestState, RequestSummary, Right } from '../../domain/request';
import { getRequestSummary } from './requests';

// --- sessions ---------------------------------------------------------------------------------

/** Stores a session under the hash of its token. */
export async function insertResidentSession(db: Kysely<Database>, s: { id: string; identity: ResidentIdentity; expiresAt: Date }): Promise<void> {
  const i = s.identity;
  await db
    .insertInto('dsr.resident_sessions')
    .values({
      id: s.id,
      method: i.method,
      hetu: i.method === 'strong_eid' ? i.hetu : null,
      first_name: i.method === 'strong_eid' ? i.firstName : null,
      last_name: i.method === 'strong_eid' ? i.lastName : null,
      email: i.method === 'email' ? i.email : null,
      expires_at: s.expiresAt,
    })
    .execute();
}

/** The identity of a live session; an expired one is deleted on the way and counts as none. */
export async function findResidentSession(db: Kysely<Database>, id: string, now: Date): Promise<{ identity: ResidentIdentity; expiresAt: Date } | null> {
  const row = await db.selectFrom('dsr.resident_sessions').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) return null;
  if (row.expires_at.getTime() <= now.getTime()) {
    await deleteResidentSession(db, id);
    return null;
  }
  const identity: ResidentIdentity =
    row.method === 'strong_eid' ? { method: 'strong_eid', hetu: row.hetu!, firstName: row.first_name!, lastName: row.last_name! } : { method: 'email', email: row.email! };
  return { identity, expiresAt: row.expires_at };
}

export async function deleteResidentSession(db: Kysely<Database>, id: string): Promise<void> {
  await db.deleteFrom('dsr.resident_sessions').where('id', '=', id).execute();
}

/** Removes sessions that have expired, so identities are not kept longer than the sessions last. */
export async function deleteExpiredResidentSessions(db: Kysely<Database>, now: Date): Promise<void> {
  await db.deleteFrom('dsr.resident_sessions').where('expires_at', '<=', now).execute();
}

// --- one-time codes ---------------------------------------------------------------------------

export interface ResidentCode {
  id: string;
  email: string;
  /** Null only in rows from before the limits moved to services/rate-limits.ts (a refused ask). */
  codeHash: string | null;
  attempts: number;
  createdAt: Date;
  expiresAt: Date;
  usedAt: Date | null;
}

function toCode(row: { id: string; email: string; code_hash: string | null; attempts: number; created_at: Date; expires_at: Date; used_at: Date | null }): ResidentCode {
  return { id: row.id, email: row.email, codeHash: row.code_hash, attempts: row.attempts, createdAt: row.created_at, expiresAt: row.expires_at, usedAt: row.used_at };
}

export async function insertResidentCode(
  db: Kysely<Database>,
  c: { id: string; browserHash: string; email: string; codeHash: string | null; createdAt: Date; expiresAt: Date },
): Promise<void> {
  await db
    .insertInto('dsr.resident_codes')
    .values({ id: c.id, browser_hash: c.browserHash, email: c.email, code_hash: c.codeHash, created_at: c.createdAt, expires_at: c.expiresAt })
    .execute();
}

export async function deleteResidentCode(db: Kysely<Database>, id: string): Promise<void> {
  await db.deleteFrom('dsr.resident_codes').where('id', '=', id).execute();
}

/** The browser's latest ask for a code: its address is the one the code page confirms. */
export async function latestCodeAsk(db: Kysely<Database>, browserHash: string): Promise<ResidentCode | null> {
  const row = await db.selectFrom('dsr.resident_codes').selectAll().where('browser_hash', '=', browserHash).orderBy('created_at', 'desc').limit(1).executeTakeFirst();
  return row ? toCode(row) : null;
}

/** The unused codes sent to this browser for this address, newest first (expired and dead ones included). */
export async function unusedCodes(db: Kysely<Database>, browserHash: string, email: string): Promise<ResidentCode[]> {
  const rows = await db
    .selectFrom('dsr.resident_codes')
    .selectAll()
    .where('browser_hash', '=', browserHash)
    .where(sql<string>`lower(email)`, '=', email.toLowerCase())
    .where('code_hash', 'is not', null)
    .where('used_at', 'is', null)
    .orderBy('created_at', 'desc')
    .execute();
  return rows.map(toCode);
}

/**
 * Uses a code once: true for the one caller that marks it used while it is still live. The other
 * codes of the browser stop working with it.
 */
export async function useCode(db: Kysely<Database>, c: { id: string; browserHash: string; maxAttempts: number; now: Date }): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const used = await trx
      .updateTable('dsr.resident_codes')
      .set({ used_at: c.now })
      .where('id', '=', c.id)
      .where('used_at', 'is', null)
      .where('expires_at', '>', c.now)
      .where('attempts', '<', c.maxAttempts)
      .returning('id')
      .executeTakeFirst();
    if (!used) return false;
    await trx.updateTable('dsr.resident_codes').set({ expires_at: c.now }).where('browser_hash', '=', c.browserHash).where('used_at', 'is', null).where('expires_at', '>', c.now).execute();
    return true;
  });
}

/** Forgets codes long past: after their expiry and the throttle's window they serve no purpose. */
export async function deleteOldCodes(db: Kysely<Database>, before: Date): Promise<void> {
  await db.deleteFrom('dsr.resident_codes').where('created_at', '<', before).where('expires_at', '<', before).execute();
}

// --- my requests ------------------------------------------------------------------------------

/** What "my requests" shows of one request. */
export type OwnRequest = Pick<RequestSummary, 'reference' | 'right' | 'state' | 'outcome' | 'receivedOn' | 'deadline' | 'extendedDeadline' | 'extended'>;

/** The owner's requests, newest first: by henkilötunnus, or by e-mail address in any letter case. */
export async function listOwnRequests(db: Kysely<Database>, owner: RequestOwner): Promise<OwnRequest[]> {
  const rows = await db
    .selectFrom('dsr.requests')
    .select(['reference', 'right', 'state', 'outcome', 'received_on', 'deadline', 'extended_deadline', 'extended_at'])
    .where((eb) => ('hetu' in owner ? eb('subject_hetu', '=', owner.hetu) : eb(sql<string>`lower(subject_email)`, '=', owner.email.toLowerCase())))
    .orderBy('received_at', 'desc')
    .orderBy('reference')
    .execute();
  return rows.map((r) => ({
    reference: r.reference,
    right: r.right as Right,
    state: r.state as RequestState,
    outcome: r.outcome as Outcome | null,
    receivedOn: r.received_on,
    deadline: r.deadline,
    extendedDeadline: r.extended_deadline,
    extended: r.extended_at !== null,
  }));
}

/** The request a reference names if it is the owner's; null for someone else's and for an unknown one alike. */
export async function findOwnRequest(db: Kysely<Database>, owner: RequestOwner, reference: string): Promise<RequestSummary | null> {
  const row = await db
    .selectFrom('dsr.requests')
    .select('id')
    .where('reference', '=', reference)
    .where((eb) => ('hetu' in owner ? eb('subject_hetu', '=', owner.hetu) : eb(sql<string>`lower(subject_email)`, '=', owner.email.toLowerCase())))
    .executeTakeFirst();
  return row ? getRequestSummary(db, row.id) : null;
}
