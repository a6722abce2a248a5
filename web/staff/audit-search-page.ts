/**
 * The auditor's search (tarkastajan haku): reference, received-date range, right and outcome as
 * plain GET parameters, so every search is a link; the verification of the audit chain above it.
 */
import type { IntegrityStatus } from '../../services/audit-integrity';
import type { AuditFilter, AuditRow } from '../../db/repositories/audit-search';
import { OUTCOMES, RIGHTS, type Outcome, type Right } from '../../domain/request';
import { formatDate, parseIsoDate } from '../../templates/i18n';
import { attr, html, type Html } from '../html';
import type { PageText } from '../i18n';
import { staffHref, staffPage, type StaffPageContext } from './frame';
import { helsinkiDay } from './audit-history';
import { chainSection } from './audit-history-page';

/** Beyond this a page number is nonsense (and an offset PostgreSQL refuses). */
const MAX_PAGE = 10_000;

export const AUDIT_PAGE_SIZE = 50;
const MAX_REFERENCE = 64;

/** The search as typed, for showing it back in the form. */
export interface AuditSearchInput {
  reference: string;
  from: string;
  to: string;
  right: string;
  outcome: string;
  page: number;
}

export interface AuditSearchErrors {
  from?: string;
  to?: string;
}

function one(value: unknown): string {
  return typeof value === 'string' ? value.trim() : '';
}

function isDate(value: string): boolean {
  try {
    parseIsoDate(value);
    return true;
  } catch {
    return false;
  }
}

/**
 * Reads the search from the query string. A right or outcome that is not one of the list is
 * dropped; a date that is not a real YYYY-MM-DD date, or a range that ends before it starts, is
 * an error named at its field, and then there is no filter to search with.
 */
export function readAuditSearch(query: Record<string, unknown>, t: PageText): { input: AuditSearchInput; filter: AuditFilter | null; errors: AuditSearchErrors } {
  const right = one(query.right);
  const outcome = one(query.outcome);
  const page = Number(one(query.page));
  const input: AuditSearchInput = {
    reference: one(query.reference).slice(0, MAX_REFERENCE),
    from: one(query.from),
    to: one(query.to),
    right: (RIGHTS as readonly string[]).includes(right) ? right : '',
    outcome: outcome === 'open' || (OUTCOMES as readonly string[]).includes(outcome) ? outcome : '',
    page: Number.isSafeInteger(page) && page >= 1 && page <= MAX_PAGE ? page : 1,
  };
  const errors: AuditSearchErrors = {};
  if (input.from && !isDate(input.from)) errors.from = t('audit.search.dateError');
  if (input.to && !isDate(input.to)) errors.to = t('audit.search.dateError');
  if (!errors.from && !errors.to && input.from && input.to && input.from > input.to) errors.to = t('audit.search.rangeError');
  if (errors.from || errors.to) return { input, filter: null, errors };
  return {
    input,
    errors,
    filter: {
      reference: input.reference || undefined,
      receivedFrom: input.from || undefined,
      receivedTo: input.to || undefined,
      right: (input.right || undefined) as Right | undefined,
      outcome: (input.outcome || undefined) as Outcome | 'open' | undefined,
    },
  };
}

/** The query string of a search (empty fields left out), for links that keep it. */
export function searchParams(input: AuditSearchInput, page = 1): URLSearchParams {
  const q = new URLSearchParams();
  for (const key of ['reference', 'from', 'to', 'right', 'outcome'] as const) if (input[key]) q.set(key, input[key]);
  if (page > 1) q.set('page', String(page));
  return q;
}

export interface AuditSearchView {
  input: AuditSearchInput;
  errors: AuditSearchErrors;
  integrity: IntegrityStatus;
  /** The admin's incident-note form, when an alarm is open and the viewer is an admin. */
  incidentForm: Html | null;
  /** Null when the search had errors and was not made. */
  result: { rows: AuditRow[]; total: number } | null;
}

/** The search page. */
export function auditSearchPage(pc: StaffPageContext, v: AuditSearchView): string {
  const { t } = pc;
  const hasErrors = Boolean(v.errors.from || v.errors.to);
  const title = t('audit.search.title');
  return staffPage(pc, {
    title: hasErrors ? `${t('audit.errorPrefix')} ${title}` : title,
    main: html`<h1>${title}</h1>
<p>${t('audit.readOnly')}</p>
${chainSection(pc, v.integrity, 'chain')}
${v.incidentForm}
${searchForm(pc, v.input, v.errors)}
${v.result ? resultsSection(pc, v.input, v.result) : null}`,
  });
}

interface FieldOptions {
  id: keyof AuditSearchInput;
  label: string;
  value: string;
  hint?: string;
  error?: string;
  numeric?: boolean;
}

/** A text field with its label, hint and error, the latter two announced through aria-describedby. */
function textField(t: PageText, f: FieldOptions): Html {
  const describedBy = [f.hint ? `${f.id}-hint` : null, f.error ? `${f.id}-error` : null].filter(Boolean).join(' ');
  return html`<div class="field${f.error ? ' has-error' : ''}">
<label for="${f.id}">${f.label}</label>
${f.hint ? html`<span class="hint" id="${f.id}-hint">${f.hint}</span>` : null}
${f.error ? html`<span class="error" id="${f.id}-error"><span class="visually-hidden">${t('audit.errorPrefix')} </span>${f.error}</span>` : null}
<input type="text" class="short" id="${f.id}" name="${f.id}" value="${f.value}" spellcheck="false" autocomplete="off"${attr('inputmode', f.numeric && 'numeric')}${attr('aria-describedby', describedBy)}${attr('aria-invalid', f.error && 'true')}>
</div>`;
}

function selectField(id: string, label: string, options: { value: string; text: string }[], selected: string): Html {
  return html`<div class="field"><label for="${id}">${label}</label>
<select id="${id}" name="${id}">${options.map((o) => html`<option value="${o.value}"${attr('selected', o.value === selected && 'selected')}>${o.text}</option>`)}</select></div>`;
}

function searchForm(pc: StaffPageContext, input: AuditSearchInput, errors: AuditSearchErrors): Html {
  const { t, language } = pc;
  const any = { value: '', text: t('audit.search.any') };
  const listed = (['from', 'to'] as const).filter((id) => errors[id]);
  return html`<h2 id="search-heading">${t('audit.search.formHeading')}</h2>
${listed.length
  ? html`<div class="error-summary" role="alert" aria-labelledby="error-summary-heading" tabindex="-1">
<h3 id="error-summary-heading">${t('audit.search.errorsHeading')}</h3>
<ul>${listed.map((id) => html`<li><a href="#${id}">${t(`audit.search.${id}`)}: ${errors[id]}</a></li>`)}</ul>
</div>`
  : null}
<form method="get" action="/staff/audit" aria-labelledby="search-heading" novalidate>
<input type="hidden" name="lang" value="${language}">
${textField(t, { id: 'reference', label: t('audit.search.reference'), hint: t('audit.search.referenceHint'), value: input.reference })}
<div class="filters">
${textField(t, { id: 'from', label: t('audit.search.from'), hint: t('audit.search.dateHint'), value: input.from, error: errors.from, numeric: true })}
${textField(t, { id: 'to', label: t('audit.search.to'), hint: t('audit.search.dateHint'), value: input.to, error: errors.to, numeric: true })}
</div>
<div class="filters">
${selectField('right', t('audit.search.right'), [any, ...RIGHTS.map((r) => ({ value: r, text: t(`rights.${r}`) }))], input.right)}
${selectField(
  'outcome',
  t('audit.search.outcome'),
  [any, { value: 'open', text: t('audit.search.open') }, ...OUTCOMES.map((o) => ({ value: o, text: t(`outcomes.${o}`) }))],
  input.outcome,
)}
</div>
<p><button type="submit">${t('audit.search.submit')}</button> <a href="${staffHref('/staff/audit', language)}">${t('audit.search.clear')}</a></p>
</form>`;
}

function resultsSection(pc: StaffPageContext, input: AuditSearchInput, result: { rows: AuditRow[]; total: number }): Html {
  const { t, language } = pc;
  const heading = html`<h2 id="results-heading">${t('audit.search.resultsHeading')}</h2>`;
  if (result.rows.length === 0) return html`${heading}<p id="no-results">${t('audit.search.empty')}</p>`;
  const none = t('common.none');
  return html`${heading}
<div class="table-wrap"><table id="results">
<caption>${t('audit.search.resultsCaption', { count: result.total })}</caption>
<thead><tr>${(['reference', 'right', 'state', 'outcome', 'received', 'closed'] as const).map((c) => html`<th scope="col">${t(`audit.search.col.${c}`)}</th>`)}</tr></thead>
<tbody>
${result.rows.map(
  (r) => html`<tr data-reference="${r.reference}">
<th scope="row"><a href="${staffHref(`/staff/audit/requests/${r.id}`, language)}">${r.reference}</a></th>
<td>${t(`rights.${r.right}`)}</td>
<td>${t(`states.${r.state}`)}</td>
<td>${r.outcome ? t(`outcomes.${r.outcome}`) : t('audit.search.notDecided')}</td>
<td>${formatDate(r.receivedOn, language)}</td>
<td>${r.closedAt ? helsinkiDay(r.closedAt, language) : none}</td>
</tr>
`,
)}</tbody>
</table></div>
${pager(pc, input, result.total)}`;
}

function pager(pc: StaffPageContext, input: AuditSearchInput, total: number): Html {
  const { t, language } = pc;
  const pages = Math.max(1, Math.ceil(total / AUDIT_PAGE_SIZE));
  if (pages <= 1) return html``;
  const page = Math.min(input.page, pages);
  const href = (p: number) => staffHref('/staff/audit', language, searchParams(input, p));
  return html`<nav aria-label="${t('audit.search.pagination.label')}">
<ul class="pager">
${page > 1 ? html`<li><a href="${href(page - 1)}" rel="prev">${t('audit.search.pagination.previous')}</a></li>` : null}
<li aria-current="page">${t('audit.search.pagination.page', { page, pages })}</li>
${page < pages ? html`<li><a href="${href(page + 1)}" rel="next">${t('audit.search.pagination.next')}</a></li>` : null}
</ul>
</nav>`;
}
