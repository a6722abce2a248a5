/**
 * One request for staff: summary and deadline, the data subject (a recorded view), the timeline,
 * the documents and the decisions by category, and the action forms the request's state allows.
 */
import type { StoredDecision } from '../../db/repositories/decisions';
import type { StoredDocument } from '../../db/repositories/documents';
import type { RequestEvent } from '../../db/repositories/events';
import type { RequestAttention } from '../../db/repositories/requests';
import type { RegisterDescription } from '../../domain/register-description';
import type { AskedView, RegisterMatchView } from '../../services/request-view';
import { LANGUAGES, currentDeadline, type Language, type RequestSummary, type SubjectDetails } from '../../domain/request';
import { failureLabel, stepLabel } from '../../templates/attention-labels';
import { formatDate, translator } from '../../templates/i18n';
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
  /** What the subject asked, and the register record they match (for the identity check). */
  asked?: AskedView;
  register?: RegisterMatchView;
  description?: RegisterDescription;
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

/** Document kinds the catalog names; anything newer shows its code. */
const DOCUMENT_KINDS = new Set([
  'access_answer', 'extension', 'refusal', 'unidentifiable', 'acknowledgement', 'information_request', 'fee_notice', 'decision',
  'withdrawal_confirmation', 'restriction_lift_notice', 'recipient_notice', 'privacy_notice', 'confirmation', 'automated_decisions',
  'portability_json', 'portability_csv',
]);

/** A document kind in the page's language. */
export function documentKindText(t: PageText, kind: string): string {
  return DOCUMENT_KINDS.has(kind) ? t(`documentKinds.${kind}`) : kind;
}

/** A timeline entry in words; a delivered document is named by its kind (an extension notice is not an answer). */
export function timelineText(t: PageText, e: RequestEvent, documents: StoredDocument[]): string {
  if (e.type === 'document_delivered') {
    const document = documents.find((d) => d.id === e.data.documentId);
    if (document) return t('events.documentDelivered', { kind: documentKindText(t, document.kind) });
  }
  return eventText(t, e.type);
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
${v.register ? registerSection(pc, v.register) : null}
${v.asked ? askedSection(pc, v.asked, v.description) : null}
${timelineSection(pc, v.events, v.documents)}
${documentsSection(pc, v.documents)}
${decisionsSection(pc, v.decisions, v.description)}`,
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

/**
 * The failed step: which, what failed and since when, in the page's language; the step's and the
 * failure's codes and the message (codes only, no personal data) as technical details for operators.
 */
function attentionSection(pc: StaffPageContext, a: RequestAttention): Html {
  const { t } = pc;
  const labels = translator(pc.language);
  const step = stepLabel(labels, a.step);
  const error = failureLabel(labels, a.errorType);
  return html`<section class="notice warning" id="attention" aria-labelledby="attention-heading">
<h2 id="attention-heading">${t('request.attentionHeading')}</h2>
<dl class="facts">
<dt>${t('request.attentionStep')}</dt><dd>${step}</dd>
<dt>${t('request.attentionError')}</dt><dd>${error}</dd>
<dt>${t('request.attentionSince')}</dt><dd>${formatHelsinki(t, a.since)}</dd>
</dl>
<details><summary>${t('request.attentionTechnical')}</summary><p><code>${a.step}</code> · <code>${a.errorType}</code> · <span lang="en">${a.message}</span></p></details>
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

/** The register's record of the person the request matches, beside the subject's own details. */
function registerSection(pc: StaffPageContext, m: RegisterMatchView): Html {
  const { t } = pc;
  const value = (v: string | null) => (v ? v : html`<span>${t('request.notGiven')}</span>`);
  const r = m.record;
  return html`<h2>${t('request.registerHeading')}</h2>
${r
  ? html`<p id="register-match">${t(m.matchedBy === 'workflow' ? 'request.register.byWorkflow' : 'request.register.byHetu')}</p>
<dl class="facts" id="register-record">
<dt>${t('request.firstName')}</dt><dd>${r.firstName}</dd>
<dt>${t('request.lastName')}</dt><dd>${r.lastName}</dd>
<dt>${t('request.hetu')}</dt><dd>${r.hetu}</dd>
<dt>${t('request.email')}</dt><dd>${value(r.email)}</dd>
<dt>${t('request.phone')}</dt><dd>${value(r.phone)}</dd>
<dt>${t('request.address')}</dt><dd>${value(r.address)}</dd>
</dl>`
  : html`<p class="notice" id="register-match">${t('request.register.notFound')}</p>`}`;
}

/** The category's name in the page's language, from the register description. */
function categoryText(pc: StaffPageContext, description: RegisterDescription | undefined, key: string): string {
  return description?.categories.find((c) => c.key === key)?.label[pc.language] ?? key;
}

/** A register field `schema.table.column` as its category and label in the page's language. */
function fieldText(pc: StaffPageContext, description: RegisterDescription | undefined, field: string): string {
  const at = field.lastIndexOf('.');
  const [table, column] = [field.slice(0, at), field.slice(at + 1)];
  for (const c of description?.categories ?? []) {
    const f = c.tables.find((x) => x.table === table)?.fields.find((x) => x.column === column);
    if (f) return `${c.label[pc.language]}: ${f.label[pc.language]}`;
  }
  return `${field} (${pc.t('request.asked.notDescribed')})`;
}

/** What the subject asked: their words, the categories, the corrections, the objection grounds, the transmission address. */
function askedSection(pc: StaffPageContext, a: AskedView, description: RegisterDescription | undefined): Html {
  const { t } = pc;
  const text = (v: string | null) => (v ? html`<span class="free-text">${v}</span>` : t('request.notGiven'));
  const categories = a.categories.length ? html`<ul>${a.categories.map((c) => html`<li>${categoryText(pc, description, c)}</li>`)}</ul>` : t('request.asked.allCategories');
  return html`<h2>${t('request.askedHeading')}</h2>
<dl class="facts" id="asked">
<dt>${t('request.asked.description')}</dt><dd>${text(a.description)}</dd>
<dt>${t('request.asked.categories')}</dt><dd>${categories}</dd>
${a.objectionGrounds ? html`<dt>${t('request.asked.objectionGrounds')}</dt><dd>${text(a.objectionGrounds)}</dd>` : null}
${a.transmitTo ? html`<dt>${t('request.asked.transmitTo')}</dt><dd>${a.transmitTo}</dd>` : null}
</dl>
${a.corrections.length
  ? html`<div class="table-wrap"><table id="corrections">
<caption>${t('request.asked.correctionsCaption')}</caption>
<thead><tr><th scope="col">${t('request.asked.field')}</th><th scope="col">${t('request.asked.current')}</th><th scope="col">${t('request.asked.proposed')}</th><th scope="col">${t('request.asked.explanation')}</th></tr></thead>
<tbody>${a.corrections.map(
      (c) => html`<tr><th scope="row">${fieldText(pc, description, c.field)}</th><td>${c.current.length ? c.current.map((v, i) => html`${i > 0 ? html`<br>` : null}${v ?? t('request.asked.noCurrent')}`) : t('request.asked.noCurrent')}</td><td>${c.proposed}</td><td>${c.explanation ?? t('common.none')}</td></tr>`,
    )}</tbody>
</table></div>`
  : null}`;
}

function timelineSection(pc: StaffPageContext, events: RequestEvent[], documents: StoredDocument[]): Html {
  const { t } = pc;
  return html`<h2>${t('request.timelineHeading')}</h2>
<div class="table-wrap"><table id="timeline">
<caption>${t('request.timelineCaption')}</caption>
<thead><tr><th scope="col">${t('request.timeline.time')}</th><th scope="col">${t('request.timeline.actor')}</th><th scope="col">${t('request.timeline.event')}</th><th scope="col">${t('request.timeline.reason')}</th></tr></thead>
<tbody>${events.map(
    (e) => html`<tr data-type="${e.type}"><td><time datetime="${e.at.toISOString()}">${formatHelsinki(t, e.at)}</time></td><td>${actorText(t, e.actor)}</td><th scope="row">${timelineText(t, e, documents)}</th><td>${e.reason ?? t('common.none')}</td></tr>`,
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
    (d) => html`<tr><th scope="row"><a href="${staffHref(`/staff/documents/${d.id}`, language)}">${d.filename}</a></th><td>${documentKindText(t, d.kind)}</td><td>${languageText(t, d.language)}</td><td>${when(d.createdAt)}</td><td>${when(d.approvedAt)}</td><td>${when(d.sentAt)}</td></tr>`,
  )}</tbody>
</table></div>`;
}

function decisionsSection(pc: StaffPageContext, decisions: StoredDecision[], description: RegisterDescription | undefined): Html {
  const { t } = pc;
  if (decisions.length === 0) return html``;
  return html`<h2>${t('request.decisionsHeading')}</h2>
<div class="table-wrap"><table id="decisions">
<caption>${t('request.decisionsCaption')}</caption>
<thead><tr><th scope="col">${t('request.decisions.category')}</th><th scope="col">${t('request.decisions.proposed')}</th><th scope="col">${t('request.decisions.outcome')}</th><th scope="col">${t('request.decisions.ground')}</th><th scope="col">${t('request.decisions.decidedBy')}</th><th scope="col">${t('request.decisions.decidedAt')}</th><th scope="col">${t('request.decisions.reason')}</th></tr></thead>
<tbody>${decisions.map(
    (d) => html`<tr><th scope="row">${categoryText(pc, description, d.category)}</th><td>${t(`categoryOutcomes.${d.proposedOutcome}`)}</td><td>${d.decidedAt ? t(`categoryOutcomes.${d.outcome}`) : t('request.notDecided')}</td><td>${t(`actions.decisionGrounds.${d.ground}`)}</td><td>${d.decidedAt ? actorText(t, d.decidedBy) : t('common.none')}</td><td>${d.decidedAt ? formatHelsinki(t, d.decidedAt) : t('common.none')}</td><td>${d.reason ?? t('common.none')}</td></tr>`,
  )}</tbody>
</table></div>`;
}

