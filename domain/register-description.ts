/**
 * The register description: the controller's privacy notice (tietosuojaseloste) as typed, validated
 * configuration. Every fact about the controller and its register (contacts, purposes, legal bases
 * per data category, systems, recipients, retention) comes from a description file, never from code.
 *
 * Pure: no Node built-ins, so workflows may import the types. Validating a parsed file lives in
 * `register-description-parse.ts`, reading it in `config/register-description.ts`.
 */
import { z } from 'zod';

/** Every legal basis a description may describe (GDPR 6(1) and 9(2); seed section 7). */
export const LEGAL_BASIS_KEYS = [
  'consent', // GDPR 6(1)(a)
  'contract', // GDPR 6(1)(b)
  'legal_obligation', // GDPR 6(1)(c)
  'public_task', // GDPR 6(1)(e)
  'explicit_consent', // GDPR 9(2)(a)
  'employment_social_security', // GDPR 9(2)(b)
  'health_social_care', // GDPR 9(2)(h)
] as const;
export type LegalBasisKey = (typeof LEGAL_BASIS_KEYS)[number];

/**
 * The bases a data category can rest on. Rights are decided by these (LEGAL-RULES.md 3, where
 * 9(2)(a) explicit consent counts as consent); 9(2)(b) and 9(2)(h) only lift the Art. 9 ban and
 * appear as a category's special-category basis.
 */
export const CATEGORY_LEGAL_BASES = ['consent', 'contract', 'legal_obligation', 'public_task', 'explicit_consent'] as const;
export type CategoryLegalBasis = (typeof CATEGORY_LEGAL_BASES)[number];

/** GDPR 9(2) conditions under which special-category data of a category is processed. */
export const SPECIAL_CATEGORY_BASES = ['explicit_consent', 'employment_social_security', 'health_social_care'] as const;
export type SpecialCategoryBasis = (typeof SPECIAL_CATEGORY_BASES)[number];

/** How a table's rows are tied to the data subject: by register person or, lacking a hetu, by e-mail. */
export const SUBJECT_LINKS = ['person', 'email'] as const;
export type SubjectLink = (typeof SUBJECT_LINKS)[number];

/** What a granted erasure does to the rows (GDPR 17): remove them, or strip them of identity. */
export const ERASURE_MODES = ['delete', 'anonymise'] as const;
export type ErasureMode = (typeof ERASURE_MODES)[number];

/** Seed section 14: authorities disclosed to by law, processors, and other partners. */
export const RECIPIENT_KINDS = ['authority', 'processor', 'partner'] as const;
export type RecipientKind = (typeof RECIPIENT_KINDS)[number];

export const SYSTEM_KINDS = ['electronic', 'paper'] as const;
export type SystemKind = (typeof SYSTEM_KINDS)[number];

/** Keys, table and column names: only these shapes ever reach SQL as identifiers. */
export const KEY_PATTERN = /^[a-z][a-z0-9_]*$/;
export const COLUMN_PATTERN = /^[a-z_][a-z0-9_]*$/;
export const TABLE_PATTERN = /^[a-z_][a-z0-9_]*\.[a-z_][a-z0-9_]*$/;

type Issue = { code: string; input?: unknown };
const requiredOr = (message: string) => (issue: Issue) => (issue.input === undefined ? 'is required' : message);
const oneOf = <T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { error: requiredOr(`must be one of ${values.join(', ')}`) });

const text = z.string({ error: requiredOr('must be a text') }).trim().min(1, 'must not be empty');
const key = z.string({ error: requiredOr('must be a text') }).regex(KEY_PATTERN, 'must be a key of a-z, 0-9 and _, starting with a letter');
const column = z.string({ error: requiredOr('must be a text') }).regex(COLUMN_PATTERN, 'must be a column name of a-z, 0-9 and _');
const tableName = z.string({ error: requiredOr('must be a text') }).regex(TABLE_PATTERN, "must be a table name 'schema.table' of a-z, 0-9 and _");
const email = z.email({ error: requiredOr('must be an e-mail address') });
const url = z.url({ protocol: /^https?$/, error: requiredOr('must be an http(s) URL') });
const isoDate = z.iso.date({ error: requiredOr('must be a date YYYY-MM-DD (quoted)') });
const flag = z.boolean({ error: requiredOr('must be true or false') });

/** Text the engine prints, in each language a request may come in. */
const localised = z.strictObject({ fi: text, sv: text, en: text });
export type LocalisedText = z.infer<typeof localised>;

const namedPerson = z.strictObject({ name: text, title: localised, phone: text.optional(), email: email.optional() });

const legalBasis = z.strictObject({
  key: oneOf(LEGAL_BASIS_KEYS),
  /** e.g. '6(1)(c)' or '9(2)(a)'. */
  article: text,
  name: localised,
  /** The article's wording. */
  text: localised,
  /** What the register processes on this basis. */
  application: localised,
  /** The activities and statutes it covers, one line each. */
  scope: z.array(localised),
});

const field = z.strictObject({ column, label: localised });

const categoryTableInput = z.strictObject({
  table: tableName,
  subject: oneOf(SUBJECT_LINKS),
  /** Default: `person_id` for person links, `email` for e-mail links. */
  subjectColumn: column.optional(),
  /** The only columns ever printed or exported. */
  fields: z.array(field).min(1, 'must list at least one field'),
  /** GDPR 15(4): a text[] column naming other people, redacted from every printed field. */
  redact: column.optional(),
  /** GDPR 20: the fields the subject provided, exported on a portability request. */
  providedBySubject: z.array(column).optional(),
  /** Default: `created_at`; the key breaks ties. */
  orderBy: z.array(column).min(1).optional(),
  /**
   * GDPR 17 with `erasure: anonymise`: the fields statistics keep once the row is cut from the
   * person (seed section 6); every other field is emptied. Default: none.
   */
  statistics: z.array(column).optional(),
});
const categoryTable = categoryTableInput.transform((t) => ({
  ...t,
  subjectColumn: t.subjectColumn ?? (t.subject === 'person' ? 'person_id' : 'email'),
  providedBySubject: t.providedBySubject ?? [],
  orderBy: t.orderBy ?? ['created_at'],
  statistics: t.statistics ?? [],
}));

const category = z.strictObject({
  key,
  label: localised,
  description: localised.optional(),
  subjectGroups: z.array(key).min(1, 'must name at least one data subject group'),
  legalBasis: oneOf(CATEGORY_LEGAL_BASES),
  specialCategoryBasis: oneOf(SPECIAL_CATEGORY_BASES).optional(),
  system: key,
  tables: z.array(categoryTable).min(1, 'must list at least one table'),
  retention: z.strictObject({
    /** null: no fixed period (e.g. while needed and while the consent is valid); `basis` says what. */
    years: z.number({ error: requiredOr('must be a number of years or null') }).int('must be whole years').min(1).max(100).nullable(),
    basis: localised,
  }),
  recipients: z.array(key),
  erasure: oneOf(ERASURE_MODES),
  /** GDPR 20(1)(b): portability covers only data processed by automated means. */
  automatedProcessing: flag,
});

const notificationChannel = z.discriminatedUnion(
  'type',
  [
    z.strictObject({ type: z.literal('email'), address: email }),
    z.strictObject({ type: z.literal('https'), url: url.refine((u) => u.startsWith('https://'), 'must be an https:// URL') }),
  ],
  { error: requiredOr('must have type email or https') },
);

const recipient = z.strictObject({
  key,
  name: localised,
  kind: oneOf(RECIPIENT_KINDS),
  description: localised.optional(),
  /** For processors: the systems they provide. */
  systems: z.array(key).optional(),
  /** GDPR 19: where a rectification, erasure or restriction is communicated, where known. */
  notification: notificationChannel.optional(),
});

const system = z.strictObject({ key, name: localised, vendor: text.optional(), kind: oneOf(SYSTEM_KINDS) });

/**
 * LEGAL-RULES.md 6: the appeal route a refusal names (body, address, time limit), decided by the
 * controller's lawyers: the complaint to the supervisory authority (GDPR 77) and the appeal against
 * the decision (GDPR 79; Laki oikeudenkäynnistä hallintoasioissa 808/2019).
 */
const appealRoute = z.strictObject({
  complaint: z.strictObject({ body: localised, postalAddress: localised, timeLimit: localised }),
  appeal: z.strictObject({
    body: localised,
    postalAddress: localised,
    email: email.optional(),
    phone: text.optional(),
    web: url.optional(),
    /** Days from notification (808/2019 13 §: 30). */
    timeLimitDays: z.number({ error: requiredOr('must be a number of days') }).int('must be whole days').min(1).max(365),
  }),
});

/** The structure of a description; cross-references are checked in `register-description-checks.ts`. */
export const registerDescriptionSchema = z.strictObject({
  register: z.strictObject({ name: localised, noticeDate: isoDate }),
  controller: z.strictObject({
    name: localised,
    businessId: z.string({ error: requiredOr('must be a text') }).regex(/^\d{7}-\d$/, 'must be a business id (Y-tunnus) like 1234567-8'),
    postalAddress: localised,
    phone: text,
    email,
    web: url,
    privacyWeb: url,
  }),
  representative: namedPerson,
  contactPersons: z.array(namedPerson).min(1, 'must list at least one contact person'),
  // tietosuojavastaava
  dataProtectionOfficer: z.strictObject({ name: localised, phone: text, email, emailNote: localised.optional() }),
  purposes: z.array(localised).min(1, 'must list at least one purpose'),
  legalBases: z.array(legalBasis).min(1, 'must describe at least one legal basis'),
  confidentiality: z.strictObject({ text: localised, statutes: z.array(localised) }),
  dataSubjectGroups: z.array(z.strictObject({ key, label: localised })).min(1, 'must list at least one group'),
  categories: z.array(category).min(1, 'must list at least one data category'),
  systems: z.array(system).min(1, 'must list at least one system'),
  security: localised,
  recipients: z.array(recipient),
  sources: z.strictObject({
    items: z.array(localised).min(1, 'must list at least one source'),
    technicalAccess: z.strictObject({
      intro: localised,
      items: z.array(z.strictObject({ title: localised, provision: localised, text: localised })),
    }),
  }),
  automatedDecisionMaking: z.strictObject({ used: flag, text: localised }),
  transfersOutsideEea: z.strictObject({ occurs: flag, systems: z.array(key), text: localised }),
  retention: z.strictObject({ period: localised, basis: localised, notes: z.array(localised), disposal: localised }),
  /**
   * The engine's own case records of data-subject requests (GDPR 5(1)(e)): a closed request's
   * subject details are anonymised this many years after closure, as the controller's archive plan
   * (tiedonohjaussuunnitelma) decides for these records.
   */
  requestRecords: z.strictObject({
    retentionYears: z.number({ error: requiredOr('must be a whole number of years') }).int('must be a whole number of years').min(1, 'must be at least 1 year').max(100, 'must be at most 100 years'),
    basis: localised,
  }),
  rights: z.strictObject({ intro: localised, items: z.array(localised).min(1, 'must list the rights') }),
  exercisingRights: z.array(localised).min(1, 'must say how rights are exercised'),
  supervisoryAuthority: z.strictObject({ name: localised, postalAddress: localised, phone: text, web: url }),
  appealRoute: appealRoute.optional(),
  /**
   * The source systems' usage logs (CJEU C-579/21; KHO:2025:51): an access answer gives the dates and
   * purposes of consultations; the employees' names only when `showEmployees` (only where needed).
   */
  consultationLog: z
    .strictObject({
      purposes: z.array(z.strictObject({ key, label: localised })).min(1, 'must list at least one purpose'),
      showEmployees: flag,
    })
    .optional(),
});

export type RegisterDescription = z.output<typeof registerDescriptionSchema>;
export type DataCategory = RegisterDescription['categories'][number];
export type CategoryTable = DataCategory['tables'][number];
export type DescribedField = CategoryTable['fields'][number];
export type LegalBasis = RegisterDescription['legalBases'][number];
export type Recipient = RegisterDescription['recipients'][number];
export type SourceSystem = RegisterDescription['systems'][number];
export type NotificationChannel = z.output<typeof notificationChannel>;
export type AppealRoute = z.output<typeof appealRoute>;
export type ConsultationLogSettings = NonNullable<RegisterDescription['consultationLog']>;

/** A description with mistakes; the message names the source and every bad field by path, and why. */
export class RegisterDescriptionError extends Error {
  override name = 'RegisterDescriptionError';
  constructor(
    readonly source: string,
    readonly issues: readonly { path: string; message: string }[],
  ) {
    super(issues.map((issue) => `${source}: ${issue.path}: ${issue.message}`).join('\n'));
  }
}

/** `['categories', 3, 'legalBasis']` -> `categories[3].legalBasis`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out === '' ? '(root)' : out;
}

/** The categories whose data lives in one source system, in description order. */
export function categoriesOfSystem(description: RegisterDescription, systemKey: string): DataCategory[] {
  return description.categories.filter((c) => c.system === systemKey);
}
