/** Rows of a request with documents and links, written straight to the database for tests of what happens to them later. */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/database';
import { storeDocument } from '../../db/repositories/documents';

const DAY_MS = 24 * 60 * 60 * 1000;

export const SUBJECT = { first: 'Maija', last: 'Meikäläinen', hetu: '010190-900P', email: 'maija.meikalainen@example.fi' };

export const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

export interface Seeded {
  requestId: string;
  documents: Record<string, string>;
}

/**
 * A request (closed or not) with an access answer, a portability export and a decision letter behind
 * links expiring at `linkExpiresAt`, and a superseded draft answer that was never linked.
 */
export async function seedRequest(db: Kysely<Database>, a: { closedAt: Date | null; linkExpiresAt: Date }): Promise<Seeded> {
  const submissionId = randomUUID();
  const requestId = randomUUID();
  const received = new Date(a.linkExpiresAt.getTime() - 40 * DAY_MS);
  await db.insertInto('dsr.submissions').values({ id: submissionId, idempotency_key: null, received_at: received, channel: 'e_form', language: 'fi', access_code_hash: 'x' }).execute();
  await db
    .insertInto('dsr.requests')
    .values({
      id: requestId,
      submission_id: submissionId,
      reference: `DSR-2026-${randomBytes(3).toString('hex').toUpperCase()}`,
      right: 'access',
      state: a.closedAt ? 'closed' : 'awaiting_approval',
      outcome: a.closedAt ? 'answered' : null,
      language: 'fi',
      channel: 'e_form',
      received_at: received,
      received_on: received.toISOString().slice(0, 10),
      deadline: received.toISOString().slice(0, 10),
      deadline_at: received,
      extended_deadline: received.toISOString().slice(0, 10),
      extended_deadline_at: received,
      deadline_rule: 'test',
      subject_first_name: SUBJECT.first,
      subject_last_name: SUBJECT.last,
      subject_hetu: SUBJECT.hetu,
      subject_email: SUBJECT.email,
      subject_phone: '040 123 4567',
      subject_address: 'Kauppakatu 1, 70100 Kuopio',
      details: JSON.stringify({ corrections: [{ field: 'register.persons.phone', value: '040 765 4321' }] }),
      closed_at: a.closedAt,
    })
    .execute();
  const documents: Record<string, string> = {};
  for (const name of ['access_answer', 'decision', 'portability_json', 'draft']) {
    const kind = name === 'draft' ? 'access_answer' : name;
    const content = Buffer.from(`${SUBJECT.hetu} ${kind}`);
    // Stored as the engine stores them, each with its audit link.
    const { id } = await storeDocument(db, { requestId, businessKey: `doc:${randomUUID()}`, kind, language: 'fi', filename: `${kind}.pdf`, mediaType: 'application/pdf', content });
    documents[name] = id;
    if (name !== 'draft') {
      await db.insertInto('dsr.download_links').values({ id: randomUUID(), business_key: `link:${id}`, request_id: requestId, document_id: id, token_hash: randomBytes(32).toString('hex'), expires_at: a.linkExpiresAt }).execute();
    }
  }
  await db.insertInto('dsr.report_parts').values({ request_id: requestId, system: 'foreammatti', tables: JSON.stringify([{ hetu: SUBJECT.hetu }]), row_count: 1, redactions: 0 }).execute();
  return { requestId, documents };
}

