/** Letters and exports stored with their sha256: all SQL for dsr.documents and dsr.report_parts. */
import { createHash, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../database';
import { appendAudit } from './audit';

export interface StoredDocument {
  id: string;
  requestId: string;
  kind: string;
  language: string;
  filename: string;
  mediaType: string;
  sha256: string;
  byteSize: number;
  createdAt: Date;
  approvedAt: Date | null;
  approvedBy: string | null;
  sentAt: Date | null;
}

export interface NewDocument {
  requestId: string;
  businessKey: string;
  kind: string;
  language: string;
  filename: string;
  mediaType: string;
  content: Buffer;
}

/**
 * Stores a document once per business key; a retry returns the document stored the first time.
 * The first store is a link of the audit chain that commits to the document's bytes.
 */
export async function storeDocument(db: Kysely<Database>, d: NewDocument): Promise<StoredDocument> {
  const sha256 = createHash('sha256').update(d.content).digest('hex');
  await db.transaction().execute(async (trx) => {
    const inserted = await trx
      .insertInto('dsr.documents')
    .values({
      id: randomUUID(),
      request_id: d.requestId,
      business_key: d.businessKey,
      kind: d.kind,
      language: d.language,
      filename: d.filename,
      media_type: d.mediaType,
      content: d.content,
      sha256,
      byte_size: d.content.length,
    })
    .onConflict((oc) => oc.column('business_key').doNothing())
    .returning(['id', 'kind'])
    .executeTakeFirst();
    if (inserted) {
      await appendAudit(trx, {
        actor: 'system',
        action: 'document_stored',
        requestId: d.requestId,
        ref: { kind: 'document', key: inserted.id },
        details: { documentId: inserted.id, kind: inserted.kind, sha256 },
      });
    }
  });
  const stored = await db.selectFrom('dsr.documents').select(metaColumns).where('business_key', '=', d.businessKey).executeTakeFirstOrThrow();
  return toDocument(stored);
}

const metaColumns = [
  'id',
  'request_id',
  'kind',
  'language',
  'filename',
  'media_type',
  'sha256',
  'byte_size',
  'created_at',
  'approved_at',
  'approved_by',
  'sent_at',
] as const;

export async function getDocument(db: Kysely<Database>, id: string): Promise<StoredDocument | null> {
  const row = await db.selectFrom('dsr.documents').select(metaColumns).where('id', '=', id).executeTakeFirst();
  return row ? toDocument(row) : null;
}

/** The bytes of a document, checked against the stored sha256 before they leave the engine. */
export async function getDocumentContent(db: Kysely<Database>, id: string): Promise<{ document: StoredDocument; content: Buffer } | null> {
  // A document whose content the retention purge deleted has none to give (its row and SHA-256 stay for the record).
  const row = await db.selectFrom('dsr.documents').select([...metaColumns, 'content']).where('id', '=', id).where('purged_at', 'is', null).executeTakeFirst();
  if (!row) return null;
  const actual = createHash('sha256').update(row.content).digest('hex');
  if (actual !== row.sha256) throw new Error(`document ${id} does not match its stored sha256`);
  return { document: toDocument(row), content: row.content };
}

export async function listDocuments(db: Kysely<Database>, requestId: string): Promise<StoredDocument[]> {
  const rows = await db.selectFrom('dsr.documents').select(metaColumns).where('request_id', '=', requestId).orderBy('created_at').execute();
  return rows.map(toDocument);
}

export async function markDocumentApproved(trx: Kysely<Database>, id: string, by: string, at: Date): Promise<void> {
  await trx.updateTable('dsr.documents').set({ approved_at: at, approved_by: by }).where('id', '=', id).where('approved_at', 'is', null).execute();
}

export async function markDocumentSent(db: Kysely<Database>, id: string, at: Date): Promise<void> {
  await db.updateTable('dsr.documents').set({ sent_at: at }).where('id', '=', id).where('sent_at', 'is', null).execute();
}

function toDocument(row: {
  id: string;
  request_id: string;
  kind: string;
  language: string;
  filename: string;
  media_type: string;
  sha256: string;
  byte_size: number;
  created_at: Date;
  approved_at: Date | null;
  approved_by: string | null;
  sent_at: Date | null;
}): StoredDocument {
  return {
    id: row.id,
    requestId: row.request_id,
    kind: row.kind,
    language: row.language,
    filename: row.filename,
    mediaType: row.media_type,
    sha256: row.sha256,
    byteSize: row.byte_size,
    createdAt: new Date(row.created_at),
    approvedAt: row.approved_at ? new Date(row.approved_at) : null,
    approvedBy: row.approved_by,
    sentAt: row.sent_at ? new Date(row.sent_at) : null,
  };
}

export interface ReportPart {
  system: string;
  tables: unknown[];
  rowCount: number;
  redactions: number;
  /** The subject's entries in the system's usage log (CJEU C-579/21). */
  consultations?: unknown[];
}

/** Stores what was gathered from one source system (replacing an earlier gathering of the same request). */
export async function storeReportPart(db: Kysely<Database>, requestId: string, part: ReportPart): Promise<void> {
  await db
    .insertInto('dsr.report_parts')
    .values({ request_id: requestId, system: part.system, tables: JSON.stringify(part.tables), row_count: part.rowCount, redactions: part.redactions, consultations: JSON.stringify(part.consultations ?? []) })
    .onConflict((oc) =>
      oc.columns(['request_id', 'system']).doUpdateSet({
        tables: JSON.stringify(part.tables),
        consultations: JSON.stringify(part.consultations ?? []),
        row_count: part.rowCount,
        redactions: part.redactions,
        gathered_at: new Date(),
      }),
    )
    .execute();
}

export async function listReportParts(db: Kysely<Database>, requestId: string): Promise<ReportPart[]> {
  const rows = await db.selectFrom('dsr.report_parts').selectAll().where('request_id', '=', requestId).orderBy('system').execute();
  return rows.map((r) => ({ system: r.system, tables: r.tables, rowCount: r.row_count, redactions: r.redactions, consultations: r.consultations }));
}
