/**
 * The engine's own record of staff views of a request (the audit chain's view entries): part of an
 * access answer, as the source systems' usage logs are (CJEU C-579/21).
 */
import type { Kysely } from 'kysely';
import type { Database } from '../database';

/** Audit actions that record a staff member looking at a request's personal data. */
export const STAFF_VIEW_ACTIONS = ['staff_viewed_request', 'staff_viewed_document'] as const;

export interface StaffView {
  /** ISO 8601. */
  at: string;
  /** The staff member's id; printed only where the register description says so. */
  actor: string;
}

/** When staff viewed the request or its documents, oldest first. */
export async function listStaffViews(db: Kysely<Database>, requestId: string): Promise<StaffView[]> {
  const rows = await db
    .selectFrom('dsr.audit_log')
    .select(['at', 'actor'])
    .where('request_id', '=', requestId)
    .where('action', 'in', [...STAFF_VIEW_ACTIONS])
    .orderBy('seq')
    .execute();
  return rows.map((r) => ({ at: new Date(r.at).toISOString(), actor: r.actor }));
}
