/**
 * The engine's database role (least privilege): it reads and writes the working tables, but the
 * append-only ones it may only read and add to. It owns nothing, so it cannot ALTER a table, disable
 * a trigger, or (not being a superuser) set session_replication_role. Run by the owner after the
 * migrations, every time, so tables added by later migrations are covered too.
 */
import { sql, type Kysely } from 'kysely';

/** Tables the engine may only SELECT and INSERT. */
export const APPEND_ONLY_TABLES = ['dsr.audit_log', 'dsr.audit_checkpoints', 'dsr.events', 'dsr.decisions', 'dsr.documents'] as const;

/**
 * Columns the engine may still set on append-only tables: a decision is made once, a document is
 * approved and sent, and its content cleared by the retention purge (the trigger of 0012 allows that
 * only together with the purge mark, once).
 */
const UPDATABLE_COLUMNS: Record<string, string[]> = {
  'dsr.decisions': ['outcome', 'ground', 'reason', 'decided_by', 'decided_at', 'data'],
  'dsr.documents': ['approved_at', 'approved_by', 'sent_at', 'content', 'purged_at'],
};

const SCHEMAS = ['register', 'processing', 'dsr'];

/** Grants `role` what the engine needs and nothing more; throws naming the role when it does not exist. */
export async function grantEngineRole(db: Kysely<unknown>, role: string): Promise<void> {
  const exists = await sql<{ n: number }>`SELECT count(*)::int AS n FROM pg_roles WHERE rolname = ${role}`.execute(db);
  if (exists.rows[0].n === 0) throw new Error(`the engine's database role "${role}" does not exist: create it first (README, "Database roles")`);
  const r = sql.id(role);
  const present = await sql<{ nspname: string }>`SELECT nspname FROM pg_namespace WHERE nspname = ANY(${SCHEMAS})`.execute(db);
  for (const { nspname } of present.rows) {
    const s = sql.id(nspname);
    await sql`GRANT USAGE ON SCHEMA ${s} TO ${r}`.execute(db);
    await sql`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ${s} TO ${r}`.execute(db);
    await sql`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA ${s} TO ${r}`.execute(db);
  }
  for (const table of APPEND_ONLY_TABLES) {
    const t = sql.table(table);
    await sql`REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON ${t} FROM ${r}`.execute(db);
    const columns = UPDATABLE_COLUMNS[table];
    if (columns) await sql`GRANT UPDATE (${sql.join(columns.map((c) => sql.id(c)))}) ON ${t} TO ${r}`.execute(db);
  }
}
