/** "My requests": the identified resident's own requests, each with its state, dates and outcome. */
import type { OwnRequest } from '../db/repositories/resident-identity';
import type { ResidentIdentity } from '../domain/resident-identity';
import { formatDate } from '../templates/i18n';
import { html } from './html';
import { page, withLang, type PageContext } from './page';

/** The list; the deadline shown is the one in force (the extended one once the time was extended). */
export function myRequestsPage(pc: PageContext, identity: ResidentIdentity, requests: OwnRequest[]): string {
  const { t, language } = pc;
  const date = (iso: string) => formatDate(iso, language);
  const lead = identity.method === 'strong_eid' ? t('mine.leadEid') : t('mine.leadEmail', { email: identity.email });
  return page(pc, {
    title: t('mine.title'),
    path: '/my-requests',
    task: 'mine',
    main: html`<h1>${t('mine.heading')}</h1>
<p class="lead">${lead}</p>
${
  requests.length === 0
    ? html`<p>${t('mine.none')}</p>`
    : html`<ul class="request-list">
${requests.map(
  (r) => html`<li>
<h2><a href="${withLang(`/my-requests/${r.reference}`, language)}">${r.reference}</a></h2>
<dl class="facts">
<dt>${t('status.right')}</dt><dd>${t(`rights.${r.right}.title`)}</dd>
<dt>${t('status.state')}</dt><dd>${t(`status.states.${r.state}`)}</dd>
<dt>${t('status.receivedOn')}</dt><dd>${date(r.receivedOn)}</dd>
<dt>${t('status.deadline')}</dt><dd>${date(r.extended ? r.extendedDeadline : r.deadline)}</dd>
<dt>${t('status.outcome')}</dt><dd>${r.outcome ? t(`status.outcomes.${r.outcome}`) : t('mine.noOutcome')}</dd>
</dl>
</li>`,
)}
</ul>`
}
<p><a href="${withLang('/', language)}">${t('mine.newRequest')}</a></p>`,
  });
}
