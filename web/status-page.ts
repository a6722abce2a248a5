/** The status pages: the lookup form (reference + access code) and the request's state. */
import type { RequestSummary } from '../domain/request';
import { formatDate } from '../templates/i18n';
import { attr, html, type Html } from './html';
import type { PageText } from './i18n';
import { describedBy, errorSummary, fieldError, page, requirement, withLang, type PageContext, type SummaryItem } from './page';

export interface StatusFormState {
  /** The reference as typed; the access code is never echoed back. */
  reference: string;
  errors: { reference?: string; accessCode?: string };
  /** The neutral "no such request" message: the same for an unknown reference and a wrong code. */
  notFound?: string;
}

/** The lookup form; after a failed lookup it keeps the reference, never the code. */
export function statusFormPage(pc: PageContext, s: StatusFormState): string {
  const { t, language } = pc;
  const summary: SummaryItem[] = [
    ...(s.notFound ? [{ target: 'f-reference', message: s.notFound }] : []),
    ...(s.errors.reference ? [{ target: 'f-reference', message: s.errors.reference }] : []),
    ...(s.errors.accessCode ? [{ target: 'f-accessCode', message: s.errors.accessCode }] : []),
  ];
  return page(pc, {
    title: t('status.title'),
    path: '/status',
    task: 'status',
    hasErrors: summary.length > 0,
    main: html`${errorSummary(t, summary)}
<h1>${t('status.heading')}</h1>
<p class="lead">${t('status.lead')}</p>
<form method="post" action="${withLang('/status', language)}" novalidate>
${codeInput(t, 'reference', s.reference, s.errors.reference)}
${codeInput(t, 'accessCode', '', s.errors.accessCode)}
<button type="submit">${t('status.submit')}</button>
</form>`,
  });
}

function codeInput(t: PageText, name: 'reference' | 'accessCode', value: string, error: string | undefined): Html {
  const id = `f-${name}`;
  return html`<div class="field${error ? ' has-error' : ''}">
<label for="${id}">${t(`status.${name}`)}${requirement(t, true)}</label>
<span class="hint" id="${id}-hint">${t(`status.${name}Hint`)}</span>
${fieldError(t, id, error)}
<input type="text" class="short" id="${id}" name="${name}" value="${value}" autocomplete="off" autocapitalize="characters" spellcheck="false" required${attr('aria-invalid', error && 'true')} aria-describedby="${describedBy(id, true, Boolean(error))}">
</div>`;
}

/** Where a result page sits: the status lookup's, or one of the resident's own requests. */
export interface ResultPlace {
  path: string;
  task: 'status' | 'mine';
  back: { href: string; text: string };
}

/** The state of one request, in words a resident understands. */
export function statusResultPage(pc: PageContext, r: RequestSummary, place?: ResultPlace): string {
  const { t, language } = pc;
  const deadline = r.extended ? r.extendedDeadline : r.deadline;
  const at = place ?? { path: '/status', task: 'status', back: { href: withLang('/status', language), text: t('status.another') } };
  return page(pc, {
    title: t('status.resultTitle', { reference: r.reference }),
    path: at.path,
    task: at.task,
    main: html`<h1>${t('status.resultTitle', { reference: r.reference })}</h1>
<dl class="facts">
<dt>${t('status.right')}</dt><dd>${t(`rights.${r.right}.title`)}</dd>
<dt>${t('status.state')}</dt><dd><strong>${t(`status.states.${r.state}`)}</strong></dd>
${r.outcome ? html`<dt>${t('status.outcome')}</dt><dd>${t(`status.outcomes.${r.outcome}`)}</dd>` : html``}
<dt>${t('status.receivedOn')}</dt><dd>${formatDate(r.receivedOn, language)}</dd>
<dt>${t('status.deadline')}</dt><dd>${formatDate(deadline, language)}</dd>
<dt>${t('status.extended')}</dt><dd>${t(r.extended ? 'status.yes' : 'status.no')}</dd>
</dl>
<p class="notice">${t(`status.stateExplain.${r.state}`)}</p>
${r.extended ? html`<p>${t('status.extendedNote', { deadline: formatDate(r.extendedDeadline, language) })}</p>` : html``}
<p><a href="${at.back.href}">${at.back.text}</a></p>`,
  });
}
