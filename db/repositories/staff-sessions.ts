/** Staff sessions: the tokens revoked by signing out. All SQL for dsr.revoked_staff_tokens. */
import type { Kysely } from 'kysely';
import type { Database } from '../database';

/**
 * Revokes a token by its jti until it would have expired. Rows of tokens that have expired since
 * are deleted on the way: a dead token needs no revocation, and the table stays small.
 */
export async function revokeStaffToken(db: Kysely<Database>, t: { jti: string; staffId: string; expiresAt: Date }, now = new Date()): Promise<void> {
  await db.deleteFrom('dsr.revoked_staff_tokens').where('expires_at', '<=', now).execute();
  await db
    .insertInto('dsr.revoked_staff_tokens')
    .values({ jti: t.jti, staff_id: t.staffId, expires_at: t.expiresAt })
    .onConflict((oc) => oc.column('jti').doNothing())
    .execute();
}

/** True when the token with this jti was revoked. */
export async function isStaffTokenRevoked(db: Kysely<Database>, jti: string): Promise<boolean> {
  const row = await db.selectFrom('dsr.revoked_staff_tokens').select('jti').where('jti', '=', jti).executeTakeFirst();
  return row !== undefined;
}
