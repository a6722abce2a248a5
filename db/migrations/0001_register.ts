/**
 * The client register (seed section 10), one table per kind of data, grouped by the source system
 * that holds it (seed section 12), plus the disclosure log (section 14) and the consents (sections
 * 6-7). Which data category and legal basis each table belongs to is said by the register
 * description, not here. The column list is mirrored in `REGISTER_COLUMNS` (db/tables/register.ts).
 */
import { sql, type CreateTableBuilder, type Kysely } from 'kysely';

const SCHEMA = 'register';

// The builder's type parameters track column names; they carry nothing useful across this helper.
type Columns = (table: CreateTableBuilder<any, any>) => CreateTableBuilder<any, any>;

/**
 * A table of one data subject's data: a surrogate key, the link to the client, and the GDPR 18
 * restriction marker every table carries so a restriction can be set per row.
 */
async function createSubjectTable(db: Kysely<any>, name: string, columns: Columns): Promise<void> {
  let table: CreateTableBuilder<any, any> = db.schema
    .createTable(`${SCHEMA}.${name}`)
    .addColumn('id', 'bigint', (col) => col.generatedByDefaultAsIdentity().primaryKey())
    .addColumn('person_id', 'uuid', (col) => col.notNull().references(`${SCHEMA}.persons.id`));
  table = columns(table)
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('restricted_at', 'timestamptz');
  await table.execute();
  // Every gathering, rectification and erasure looks rows up by their subject.
  await db.schema.createIndex(`${name}_person_id_idx`).on(`${SCHEMA}.${name}`).column('person_id').execute();
}

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createSchema(SCHEMA).execute();

  // Seed 10: nimi, henkilötunnus, osoite, sähköposti, puhelinnumero.
  await db.schema
    .createTable(`${SCHEMA}.persons`)
    .addColumn('id', 'uuid', (col) => col.primaryKey().defaultTo(sql`gen_random_uuid()`))
    // All 11 characters: the century sign is part of the identity (LEGAL-RULES.md 4). The unique
    // constraint's index is the lookup index for requests.
    .addColumn('hetu', 'text', (col) => col.notNull().unique())
    .addColumn('first_name', 'text', (col) => col.notNull())
    .addColumn('last_name', 'text', (col) => col.notNull())
    .addColumn('street_address', 'text')
    .addColumn('postal_code', 'text')
    .addColumn('city', 'text')
    .addColumn('email', 'text')
    .addColumn('phone', 'text')
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('restricted_at', 'timestamptz')
    .addCheckConstraint('persons_hetu_shape', sql`hetu ~ '^[0-9]{6}[-+YXWVUABCDEF][0-9]{3}[0-9A-Y]$'`)
    .execute();

  await createSubjectTable(db, 'employment_situations', (t) =>
    t
      .addColumn('recorded_on', 'date', (col) => col.notNull())
      .addColumn('employment_status', 'text', (col) => col.notNull())
      .addColumn('work_details', 'text')
      .addColumn('unemployment_months', 'integer', (col) => col.check(sql`unemployment_months >= 0`))
      .addColumn('outside_labour_market', 'text'),
  );
  await createSubjectTable(db, 'education_career', (t) =>
    t.addColumn('education_level', 'text').addColumn('education_history', 'text').addColumn('work_history', 'text'),
  );
  await createSubjectTable(db, 'service_plans', (t) =>
    t
      .addColumn('plan_type', 'text', (col) => col.notNull())
      .addColumn('service_need', 'text')
      .addColumn('measures', 'text')
      .addColumn('follow_up', 'text')
      .addColumn('valid_from', 'date', (col) => col.notNull())
      .addColumn('valid_until', 'date'),
  );
  // GDPR 15(4): `mentions` names the other people a note speaks of, so a copy can redact them.
  await createSubjectTable(db, 'case_notes', (t) =>
    t
      .addColumn('written_at', 'timestamptz', (col) => col.notNull())
      .addColumn('author_role', 'text')
      .addColumn('note', 'text', (col) => col.notNull())
      .addColumn('mentions', sql`text[]`, (col) => col.notNull().defaultTo(sql`'{}'::text[]`)),
  );
  await createSubjectTable(db, 'process_events', (t) =>
    t
      .addColumn('occurred_on', 'date', (col) => col.notNull())
      .addColumn('event_type', 'text', (col) => col.notNull())
      .addColumn('description', 'text'),
  );
  await createSubjectTable(db, 'services_benefits', (t) =>
    t
      .addColumn('name', 'text', (col) => col.notNull())
      .addColumn('provider', 'text')
      .addColumn('starts_on', 'date', (col) => col.notNull())
      .addColumn('ends_on', 'date')
      .addColumn('details', 'text'),
  );
  await createSubjectTable(db, 'decisions', (t) =>
    t
      .addColumn('diary_number', 'text', (col) => col.notNull())
      .addColumn('decided_on', 'date', (col) => col.notNull())
      .addColumn('decision_type', 'text', (col) => col.notNull())
      .addColumn('outcome', 'text', (col) => col.notNull())
      .addColumn('decision_maker', 'text')
      .addColumn('summary', 'text'),
  );
  await createSubjectTable(db, 'event_registrations', (t) =>
    t
      .addColumn('event_kind', 'text', (col) => col.notNull())
      .addColumn('event_name', 'text', (col) => col.notNull())
      .addColumn('event_date', 'date', (col) => col.notNull())
      .addColumn('registered_at', 'timestamptz', (col) => col.notNull())
      .addColumn('attended_at', 'timestamptz'),
  );
  // Kept apart from registrations: a diet may reveal health or belief, so it rests on its own consent.
  await createSubjectTable(db, 'diet_restrictions', (t) =>
    t
      .addColumn('restriction', 'text', (col) => col.notNull())
      .addColumn('consent_given_at', 'timestamptz', (col) => col.notNull())
      .addColumn('consent_withdrawn_at', 'timestamptz'),
  );
  // GDPR 9(2)(a): health data for work ability only on explicit consent, recorded with the data.
  await createSubjectTable(db, 'work_ability', (t) =>
    t
      .addColumn('assessed_on', 'date', (col) => col.notNull())
      .addColumn('assessment', 'text', (col) => col.notNull())
      .addColumn('health_information', 'text')
      .addColumn('consent_given_at', 'timestamptz', (col) => col.notNull())
      .addColumn('consent_withdrawn_at', 'timestamptz'),
  );
  await createSubjectTable(db, 'survey_responses', (t) =>
    t
      .addColumn('survey_name', 'text', (col) => col.notNull())
      .addColumn('answered_at', 'timestamptz', (col) => col.notNull())
      .addColumn('rating', 'integer', (col) => col.check(sql`rating between 1 and 5`))
      .addColumn('feedback', 'text'),
  );
  // One table per system (seed 12), so that each table has exactly one source system.
  await createSubjectTable(db, 'workspace_accounts', (t) =>
    t
      .addColumn('workspace', 'text', (col) => col.notNull())
      .addColumn('username', 'text', (col) => col.notNull())
      .addColumn('email', 'text')
      .addColumn('last_login_at', 'timestamptz')
      .addColumn('closed_at', 'timestamptz'),
  );
  await createSubjectTable(db, 'learning_accounts', (t) =>
    t
      .addColumn('username', 'text', (col) => col.notNull())
      .addColumn('email', 'text')
      .addColumn('course', 'text')
      .addColumn('enrolled_at', 'timestamptz', (col) => col.notNull())
      .addColumn('completed_at', 'timestamptz'),
  );
  await createSubjectTable(db, 'remote_accounts', (t) =>
    t
      .addColumn('username', 'text', (col) => col.notNull())
      .addColumn('email', 'text')
      .addColumn('last_session_at', 'timestamptz'),
  );
  await createSubjectTable(db, 'project_participations', (t) =>
    t
      .addColumn('project_name', 'text', (col) => col.notNull())
      .addColumn('measure', 'text')
      .addColumn('started_on', 'date', (col) => col.notNull())
      .addColumn('ended_on', 'date'),
  );

  // Seed 10, employer clients: their contact persons have no henkilötunnus, so no person_id;
  // a request from one is matched by e-mail, case-insensitively.
  await db.schema
    .createTable(`${SCHEMA}.employer_contacts`)
    .addColumn('id', 'bigint', (col) => col.generatedByDefaultAsIdentity().primaryKey())
    .addColumn('email', 'text', (col) => col.notNull())
    .addColumn('first_name', 'text')
    .addColumn('last_name', 'text')
    .addColumn('job_title', 'text')
    .addColumn('phone', 'text')
    .addColumn('organisation', 'text', (col) => col.notNull())
    .addColumn('headcount', 'integer', (col) => col.check(sql`headcount >= 0`))
    .addColumn('site', 'text')
    .addColumn('event_details', 'text')
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('restricted_at', 'timestamptz')
    .execute();
  await db.schema
    .createIndex('employer_contacts_email_idx')
    .on(`${SCHEMA}.employer_contacts`)
    .expression(sql`lower(email)`)
    .execute();

  // Seed 10, photo register: the consent's name and phone number, and the photo.
  await createSubjectTable(db, 'photo_consents', (t) =>
    t
      .addColumn('consent_name', 'text', (col) => col.notNull())
      .addColumn('consent_phone', 'text')
      .addColumn('photo_ref', 'text', (col) => col.notNull())
      .addColumn('consent_given_at', 'timestamptz', (col) => col.notNull())
      .addColumn('consent_withdrawn_at', 'timestamptz'),
  );
  // Seed 7: consent to show one's data to the service's representatives and service providers.
  await createSubjectTable(db, 'visibility_consents', (t) =>
    t
      .addColumn('visible_to', 'text', (col) => col.notNull())
      .addColumn('consent_given_at', 'timestamptz', (col) => col.notNull())
      .addColumn('consent_withdrawn_at', 'timestamptz'),
  );
  // Seed 14 and GDPR 19: whom data was disclosed to, so they can be told of a rectification,
  // erasure or restriction. `recipient_key` and `categories` are keys of the register description.
  await createSubjectTable(db, 'disclosures', (t) =>
    t
      .addColumn('recipient_key', 'text', (col) => col.notNull())
      .addColumn('disclosed_at', 'timestamptz', (col) => col.notNull())
      .addColumn('categories', sql`text[]`, (col) => col.notNull())
      .addColumn('legal_provision', 'text'),
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropSchema(SCHEMA).ifExists().cascade().execute();
}
