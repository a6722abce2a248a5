/**
 * Retention of the engine's own copies of personal data (GDPR 5(1)(e)). Each step is one statement
 * that touches only what is due and not yet done, so a purge run twice (or two at once) does the
 * work once; each run's counts go into the audit chain as one link, never the data itself.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../database';
import { appendAudit } from './audit';

/** Documents that copy register data to the subject: the access answer and the portability exports. */
export const DOCUMENT_KINDS_WITH_REGISTER_DATA = ['access_answer', 'portability_json', 'portability_csv'] as const;

export interface PurgeRules {
  now: Date;
  /** Days after a document's download window ends (its last link expires) until its content is deleted. */
  documentDays: number;
  /** Years after closure until a request's subject details are anonymised (the register description's). */
  requestRecordYears: number;
}

export interface PurgeCounts {
  documentsPurged: number;
  reportPartsDeleted: number;
  requestsAnonymised: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** Runs every step in one transaction and, when anything was done, records the counts as an audit link. */
export async function purgeExpiredData(db: Kysely<Database>, rules: PurgeRules): Promise<PurgeCounts> {
  const documentCutoff = new Date(rules.now.getTime() - rules.documentDays * DAY_MS);
  const recordCutoff = yearsBefore(rules.now, rules.requestRecordYears);
  return db.transaction().execute(async (trx) => {
    const purgedIds = await purgeDocuments(trx, documentCutoff, rules.now);
    const documentsPurged = purgedIds.length;
    const reportPartsDeleted = await deleteReportParts(trx, documentCutoff);
    const requestsAnonymised = await anonymiseRequests(trx, recordCutoff, rules.now);
    const counts = { documentsPurged, reportPartsDeleted, requestsAnonymised };
    if (documentsPurged + reportPartsDeleted + requestsAnonymised > 0) {
      await appendAudit(trx, {
        actor: 'system',
        action: 'retention_purge',
        requestId: null,
        at: rules.now,
        // The purged documents' ids (no personal data): verification accepts a document without its bytes only when a purge link names it.
        details: { ...counts, documents: purgedIds, documentsWindowEndedBefore: documentCutoff.toISOString(), requestsClosedBefore: recordCutoff.toISOString() },
      });
    }
    return counts;
  });
}

/**
 * The content of answer documents and exports whose every download link expired before the cutoff
 * (a document never linked, e.g. a superseded draft or a postal answer, counts from its request's
 * closure). The row stays with its SHA-256, so the audit trail still names what was sent. The content
 * is cleared together with the purge mark, the one change the documents' trigger allows (0012).
 * Returns the purged documents' ids.
 */
async function purgeDocuments(trx: Kysely<Database>, cutoff: Date, now: Date): Promise<string[]> {
  const rows = await trx
    .updateTable('dsr.documents as d')
    .set({ content: Buffer.alloc(0), purged_at: now })
    .where('d.purged_at', 'is', null)
    .where('d.kind', 'in', [...DOCUMENT_KINDS_WITH_REGISTER_DATA])
    .where((eb) => {
      const links = () => eb.selectFrom('dsr.download_links as l').select('l.id').whereRef('l.document_id', '=', 'd.id');
      return eb.or([
        eb.and([eb.exists(links()), eb.not(eb.exists(links().where('l.expires_at', '>=', cutoff)))]),
        eb.and([
          eb.not(eb.exists(links())),
          eb.exists(eb.selectFrom('dsr.requests as r').select('r.id').whereRef('r.id', '=', 'd.request_id').where('r.closed_at', '<', cutoff)),
        ]),
      ]);
    })
    .returning('d.id')
    .execute();
  return rows.map((r) => r.id).sort();
}

/** The gathered register data behind an answer, once its request has been closed longer than the document period. */
async function deleteReportParts(trx: Kysely<Database>, cutoff: Date): Promise<number> {
  const result = await trx
    .deleteFrom('dsr.report_parts as p')
    .where((eb) => eb.exists(eb.selectFrom('dsr.requests as r').select('r.id').whereRef('r.id', '=', 'p.request_id').where('r.closed_at', '<', cutoff)))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/**
 * The subject's details of requests closed before the cutoff: names blanked, identity code, contact
 * details, the link to the register person and the right's details (which may hold corrections)
 * removed. Reference, dates, right, state and outcome stay: they are the case record.
 */
async function anonymiseRequests(trx: Kysely<Database>, cutoff: Date, now: Date): Promise<number> {
  const due = await trx.selectFrom('dsr.requests').select('id').where('anonymised_at', 'is', null).where('closed_at', '<', cutoff).forUpdate().execute();
  if (due.length === 0) return 0;
  const ids = due.map((r) => r.id);
  await trx
    .updateTable('dsr.requests')
    .set({
      subject_first_name: '',
      subject_last_name: '',
      subject_hetu: null,
      subject_email: null,
      subject_phone: null,
      subject_address: null,
      person_id: null,
      details: sql`'{}'::jsonb`,
      anonymised_at: now,
    })
    .where('id', 'in', ids)
    .execute();
  // The e-mails sent about the request keep their kind and Message-ID, not the address they went to.
  await trx.updateTable('dsr.outbox').set({ recipient: '' }).where('request_id', 'in', ids).where('sent_at', 'is not', null).execute();
  return ids.length;
}

/** The same calendar day `years` earlier (29 February falls back to 28 February). */
function yearsBefore(now: Date, years: number): Date {
  const d = new Date(now.getTime());
  d.setUTCFullYear(d.getUTCFullYear() - years);
  if (d.getUTCDate() !== now.getUTCDate()) d.setUTCDate(0);
  return d;
}
