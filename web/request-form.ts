/**
 * The resident's e-form as data: what it posts, how that maps onto the public submission schema
 * (the same one the JSON API validates with), and how failures become messages in the page's
 * language, each placed on the input it is about. The page itself is in `request-form-page.ts`.
 */
import type { RegisterDescription } from '../domain/register-description';
import type { Language, Right } from '../domain/request';
import type { ResidentIdentity } from '../domain/resident-identity';
import { ApiError, parseOrThrow } from '../services/errors';
import { publicSubmissionSchema } from '../services/schemas';
import { checkDetailsAgainstDescription } from '../services/details-check';
import { textProblem } from '../services/text';
import type { PageText } from './i18n';

export const PERSON_FIELDS = ['firstName', 'lastName', 'hetu', 'email', 'phone'] as const;
export type PersonField = (typeof PERSON_FIELDS)[number];
/** The form's free-text inputs: the subject, the free description and two right-specific ones. */
export const TEXT_FIELDS = [...PERSON_FIELDS, 'description', 'transmitTo', 'objectionGrounds'] as const;
export type TextField = (typeof TEXT_FIELDS)[number];

/** GDPR 16: the corrections the form offers room for; more can be described in the free text. */
export const CORRECTION_ROWS = 3;
export const CORRECTION_PARTS = ['field', 'value', 'explanation'] as const;
export type CorrectionPart = (typeof CORRECTION_PARTS)[number];
export type CorrectionRow = Record<CorrectionPart, string>;
/** A correction row's input, by its posted name: `corrections.0.field` is the first row's field. */
export type CorrectionInput = `corrections.${number}.${CorrectionPart}`;

export type FormField = 'rights' | 'categories' | TextField | CorrectionInput;

export interface RequestFormValues extends Record<TextField, string> {
  rights: string[];
  /** Category keys limiting an erasure, restriction or consent withdrawal; none means all. */
  categories: string[];
  /** Always CORRECTION_ROWS rows, empty ones included, so the page can show them back as typed. */
  corrections: CorrectionRow[];
}

export type FormErrors = Partial<Record<FormField, string>>;

/**
 * The form's right-specific sections and the rights each is asked for: the corrections (GDPR 16),
 * the categories a request is limited to (GDPR 17, 18 and 7(3)), the other controller's address
 * (GDPR 20(2)) and the grounds of an objection (GDPR 21(1)). The second step of the form shows only
 * the sections of the rights chosen in the first.
 */
export const DETAIL_SECTIONS = {
  rectification: ['rectification'],
  categories: ['erasure', 'restriction', 'consent_withdrawal'],
  portability: ['portability'],
  objection: ['objection'],
} as const satisfies Record<string, readonly Right[]>;
export type DetailSection = keyof typeof DETAIL_SECTIONS;

/** Whether the rights chosen ask for this section. */
export function asksFor(section: DetailSection, rights: readonly string[]): boolean {
  return DETAIL_SECTIONS[section].some((r) => rights.includes(r));
}

export type PublicSubmission = ReturnType<typeof publicSubmissionSchema.parse>;

const EMPTY_ROW: CorrectionRow = { field: '', value: '', explanation: '' };

export const EMPTY_FORM: RequestFormValues = {
  rights: [],
  categories: [],
  corrections: Array.from({ length: CORRECTION_ROWS }, () => EMPTY_ROW),
  firstName: '',
  lastName: '',
  hetu: '',
  email: '',
  phone: '',
  description: '',
  transmitTo: '',
  objectionGrounds: '',
};

/**
 * The subject fields the resident's identification fixes: strong e-ID gives the names and the
 * henkilötunnus, an e-mail code the address. The form shows them instead of asking, and whatever
 * a POST says about them is overwritten with these.
 */
export function identifiedFields(identity: ResidentIdentity): Partial<Record<PersonField, string>> {
  return identity.method === 'strong_eid' ? { firstName: identity.firstName, lastName: identity.lastName, hetu: identity.hetu } : { email: identity.email };
}

/** The posted form with the identified fields taken from the identification, never from the POST. */
export function withIdentity(form: RequestFormValues, identity: ResidentIdentity): RequestFormValues {
  return { ...form, ...identifiedFields(identity) };
}

/**
 * The form with only what the chosen rights ask for: the details of a section the resident was
 * not shown are dropped, as a browser would not have sent them.
 */
export function askedOnly(form: RequestFormValues): RequestFormValues {
  const asked = (section: DetailSection) => asksFor(section, form.rights);
  return {
    ...form,
    corrections: asked('rectification') ? form.corrections : EMPTY_FORM.corrections,
    categories: asked('categories') ? form.categories : [],
    transmitTo: asked('portability') ? form.transmitTo : '',
    objectionGrounds: asked('objection') ? form.objectionGrounds : '',
  };
}

/**
 * The form's first step: at least one right, each one the form offers. The message is in the
 * page's language; null when the choice is fine.
 */
export function checkRights(form: RequestFormValues, offered: readonly Right[], t: PageText): string | null {
  if (form.rights.length === 0) return t('errors.rights.required');
  return form.rights.every((r) => (offered as readonly string[]).includes(r)) ? null : t('errors.rights.unsupported');
}

/** The posted name (and error key) of one input of a correction row. */
export function correctionInput(row: number, part: CorrectionPart): CorrectionInput {
  return `corrections.${row}.${part}`;
}

/** Reads the posted form; checkboxes arrive as one value or several. Anything unexpected is ignored. */
export function readForm(body: unknown): RequestFormValues {
  const b = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const text = (name: string) => (typeof b[name] === 'string' ? (b[name] as string) : '');
  const list = (name: string) => {
    const value = b[name];
    return (Array.isArray(value) ? value : value === undefined ? [] : [value]).filter((v): v is string => typeof v === 'string');
  };
  const row = (i: number): CorrectionRow => ({
    field: text(correctionInput(i, 'field')),
    value: text(correctionInput(i, 'value')),
    explanation: text(correctionInput(i, 'explanation')),
  });
  const texts = Object.fromEntries(TEXT_FIELDS.map((name) => [name, text(name)])) as Record<TextField, string>;
  return { ...texts, rights: list('rights'), categories: list('categories'), corrections: Array.from({ length: CORRECTION_ROWS }, (_, i) => row(i)) };
}

/** The rows the resident wrote anything in; an empty row is not a correction. */
function filledRows(form: RequestFormValues): number[] {
  return form.corrections.flatMap((row, i) => (CORRECTION_PARTS.some((part) => row[part].trim() !== '') ? [i] : []));
}

/** What the form posts in the schema's shape, before validation. */
interface SubmissionDraft {
  rights: string[];
  language: Language;
  subject: Record<string, string | undefined>;
  description?: string;
  corrections?: { field: string; value: string; explanation?: string }[];
  categories?: string[];
  transmitTo?: string;
  objectionGrounds?: string;
}

/**
 * The public submission schema's shape; an empty optional field is left out, not sent as "". A
 * half-filled correction row is sent as it is, so the schema names the part that is missing.
 */
function toSubmission(form: RequestFormValues, language: Language): SubmissionDraft {
  const optional = (v: string) => (v.trim() === '' ? undefined : v);
  const rows = filledRows(form).map((i) => form.corrections[i]);
  return {
    rights: form.rights,
    language,
    subject: {
      firstName: form.firstName,
      lastName: form.lastName,
      hetu: optional(form.hetu),
      email: optional(form.email),
      phone: optional(form.phone),
    },
    description: optional(form.description),
    corrections: rows.length ? rows.map((r) => ({ field: r.field.trim(), value: r.value, explanation: optional(r.explanation) })) : undefined,
    categories: form.categories.length ? form.categories : undefined,
    transmitTo: optional(form.transmitTo)?.trim(),
    objectionGrounds: optional(form.objectionGrounds),
  };
}

export type FormCheck = { submission: PublicSubmission; errors: null } | { submission: null; errors: FormErrors };

/**
 * Validates the form exactly as the JSON API validates a submission: the schema, then the details
 * against the register description. Give it the form as `askedOnly` leaves it.
 */
export function checkForm(description: RegisterDescription, form: RequestFormValues, language: Language, t: PageText): FormCheck {
  const draft = toSubmission(form, language);
  const failures: { field: string }[] = [];
  let submission: PublicSubmission | null = null;
  try {
    submission = parseOrThrow(publicSubmissionSchema, draft);
  } catch (error) {
    failures.push(...validationFailures(error));
  }
  // Checked even when the schema refused something else, so the resident sees every mistake at once.
  try {
    checkDetailsAgainstDescription(description, draft);
  } catch (error) {
    failures.push(...validationFailures(error));
  }
  const errors: FormErrors = placeFailures(failures, form, t);
  if (submission && Object.keys(errors).length === 0) return { submission, errors: null };
  // A failure the form cannot place (it would be a defect) still stops the submit visibly.
  if (Object.keys(errors).length === 0) errors.description = t('errors.generic');
  return { submission: null, errors };
}

function validationFailures(error: unknown): { field: string }[] {
  if (!(error instanceof ApiError) || error.status !== 400) throw error;
  return error.fields ?? [];
}

/** One message per input, the first failure of each; what the resident typed tells which message fits. */
function placeFailures(failures: { field: string }[], form: RequestFormValues, t: PageText): FormErrors {
  const errors: FormErrors = {};
  for (const { field } of failures) {
    const placed = place(field, form);
    if (placed && !errors[placed.input]) errors[placed.input] = t(placed.message, placed.values);
  }
  return errors;
}

interface Placement {
  input: FormField;
  /** The catalog key of the message. */
  message: string;
  values?: Record<string, unknown>;
}

const CORRECTION_PATH = /^corrections\[(\d+)\](?:\.(field|value|explanation))?$/;
const CORRECTION_MESSAGES: Record<CorrectionPart, string> = { field: 'correctionField', value: 'correctionValue', explanation: 'correctionExplanation' };

/** The input a schema path (`subject.email`, `corrections[1].value`) is about, and its message. */
function place(path: string, form: RequestFormValues): Placement | null {
  if (path === 'rights' || path.startsWith('rights[')) {
    return { input: 'rights', message: form.rights.length === 0 ? 'errors.rights.required' : 'errors.rights.unsupported' };
  }
  if (path === 'categories' || path.startsWith('categories[')) return { input: 'categories', message: 'errors.categories.unknown' };
  // Rectification without any correction: on the first row.
  if (path === 'corrections') return { input: correctionInput(0, 'field'), message: 'errors.corrections.required' };
  const correction = CORRECTION_PATH.exec(path);
  if (correction) {
    // The schema counts only the rows sent; the page counts all of them.
    const row = filledRows(form)[Number(correction[1])];
    if (row === undefined) return null;
    const part = (correction[2] ?? 'field') as CorrectionPart;
    if (refusedCharacters(form.corrections[row][part], part !== 'field')) return { input: correctionInput(row, part), message: 'errors.characters' };
    const blank = form.corrections[row][part].trim() === '';
    const kind = part === 'explanation' ? 'tooLong' : !blank ? (part === 'field' ? 'unknown' : 'tooLong') : 'required';
    return { input: correctionInput(row, part), message: `errors.${CORRECTION_MESSAGES[part]}.${kind}`, values: { n: row + 1 } };
  }
  const name = path.replace(/^subject\./, '');
  if (!(TEXT_FIELDS as readonly string[]).includes(name)) return null;
  if (refusedCharacters(form[name as TextField], name === 'description' || name === 'objectionGrounds')) return { input: name as TextField, message: 'errors.characters' };
  return { input: name as TextField, message: `errors.${name}.${textErrorKind(name as TextField, form)}` };
}

/** Whether the schema refused the text for its characters (control, bidi, invisible), not its length or form. */
function refusedCharacters(value: string, multiLine: boolean): boolean {
  return textProblem(value.normalize('NFC'), { multiLine, name: !multiLine }) !== null;
}

function textErrorKind(name: TextField, form: RequestFormValues): string {
  switch (name) {
    case 'firstName':
    case 'lastName':
      return form[name].trim() === '' ? 'required' : 'tooLong';
    case 'email':
      return form.email.trim() === '' ? 'required' : 'invalid';
    case 'hetu':
    case 'phone':
      return 'invalid';
    case 'transmitTo':
      return 'invalid';
    case 'description':
    case 'objectionGrounds':
      return 'tooLong';
  }
}
