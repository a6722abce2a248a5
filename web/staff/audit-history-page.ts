/**
 * The auditor's view of one request: the verification of the audit chain, the summary, the links to
 * the CSV and PDF exports, and every section of the history as a table. Read-only: no forms.
 */
import type { ChainVerification } from '../../db/repositories/audit';
import { html, Html } from '../html';
import { staffHref, staffPage, type StaffPageContext } from './frame';
import { chainSentence, historyTables, summaryRows, type Cell, type HistoryTable } from './audit-history';
import type { AuditHistory } from './audit-queries';
import { formatHelsinki } from './i18n';
import type { RegisterDescription } from '../../domain/register-description';


/**
 * The verification of the audit chain: a plain notice when intact, a warning when broken. A check
 * that continued from a checkpoint says so, with a link to verify the whole chain from its start.
 */
export function chainSection(pc: StaffPageContext, chain: ChainVerification): Html {
  const { t, language } = pc;
  const from = chain.from;
  return html`<h2 id="chain-heading">${t('audit.chain.heading')}</h2>
<div class="notice chain${chain.valid ? '' : ' warning'}" id="chain-status" data-valid="${String(chain.valid)}">
<p>${chain.valid ? null : html`<strong>${t('audit.errorPrefix')}</strong> `}${chainSentence(t, chain)}</p>
${from ? html`<p id="chain-from">${t('audit.chain.fromCheckpoint', { seq: from.seq, date: formatHelsinki(t, new Date(from.verifiedAt)) })} <a href="${staffHref('/staff/audit', language, new URLSearchParams({ full: '1' }))}">${t('audit.chain.verifyAll')}</a></p>` : html`<p id="chain-from">${t('audit.chain.fromGenesis')}</p>`}
<p>${t('audit.chain.headHash')}: <code>${chain.headHash}</code></p>
</div>`;
}

function cellContent(c: Cell): Html {
  const inner = c.code ? html`<code>${c.text}</code>` : c.at ? html`<time datetime="${c.at.toISOString()}">${c.text}</time>` : html`${c.text}`;
  return c.href ? html`<a href="${c.href}">${inner}</a>` : inner;
}

function historySection(section: HistoryTable): Html {
  const heading = html`<h2 id="${section.id}-heading">${section.heading}</h2>`;
  if (section.rows.length === 0) return html`${heading}<p id="${section.id}-empty">${section.empty}</p>`;
  return html`${heading}
${section.note ? html`<p>${section.note}</p>` : null}
<div class="table-wrap"><table id="${section.id}">
<caption>${section.caption}</caption>
<thead><tr>${section.columns.map((c) => html`<th scope="col">${c.label}</th>`)}</tr></thead>
<tbody>${section.rows.map(
    (r) => html`<tr${r.key ? html` data-key="${r.key}"` : null}>${r.cells.map((c, i) =>
      i === section.rowHeader ? html`<th scope="row">${cellContent(c)}</th>` : html`<td>${cellContent(c)}</td>`,
    )}</tr>
`,
  )}</tbody>
</table></div>`;
}

/** The history page of one request. */
export function auditHistoryPage(pc: StaffPageContext, h: AuditHistory, description?: RegisterDescription): string {
  const { t, language } = pc;
  const s = h.summary;
  const title = t('audit.history.title', { reference: s.reference });
  const base = `/staff/audit/requests/${s.id}`;
  return staffPage(pc, {
    title,
    main: html`<p><a href="${staffHref('/staff/audit', language)}">${t('audit.history.back')}</a></p>
<h1>${title}</h1>
<p class="notice" id="view-recorded">${t('audit.history.viewRecorded')} ${t('audit.readOnly')}</p>
${chainSection(pc, h.chain)}
<h2 id="summary-heading">${t('audit.history.summaryHeading')}</h2>
<dl class="facts" id="summary">
${summaryRows(t, language, s).map((r) => html`<dt>${r.label}</dt><dd>${r.value}</dd>
`)}</dl>
<h2 id="exports-heading">${t('audit.history.exportsHeading')}</h2>
<p>${t('audit.history.exportRecorded')}</p>
<ul id="exports">
<li><a href="${staffHref(`${base}/history.csv`, language)}" download>${t('audit.history.csv')}</a></li>
<li><a href="${staffHref(`${base}/history.pdf`, language)}" download>${t('audit.history.pdf')}</a></li>
</ul>
${historyTables(t, language, h, description).map(historySection)}`,
  });
}
