/**
 * The deadline console (määräaikanäkymä): counts, the load chart, the filter form and the list of
 * requests by the deadline in force. Filters are plain GET parameters, so every view is a link.
 */
import { UNASSIGNED, type ConsoleCounts, type ConsoleFilter, type ConsoleRow } from '../../db/repositories/console';
import { REQUEST_STATES, RIGHTS, type RequestState, type Right } from '../../domain/request';
import { formatDate } from '../../templates/i18n';
import { attr, html, type Html } from '../html';
import { loadChart, type LoadTable } from './chart';
import { staffHref, staffPage, type StaffPageContext } from './frame';
import { DAY_MS } from '../../domain/calendar';

/** Beyond this a page number is nonsense (and an offset PostgreSQL refuses). */
const MAX_PAGE = 10_000;

export const PAGE_SIZE = 25;
const MAX_DAYS = 3650;

export interface ConsoleQuery {
  filter: ConsoleFilter;
  page: number;
}

function one(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** Reads the filters from the query string; a value that makes no sense is dropped, not an error. */
export function readConsoleQuery(query: Record<string, unknown>): ConsoleQuery {
  const state = one(query.state);
  const right = one(query.right);
  const status = one(query.status);
  const due = one(query.dueWithin)?.trim();
  const dueDays = due && /^\d{1,4}$/.test(due) && Number(due) <= MAX_DAYS ? Number(due) : undefined;
  const page = Number(one(query.page));
  const assignee = one(query.assignee)?.trim();
  return {
    filter: {
      state: (REQUEST_STATES as readonly string[]).includes(state ?? '') ? (state as RequestState) : undefined,
      right: (RIGHTS as readonly string[]).includes(right ?? '') ? (right as Right) : undefined,
      status: status === 'closed' || status === 'all' ? status : 'open',
      dueWithinDays: dueDays,
      overdue: one(query.overdue) === '1',
      extended: one(query.extended) === '1',
      identityPending: one(query.identity) === '1',
      assignee: assignee && (assignee === UNASSIGNED || /^[a-z0-9._@-]{2,80}$/.test(assignee)) ? assignee : undefined,
    },
    page: Number.isSafeInteger(page) && page >= 1 && page <= MAX_PAGE ? page : 1,
  };
}

/** The query string of a filter (defaults left out), for links that keep it. */
export function filterParams(f: ConsoleFilter, page = 1): URLSearchParams {
  const q = new URLSearchParams();
  if (f.state) q.set('state', f.state);
  if (f.right) q.set('right', f.right);
  if (f.status !== 'open') q.set('status', f.status);
  if (f.dueWithinDays !== undefined) q.set('dueWithin', String(f.dueWithinDays));
  if (f.overdue) q.set('overdue', '1');
  if (f.extended) q.set('extended', '1');
  if (f.identityPending) q.set('identity', '1');
  if (f.assignee) q.set('assignee', f.assignee);
  if (page > 1) q.set('page', String(page));
  return q;
}

export interface ConsoleView {
  query: ConsoleQuery;
  counts: ConsoleCounts;
  load: LoadTable;
  rows: ConsoleRow[];
  total: number;
  now: Date;
  /** The signed-in staff member, and the ids requests are assigned to (the DPO's filter). */
  me: string;
  assignees: string[];
}

/** The console page. */
export function consolePage(pc: StaffPageContext, v: ConsoleView): string {
  const { t } = pc;
  return staffPage(pc, {
    title: t('console.title'),
    main: html`<h1>${t('console.title')}</h1>
${countsSection(pc, v.counts)}
<h2 id="load-heading">${t('chart.heading')}</h2>
${loadChart(t, v.load)}
${filterForm(pc, v)}
${requestTable(pc, v)}
${pager(pc, v)}`,
  });
}

function countsSection(pc: StaffPageContext, c: ConsoleCounts): Html {
  const { t, language } = pc;
  const link = (f: Partial<ConsoleFilter>) => staffHref('/staff', language, filterParams({ status: 'open', overdue: false, extended: false, identityPending: false, ...f }));
  const items: { key: keyof ConsoleCounts; href: string | null }[] = [
    { key: 'open', href: link({}) },
    { key: 'overdue', href: link({ overdue: true }) },
    { key: 'dueWithin7Days', href: link({ dueWithinDays: 7 }) },
    { key: 'awaitingIdentity', href: link({ identityPending: true }) },
    { key: 'awaitingDecision', href: link({ state: 'awaiting_decision' }) },
    { key: 'awaitingApproval', href: link({ state: 'awaiting_approval' }) },
    { key: 'recipientDecisions', href: null },
    { key: 'needsAttention', href: link({ state: 'needs_attention' }) },
  ];
  return html`<h2>${t('console.countsHeading')}</h2>
<ul class="counts">${items.map(
    (i) => html`<li id="count-${i.key}"><span class="n">${c[i.key]}</span>${i.href ? html`<a href="${i.href}">${t(`console.counts.${i.key}`)}</a>` : t(`console.counts.${i.key}`)}</li>`,
  )}</ul>`;
}

function select(id: string, label: string, options: { value: string; text: string }[], selected: string): Html {
  return html`<div class="field"><label for="${id}">${label}</label>
<select id="${id}" name="${id}">${options.map((o) => html`<option value="${o.value}"${attr('selected', o.value === selected && 'selected')}>${o.text}</option>`)}</select></div>`;
}

function checkbox(id: string, label: string, checked: boolean): Html {
  return html`<div class="field choice"><input type="checkbox" id="${id}" name="${id}" value="1"${attr('checked', checked && 'checked')}><label for="${id}">${label}</label></div>`;
}

function filterForm(pc: StaffPageContext, v: ConsoleView): Html {
  const { t, language } = pc;
  const f = v.query.filter;
  const any = { value: '', text: t('console.filter.any') };
  const others = [...new Set([...v.assignees, ...(f.assignee && f.assignee !== UNASSIGNED ? [f.assignee] : [])])].filter((a) => a !== v.me);
  const assignees = [
    any,
    { value: v.me, text: t('console.filter.assigneeMe', { user: v.me }) },
    { value: UNASSIGNED, text: t('console.filter.assigneeNone') },
    ...others.map((a) => ({ value: a, text: a })),
  ];
  return html`<h2 id="filters-heading">${t('console.filtersHeading')}</h2>
<form method="get" action="/staff" aria-labelledby="filters-heading">
<input type="hidden" name="lang" value="${language}">
<div class="filters">
${select('state', t('console.filter.state'), [any, ...REQUEST_STATES.map((s) => ({ value: s, text: t(`states.${s}`) }))], f.state ?? '')}
${select('right', t('console.filter.right'), [any, ...RIGHTS.map((r) => ({ value: r, text: t(`rights.${r}`) }))], f.right ?? '')}
${select('assignee', t('console.filter.assignee'), assignees, f.assignee ?? '')}
${select(
  'status',
  t('console.filter.status'),
  [
    { value: 'open', text: t('console.filter.statusOpen') },
    { value: 'closed', text: t('console.filter.statusClosed') },
    { value: 'all', text: t('console.filter.statusAll') },
  ],
  f.status,
)}
<div class="field"><label for="dueWithin">${t('console.filter.dueWithin')}</label>
<span class="hint" id="dueWithin-hint">${t('console.filter.dueWithinHint')}</span>
<input type="number" id="dueWithin" name="dueWithin" min="0" max="${MAX_DAYS}" inputmode="numeric" aria-describedby="dueWithin-hint" value="${f.dueWithinDays ?? ''}"></div>
</div>
${checkbox('overdue', t('console.filter.overdue'), f.overdue)}
${checkbox('extended', t('console.filter.extended'), f.extended)}
${checkbox('identity', t('console.filter.identityPending'), f.identityPending)}
<p><button type="submit">${t('console.filter.apply')}</button> <a href="${staffHref('/staff', language)}">${t('console.filter.clear')}</a></p>
</form>`;
}

/** Words for a row's urgency; the row's colour only repeats them. */
function marks(pc: StaffPageContext, r: ConsoleRow, now: Date): { className: string | null; text: Html } {
  const { t } = pc;
  const overdue = !r.closed && r.deadlineAt.getTime() < now.getTime();
  const soon = !r.closed && !overdue && r.deadlineAt.getTime() <= now.getTime() + 7 * DAY_MS;
  const list = [
    overdue ? html`<strong class="mark overdue">${t('console.mark.overdue')}</strong>` : null,
    soon ? html`<strong class="mark soon">${t('console.mark.dueSoon')}</strong>` : null,
    r.extended ? html`<span class="mark">${t('console.mark.extended')}</span>` : null,
    r.closed ? html`<span class="mark">${t('console.mark.closed')}</span>` : null,
  ];
  return { className: overdue ? 'overdue' : soon ? 'soon' : null, text: html`${list}` };
}

function requestTable(pc: StaffPageContext, v: ConsoleView): Html {
  const { t, language } = pc;
  if (v.rows.length === 0) return html`<p id="no-requests">${t('console.empty')}</p>`;
  return html`<div class="table-wrap">
<table id="requests">
<caption>${t('console.tableCaption', { count: v.total })}</caption>
<thead><tr>
<th scope="col">${t('console.col.reference')}</th>
<th scope="col">${t('console.col.right')}</th>
<th scope="col">${t('console.col.state')}</th>
<th scope="col">${t('console.col.received')}</th>
<th scope="col">${t('console.col.deadline')}</th>
<th scope="col">${t('console.col.assignee')}</th>
<th scope="col">${t('console.col.attention')}</th>
</tr></thead>
<tbody>
${v.rows.map((r) => {
  const m = marks(pc, r, v.now);
  return html`<tr${attr('class', m.className)} data-reference="${r.reference}">
<th scope="row"><a href="${staffHref(`/staff/requests/${r.id}`, language)}">${r.reference}</a></th>
<td>${t(`rights.${r.right}`)}</td>
<td>${t(`states.${r.state}`)}</td>
<td>${formatDate(r.receivedOn, language)}</td>
<td>${formatDate(r.deadline, language)}</td>
<td>${r.assignedTo ?? t('console.unassigned')}</td>
<td>${m.text}</td>
</tr>
`;
})}</tbody>
</table>
</div>`;
}

function pager(pc: StaffPageContext, v: ConsoleView): Html {
  const { t, language } = pc;
  const pages = Math.max(1, Math.ceil(v.total / PAGE_SIZE));
  if (pages <= 1) return html``;
  const page = Math.min(v.query.page, pages);
  const href = (p: number) => staffHref('/staff', language, filterParams(v.query.filter, p));
  return html`<nav aria-label="${t('console.pagination.label')}">
<ul class="pager">
${page > 1 ? html`<li><a href="${href(page - 1)}" rel="prev">${t('console.pagination.previous')}</a></li>` : null}
<li aria-current="page">${t('console.pagination.page', { page, pages })}</li>
${page < pages ? html`<li><a href="${href(page + 1)}" rel="next">${t('console.pagination.next')}</a></li>` : null}
</ul>
</nav>`;
}
