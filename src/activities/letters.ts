/**
 * Rendering letters: the activity gathers the plain data a template needs (request, register
 * description, gathered report), renders the PDF and stores it with its sha256 under a business
 * key, so a retried render stores nothing twice. Only the document id leaves the activity.
 */
import { ApplicationFailure } from '@temporalio/activity';
import { listReportParts, storeDocument } from '../db/repositories/documents';
import { getRequestSummary } from '../db/repositories/requests';
import { helsinkiDate } from '../domain/deadline';
import type { RequestSummary } from '../domain/request';
import { renderLetter } from '../templates';
import type { Letter, LetterBase } from '../templates/types';
import type { ActivityDeps } from './deps';
import { letterParties, processingInformation, reportSections, type GatheredTableData } from './register-view';
import type { LetterRequest, RenderedDocumentRef } from './types';

export function letterActivities(deps: ActivityDeps) {
  const now = deps.now ?? (() => new Date());

  function base(summary: RequestSummary): LetterBase {
    return {
      language: summary.language,
      reference: summary.reference,
      issuedOn: helsinkiDate(now()),
      receivedOn: summary.receivedOn,
      deadline: summary.deadline,
      extendedDeadline: summary.extended ? summary.extendedDeadline : undefined,
      ...letterParties(deps.description, summary.language),
    };
  }

  async function compose(summary: RequestSummary, request: LetterRequest): Promise<Letter> {
    const b = base(summary);
    switch (request.kind) {
      case 'access_answer': {
        const parts = await listReportParts(deps.db, summary.id);
        const tables = parts.flatMap((p) => p.tables as GatheredTableData[]);
        const sections = reportSections(deps.description, tables, summary.language);
        return {
          ...b,
          kind: 'access_answer',
          processed: sections.length > 0,
          information: processingInformation(deps.description, summary.language),
          sections,
          redactions: parts.reduce((sum, p) => sum + p.redactions, 0),
        };
      }
      case 'extension':
        return { ...b, kind: 'extension', reasons: request.reasons, extendedDeadline: summary.extendedDeadline };
      case 'refusal':
        return { ...b, kind: 'refusal', ground: request.ground, reasons: request.reasons, scope: request.scope };
      case 'unidentifiable':
        return { ...b, kind: 'unidentifiable', reasons: request.reasons };
    }
  }

  return {
    /** Renders one letter of a request as PDF/A and stores it; returns its id and sha256. */
    async renderLetter({ requestId, letter }: { requestId: string; letter: LetterRequest }): Promise<RenderedDocumentRef> {
      const summary = await getRequestSummary(deps.db, requestId);
      if (!summary) throw ApplicationFailure.create({ type: 'RequestNotFoundError', message: `request ${requestId} not found`, nonRetryable: true });
      // An extension letter is written after the extension is recorded, so it states the new date.
      const content = await renderLetter(await compose(summary, letter));
      const stored = await storeDocument(deps.db, {
        requestId,
        businessKey: `document:${requestId}:${letter.kind}`,
        kind: letter.kind,
        language: summary.language,
        filename: `${summary.reference}-${letter.kind}-${summary.language}.pdf`,
        mediaType: 'application/pdf',
        content,
      });
      return { documentId: stored.id, sha256: stored.sha256 };
    },
  };
}
