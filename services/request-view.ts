/**
 * What a handler needs to decide a request, shared by the request page and the JSON API: what the
 * subject asked (free text, categories, each proposed correction beside the register's current
 * value, objection grounds, transmission address) and the register record the subject matches, to
 * check identity against. The caller records the view in the audit chain before showing it.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/database';
import { currentFieldValues, findPersonIdByHetu, getRegisterPerson, type RegisterPersonRecord } from '../db/repositories/register-data';
import { getRequestDetails } from '../db/repositories/requests';
import { parseRequestDetails } from '../domain/request-details';
import type { RegisterDescription } from '../domain/register-description';
import type { SubjectDetails } from '../domain/request';

/** One proposed correction (GDPR 16) with what the register holds now. */
export interface CorrectionView {
  /** `schema.table.column`, as the subject chose it. */
  field: string;
  /** The category the field belongs to; null when the field is not in the description. */
  category: string | null;
  rowId: string | null;
  /** The register's current values of the field for the subject (several rows: several values). */
  current: (string | null)[];
  proposed: string;
  explanation: string | null;
}

/** What the subject asked, in the words and choices they gave. */
export interface AskedView {
  description: string | null;
  /** Categories the request is limited to, in description order; empty: all. */
  categories: string[];
  corrections: CorrectionView[];
  objectionGrounds: string | null;
  transmitTo: string | null;
}

/**
 * The register record matched to the subject: by the person the workflow matched, else by the
 * henkilötunnus the request gives (before identity is verified, for the check itself).
 */
export interface RegisterMatchView {
  found: boolean;
  /** How the record was found: the workflow's match, or the henkilötunnus given in the request. */
  matchedBy: 'workflow' | 'hetu' | null;
  record: RegisterPersonRecord | null;
}

export interface HandlerRequestView {
  asked: AskedView;
  register: RegisterMatchView;
}

/** Splits `schema.table.column` into its table and column. */
function splitField(field: string): { table: string; column: string } {
  const at = field.lastIndexOf('.');
  return { table: field.slice(0, at), column: field.slice(at + 1) };
}

/** The details and the register match of one request, for a handler. */
export async function handlerRequestView(
  db: Kysely<Database>,
  description: RegisterDescription,
  requestId: string,
  subject: (SubjectDetails & { personId: string | null }) | null,
): Promise<HandlerRequestView> {
  const details = parseRequestDetails(await getRequestDetails(db, requestId));
  const register = await registerMatch(db, subject);
  const registerSubject = { personId: register.record?.personId ?? null, email: subject?.email ?? null };
  const corrections = await Promise.all(
    details.corrections.map(async (c): Promise<CorrectionView> => {
      const { table, column } = splitField(c.field);
      const category = description.categories.find((cat) => cat.tables.some((t) => t.table === table && t.fields.some((f) => f.column === column)));
      return {
        field: c.field,
        category: category?.key ?? null,
        rowId: c.rowId ?? null,
        current: await currentFieldValues(db, description, registerSubject, { table, column, rowId: c.rowId ?? null }),
        proposed: c.value,
        explanation: c.explanation?.trim() || null,
      };
    }),
  );
  const asked = details.categories ?? [];
  return {
    asked: {
      description: details.description?.trim() || null,
      categories: description.categories.filter((c) => asked.includes(c.key)).map((c) => c.key),
      corrections,
      objectionGrounds: details.objectionGrounds?.trim() || null,
      transmitTo: details.transmitTo,
    },
    register,
  };
}

async function registerMatch(db: Kysely<Database>, subject: (SubjectDetails & { personId: string | null }) | null): Promise<RegisterMatchView> {
  if (subject?.personId) {
    const record = await getRegisterPerson(db, subject.personId);
    if (record) return { found: true, matchedBy: 'workflow', record };
  }
  const byHetu = subject?.hetu ? await findPersonIdByHetu(db, subject.hetu) : null;
  const record = byHetu ? await getRegisterPerson(db, byHetu) : null;
  return record ? { found: true, matchedBy: 'hetu', record } : { found: false, matchedBy: null, record: null };
}
