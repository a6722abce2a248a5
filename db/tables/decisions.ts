/** Kysely table types for dsr.decisions, dsr.fees and dsr.clock_pauses. */
import type { ColumnType, JSONColumnType } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;

export interface DecisionsTable {
  request_id: string;
  key: string;
  kind: 'category' | 'correction';
  outcome: string;
  ground: string;
  reason: string | null;
  proposed_outcome: string;
  proposed_ground: string;
  decided_by: string;
  decided_at: Timestamp | null;
  data: JSONColumnType<Record<string, unknown>>;
}

export interface FeesTable {
  request_id: string;
  amount_cents: number;
  ground: string;
  basis: string;
  announced_by: string;
  announced_at: Timestamp;
  pay_by: ColumnType<string, string, string>;
  paid_at: Timestamp | null;
  recorded_by: string | null;
}

export interface ClockPausesTable {
  request_id: string;
  started_at: Timestamp;
  ended_at: Timestamp | null;
}

export interface DecisionTables {
  'dsr.decisions': DecisionsTable;
  'dsr.fees': FeesTable;
  'dsr.clock_pauses': ClockPausesTable;
}
