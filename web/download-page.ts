/**
 * The answer's download page: the link from the e-mail opens it, the access code (the second
 * factor) unlocks the PDF. A dead link gets a page that says why and what to do.
 */
import { helsinkiDate } from '../domain/deadline';
import { formatDate } from '../templates/i18n';
import { attr, html } from './html';
import { describedBy, errorSummary, fieldError, messagePage, page, requirement, withLang, type PageContext } from './page';

/** The link's own path (the token is the link; it names a document, not a person). */
export function downloadPath(token: string): string {
  return `/download/${encodeURIComponent(token)}`;
}

export interface DownloadFormState {
  token: string;
  reference: string;
  /** The link's last valid moment. */
  expiresAt: Date;
  error?: string;
}

/** The page that asks for the access code before the answer is sent. */
export function downloadFormPage(pc: PageContext, s: DownloadFormState): string {
  const { t, language } = pc;
  const id = 'f-accessCode';
  return page(pc, {
    title: t('download.title'),
    path: downloadPath(s.token),
    task: null,
    hasErrors: Boolean(s.error),
    main: html`${errorSummary(t, s.error ? [{ target: id, message: s.error }] : [])}
<h1>${t('download.heading')}</h1>
<p class="lead">${t('download.lead', { reference: s.reference })}</p>
<p>${t('download.expiresOn', { date: formatDate(helsinkiDate(s.expiresAt), language) })}</p>
<form method="post" action="${withLang(downloadPath(s.token), language)}" novalidate>
<div class="field${s.error ? ' has-error' : ''}">
<label for="${id}">${t('download.accessCode')}${requirement(t, true)}</label>
<span class="hint" id="${id}-hint">${t('download.accessCodeHint')}</span>
${fieldError(t, id, s.error)}
<input type="text" class="short" id="${id}" name="accessCode" value="" autocomplete="off" autocapitalize="characters" spellcheck="false" required${attr('aria-invalid', s.error && 'true')} aria-describedby="${describedBy(id, true, Boolean(s.error))}">
</div>
<button type="submit">${t('download.submit')}</button>
</form>
<p>${t('download.privacy')}</p>`,
  });
}

/** Why a link cannot be used, by the HTTP status `checkLink`/`fetchDocument` gave. */
const DEAD_LINK_KEYS: Record<number, string> = { 404: 'notFound', 410: 'expired', 423: 'locked' };

/** True for the statuses that mean the link itself cannot be used (unknown, expired, locked). */
export function isDeadLinkStatus(status: number): boolean {
  return status in DEAD_LINK_KEYS;
}

/** Says why a link cannot be used and where to turn, with the link's own HTTP status. */
export function deadLinkPage(pc: PageContext, status: number, token: string): string {
  const key = DEAD_LINK_KEYS[status] ?? 'notFound';
  return messagePage(pc, {
    title: pc.t(`download.${key}.title`),
    text: pc.t(`download.${key}.text`),
    path: downloadPath(token),
    extra: html`<p><a href="${withLang('/status', pc.language)}">${pc.t('download.statusLink')}</a></p>`,
  });
}

