/**
 * The request page's action forms: only those the request's state allows, each asking for the
 * reasons where the law wants them. A refused action comes back with its values, its errors next to
 * the fields and the reason in a summary at the form's top.
 */
import type { StaffUser } from '../../services/staff-auth';
import { managesAll } from '../../services/staff-actions';
import { TEXT_PROBLEM_MESSAGES } from '../../services/text';
import { AFTER_TODAY_MESSAGE } from '../../services/schemas';
import type { StoredDecision } from '../../db/repositories/decisions';
import type { StoredDocument } from '../../db/repositories/documents';
import type { ChangePreview } from '../../domain/decisions';
import type { RecipientNotification } from '../../db/repositories/recipient-notifications';
import { CATEGORY_OUTCOMES, DECISION_GROUNDS, decisionsAllowedFor, groundsAllowed, type CategoryOutcome } from '../../domain/decisions';
import type { RegisterDescription } from '../../domain/register-description';
import { REFUSAL_GROUNDS, type RequestSummary } from '../../domain/request';
import type { RequestStatus } from '../../workflows/messages';
import { textArea, textInput } from '../form-controls';
import { attr, html, type Html } from '../html';
import { describedBy, fieldError } from '../page';
import type { ActionFailure, ActionName, FormValues } from './actions';
import { staffHref, type StaffPageContext } from './frame';

export interface ActionsView {
  summary: RequestSummary;
  /** The workflow's live status; null when Temporal could not be asked. */
  status: RequestStatus | null;
  decisions: StoredDecision[];
  documents: StoredDocument[];
  description: RegisterDescription;
  user: StaffUser;
  csrf: string;
  failure: ActionFailure | null;
  done: ActionName | null;
  /** The register changes the decisions will make once the answer is approved (absent before the preview). */
  preview?: ChangePreview | null;
  /** GDPR 19: the request's recipient notices (ids, keys and statuses only). */
  notifications?: RecipientNotification[];
}

/** Actions that are offered folded, after the ones the request's state waits for. */
const SECONDARY = new Set<ActionName>(['extend', 'fee', 'refuse', 'withdraw']);

const OPEN_BEFORE_ANSWER = new Set(['received', 'awaiting_identity', 'awaiting_information', 'in_progress', 'awaiting_decision', 'awaiting_payment', 'awaiting_approval']);

/** The section with every action the request allows now. */
export function actionsSection(pc: StaffPageContext, v: ActionsView): Html {
  const { t } = pc;
  const s = v.summary;
  const st = v.status;
  const forms = new Map<ActionName, Html>();
  const open = !s.closedAt;
  const beforeAnswer = open && OPEN_BEFORE_ANSWER.has(s.state) && !(st && st.state === 'delivering');
  const draftId = st?.draftDocumentId ?? value(v, 'approve', 'documentId');
  const builders: Record<ActionName, () => Html> = {
    assign: () => assignForm(pc, v),
    identity: () => identityForm(pc, v),
    decide: () => decideForm(pc, v),
    approve: () => approveForm(pc, v, draftId),
    withhold: () => withholdForm(pc, v),
    payment: () => form(pc, v, 'payment', html`<p>${t('actions.payment.text')}</p>`),
    extend: () => extendForm(pc, v),
    fee: () => feeForm(pc, v),
    refuse: () => refuseForm(pc, v),
    withdraw: () => form(pc, v, 'withdraw', textArea(t, { ...control(pc, v, 'withdraw', 'note'), rows: 3 })),
    lift: () => liftForm(pc, v),
    recipient: () => recipientForm(pc, v),
    retry: () => form(pc, v, 'retry', textArea(t, { ...control(pc, v, 'retry', 'note'), rows: 2 })),
  };
  const offer = (action: ActionName, when: unknown) => {
    if (when) forms.set(action, builders[action]());
  };
  // A step failed for good: retrying it is what the request waits for, so it comes first.
  offer('retry', st && st.awaiting === 'retry');
  offer('assign', open);
  offer('identity', st && (st.awaiting === 'identity' || st.awaiting === 'information'));
  offer('decide', st && st.awaiting === 'decision');
  offer('approve', st && st.awaiting === 'approval' && st.draftDocumentId);
  offer('withhold', st && st.awaiting === 'approval' && st.draftDocumentId && s.right === 'access');
  offer('payment', st && st.feePending);
  offer('extend', beforeAnswer && st && !st.extended && !s.extended);
  offer('fee', beforeAnswer && st && !st.feePending);
  offer('refuse', beforeAnswer);
  offer('withdraw', beforeAnswer);
  offer('lift', !open && (s.right === 'restriction' || s.right === 'objection'));
  // GDPR 19: a notice that could not be sent waits for a person's decision, even after the request closed.
  offer('recipient', waitingNotices(v).length > 0);
  // A refused action keeps its form on the page, with the reason, even when the state no longer offers it.
  if (v.failure && !forms.has(v.failure.action)) forms.set(v.failure.action, builders[v.failure.action]());

  // Less frequent actions fold away (without JavaScript, in <details>); a refused one stays open.
  const secondary = [...forms]
    .filter(([a]) => SECONDARY.has(a))
    .map(([a, f]) => html`<details class="action" id="more-${a}"${attr('open', v.failure?.action === a && 'open')}><summary>${t(`actions.${a}.heading`)}</summary>${f}</details>`);
  const doneNote = v.done ? html`<p class="notice" role="status" id="action-done">${t(`actions.done.${v.done}`)}</p>` : null;
  const unavailable = open && !st ? html`<p class="notice warning" id="workflow-unavailable">${t('actions.unavailable')}</p>` : null;
  return html`<section id="actions" aria-labelledby="actions-heading">
<h2 id="actions-heading">${t('actions.heading')}</h2>
${doneNote}${unavailable}
${forms.size ? html`<p>${t('actions.intro')}</p>${[...forms].filter(([a]) => !SECONDARY.has(a)).map(([, f]) => f)}${secondary.length ? html`<h3 class="subhead">${t('actions.otherHeading')}</h3>${secondary}` : null}` : html`<p id="no-actions">${t('actions.none')}</p>`}
</section>`;
}

/** The values to show in a form: those posted when this form was refused, else empty. */
function valuesOf(v: ActionsView, action: ActionName): FormValues {
  return v.failure?.action === action ? v.failure.values : {};
}

function value(v: ActionsView, action: ActionName, key: string, fallback = ''): string {
  const x = valuesOf(v, action)[key];
  return (Array.isArray(x) ? x[0] : x) ?? fallback;
}

const GENERAL_ERRORS = new Map<string, string>([
  ...Object.values(TEXT_PROBLEM_MESSAGES).map((m) => [m, 'characters'] as [string, string]),
  [AFTER_TODAY_MESSAGE, 'afterToday'],
]);

/** The localised error for a field id, else the validator's own words. */
function errorFor(pc: StaffPageContext, v: ActionsView, action: ActionName, id: string): string | undefined {
  if (v.failure?.action !== action) return undefined;
  const message = v.failure.fieldErrors[id];
  if (!message) return undefined;
  const coded = v.failure.fieldReasons?.[id];
  if (coded) return codedRefusal(pc, v, coded);
  // Refused characters and dates that must lie ahead have their own words, whatever the field.
  const general = GENERAL_ERRORS.get(message);
  const key = general ? `actions.fieldErrors.${general}` : `actions.fieldErrors.${id.replace(/^decide-.*-(\w+)$/, 'decide-$1')}`;
  try {
    return pc.t(key);
  } catch {
    return message;
  }
}

/** A validator's coded refusal in the page's language, with the category and legal basis by their names. */
function codedRefusal(pc: StaffPageContext, v: ActionsView, coded: { code: string; params: Record<string, string> }): string {
  const { category, basis, outcome, ground } = coded.params;
  const label = v.description.categories.find((c) => c.key === category)?.label[pc.language] ?? category;
  const basisName = v.description.legalBases.find((b) => b.key === basis)?.name[pc.language] ?? basis;
  return pc.t(`actions.lawRefusals.${coded.code}`, {
    category: label,
    basis: basisName,
    outcome: outcome ? pc.t(`categoryOutcomes.${outcome}`) : '',
    ground: ground ? pc.t(`actions.decisionGrounds.${ground}`) : '',
  });
}

function control(pc: StaffPageContext, v: ActionsView, action: ActionName, name: string) {
  const id = `${action}-${name}`;
  return { id, name, label: pc.t(`actions.${action}.${name}`), value: value(v, action, name), hint: optionalText(pc, `actions.${action}.${name}Hint`), error: errorFor(pc, v, action, id) };
}

function optionalText(pc: StaffPageContext, key: string): string | undefined {
  try {
    return pc.t(key);
  } catch {
    return undefined;
  }
}

function selectControl(pc: StaffPageContext, v: ActionsView, action: ActionName, name: string, options: { value: string; text: string }[], o: { placeholder?: string; fallback?: string } = {}): Html {
  const c = control(pc, v, action, name);
  const selected = value(v, action, name, o.fallback ?? '');
  return html`<div class="field${c.error ? ' has-error' : ''}">
<label for="${c.id}">${c.label}</label>
${c.hint ? html`<span class="hint" id="${c.id}-hint">${c.hint}</span>` : null}
${fieldError(pc.t, c.id, c.error)}
<select id="${c.id}" name="${name}"${attr('aria-invalid', c.error && 'true')}${attr('aria-describedby', describedBy(c.id, Boolean(c.hint), Boolean(c.error)))}>
${o.placeholder !== undefined ? html`<option value="">${o.placeholder}</option>` : null}
${options.map((x) => html`<option value="${x.value}"${attr('selected', x.value === selected && 'selected')}>${x.text}</option>`)}
</select>
</div>`;
}

function radios(pc: StaffPageContext, v: ActionsView, action: ActionName, name: string, options: { value: string; text: string; hint?: string }[]): Html {
  const id = `${action}-${name}`;
  const error = errorFor(pc, v, action, id);
  const selected = value(v, action, name);
  return html`<div class="field${error ? ' has-error' : ''}">
<fieldset${attr('aria-describedby', error ? `${id}-error` : null)}>
<legend>${pc.t(`actions.${action}.${name}`)}</legend>
${fieldError(pc.t, id, error)}
${options.map(
  (o, i) => html`<div class="choice"><input type="radio" id="${id}-${o.value}" name="${name}" value="${o.value}"${attr('checked', (selected === o.value || (!selected && i === 0 && name !== 'decision')) && 'checked')}${attr('aria-describedby', o.hint ? `${id}-${o.value}-hint` : null)}><label for="${id}-${o.value}">${o.text}</label>${o.hint ? html`<span class="hint" id="${id}-${o.value}-hint">${o.hint}</span>` : null}</div>`,
)}
</fieldset>
</div>`;
}

/** Where a summary link goes: the field, or the first choice of a group of radios or checkboxes. */
function anchorOf(v: ActionsView, id: string): string {
  if (id === 'identity-decision') return 'identity-decision-verified';
  if (id === 'refuse-scope') return 'refuse-scope-whole';
  if (id === 'lift-categories') {
    const first = v.decisions.find((d) => d.kind === 'category' && d.outcome === 'granted');
    return first ? `lift-categories-${first.key}` : id;
  }
  const correction = /^decide-correction-(\d+)-accepted$/.exec(id);
  if (correction) return `decide-correction-${correction[1]}-yes`;
  return id;
}

/** One action's form: heading, explanation, the refusal summary when it was refused, fields, button. */
function form(pc: StaffPageContext, v: ActionsView, action: ActionName, body: Html): Html {
  const { t, language } = pc;
  const failure = v.failure?.action === action ? v.failure : null;
  const fieldLinks = failure ? Object.keys(failure.fieldErrors) : [];
  return html`<form method="post" action="${staffHref(`/staff/requests/${v.summary.id}/actions/${action}`, language)}" class="action" id="form-${action}" aria-labelledby="form-${action}-heading" novalidate>
<h3 id="form-${action}-heading">${t(`actions.${action}.heading`)}</h3>
${optionalText(pc, `actions.${action}.lead`) ? html`<p class="hint">${t(`actions.${action}.lead`)}</p>` : null}
${failure
  ? html`<div class="error-summary" role="alert" id="form-${action}-error" tabindex="-1">
<h4>${t(`actions.refused.${failure.status === 400 ? 'invalid' : failure.status === 403 ? 'forbidden' : 'workflow'}`)}</h4>
${fieldLinks.length ? null : refusalDetail(pc, failure.code, failure.detail)}
${fieldLinks.length ? html`<ul>${fieldLinks.map((id) => html`<li><a href="#${anchorOf(v, id)}">${errorFor(pc, v, action, id)}</a></li>`)}</ul>` : null}
</div>`
  : null}
<input type="hidden" name="csrf" value="${v.csrf}">
${body}
<button type="submit">${t(`actions.${action}.submit`)}</button>
</form>`;
}

/**
 * Why the engine refused, in the page's language: the catalog's text for the refusal's code. The
 * engine's own words are developer English, shown only on an English page when no text fits.
 */
function refusalDetail(pc: StaffPageContext, code: string, detail: string): Html | null {
  const known = optionalText(pc, `actions.refusedCode.${code}`);
  return html`${known ? html`<p>${known}</p>` : null}${pc.language === 'en' ? html`<p>${detail}</p>` : null}`;
}

function assignForm(pc: StaffPageContext, v: ActionsView): Html {
  const { t } = pc;
  const current = v.summary.assignedTo;
  if (managesAll(v.user)) {
    return form(
      pc,
      v,
      'assign',
      html`<p>${current ? t('actions.assign.current', { user: current }) : t('actions.assign.nobody')}</p>
${textInput(t, { ...control(pc, v, 'assign', 'assignee'), value: value(v, 'assign', 'assignee', current ?? ''), short: true, spellcheck: false })}
${textArea(t, { ...control(pc, v, 'assign', 'reason'), rows: 2 })}`,
    );
  }
  // A handler takes an unassigned request or releases their own.
  const takes = current === null;
  return html`<form method="post" action="${staffHref(`/staff/requests/${v.summary.id}/actions/assign`, pc.language)}" class="action" id="form-assign" aria-labelledby="form-assign-heading">
<h3 id="form-assign-heading">${t('actions.assign.heading')}</h3>
<p>${current ? t('actions.assign.current', { user: current }) : t('actions.assign.nobody')}</p>
${v.failure?.action === 'assign' ? html`<div class="error-summary" role="alert"><p lang="en">${v.failure.detail}</p></div>` : null}
<input type="hidden" name="csrf" value="${v.csrf}">
<input type="hidden" name="assignee" value="${takes ? v.user.id : ''}">
<button type="submit">${takes ? t('actions.assign.take') : t('actions.assign.release')}</button>
</form>`;
}

function identityForm(pc: StaffPageContext, v: ActionsView): Html {
  const { t } = pc;
  return form(
    pc,
    v,
    'identity',
    html`${radios(pc, v, 'identity', 'decision', [
      { value: 'verified', text: t('actions.identity.verified'), hint: t('actions.identity.verifiedHint') },
      { value: 'request_information', text: t('actions.identity.requestInformation'), hint: t('actions.identity.requestInformationHint') },
      { value: 'unidentifiable', text: t('actions.identity.unidentifiable'), hint: t('actions.identity.unidentifiableHint') },
    ])}
${selectControl(pc, v, 'identity', 'method', [
  { value: 'handler_verified', text: t('actions.identity.methods.handler_verified') },
  { value: 'in_person', text: t('actions.identity.methods.in_person') },
])}
${textArea(t, { ...control(pc, v, 'identity', 'note'), rows: 3 })}`,
  );
}

function extendForm(pc: StaffPageContext, v: ActionsView): Html {
  return form(pc, v, 'extend', textArea(pc.t, { ...control(pc, v, 'extend', 'reasons'), rows: 4 }));
}

function refuseForm(pc: StaffPageContext, v: ActionsView): Html {
  const { t } = pc;
  return form(
    pc,
    v,
    'refuse',
    html`${selectControl(pc, v, 'refuse', 'ground', REFUSAL_GROUNDS.map((g) => ({ value: g, text: t(`actions.refusalGrounds.${g}`) })), { placeholder: t('actions.choose') })}
${radios(pc, v, 'refuse', 'scope', [
  { value: 'whole', text: t('actions.refuse.whole') },
  { value: 'partial', text: t('actions.refuse.partial') },
])}
${textArea(t, { ...control(pc, v, 'refuse', 'reasons'), rows: 4 })}`,
  );
}

function feeForm(pc: StaffPageContext, v: ActionsView): Html {
  const { t } = pc;
  return form(
    pc,
    v,
    'fee',
    html`${textInput(t, { ...control(pc, v, 'fee', 'amount'), short: true })}
${selectControl(pc, v, 'fee', 'ground', [
  { value: 'gdpr_12_5_manifestly_unfounded', text: t('actions.refusalGrounds.gdpr_12_5_manifestly_unfounded') },
  { value: 'gdpr_12_5_excessive', text: t('actions.refusalGrounds.gdpr_12_5_excessive') },
], { placeholder: t('actions.choose') })}
${textArea(t, { ...control(pc, v, 'fee', 'basis'), rows: 3 })}
${textInput(t, { ...control(pc, v, 'fee', 'payBy'), short: true })}`,
  );
}

function approveForm(pc: StaffPageContext, v: ActionsView, documentId: string): Html {
  const { t, language } = pc;
  const draft = v.documents.find((d) => d.id === documentId);
  return form(
    pc,
    v,
    'approve',
    html`<p>${draft ? html`<a href="${staffHref(`/staff/documents/${draft.id}`, language)}" id="draft-link">${t('actions.approve.openDraft', { file: draft.filename })}</a>` : t('actions.approve.draftPending')}</p>
${previewSection(pc, v)}
<input type="hidden" name="documentId" value="${documentId}">
${textArea(t, { ...control(pc, v, 'approve', 'note'), rows: 2 })}`,
  );
}

/**
 * What approving will change in the register: tables and row counts per category, or that the
 * subject has no data in the categories asked about (LEGAL-RULES.md 6), before anything is sent.
 */
function previewSection(pc: StaffPageContext, v: ActionsView): Html {
  const { t } = pc;
  const preview = v.preview;
  if (!preview) return html``;
  if (!preview.dataFound) return html`<p class="notice" id="preview-not-found"><strong>${t('actions.approve.preview.notFound')}</strong></p>`;
  const label = (key: string) => v.description.categories.find((c) => c.key === key)?.label[pc.language] ?? key;
  const rows = [
    ...preview.categories.flatMap((c) => c.changes.map((x) => ({ category: label(c.category), table: x.table, rows: x.rows }))),
    ...preview.corrections.map((c) => ({ category: label(c.category), table: c.table, rows: c.rows })),
  ];
  if (rows.length === 0) return html`<p id="preview-none">${t('actions.approve.preview.none')}</p>`;
  return html`<table id="preview"><caption>${t('actions.approve.preview.heading')}</caption>
<thead><tr><th scope="col">${t('actions.approve.preview.category')}</th><th scope="col">${t('actions.approve.preview.table')}</th><th scope="col">${t('actions.approve.preview.rows')}</th></tr></thead>
<tbody>${rows.map((r) => html`<tr><td>${r.category}</td><td>${r.table}</td><td>${String(r.rows)}</td></tr>`)}</tbody></table>`;
}

function categoryOptions(pc: StaffPageContext, v: ActionsView, keys?: string[]): { value: string; text: string }[] {
  return v.description.categories.filter((c) => !keys || keys.includes(c.key)).map((c) => ({ value: c.key, text: c.label[pc.language] }));
}

function withholdForm(pc: StaffPageContext, v: ActionsView): Html {
  const { t } = pc;
  return form(
    pc,
    v,
    'withhold',
    html`${selectControl(pc, v, 'withhold', 'category', categoryOptions(pc, v), { placeholder: t('actions.choose') })}
${textArea(t, { ...control(pc, v, 'withhold', 'description'), rows: 3 })}`,
  );
}

function liftForm(pc: StaffPageContext, v: ActionsView): Html {
  const { t } = pc;
  const restricted = v.decisions.filter((d) => d.kind === 'category' && d.outcome === 'granted').map((d) => d.key);
  if (restricted.length === 0) return html``;
  const id = 'lift-categories';
  const error = errorFor(pc, v, 'lift', id);
  const checked = valuesOf(v, 'lift').categories ?? [];
  return form(
    pc,
    v,
    'lift',
    html`<div class="field${error ? ' has-error' : ''}"><fieldset${attr('aria-describedby', error ? `${id}-error` : null)}>
<legend>${t('actions.lift.categories')}</legend>
${fieldError(pc.t, id, error)}
${categoryOptions(pc, v, restricted).map(
  (c) => html`<div class="choice"><input type="checkbox" id="${id}-${c.value}" name="categories" value="${c.value}"${attr('checked', checked.includes(c.value) && 'checked')}><label for="${id}-${c.value}">${c.text}</label></div>`,
)}
</fieldset></div>
${textInput(t, { ...control(pc, v, 'lift', 'liftOn'), short: true })}
${textArea(t, { ...control(pc, v, 'lift', 'reason'), rows: 3 })}`,
  );
}

/** GDPR 15-21 per category: the engine's proposal preselected, every change asking for reasons. */
function decideForm(pc: StaffPageContext, v: ActionsView): Html {
  const { t } = pc;
  const right = v.summary.right;
  const pending = v.decisions.filter((d) => !d.decidedAt);
  const categories = pending.filter((d) => d.kind === 'category');
  const corrections = pending.filter((d) => d.kind === 'correction');
  const names = new Map(v.description.categories.map((c) => [c.key, c.label[pc.language]]));
  const grounds = DECISION_GROUNDS.filter((g) => CATEGORY_OUTCOMES.some((o: CategoryOutcome) => groundsAllowed(right, o).includes(g)));
  const rows = categories.map((d) => {
    const base = `decide-${d.key}`;
    const outcomeError = errorFor(pc, v, 'decide', `${base}-outcome`);
    const groundError = errorFor(pc, v, 'decide', `${base}-ground`);
    const reasonError = errorFor(pc, v, 'decide', `${base}-reason`);
    const outcome = value(v, 'decide', `outcome.${d.key}`, d.proposedOutcome);
    const ground = value(v, 'decide', `ground.${d.key}`, d.proposedGround);
    // LEGAL-RULES.md 3: only the grounds the category's legal basis allows are offered.
    const law = v.description.categories.find((c) => c.key === d.key);
    const fitting = law ? new Set(decisionsAllowedFor(right, law).map((x) => x.ground)) : null;
    const offered = grounds.filter((g) => !fitting || fitting.has(g) || g === ground);
    return html`<fieldset class="decision" id="${base}">
<legend>${names.get(d.key) ?? d.key}</legend>
<p class="hint" id="${base}-proposal">${t('actions.decide.proposal', { outcome: t(`categoryOutcomes.${d.proposedOutcome}`), ground: t(`actions.decisionGrounds.${d.proposedGround}`) })}</p>
<div class="field${outcomeError ? ' has-error' : ''}"><label for="${base}-outcome">${t('actions.decide.outcome')}</label>${fieldError(t, `${base}-outcome`, outcomeError)}
<select id="${base}-outcome" name="outcome.${d.key}" aria-describedby="${[`${base}-proposal`, outcomeError ? `${base}-outcome-error` : null].filter(Boolean).join(' ')}">${CATEGORY_OUTCOMES.map((o) => html`<option value="${o}"${attr('selected', o === outcome && 'selected')}>${t(`categoryOutcomes.${o}`)}</option>`)}</select></div>
<div class="field${groundError ? ' has-error' : ''}"><label for="${base}-ground">${t('actions.decide.ground')}</label>${fieldError(t, `${base}-ground`, groundError)}
<select id="${base}-ground" name="ground.${d.key}"${attr('aria-describedby', groundError ? `${base}-ground-error` : null)}>${offered.map((g) => html`<option value="${g}"${attr('selected', g === ground && 'selected')}>${t(`actions.decisionGrounds.${g}`)}</option>`)}</select></div>
<div class="field${reasonError ? ' has-error' : ''}"><label for="${base}-reason">${t('actions.decide.reason')}</label><span class="hint" id="${base}-reason-hint">${t('actions.decide.reasonHint')}</span>${fieldError(t, `${base}-reason`, reasonError)}
<textarea id="${base}-reason" name="reason.${d.key}" rows="2" aria-describedby="${describedBy(`${base}-reason`, true, Boolean(reasonError))}">${value(v, 'decide', `reason.${d.key}`)}</textarea></div>
</fieldset>`;
  });
  const correctionRows = corrections.map((d) => {
    const index = Number(d.key.replace('correction:', ''));
    const base = `decide-correction-${index}`;
    const accepted = value(v, 'decide', `accepted.${index}`, 'yes');
    const reasonError = errorFor(pc, v, 'decide', `${base}-reason`);
    const field = String(d.data.field ?? '');
    return html`<fieldset class="decision" id="${base}">
<legend>${t('actions.decide.correction', { field })}</legend>
<div class="choice"><input type="radio" id="${base}-yes" name="accepted.${index}" value="yes"${attr('checked', accepted !== 'no' && 'checked')}><label for="${base}-yes">${t('actions.decide.accept')}</label></div>
<div class="choice"><input type="radio" id="${base}-no" name="accepted.${index}" value="no"${attr('checked', accepted === 'no' && 'checked')}><label for="${base}-no">${t('actions.decide.reject')}</label></div>
<div class="field${reasonError ? ' has-error' : ''}"><label for="${base}-reason">${t('actions.decide.reason')}</label>${fieldError(t, `${base}-reason`, reasonError)}
<textarea id="${base}-reason" name="creason.${index}" rows="2"${attr('aria-describedby', reasonError ? `${base}-reason-error` : null)}>${value(v, 'decide', `creason.${index}`)}</textarea></div>
</fieldset>`;
  });
  return form(pc, v, 'decide', html`${rows}${correctionRows}`);
}

/** GDPR 19: the notices that could not be sent (no channel, or a failed delivery), waiting for a decision. */
function waitingNotices(v: ActionsView): RecipientNotification[] {
  return (v.notifications ?? []).filter((n) => (n.status === 'pending' && n.channel === 'none') || n.status === 'failed');
}

/** The handler decides, with reasons, that telling a recipient is impossible or disproportionate; the engine never does. */
function recipientForm(pc: StaffPageContext, v: ActionsView): Html {
  const { t } = pc;
  const options = waitingNotices(v).map((n) => ({ value: n.recipientKey, text: v.description.recipients.find((r) => r.key === n.recipientKey)?.name[pc.language] ?? n.recipientKey }));
  return form(
    pc,
    v,
    'recipient',
    html`${selectControl(pc, v, 'recipient', 'recipient', options)}
${textArea(t, { ...control(pc, v, 'recipient', 'reason'), rows: 3 })}`,
  );
}
