/** The frame every resident page shares: language links, navigation, title, and the error summary. */
import { LANGUAGES, type Language } from '../domain/request';
import type { RegisterDescription } from '../domain/register-description';
import type { ResidentIdentity } from '../domain/resident-identity';
import { html, layout, type Html } from './html';
import { LANGUAGE_TAGS, pageText, type PageText } from './i18n';

export interface PageContext {
  language: Language;
  t: PageText;
  /** The identified resident, shown in the header with a sign-out button; null before identification. */
  resident: ResidentView | null;
  /** Whose service this is and how to reach its data protection officer (from the register description). */
  controller?: ControllerView;
}

/** The controller as every resident page names it (GDPR 13(1)(a)-(b)). */
export interface ControllerView {
  name: string;
  privacyWeb: string;
  dpoName: string;
  dpoEmail: string;
  dpoPhone: string;
}

/** The controller and its DPO in one language, from the register description. */
export function controllerView(description: RegisterDescription, language: Language): ControllerView {
  const dpo = description.dataProtectionOfficer;
  return { name: description.controller.name[language], privacyWeb: description.controller.privacyWeb, dpoName: dpo.name[language], dpoEmail: dpo.email, dpoPhone: dpo.phone };
}

/** What a page shows of the identified resident: the identity and the sign-out form's CSRF token. */
export interface ResidentView {
  identity: ResidentIdentity;
  csrf: string;
}

/** The page language and its texts (and the identified resident, if any), passed to every page renderer. */
export function pageContext(language: Language, resident: ResidentView | null = null, description?: RegisterDescription): PageContext {
  return { language, t: pageText(language), resident, ...(description ? { controller: controllerView(description, language) } : {}) };
}

/**
 * A path with the page language in its query string. Besides the language, the pages put only
 * references and local return paths in URLs, never personal data.
 */
export function withLang(path: string, language: Language): string {
  return `${path}${path.includes('?') ? '&' : '?'}lang=${language}`;
}

export interface PageOptions {
  title: string;
  /** The GET path of this page, for the links to the other languages. */
  path: string;
  /** Which task of the navigation this page belongs to. */
  task: 'request' | 'status' | 'mine' | null;
  /** Prefixes the title so a screen reader hears at once that the form needs correcting. */
  hasErrors?: boolean;
  main: Html;
}

/** Renders a complete page in the context's language. */
export function page(pc: PageContext, o: PageOptions): string {
  const { t, language } = pc;
  return layout({
    lang: LANGUAGE_TAGS[language],
    title: o.hasErrors ? t('common.titleWithErrors', { title: o.title }) : o.title,
    service: t('common.service'),
    skipLink: t('common.skipLink'),
    navLabel: t('common.navLabel'),
    languageNavLabel: t('common.languageNavLabel'),
    nav: [
      { href: withLang('/', language), text: t('common.navRequest'), current: o.task === 'request' },
      { href: withLang('/status', language), text: t('common.navStatus'), current: o.task === 'status' },
      { href: withLang('/my-requests', language), text: t('common.navMine'), current: o.task === 'mine' },
    ],
    languages: LANGUAGES.filter((l) => l !== language).map((l) => ({
      href: withLang(o.path, l),
      text: pageText(l)('common.languageName'),
      lang: LANGUAGE_TAGS[l],
      hreflang: LANGUAGE_TAGS[l],
    })),
    footer: html`${pc.controller ? controllerFooter(t, pc.controller) : null}<p>${t('common.footer')}</p>`,
    main: o.main,
    account: pc.resident ? account(pc, pc.resident) : undefined,
  }).value;
}

/** Whose service this is, its privacy notice, and how to reach the data protection officer. */
function controllerFooter(t: PageText, c: ControllerView): Html {
  return html`<p id="controller">${t('common.controllerService', { controller: c.name })} <a href="${c.privacyWeb}">${t('common.privacyNoticeLink')}</a></p>
<p id="dpo">${t('common.dpoContact', { name: c.dpoName })} <a href="mailto:${c.dpoEmail}">${c.dpoEmail}</a>, ${t('common.phone')} ${c.dpoPhone}</p>`;
}

/** Who is identified, and the sign-out button (a POST with the session's CSRF token). */
function account(pc: PageContext, r: ResidentView): Html {
  const { t, language } = pc;
  const who =
    r.identity.method === 'strong_eid'
      ? t('common.signedInEid', { name: `${r.identity.firstName} ${r.identity.lastName}` })
      : t('common.signedInEmail', { email: r.identity.email });
  return html`<p>${who}</p>
<form method="post" action="${withLang('/sign-out', language)}"><input type="hidden" name="csrf" value="${r.csrf}"><button type="submit">${t('common.signOut')}</button></form>`;
}

export interface SummaryItem {
  /** The id of the input the message is about; null for a message about the whole form. */
  target: string | null;
  message: string;
}

/** The error summary at the top of a form: each message links to its field. */
export function errorSummary(t: PageText, items: SummaryItem[]): Html {
  if (items.length === 0) return html``;
  return html`<div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabindex="-1">
<h2 id="error-summary-title">${t('common.errorSummaryTitle')}</h2>
<ul>${items.map((i) => html`<li>${i.target ? html`<a href="#${i.target}">${i.message}</a>` : i.message}</li>`)}</ul>
</div>`;
}

/** A label's requirement marker, in words (not only colour). */
export function requirement(t: PageText, required: boolean): Html {
  return html` <span class="req">(${t(required ? 'common.required' : 'common.optional')})</span>`;
}

/** The message next to a field, announced with the field through aria-describedby. */
export function fieldError(t: PageText, id: string, message: string | undefined): Html {
  return message ? html`<span class="error" id="${id}-error"><span class="visually-hidden">${t('common.errorPrefix')} </span>${message}</span>` : html``;
}

/** The ids a field's aria-describedby lists: its hint and its error, when present. */
export function describedBy(id: string, hasHint: boolean, hasError: boolean): string | null {
  const ids = [hasHint ? `${id}-hint` : null, hasError ? `${id}-error` : null].filter(Boolean);
  return ids.length ? ids.join(' ') : null;
}

/** A page that only tells something (an expired link, an error), with its own heading. */
export function messagePage(pc: PageContext, o: { title: string; text: string; path: string; extra?: Html }): string {
  return page(pc, {
    title: o.title,
    path: o.path,
    task: null,
    main: html`<h1>${o.title}</h1>
<p class="lead">${o.text}</p>
${o.extra}`,
  });
}
