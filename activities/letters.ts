/**
 * Rendering letters: the activity gathers the plain data a template needs (request, register
 * description, gathered report, decisions), renders the PDF and stores it with its sha256 under a
 * business key, so a retried render stores nothing twice. Only the document id leaves the activity.
 */
import { LetterRefusedError } from '../templates/pdf/checks';
import { listReportParts, storeDocument } from '../db/repositories/documents';
import { helsinkiDate } from '../domain/deadline';
import { addDays } from '../domain/calendar';
import type { RequestSummary } from '../domain/request';
import { renderLetter } from '../templates';
import type { Letter, LetterBase } from '../templates/types';
import type { ActivityDeps } from './deps';
import { loadSummary } from './load-request';
import { applyWithholding, decisionLetter, feeNoticeLetter, liftNoticeLetter, requestedOn, withdrawnOn, withheldItems } from './letter-data';
import { translator } from '../templates/i18n';
import { letterParties, printable, processingInformation, reportSections, type GatheredTableData } from './register-view';
import type { ConsultationEntry } from '../db/repositories/register-data';
import { listStaffViews } from '../db/repositories/staff-views';
import type { AccessAnswerLetter } from '../templates/types';
import type { LetterRequest, RenderedDocumentRef } from '../workflows/contracts';

export function letterActivities(deps: ActivityDeps) {
  const now = deps.now ?? (() => new Date());
  const render = deps.renderLetter ?? renderLetter;

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

  async function gathered(summary: RequestSummary) {
    const parts = await listReportParts(deps.db, summary.id);
    const tables = parts.flatMap((p) => p.tables as GatheredTableData[]);
    const consultations = parts.flatMap((p) => (p.consultations ?? []) as ConsultationEntry[]);
    return { sections: reportSections(deps.description, tables, summary.language), redactions: parts.reduce((sum, p) => sum + p.redactions, 0), consultations };
  }

  /**
   * CJEU C-579/21; KHO:2025:51: the consultations of the subject's data and the staff views of this
   * request, oldest first, named in the letter's language; employees only where the description says so.
   */
  async function consultationLines(summary: RequestSummary, entries: ConsultationEntry[]): Promise<Pick<AccessAnswerLetter, 'consultations' | 'consultationEmployeesWithheld' | 'staffViews'>> {
    const log = deps.description.consultationLog;
    const lang = summary.language;
    const names = log?.showEmployees === true;
    const views = (await listStaffViews(deps.db, summary.id)).map((v) => ({ at: printable(v.at, lang), ...(names ? { employee: v.actor } : {}) }));
    if (!log) return { staffViews: views };
    const system = (key: string) => deps.description.systems.find((s) => s.key === key)?.name[lang] ?? key;
    const purpose = (key: string) => log.purposes.find((p) => p.key === key)?.label[lang] ?? key;
    const consultations = [...entries]
      .sort((a, b) => a.at.localeCompare(b.at))
      .map((c) => ({ at: printable(c.at, lang), system: system(c.system), purpose: purpose(c.purpose), ...(names && c.employee ? { employee: c.employee } : {}) }));
    return { consultations, consultationEmployeesWithheld: !names && entries.some((c) => c.employee), staffViews: views };
  }

  async function compose(summary: RequestSummary, request: LetterRequest): Promise<Letter> {
    const b = base(summary);
    const lang = summary.language;
    switch (request.kind) {
      case 'access_answer': {
        const { sections, redactions, consultations } = await gathered(summary);
        const withheld = await withheldItems(deps.db, summary.id);
        return {
          ...b,
          kind: 'access_answer',
          processed: sections.length > 0,
          information: processingInformation(deps.description, lang),
          sections: applyWithholding(sections, withheld, translator(lang)('grounds.dpa_34_health_or_rights.citation')),
          redactions,
          ...(await consultationLines(summary, consultations)),
        };
      }
      case 'confirmation':
        return { ...b, kind: 'confirmation', processed: (await gathered(summary)).sections.length > 0 };
      case 'privacy_notice': {
        const r = deps.description.representative;
        return { ...b, kind: 'privacy_notice', information: processingInformation(deps.description, lang), representative: { name: r.name, title: r.title[lang], phone: r.phone, email: r.email } };
      }
      case 'automated_decisions':
        return { ...b, kind: 'automated_decisions', statement: deps.description.automatedDecisionMaking.text[lang] };
      case 'extension':
        return { ...b, kind: 'extension', reasons: request.reasons, extendedDeadline: summary.extendedDeadline };
      case 'refusal':
        return { ...b, kind: 'refusal', right: summary.right, ground: request.ground, reasons: request.reasons, scope: request.scope };
      case 'unidentifiable':
        return { ...b, kind: 'unidentifiable', reasons: request.reasons };
      case 'information_request': {
        const first = request.reminder ? await requestedOn(deps.db, summary.id, request.round) : b.issuedOn;
        return {
          ...b,
          kind: 'information_request',
          needed: request.needed,
          reminder: request.reminder,
          firstRequestedOn: request.reminder ? first : undefined,
          respondBy: addDays(b.issuedOn, request.reminder ? deps.settings.identityCloseDays : deps.settings.identityReminderDays),
          clockPaused: deps.settings.pauseWhileAwaitingIdentity,
        };
      }
      case 'fee_notice':
        return { ...b, ...(await feeNoticeLetter(deps.db, summary.id)) };
      case 'withdrawal_confirmation':
        return { ...b, kind: 'withdrawal_confirmation', withdrawnOn: await withdrawnOn(deps.db, summary.id, b.issuedOn) };
      case 'decision':
        return { ...b, ...(await decisionLetter(deps, summary)) };
      case 'restriction_lift_notice':
        return { ...b, ...(await liftNoticeLetter(deps, summary, request.liftKey)) };
    }
  }

  return {
    /** Renders one letter of a request as PDF/A and stores it; returns its id and sha256. */
    async renderLetter({ requestId, letter }: { requestId: string; letter: LetterRequest }): Promise<RenderedDocumentRef> {
      const summary = await loadSummary(deps.db, requestId);
      // An extension letter is written after the extension is recorded, so it states the new date.
      const content = await render(await compose(summary, letter)).catch(asLetterRefusal);
      const stored = await storeDocument(deps.db, {
        requestId,
        businessKey: `document:${requestId}:${letter.kind}${variantOf(letter)}`,
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

/**
 * The renderer is pure: whatever it throws, it throws again for the same data, so it is a refusal
 * (permanent), not a hiccup. A missing catalog text keeps its own name.
 */
function asLetterRefusal(error: unknown): never {
  if (error instanceof Error && (error.name === 'MissingCatalogTextError' || error.name === 'LetterRefusedError')) throw error;
  throw new LetterRefusedError(error instanceof Error ? error.message : String(error));
}

/** Letters of one kind that a request can have more than once are told apart in their business key. */
function variantOf(letter: LetterRequest): string {
  if (letter.kind === 'information_request') return `:${letter.round}:${letter.reminder ? 'reminder' : 'request'}`;
  if (letter.kind === 'restriction_lift_notice') return `:${letter.liftKey}`;
  if (letter.kind === 'access_answer' && letter.version) return `:v${letter.version}`;
  return '';
}
