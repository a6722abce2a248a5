/** The receipt a resident sees after sending the e-form: references, dates, the access code, what happens next. */
import type { RequestSummary } from '../domain/request';
import { formatDate } from '../templates/i18n';
import { html } from './html';
import { page, withLang, type PageContext } from './page';

export interface ConfirmationData {
  requests: RequestSummary[];
  accessCode: string;
  /** True when this is a replay of a form already sent (double click, refresh). */
  replayed: boolean;
  /** The subject as stored (a replay shows what the first submit stored). */
  subject: { firstName: string; lastName: string; email: string | null; phone: string | null; hetuGiven: boolean };
  linkDays: number;
}

/** The confirmation page. The henkilötunnus is never shown back, only whether one was given. */
export function confirmationPage(pc: PageContext, d: ConfirmationData): string {
  const { t, language } = pc;
  const first = d.requests[0];
  const date = (iso: string) => formatDate(iso, language);
  return page(pc, {
    title: t('confirmation.title'),
    path: '/status',
    task: 'request',
    main: html`<div class="panel">
<h1>${t('confirmation.title')}</h1>
<p class="lead">${t('confirmation.lead')}</p>
${d.replayed ? html`<p class="notice">${t('confirmation.replayed')}</p>` : html``}
<dl class="facts">
${d.requests.map((r) => html`<dt>${t('confirmation.reference')}</dt><dd><strong>${r.reference}</strong><br>${t(`rights.${r.right}.title`)}</dd>`)}
<dt>${t('confirmation.receivedOn')}</dt><dd>${date(first.receivedOn)}</dd>
<dt>${t('confirmation.deadline')}</dt><dd>${date(first.deadline)}</dd>
</dl>
</div>
<h2>${t('confirmation.accessCodeTitle')}</h2>
<p class="code" aria-describedby="access-code-advice">${d.accessCode}</p>
<p id="access-code-advice" class="notice warning">${t('confirmation.accessCodeAdvice')}</p>
<h2>${t('confirmation.nextTitle')}</h2>
<ol>
<li>${t(first.identityMethod === 'strong_eid' ? 'confirmation.next.identityVerified' : 'confirmation.next.identity')}</li>
<li>${t('confirmation.next.work')}</li>
<li>${t('confirmation.next.answer', { days: d.linkDays })}</li>
</ol>
<p>${t('confirmation.next.deadline', { deadline: date(first.deadline) })}</p>
<p>${t('confirmation.next.extension', { extendedDeadline: date(first.extendedDeadline) })}</p>
<h2>${t('confirmation.sentTitle')}</h2>
<dl class="facts">
<dt>${t('confirmation.name')}</dt><dd>${d.subject.firstName} ${d.subject.lastName}</dd>
<dt>${t('confirmation.hetu')}</dt><dd>${t(d.subject.hetuGiven ? 'confirmation.hetuGiven' : 'confirmation.hetuNotGiven')}</dd>
<dt>${t('confirmation.email')}</dt><dd>${d.subject.email}</dd>
${d.subject.phone ? html`<dt>${t('confirmation.phone')}</dt><dd>${d.subject.phone}</dd>` : html``}
</dl>
<ul>
<li><a href="${withLang('/my-requests', language)}">${t('confirmation.mineLink')}</a></li>
<li><a href="${withLang('/status', language)}">${t('confirmation.statusLink')}</a></li>
</ul>`,
  });
}
