/**
 * The identification pages: the choice between strong e-ID and an e-mail code (with what each
 * means), the e-mail address form, the code form, and the pages that say identification failed.
 */
import { attr, html, type Html } from './html';
import { textInput } from './form-controls';
import { describedBy, errorSummary, fieldError, messagePage, page, requirement, withLang, type PageContext, type SummaryItem } from './page';

/** Where to go after identification: only the resident pages that need it, never another site. */
const NEXT_PATH = /^\/(my-requests(\/[A-Za-z0-9-]{1,40})?)?$/;

/** The return path a query or form gave, if it is one of ours; the e-form otherwise. */
export function safeNext(value: unknown): string {
  return typeof value === 'string' && NEXT_PATH.test(value) ? value : '/';
}

/** A page's address with the return path (when it is not the default) and the language. */
export function hrefWithNext(path: string, next: string, language: PageContext['language']): string {
  return withLang(next === '/' ? path : `${path}?next=${encodeURIComponent(next)}`, language);
}

function nextField(next: string): Html {
  return next === '/' ? html`` : html`<input type="hidden" name="next" value="${next}">`;
}

export interface ChoiceState {
  /** `/` when shown in place of the e-form, `/identify` otherwise. */
  path: string;
  next: string;
  /** Strong e-ID is offered only when a provider is configured. */
  eidAvailable: boolean;
  /** A notice above the choice: signed out, or identification expired before the form was sent. */
  notice?: { text: string; warning: boolean };
}

/** The choice of identification, each way explained in plain language. */
export function identifyChoicePage(pc: PageContext, s: ChoiceState): string {
  const { t, language } = pc;
  return page(pc, {
    title: t('identify.title'),
    path: s.next === '/' ? s.path : `${s.path}?next=${encodeURIComponent(s.next)}`,
    task: s.next === '/' ? 'request' : 'mine',
    main: html`${s.notice ? html`<p class="notice${s.notice.warning ? ' warning' : ''}" role="status">${s.notice.text}</p>` : html``}
<h1>${t('identify.heading')}</h1>
<p class="lead">${t(s.next === '/' ? 'identify.lead' : 'identify.leadMine')}</p>
${s.eidAvailable ? option('eid', t('identify.eid.title'), t('identify.eid.text'), hrefWithNext('/identify/oidc/start', s.next, language), t('identify.eid.button')) : html``}
${option('email', t('identify.email.title'), t('identify.email.text'), hrefWithNext('/identify/email', s.next, language), t('identify.email.button'))}`,
  });
}

function option(id: string, title: string, text: string, href: string, button: string): Html {
  return html`<section class="option" aria-labelledby="identify-${id}">
<h2 id="identify-${id}">${title}</h2>
<p>${text}</p>
<a class="button" href="${href}">${button}</a>
</section>`;
}

export interface EmailFormState {
  email: string;
  csrf: string;
  next: string;
  error?: string;
  /** About the whole form (expired, could not send): in the summary only. */
  formMessage?: string;
}

/** The form that asks for the address to send the code to. */
export function emailFormPage(pc: PageContext, s: EmailFormState, minutes: number): string {
  const { t, language } = pc;
  const summary: SummaryItem[] = [...(s.formMessage ? [{ target: null, message: s.formMessage }] : []), ...(s.error ? [{ target: 'f-email', message: s.error }] : [])];
  return page(pc, {
    title: t('identify.emailForm.title'),
    path: '/identify/email',
    task: s.next === '/' ? 'request' : 'mine',
    hasErrors: summary.length > 0,
    main: html`${errorSummary(t, summary)}
<h1>${t('identify.emailForm.heading')}</h1>
<p class="lead">${t('identify.emailForm.lead', { minutes })}</p>
<form method="post" action="${withLang('/identify/email', language)}" novalidate>
<input type="hidden" name="csrf" value="${s.csrf}">
${nextField(s.next)}
${textInput(t, {
  id: 'f-email',
  name: 'email',
  type: 'email',
  label: html`${t('identify.emailForm.email')}${requirement(t, true)}`,
  hint: t('identify.emailForm.emailHint'),
  value: s.email,
  error: s.error,
  autocomplete: 'email',
  required: true,
  spellcheck: false,
})}
<button type="submit">${t('identify.emailForm.submit')}</button>
</form>
<p><a href="${hrefWithNext('/identify', s.next, language)}">${t('identify.emailForm.back')}</a></p>`,
  });
}

export interface CodeFormState {
  /** The address the code was asked for, as the resident typed it. */
  email: string;
  csrf: string;
  next: string;
  error?: string;
  formMessage?: string;
}

/** The form for the six-digit code. The code is never shown back. */
export function codeFormPage(pc: PageContext, s: CodeFormState, minutes: number): string {
  const { t, language } = pc;
  const id = 'f-code';
  const summary: SummaryItem[] = [...(s.formMessage ? [{ target: null, message: s.formMessage }] : []), ...(s.error ? [{ target: id, message: s.error }] : [])];
  return page(pc, {
    title: t('identify.code.title'),
    path: '/identify/email/code',
    task: s.next === '/' ? 'request' : 'mine',
    hasErrors: summary.length > 0,
    main: html`${errorSummary(t, summary)}
<h1>${t('identify.code.heading')}</h1>
<p class="lead">${t('identify.code.lead', { email: s.email, minutes })}</p>
<form method="post" action="${withLang('/identify/email/code', language)}" novalidate>
<input type="hidden" name="csrf" value="${s.csrf}">
${nextField(s.next)}
<div class="field${s.error ? ' has-error' : ''}">
<label for="${id}">${t('identify.code.code')}${requirement(t, true)}</label>
<span class="hint" id="${id}-hint">${t('identify.code.codeHint')}</span>
${fieldError(t, id, s.error)}
<input type="text" class="short" id="${id}" name="code" value="" inputmode="numeric" autocomplete="one-time-code" spellcheck="false" required${attr('aria-invalid', s.error && 'true')} aria-describedby="${describedBy(id, true, Boolean(s.error))}">
</div>
<button type="submit">${t('identify.code.submit')}</button>
</form>
<p><a href="${hrefWithNext('/identify/email', s.next, language)}">${t('identify.code.newCode')}</a></p>`,
  });
}

export type OidcProblem = 'notInUse' | 'denied' | 'failed' | 'down' | 'noHetu';

/** Strong identification did not give an identity: no session was started. */
export function oidcProblemPage(pc: PageContext, problem: OidcProblem, next: string): string {
  const { t, language } = pc;
  return messagePage(pc, {
    title: t(`identify.oidc.${problem}.title`),
    text: t(`identify.oidc.${problem}.text`),
    path: '/identify',
    extra: html`<p><a href="${hrefWithNext('/identify', next, language)}">${t('identify.oidc.back')}</a></p>`,
  });
}

/** A sign-out whose form had expired: the same button again, with a valid token. */
export function signOutAgainPage(pc: PageContext): string {
  const { t } = pc;
  return messagePage(pc, { title: t('signOut.title'), text: t('signOut.formExpired'), path: '/' });
}
