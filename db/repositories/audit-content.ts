/**
 * What a link commits to: a digest of the row it records (an event, a document with the sha256 of
 * its bytes as PostgreSQL reads them, a decision). The link is written in the row's transaction from
 * the row as read back, and verification recomputes the digest from the row as it is now, so an
 * edited event or a replaced document (its sha256 column updated too) no longer matches its link.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../database';
import { sha256Hex } from './audit-keys';
import { canonicalJson } from './canonical-json';

export const REF_KINDS = ['event', 'document', 'decision'] as const;
export type RefKind = (typeof REF_KINDS)[number];

export interface LinkRef {
  kind: RefKind;
  /** event: its id; document: its id; decision: `<request id>/<key>`. */
  key: string;
}

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

/** The digests of the rows `refs` name, by `kind:key`; a row that is gone maps to null. */
export async function contentDigests(db: Kysely<Database>, refs: LinkRef[]): Promise<Map<string, string | null>> {
  const out = new Map<string, string | null>();
  for (const r of refs) out.set(refId(r), null);
  const keysOf = (kind: RefKind) => [...new Set(refs.filter((r) => r.kind === kind).map((r) => r.key))];

  const eventIds = keysOf('event').filter((k) => /^\d+$/.test(k));
  if (eventIds.length > 0) {
    const rows = await db.selectFrom('dsr.events').selectAll().where('id', 'in', eventIds).execute();
    for (const e of rows) {
      out.set(`event:${e.id}`, digest(eventRow({ id: Number(e.id), request_id: e.request_id, business_key: e.business_key, type: e.type, state: e.state, actor: e.actor, at: e.at, reason: e.reason, data: e.data })));
    }
  }
  const documentIds = keysOf('document').filter(isUuid);
  if (documentIds.length > 0) {
    // The bytes are hashed where they lie: the sha256 column is what a tamperer would update along.
    // Only a document the retention purge cleared (no bytes, marked purged) stands by its stored
    // sha256; verification then requires a keyed purge link naming it (audit-verify.ts).
    const rows = await db
      .selectFrom('dsr.documents')
      .select([
        'id',
        'request_id',
        'kind',
        'language',
        'filename',
        'media_type',
        'byte_size',
        sql<string>`CASE WHEN purged_at IS NOT NULL AND octet_length(content) = 0 THEN sha256 ELSE encode(sha256(content), 'hex') END`.as('bytes_sha256'),
      ])
      .where('id', 'in', documentIds)
      .execute();
    for (const d of rows) {
      out.set(`document:${d.id}`, digest(documentRow({ id: d.id, request_id: d.request_id, kind: d.kind, language: d.language, filename: d.filename, media_type: d.media_type, byte_size: d.byte_size, sha256: d.bytes_sha256 })));
    }
  }
  const decisionKeys = keysOf('decision')
    .map((k) => ({ k, requestId: k.slice(0, k.indexOf('/')), key: k.slice(k.indexOf('/') + 1) }))
    .filter((d) => isUuid(d.requestId));
  if (decisionKeys.length > 0) {
    const rows = await db
      .selectFrom('dsr.decisions')
      .selectAll()
      .where((eb) => eb.or(decisionKeys.map((d) => eb.and([eb('request_id', '=', d.requestId), eb('key', '=', d.key)]))))
      .execute();
    for (const d of rows) {
      out.set(
        `decision:${d.request_id}/${d.key}`,
        digest(decisionRow({ request_id: d.request_id, key: d.key, kind: d.kind, outcome: d.outcome, ground: d.ground, reason: d.reason, proposed_outcome: d.proposed_outcome, proposed_ground: d.proposed_ground, decided_by: d.decided_by, decided_at: d.decided_at, data: d.data })),
      );
    }
  }
  return out;
}

/** The digest of one row as it is now; null when it is gone. */
export async function contentDigest(db: Kysely<Database>, ref: LinkRef): Promise<string | null> {
  return (await contentDigests(db, [ref])).get(refId(ref)) ?? null;
}

export function refId(ref: LinkRef): string {
  return `${ref.kind}:${ref.key}`;
}

/**
 * The committed form of each kind of row. The auditor's export carries rows in exactly this form,
 * so verify-export recomputes the digests without the database.
 */
export function eventRow(e: { id: number; request_id: string; business_key: string; type: string; state: string | null; actor: string; at: Date | string; reason: string | null; data: unknown }) {
  return { id: String(e.id), request_id: e.request_id, business_key: e.business_key, type: e.type, state: e.state, actor: e.actor, at: iso(e.at), reason: e.reason, data: e.data };
}

export function documentRow(d: { id: string; request_id: string; kind: string; language: string; filename: string; media_type: string; byte_size: number; sha256: string }) {
  return { id: d.id, request_id: d.request_id, kind: d.kind, language: d.language, filename: d.filename, media_type: d.media_type, byte_size: d.byte_size, sha256: d.sha256 };
}

export function decisionRow(d: {
  request_id: string;
  key: string;
  kind: string;
  outcome: string;
  ground: string;
  reason: string | null;
  proposed_outcome: string;
  proposed_ground: string;
  decided_by: string;
  decided_at: Date | string | null;
  data: unknown;
}) {
  return { ...d, decided_at: iso(d.decided_at) };
}

/** The digest of a row given as plain values, as the export carries it (verify-export recomputes it). */
export function digest(row: Record<string, unknown>): string {
  return sha256Hex(canonicalJson(row));
}

function isUuid(value: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
}
