/**
 * The admin's incident note on the auditor's page: once a verification has found the audit log
 * broken, the alarm stays on every auditor and DPO page until an admin records what was found and
 * done. The note becomes a link of the chain itself (services/audit-integrity).
 */
import { attr, html, type Html } from '../html';
import { staffHref, type StaffPageContext } from './frame';

const MIN = 10;
const MAX = 2000;

/** The posted note, trimmed; not ok when it is too short or too long. */
export function readIncidentNote(body: unknown): { ok: boolean; value: string } {
  const raw = (body as Record<string, unknown> | undefined)?.note;
  const value = typeof raw === 'string' ? raw.trim() : '';
  return { ok: value.length >= MIN && value.length <= MAX, value: value.slice(0, MAX) };
}

/** The form, with its error (invalid note, or no open alarm) or the number of the link it became. */
export function incidentForm(pc: StaffPageContext, s: { value: string; error: 'invalid' | 'none' | null; recorded: number | null }): Html {
  const { t, language } = pc;
  if (s.recorded !== null) return html`<p class="notice" id="incident-recorded" role="status">${t('audit.chain.incident.recorded', { seq: s.recorded })}</p>`;
  if (s.error === 'none') return html`<p class="notice" id="incident-none">${t('audit.chain.incident.none')}</p>`;
  const describedBy = ['incident-note-hint', s.error ? 'incident-note-error' : null].filter(Boolean).join(' ');
  return html`<form class="action" id="incident-form" method="post" action="${staffHref('/staff/audit/incident', language)}">
<h2>${t('audit.chain.incident.heading')}</h2>
<input type="hidden" name="csrf" value="${pc.session?.csrf ?? ''}">
<div class="field${s.error ? ' has-error' : ''}">
<label for="incident-note">${t('audit.chain.incident.label')}</label>
<span class="hint" id="incident-note-hint">${t('audit.chain.incident.hint')}</span>
${s.error ? html`<span class="error" id="incident-note-error"><span class="visually-hidden">${t('audit.errorPrefix')} </span>${t('audit.chain.incident.error')}</span>` : null}
<textarea id="incident-note" name="note" rows="4" maxlength="${String(MAX)}"${attr('aria-describedby', describedBy)}${s.error ? html` aria-invalid="true"` : null}>${s.value}</textarea>
</div>
<button type="submit">${t('audit.chain.incident.submit')}</button>
</form>`;
}
