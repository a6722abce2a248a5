/** The auditor's machine-readable export of one request's history (checked offline by services/audit-export.ts). */
import { auditKeys, publicKeyBase64, signText } from '../../db/repositories/audit-keys';
import { decisionRow, documentRow, eventRow } from '../../db/repositories/audit-content';
import { canonicalJson } from '../../db/repositories/canonical-json';
import { EXPORT_FORMAT } from '../../services/audit-export';
import type { AuditHistory } from './audit-queries';

/** The export's bytes: pretty JSON of the signed envelope. */
export function auditExportJson(h: AuditHistory, meta: { exportedAt: Date; exportedBy: string }): Buffer {
  const ring = auditKeys();
  const s = h.summary;
  const body = {
    format: EXPORT_FORMAT,
    exportedAt: meta.exportedAt.toISOString(),
    exportedBy: meta.exportedBy,
    // Ids, kinds and dates only: the subject's name and contacts stay in the engine.
    request: { id: s.id, reference: s.reference, right: s.right, state: s.state, outcome: s.outcome, receivedAt: s.receivedAt, closedAt: s.closedAt },
    events: h.events.map((e) => eventRow({ id: e.id, request_id: e.requestId, business_key: e.businessKey, type: e.type, state: e.state, actor: e.actor, at: e.at, reason: e.reason, data: e.data })),
    documents: h.documents.map((d) => documentRow({ id: d.id, request_id: d.requestId, kind: d.kind, language: d.language, filename: d.filename, media_type: d.mediaType, byte_size: d.byteSize, sha256: d.sha256 })),
    decisions: h.decisions.map((d) =>
      decisionRow({ request_id: s.id, key: d.key, kind: d.kind, outcome: d.outcome, ground: d.ground, reason: d.reason, proposed_outcome: d.proposedOutcome, proposed_ground: d.proposedGround, decided_by: d.decidedBy, decided_at: d.decidedAt, data: d.data }),
    ),
    links: h.links.map((l) => ({ ...l, at: l.at.toISOString() })),
    integrity: { state: h.integrity.state, valid: h.integrity.found.valid, brokenAt: h.integrity.found.brokenAt ?? null, problem: h.integrity.found.problem ?? null },
    checkpoint: h.integrity.checkpoint,
    publicKey: publicKeyBase64(ring.signing.publicKey),
  };
  const signature = signText(ring, canonicalJson(body));
  return Buffer.from(`${JSON.stringify({ ...body, signature }, null, 2)}\n`, 'utf8');
}

