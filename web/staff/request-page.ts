/**
 * One request for staff: summary and deadline, the data subject (a recorded view), the timeline,
 * the documents and the decisions by category, and the action forms the request's state allows.
 */
import type { StoredDecision } from '../../db/repositories/decisions';
import type { StoredDocument } from '../../db/repositories/documents';
import type { RequestEvent } from '../../db/repositories/events';
import type { RequestAttention } from '../../db/repositories/requests';
import { LANGUAGES, currentDeadline, type Language, type RequestSummary, type SubjectDetails } from '../../domain/request';
import { formatDate } from '../../templates/i18n';
import { html, type Html } from '../html';
import type { PageText } from '../i18n';
import { staffHref, staffPage, type StaffPageContext } from './frame';
import { formatHelsinki } from './i18n';

/** Event types the catalog names in plain words; anything newer shows its code. */
const NAMED_EVENTS = new Set([
  'submitted', 'received', 'identity_requested', 'identity_verified', 'identity_information_requested', 'identity_information_reminded',
  'identity_information_received', 'identity_unidentifiable', 'work_started', 'subject_matched', 'data_gathered', 'decisions_proposed',
  'categories_decided', 'draft_ready', 'answer_approved', 'document_delivered', 'document_downloaded', 'deadline_extended', 'reminder_sent',
  'deadline_due_today', 'deadline_overdue', 'fee_announced', 'fee_paid', 'clock_resumed', 'items_withheld', 'refused', 'withdrawn', 'closed',
  'register_changed', 'recipient_notified', 'recipient_notification_failed', 'recipient_not_notified', 'restriction_lift_planned',
  'restriction_lift_notified', 'restriction_lifted', 'assigned', 'unassigned', 'email_confirmed',
  'changes_previewed', 'recipient_awaiting_decision', 'needs_attention', 'step_retried',
]);

export interface RequestView {
  summary: RequestSummary;
  subject: SubjectDetails | null;
  events: RequestEvent[];
  documents: StoredDocument[];
  decisions: StoredDecision[];
  /** The action forms, for staff who may act. */
  actions?: Html;
  /** The step that failed for good, while the request is in needs_attention. */
  attention?: RequestAttention | null;
}

export function eventText(t: PageText, type: string): string {
  return NAMED_EVENTS.has(type) ? t(`events.${type}`) : t('events.other', { type });
}

function actorText(t: PageText, actor: string): string {
  if (actor === 'system' || actor === 'engine') return t('request.system');
  if (actor === 'subject') return t('request.subject');
  return actor;
}

function languageText(t: PageText, language: string): string {
  return (LANGUAGES as readonly string[]).includes(language) ? t(`languages.${language as Language}`) : language;
}

/** The request page. */
export function requestPage(pc: StaffPageContext, v: RequestView): string {
  const { t } = pc;
  const title = t('request.title', { reference: v.summary.reference });
  return staffPage(pc, {
    title,
    main: html`<p><a href="${staffHref('/staff', pc.language)}">${t('request.back')}</a></p>
<h1>${title}</h1>
${summarySection(pc, v.summary)}
${v.attention ? attentionSection(pc, v.attention) : null}
${v.actions ?? null}
${subjectSection(pc, v.subject)}
${timelineSection(pc, v.events)}
${documentsSection(pc, v.documents)}
${decisionsSection(pc, v.decisions)}`,
  });
}

function summarySection(pc: StaffPageContext, s: RequestSummary): Html {
  const { t, language } = pc;
  const inForce = currentDeadline(s);
  const none = t('common.none');
  return html`<h2>${t('request.summaryHeading')}</h2>
<dl class="facts" id="summary">
<dt>${t('request.reference')}</dt><dd>${s.reference}</dd>
<dt>${t('request.right')}</dt><dd>${t(`rights.${s.right}`)}</dd>
<dt>${t('request.state')}</dt><dd>${t(`states.${s.state}`)}</dd>
${s.outcome ? html`<dt>${t('request.outcome')}</dt><dd>${t(`outcomes.${s.outcome}`)}</dd>` : null}
<dt>${t('request.received')}</dt><dd>${formatHelsinki(t, new Date(s.receivedAt))}</dd>
<dt>${t('request.deadline')}</dt><dd id="deadline-in-force">${s.extended ? t('request.extendedNote', { date: formatDate(inForce.date, language) }) : formatDate(inForce.date, language)}</dd>
<dt>${t('request.originalDeadline')}</dt><dd>${formatDate(s.deadline, language)}</dd>
<dt>${t('request.extendedDeadline')}</dt><dd>${formatDate(s.extendedDeadline, language)}</dd>
<dt>${t('request.closed')}</dt><dd>${s.closedAt ? formatHelsinki(t, new Date(s.closedAt)) : none}</dd>
<dt>${t('request.assignedTo')}</dt><dd>${s.assignedTo ?? t('request.unassigned')}</dd>
</dl>`;
}

/** The failed step: which, what failed (type and a message with codes only, no personal data) and since when. */
function attentionSection(pc: StaffPageContext, a: RequestAttention): Html {
  const { t } = pc;
  return html`<section class="notice warning" id="attention" aria-labelledby="attention-heading">
<h2 id="attention-heading">${t('request.attentionHeading')}</h2>
<dl class="facts">
<dt>${t('request.attentionStep')}</dt><dd><code>${a.step}</code></dd>
<dt>${t('request.attentionError')}</dt><dd><code>${a.errorType}</code> <span lang="en">${a.message}</span></dd>
<dt>${t('request.attentionSince')}</dt><dd>${formatHelsinki(t, a.since)}</dd>
</dl>
<p>${t('request.attentionNote')}</p>
</section>`;
}

function subjectSection(pc: StaffPageContext, s: SubjectDetails | null): Html {
  const { t } = pc;
  const value = (v: string | null | undefined) => (v ? v : html`<span>${t('request.notGiven')}</span>`);
  return html`<h2>${t('request.subjectHeading')}</h2>
<p class="notice">${t('request.subjectNotice')}</p>
${s
  ? html`<dl class="facts" id="subject">
<dt>${t('request.firstName')}</dt><dd>${value(s.firstName)}</dd>
<dt>${t('request.lastName')}</dt><dd>${value(s.lastName)}</dd>
<dt>${t('request.hetu')}</dt><dd>${value(s.hetu)}</dd>
<dt>${t('request.email')}</dt><dd>${value(s.email)}</dd>
<dt>${t('request.phone')}</dt><dd>${value(s.phone)}</dd>
<dt>${t('request.address')}</dt><dd>${value(s.address)}</dd>
</dl>`
  : null}`;
}

function timelineSection(pc: StaffPageContext, events: RequestEvent[]): Html {
  const { t } = pc;
  return html`<h2>${t('request.timelineHeading')}</h2>
<div class="table-wrap"><table id="timeline">
<caption>${t('request.timelineCaption')}</caption>
<thead><tr><th scope="col">${t('request.timeline.time')}</th><th scope="col">${t('request.timeline.actor')}</th><th scope="col">${t('request.timeline.event')}</th><th scope="col">${t('request.timeline.reason')}</th></tr></thead>
<tbody>${events.map(
    (e) => html`<tr data-type="${e.type}"><td><time datetime="${e.at.toISOString()}">${formatHelsinki(t, e.at)}</time></td><td>${actorText(t, e.actor)}</td><th scope="row">${eventText(t, e.type)}</th><td>${e.reason ?? t('common.none')}</td></tr>`,
  )}</tbody>
</table></div>`;
}

function documentsSection(pc: StaffPageContext, documents: StoredDocument[]): Html {
  const { t, language } = pc;
  const when = (d: Date | null) => (d ? formatHelsinki(t, d) : t('common.none'));
  if (documents.length === 0) return html`<h2>${t('request.documentsHeading')}</h2><p>${t('request.noDocuments')}</p>`;
  return html`<h2>${t('request.documentsHeading')}</h2>
<p>${t('request.documentOpensNote')}</p>
<div class="table-wrap"><table id="documents">
<caption>${t('request.documentsCaption')}</caption>
<thead><tr><th scope="col">${t('request.documents.file')}</th><th scope="col">${t('request.documents.kind')}</th><th scope="col">${t('request.documents.language')}</th><th scope="col">${t('request.documents.created')}</th><th scope="col">${t('request.documents.approved')}</th><th scope="col">${t('request.documents.sent')}</th></tr></thead>
<tbody>${documents.map(
    (d) => html`<tr><th scope="row"><a href="${staffHref(`/staff/documents/${d.id}`, language)}">${d.filename}</a></th><td>${d.kind}</td><td>${languageText(t, d.language)}</td><td>${when(d.createdAt)}</td><td>${when(d.approvedAt)}</td><td>${when(d.sentAt)}</td></tr>`,
  )}</tbody>
</table></div>`;
}

function decisionsSection(pc: StaffPageContext, decisions: StoredDecision[]): Html {
  const { t } = pc;
  if (decisions.length === 0) return html``;
  return html`<h2>${t('request.decisionsHeading')}</h2>
<div class="table-wrap"><table id="decisions">
<caption>${t('request.decisionsCaption')}</caption>
<thead><tr><th scope="col">${t('request.decisions.category')}</th><th scope="col">${t('request.decisions.proposed')}</th><th scope="col">${t('request.decisions.outcome')}</th><th scope="col">${t('request.decisions.ground')}</th><th scope="col">${t('request.decisions.decidedBy')}</th><th scope="col">${t('request.decisions.decidedAt')}</th><th scope="col">${t('request.decisions.reason')}</th></tr></thead>
<tbody>${decisions.map(
    (d) => html`<tr><th scope="row">${d.category}</th><td>${t(`categoryOutcomes.${d.proposedOutcome}`)}</td><td>${d.decidedAt ? t(`categoryOutcomes.${d.outcome}`) : t('request.notDecided')}</td><td><code>${d.ground}</code></td><td>${d.decidedAt ? actorText(t, d.decidedBy) : t('common.none')}</td><td>${d.decidedAt ? formatHelsinki(t, d.decidedAt) : t('common.none')}</td><td>${d.reason ?? t('common.none')}</td></tr>`,
  )}</tbody>
</table></div>`;
}

