/**
 * The auditor's view of one request: the verification of the audit chain, the summary, the links to
 * the CSV and PDF exports, and every section of the history as a table. Read-only: no forms.
 */
import type { IntegrityStatus } from '../../services/audit-integrity';
import { html, Html } from '../html';
import { staffHref, staffPage, type StaffPageContext } from './frame';
import { chainSentence, historyTables, summaryRows, type Cell, type HistoryTable } from './audit-history';
import type { AuditHistory } from './audit-queries';
import { formatHelsinki } from './i18n';
import type { RegisterDescription } from '../../domain/register-description';


/**
 * The audit log's integrity: a plain notice when intact, a warning when broken (an open alarm stays
 * until an admin's incident note), and the newest signed checkpoint to copy and keep elsewhere.
 */
export function chainSection(pc: StaffPageContext, s: IntegrityStatus, scope: 'chain' | 'request'): Html {
  const { t } = pc;
  const intact = s.state === 'intact';
  const c = s.checkpoint;
  return html`<h2 id="chain-heading">${t('audit.chain.heading')}</h2>
<div class="notice chain${intact ? '' : ' warning'}" id="chain-status" data-valid="${String(intact)}" data-state="${s.state}"${intact ? null : html` role="alert"`}>
<p>${intact ? null : html`<strong>${t('audit.errorPrefix')}</strong> `}${chainSentence(t, s, scope)}</p>
${s.found.headHash ? html`<p>${t('audit.chain.headHash')}: <code>${s.found.headHash}</code></p>` : null}
</div>
<h3 id="checkpoint-heading">${t('audit.chain.checkpointHeading')}</h3>
${c
  ? html`<p id="checkpoint-summary">${t('audit.chain.checkpoint', { seq: c.seq, date: formatHelsinki(t, new Date(c.at)), key: c.keyId })}</p>
<p>${t('audit.chain.checkpointCopy')}</p>
<pre class="chain" id="checkpoint-file"><code>${s.checkpointFile ?? ''}</code></pre>`
  : html`<p id="checkpoint-summary">${t('audit.chain.noCheckpoint')}</p>`}`;
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
${chainSection(pc, h.integrity, 'request')}
<h2 id="summary-heading">${t('audit.history.summaryHeading')}</h2>
<dl class="facts" id="summary">
${summaryRows(t, language, s).map((r) => html`<dt>${r.label}</dt><dd>${r.value}</dd>
`)}</dl>
<h2 id="exports-heading">${t('audit.history.exportsHeading')}</h2>
<p>${t('audit.history.exportRecorded')}</p>
<ul id="exports">
<li><a href="${staffHref(`${base}/history.csv`, language)}" download>${t('audit.history.csv')}</a></li>
<li><a href="${staffHref(`${base}/history.pdf`, language)}" download>${t('audit.history.pdf')}</a></li>
<li><a href="${staffHref(`${base}/history.json`, language)}" download>${t('audit.history.json')}</a></li>
</ul>
${historyTables(t, language, h, description).map(historySection)}`,
  });
}
