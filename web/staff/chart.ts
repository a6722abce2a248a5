/**
 * The load picture: open requests by deadline week, stacked by state, as an inline SVG bar chart.
 * The SVG is an image with a title and a description; its numbers are repeated in a table that
 * only screen readers get, so nobody has to read values off bars. The table sits in a visually
 * hidden block: a table itself ignores the 1px width and would widen the page at any window size.
 */
import { CHART_WEEKS, type LoadCell } from '../../db/repositories/console';
import { REQUEST_STATES, type Language, type RequestState } from '../../domain/request';
import { formatDate } from '../../templates/i18n';
import { html, type Html } from '../html';
import type { PageText } from '../i18n';
import { DAY_MS } from '../../domain/calendar';

/** The states an open request can be in, in lifecycle order. */
export const OPEN_STATES = REQUEST_STATES.filter((s) => s !== 'closed') as Exclude<RequestState, 'closed'>[];

/** Fill colours, each above 3:1 against white (WCAG 1.4.11); segments also get a white border. */
const COLOURS: Record<Exclude<RequestState, 'closed'>, string> = {
  received: '#0b4f8a',
  awaiting_identity: '#8a5a00',
  awaiting_information: '#b04a00',
  awaiting_payment: '#6a3d9a',
  in_progress: '#0b5e2e',
  awaiting_decision: '#a4001d',
  awaiting_approval: '#00707a',
  delivering: '#4d4d4d',
  needs_attention: '#c00000',
};

/** The chart's columns: -1 is overdue, 0..7 the coming weeks, CHART_WEEKS every later deadline. */
const BUCKETS = [-1, ...Array.from({ length: CHART_WEEKS + 1 }, (_, i) => i)];

export interface LoadTable {
  buckets: { bucket: number; label: string; longLabel: string; counts: Record<string, number>; total: number }[];
}

/** The calendar date of an instant in Helsinki, as YYYY-MM-DD. */
export function helsinkiDate(at: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Helsinki', year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

/** The numbers behind the chart, one entry per column. */
export function loadTable(t: PageText, language: Language, cells: LoadCell[], now: Date): LoadTable {
  return {
    buckets: BUCKETS.map((bucket) => {
      const counts = Object.fromEntries(OPEN_STATES.map((s) => [s, 0])) as Record<string, number>;
      for (const c of cells) if (c.bucket === bucket && c.state in counts) counts[c.state] += c.count;
      const total = Object.values(counts).reduce((a, b) => a + b, 0);
      if (bucket < 0) return { bucket, label: t('chart.overdue'), longLabel: t('chart.overdue'), counts, total };
      const from = formatDate(helsinkiDate(new Date(now.getTime() + bucket * 7 * DAY_MS)), language);
      if (bucket >= CHART_WEEKS) return { bucket, label: t('chart.later'), longLabel: t('chart.laterRange', { from }), counts, total };
      const to = formatDate(helsinkiDate(new Date(now.getTime() + ((bucket + 1) * 7 - 1) * DAY_MS)), language);
      const week = bucket + 1;
      return { bucket, label: t('chart.week', { week }), longLabel: t('chart.weekRange', { week, from, to }), counts, total };
    }),
  };
}

const W = 720;
const H = 300;
const LEFT = 40;
const TOP = 28;
const BOTTOM = 250;
const SLOT = (W - LEFT - 10) / BUCKETS.length;
const BAR = SLOT * 0.62;

/** The chart, its legend and the visually hidden table with the same numbers. */
export function loadChart(t: PageText, table: LoadTable): Html {
  const max = Math.max(1, ...table.buckets.map((b) => b.total));
  const scale = (BOTTOM - TOP) / max;
  const overdue = table.buckets[0].total;
  const bars = table.buckets.map((b, i) => {
    const x = LEFT + i * SLOT + (SLOT - BAR) / 2;
    let y = BOTTOM;
    const segments = OPEN_STATES.filter((s) => b.counts[s] > 0).map((s) => {
      const h = b.counts[s] * scale;
      y -= h;
      return html`<rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${BAR.toFixed(1)}" height="${h.toFixed(1)}" fill="${COLOURS[s]}" stroke="#fff" stroke-width="1"></rect>`;
    });
    return html`<g>${segments}<text x="${(x + BAR / 2).toFixed(1)}" y="${(y - 6).toFixed(1)}" text-anchor="middle" font-size="14" font-weight="700" fill="#1a1a1a">${b.total}</text><text x="${(x + BAR / 2).toFixed(1)}" y="${BOTTOM + 20}" text-anchor="middle" font-size="13" fill="#1a1a1a">${b.label}</text></g>`;
  });
  return html`<figure aria-labelledby="load-heading">
<svg role="img" aria-labelledby="load-title load-desc" viewBox="0 0 ${W} ${H}" width="100%" style="max-width:${W}px;height:auto" xmlns="http://www.w3.org/2000/svg">
<title id="load-title">${t('chart.title')}</title>
<desc id="load-desc">${t('chart.desc', { overdue })}</desc>
<line x1="${LEFT}" y1="${BOTTOM}" x2="${W - 10}" y2="${BOTTOM}" stroke="#1a1a1a" stroke-width="2"></line>
<line x1="${LEFT + SLOT}" y1="${TOP - 10}" x2="${LEFT + SLOT}" y2="${BOTTOM}" stroke="#767676" stroke-dasharray="4 4"></line>
${bars}
</svg>
<figcaption>
<ul class="legend" aria-hidden="true">${OPEN_STATES.map((s) => html`<li><span class="swatch" style="background:${COLOURS[s]}"></span>${t(`states.${s}`)}</li>`)}</ul>
</figcaption>
</figure>
<div class="visually-hidden">
<table id="load-table">
<caption>${t('chart.tableCaption')}</caption>
<thead><tr><th scope="col">${t('chart.colWeek')}</th>${OPEN_STATES.map((s) => html`<th scope="col">${t(`states.${s}`)}</th>`)}<th scope="col">${t('chart.colTotal')}</th></tr></thead>
<tbody>${table.buckets.map(
    (b) => html`<tr data-bucket="${b.bucket}"><th scope="row">${b.longLabel}</th>${OPEN_STATES.map((s) => html`<td data-state="${s}">${b.counts[s]}</td>`)}<td data-total>${b.total}</td></tr>`,
  )}</tbody>
</table>
</div>`;
}
