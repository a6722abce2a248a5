/**
 * The consultation log (CJEU C-579/21; KHO:2025:51): the source systems' usage logs say when a
 * client's data was consulted, in which system and for what purpose, and by whom. An access answer
 * gives the subject the dates and purposes (the employees only where the register description says
 * so). The gathering of an access request keeps the subject's entries beside the system's report part.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('register.consultations')
    .addColumn('id', 'bigint', (col) => col.generatedByDefaultAsIdentity().primaryKey())
    // The log follows the client: an erased client's entries go with them.
    .addColumn('person_id', 'uuid', (col) => col.notNull().references('register.persons.id').onDelete('cascade'))
    .addColumn('consulted_at', 'timestamptz', (col) => col.notNull())
    /** A system key of the register description. */
    .addColumn('system', 'text', (col) => col.notNull())
    /** A purpose key of the register description's consultation log. */
    .addColumn('purpose', 'text', (col) => col.notNull())
    /** The consulting employee, as the source system logs them; null when it does not. */
    .addColumn('employee', 'text')
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('consultations_person_id_idx').on('register.consultations').columns(['person_id', 'consulted_at']).execute();
  await db.schema.alterTable('dsr.report_parts').addColumn('consultations', 'jsonb', (col) => col.notNull().defaultTo(sql`'[]'::jsonb`)).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('dsr.report_parts').dropColumn('consultations').execute();
  await db.schema.dropTable('register.consultations').execute();
}
