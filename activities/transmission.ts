/**
 * GDPR 20(2): the subject's portable data (the JSON and CSV export documents) transmitted directly
 * to another controller "where technically feasible". Feasible here means an https:// endpoint on a
 * host the controller has allowed: the files are personal data, so they go only over verified TLS
 * to a host someone vouched for, never to whatever URL a form carried.
 */
import { createHash } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/activity';
import { getDocumentContent, type StoredDocument } from '../db/repositories/documents';
import { recordTransition } from '../db/repositories/events';
import { ensureTransmission, markTransmissionDelivered, recordTransmissionFailure, type Transmission } from '../db/repositories/recipient-notifications';
import type { ActivityDeps } from './deps';
import { loadSummary } from './load-request';
import { isRetryableStatus, type HttpsPost } from './https-post';

/** GDPR 20(1): "structured, commonly used and machine-readable": the export's two formats. */
export const PORTABLE_MEDIA_TYPES = ['application/json', 'text/csv'] as const;

export interface TransmitInput {
  requestId: string;
  documentIds: string[];
  endpoint: string;
}

export interface TransmitResult {
  transmissionId: string;
  /** 'failed': the endpoint refused for good (a 4xx); a temporary failure throws instead, to be retried. */
  status: 'delivered' | 'failed';
  responseStatus: number | null;
  /** False when an earlier run already delivered it. */
  sent: boolean;
}

function invalid(field: string, message: string): ApplicationFailure {
  return ApplicationFailure.create({ type: 'InvalidDecisionError', message: `${field}: ${message}`, nonRetryable: true });
}

/** Checks the endpoint: https only, no credentials in it, on an allowed host. */
export function checkTransmissionEndpoint(endpoint: string, allowedHosts: readonly string[] | undefined): URL {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw invalid('endpoint', 'is not a URL');
  }
  if (url.protocol !== 'https:') throw invalid('endpoint', `must be an https:// URL (got ${url.protocol}//): portable data travel only over TLS`);
  if (url.username || url.password) throw invalid('endpoint', 'must not carry credentials');
  const allowed = (allowedHosts ?? []).map((h) => h.toLowerCase());
  if (allowed.length === 0) throw invalid('endpoint', 'direct transmission is not configured: no hosts are allowed');
  if (!allowed.includes(url.hostname.toLowerCase()) && !allowed.includes(url.host.toLowerCase())) {
    throw invalid('endpoint', `host ${url.host} is not an allowed transmission host`);
  }
  return url;
}

function isPortable(mediaType: string): boolean {
  const base = mediaType.split(';')[0].trim().toLowerCase();
  return (PORTABLE_MEDIA_TYPES as readonly string[]).includes(base);
}

/** The transmission activity, sending through `post`. */
export function transmissionActivities(deps: ActivityDeps & { transmissionHosts?: readonly string[] }, post: HttpsPost) {
  const now = deps.now ?? (() => new Date());

  async function loadFiles(requestId: string, documentIds: string[]): Promise<{ document: StoredDocument; content: Buffer }[]> {
    const files = [];
    for (const id of documentIds) {
      const found = await getDocumentContent(deps.db, id);
      if (!found || found.document.requestId !== requestId) throw invalid('documentIds', `document ${id} is not a document of request ${requestId}`);
      if (!isPortable(found.document.mediaType)) {
        throw invalid('documentIds', `document ${id} is ${found.document.mediaType}; only the JSON and CSV export is transmitted`);
      }
      files.push(found);
    }
    return files;
  }

  async function event(t: Transmission, suffix: string, type: string, data: Record<string, unknown>): Promise<void> {
    // The host only: a path or query could carry anything.
    await recordTransition(deps.db, {
      requestId: t.requestId,
      businessKey: `${t.businessKey}:${suffix}`,
      type,
      actor: 'system',
      at: now(),
      data: { transmission: t.id, host: new URL(t.endpointUrl).host, documents: t.documentIds.length, ...data },
    });
  }

  return {
    /** GDPR 20(2): POSTs the export documents to another controller's endpoint, once per request, endpoint and documents. */
    async transmitPortableData(input: TransmitInput): Promise<TransmitResult> {
      const url = checkTransmissionEndpoint(input.endpoint, deps.transmissionHosts);
      if (!Array.isArray(input.documentIds) || input.documentIds.length === 0) throw invalid('documentIds', 'must name at least one export document');
      const documentIds = [...new Set(input.documentIds)].sort();
      const summary = await loadSummary(deps.db, input.requestId);
      const files = await loadFiles(input.requestId, documentIds);
      const digest = createHash('sha256').update(`${url.href}\n${documentIds.join(',')}`).digest('hex').slice(0, 32);
      const t = await ensureTransmission(deps.db, { requestId: input.requestId, businessKey: `transmit:${input.requestId}:${digest}`, documentIds, endpointUrl: url.href });
      if (t.status === 'delivered') return { transmissionId: t.id, status: 'delivered', responseStatus: t.responseStatus, sent: false };

      const body = JSON.stringify({
        reference: summary.reference,
        files: files.map(({ document, content }) => ({
          filename: document.filename,
          mediaType: document.mediaType,
          sha256: document.sha256,
          contentBase64: content.toString('base64'),
        })),
      });
      let status: number;
      try {
        ({ status } = await post(url, body, { 'Idempotency-Key': t.businessKey }));
      } catch (error) {
        const attempt = await recordTransmissionFailure(deps.db, t.id, error instanceof Error ? error.message : String(error), null);
        await event(t, `failed:${attempt}`, 'portable_data_transmission_failed', { attempt, responseStatus: null, retryable: true });
        throw ApplicationFailure.create({ type: 'TransmissionError', message: `transmission to ${url.host} failed; recorded, will retry`, cause: error instanceof Error ? error : undefined });
      }
      if (status >= 200 && status < 300) {
        await markTransmissionDelivered(deps.db, t.id, now(), status);
        await event(t, 'delivered', 'portable_data_transmitted', { responseStatus: status });
        return { transmissionId: t.id, status: 'delivered', responseStatus: status, sent: true };
      }
      const retryable = isRetryableStatus(status);
      const attempt = await recordTransmissionFailure(deps.db, t.id, `the endpoint answered HTTP ${status}`, status);
      await event(t, `failed:${attempt}`, 'portable_data_transmission_failed', { attempt, responseStatus: status, retryable });
      if (retryable) throw ApplicationFailure.create({ type: 'TransmissionError', message: `${url.host} answered HTTP ${status}; recorded, will retry` });
      return { transmissionId: t.id, status: 'failed', responseStatus: status, sent: true };
    },
  };
}
