/** The source systems' usage logs of the client register (migration 0013_consultation_log). */
import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;

export interface ConsultationsTable {
  id: Generated<string>;
  person_id: string;
  consulted_at: Timestamp;
  /** A system key of the register description. */
  system: string;
  /** A purpose key of the register description's consultation log. */
  purpose: string;
  /** The consulting employee as the source system logs them, or null. */
  employee: string | null;
  created_at: Generated<Date>;
}

export interface ConsultationTables {
  'register.consultations': ConsultationsTable;
}
