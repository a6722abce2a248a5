/** The auditor's request search: all its SQL over dsr.requests. Only reads. */
import type { ExpressionBuilder, Expression, Kysely, SqlBool } from 'kysely';
import type { Database } from '../database';
import { countRequestsWhere } from './requests';
import type { Outcome, RequestState, Right } from '../../domain/request';

/** What the auditor searches by; every field is optional. Dates are Helsinki calendar dates. */
export interface AuditFilter {
  /** Exact reference, compared case-insensitively. */
  reference?: string;
  receivedFrom?: string;
  receivedTo?: string;
  right?: Right;
  /** An outcome, or 'open' for requests not yet decided. */
  outcome?: Outcome | 'open';
}

/** One row of the search results: no personal data. */
export interface AuditRow {
  id: string;
  reference: string;
  right: Right;
  state: RequestState;
  outcome: Outcome | null;
  receivedOn: string;
  closedAt: Date | null;
}

/** A page of matching requests, most recently received first, with the number of all matches. */
export async function searchAuditRequests(
  db: Kysely<Database>,
  f: AuditFilter,
  page: { limit: number; offset: number },
): Promise<{ rows: AuditRow[]; total: number }> {
  const where = (eb: ExpressionBuilder<Database, 'dsr.requests'>): Expression<SqlBool> => {
    const conditions: Expression<SqlBool>[] = [];
    // References are upper case: comparing with the upper-cased input uses the unique index.
    if (f.reference) conditions.push(eb('reference', '=', f.reference.toUpperCase()));
    if (f.receivedFrom) conditions.push(eb('received_on', '>=', f.receivedFrom));
    if (f.receivedTo) conditions.push(eb('received_on', '<=', f.receivedTo));
    if (f.right) conditions.push(eb('right', '=', f.right));
    if (f.outcome === 'open') conditions.push(eb('outcome', 'is', null));
    else if (f.outcome) conditions.push(eb('outcome', '=', f.outcome));
    return eb.and(conditions);
  };
  const [rows, total] = await Promise.all([
    db
      .selectFrom('dsr.requests')
      .select(['id', 'reference', 'right', 'state', 'outcome', 'received_on', 'closed_at'])
      .where(where)
      .orderBy('received_at', 'desc')
      .orderBy('reference')
      .limit(page.limit)
      .offset(page.offset)
      .execute(),
    countRequestsWhere(db, where),
  ]);
  return {
    total,
    rows: rows.map((r) => ({
      id: r.id,
      reference: r.reference,
      right: r.right as Right,
      state: r.state as RequestState,
      outcome: r.outcome as Outcome | null,
      receivedOn: r.received_on,
      closedAt: r.closed_at ? new Date(r.closed_at) : null,
    })),
  };
}
