/**
 * Loading many rows fast: the register's secondary indexes and foreign keys are dropped for the
 * load and rebuilt after it in one pass each, inside the loading transaction, so a failed or
 * interrupted load leaves the schema (and the register) exactly as it was.
 */
import { sql, type Transaction } from 'kysely';
import type { Database } from '../database';

interface Deferred {
  drop: string;
  create: string;
}

/**
 * Drops the non-unique indexes and the foreign keys of the register schema and returns a function
 * that recreates them. Re-adding a foreign key checks every row, so integrity is still proven.
 * Unique indexes stay: they guard the henkilötunnus during the load.
 */
export async function deferIndexesAndForeignKeys(trx: Transaction<Database>): Promise<() => Promise<void>> {
  // DDL text comes from the catalog (pg_get_indexdef / pg_get_constraintdef), not from input.
  const indexes = await sql<Deferred>`
    select format('drop index %I.%I', n.nspname, ci.relname) as drop, pg_get_indexdef(i.indexrelid) as create
    from pg_index i
    join pg_class ci on ci.oid = i.indexrelid
    join pg_class t on t.oid = i.indrelid
    join pg_namespace n on n.oid = t.relnamespace
    where n.nspname = 'register' and not i.indisunique and not i.indisprimary
    order by ci.relname`.execute(trx);
  const foreignKeys = await sql<Deferred>`
    select format('alter table %I.%I drop constraint %I', n.nspname, t.relname, c.conname) as drop,
           format('alter table %I.%I add constraint %I %s', n.nspname, t.relname, c.conname, pg_get_constraintdef(c.oid)) as create
    from pg_constraint c
    join pg_class t on t.oid = c.conrelid
    join pg_namespace n on n.oid = t.relnamespace
    where c.contype = 'f' and n.nspname = 'register'
    order by t.relname, c.conname`.execute(trx);

  for (const { drop } of [...foreignKeys.rows, ...indexes.rows]) await sql.raw(drop).execute(trx);
  return async () => {
    // More sort memory makes each index build one in-memory pass for a million-person register.
    await sql`set local maintenance_work_mem = '256MB'`.execute(trx);
    for (const { create } of [...indexes.rows, ...foreignKeys.rows]) await sql.raw(create).execute(trx);
  };
}
