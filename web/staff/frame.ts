/** The frame of every staff page: layout, language links that keep the query, and the sign-out form. */
import { LANGUAGES, type Language } from '../../domain/request';
import { Html, html, layout } from '../html';
import { LANGUAGE_TAGS, type PageText } from '../i18n';
import type { StaffSession } from './session';
import type { AuditAlarm } from '../../db/repositories/audit-alarms';
import { formatHelsinki } from './i18n';
import { staffText } from './i18n';

export interface StaffPageContext {
  language: Language;
  t: PageText;
  /** The page's GET path and query (without lang), for the language links. */
  path: string;
  query: URLSearchParams;
  session: StaffSession | null;
  /** An open alarm of a broken audit chain (shown to the DPO, auditors and admins on every page). */
  auditAlarm?: AuditAlarm | null;
}

declare module 'express-serve-static-core' {
  interface Locals {
    auditAlarm?: AuditAlarm | null;
  }
}

/** A staff path with the page language (and any other parameters) in its query string. */
export function staffHref(path: string, language: Language, params?: URLSearchParams): string {
  const q = new URLSearchParams(params);
  q.delete('lang');
  q.set('lang', language);
  return `${path}?${q.toString()}`;
}

/**
 * Styles the shared layout does not have: wide tables, the attention marks and the chart. The
 * marks carry words; colour only repeats them. All colours have at least 4.5:1 on white.
 */
const STAFF_STYLE = `
.bar,.tasks ul,main,footer.site{max-width:72rem}
.table-wrap{overflow-x:auto;margin:0 0 1.5rem}
table{border-collapse:collapse;width:100%;font-size:1rem}
caption{text-align:left;font-weight:700;padding:0 0 .5rem}
th,td{text-align:left;vertical-align:top;padding:.4rem .6rem;border-bottom:1px solid #767676}
thead th{border-bottom:2px solid #1a1a1a}
.mark{display:inline-block;font-weight:700;padding:0 .35rem;border:2px solid currentColor;margin:0 .25rem .2rem 0}
.mark.overdue{color:#a4001d}
.mark.soon{color:#7a4a00}
tr.overdue{background:#fdecee}
tr.soon{background:#fdf6e3}
.counts{display:grid;grid-template-columns:repeat(auto-fill,minmax(11rem,1fr));gap:.75rem;padding:0;list-style:none}
.counts li{border:2px solid #1a1a1a;padding:.5rem .75rem}
.counts .n{display:block;font-size:1.8rem;font-weight:700}
.filters{display:flex;flex-wrap:wrap;gap:0 1.5rem;align-items:flex-end}
.filters .field{margin-bottom:1rem}
.filters input[type=number]{font:inherit;padding:.45rem .55rem;border:2px solid #1a1a1a;width:7rem}
.legend{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.25rem 1.25rem;font-size:1rem}
.swatch{display:inline-block;width:1rem;height:1rem;border:1px solid #1a1a1a;margin-right:.35rem;vertical-align:middle}
.pager{display:flex;gap:1.5rem;align-items:center;list-style:none;padding:0}
.signout{display:inline;margin:0}
.table-wrap code{word-break:break-all;font-size:.95rem}
.chain code{word-break:break-all}
pre.chain{white-space:pre-wrap;word-break:break-all;font-size:.9rem}
pre.chain{white-space:pre-wrap;word-break:break-all;font-size:.9rem}
form.action{border:2px solid #1a1a1a;padding:.75rem 1.25rem 1.25rem;margin:0 0 1.5rem}
form.action h3{margin-top:.25rem}
details.action{border:2px solid #1a1a1a;margin:0 0 1rem;padding:.5rem 1rem}
details.action summary{font-weight:700;cursor:pointer;padding:.25rem 0}
details.action form.action{border:0;padding:0;margin:.5rem 0 0}
details.action form.action h3{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
fieldset.decision{border:1px solid #767676;padding:.5rem 1rem;margin:0 0 1rem}
fieldset.decision legend{font-weight:700}
.signout button{font-size:1rem;min-height:2.25rem;padding:.3rem .8rem}
`;

/** Renders a complete staff page. */
export function staffPage(pc: StaffPageContext, o: { title: string; main: Html }): string {
  const { t, language } = pc;
  const session = pc.session;
  const signedIn = session
    ? html`<p>${t('common.signedInAs', { user: session.user.id, roles: session.user.roles.map((r) => t(`common.roles.${r}`)).join(', ') })}</p>
<form class="signout" method="post" action="${staffHref('/staff/sign-out', language)}"><input type="hidden" name="csrf" value="${session.csrf}"><button type="submit">${t('common.signOut')}</button></form>`
    : html``;
  return layout({
    lang: LANGUAGE_TAGS[language],
    title: o.title,
    service: t('common.service'),
    skipLink: t('common.skipLink'),
    navLabel: t('common.navLabel'),
    languageNavLabel: t('common.languageNavLabel'),
    nav: navigation(pc),
    languages: LANGUAGES.filter((l) => l !== language).map((l) => ({
      href: staffHref(pc.path, l, pc.query),
      text: staffText(l)('common.languageName'),
      lang: LANGUAGE_TAGS[l],
      hreflang: LANGUAGE_TAGS[l],
    })),
    footer: html`${signedIn}<p>${t('common.footer')}</p>`,
    extraStyle: STAFF_STYLE,
    main: html`${alarmBanner(pc)}${o.main}`,
  }).value;
}

/** The open audit alarm, above everything else, for the roles that must act on it. */
function alarmBanner(pc: StaffPageContext): Html | null {
  const a = pc.auditAlarm;
  const roles = pc.session?.user.roles ?? [];
  if (!a || !roles.some((r) => r === 'admin' || r === 'dpo' || r === 'auditor')) return null;
  const { t } = pc;
  return html`<div class="notice warning" id="audit-alarm" role="alert"><p><strong>${t('audit.errorPrefix')}</strong> ${t('audit.chain.alarm', {
    date: formatHelsinki(t, a.detectedAt),
    seq: a.brokenAt ?? '-',
    problem: t(`audit.chain.problems.${a.problem}`),
  })} <a href="${staffHref('/staff/audit', pc.language)}">${t('common.navAudit')}</a></p></div>`;
}

/** The console for handlers and the DPO, the auditor's pages for auditors and the DPO (admins see both). */
function navigation(pc: StaffPageContext): { href: string; text: string; current: boolean }[] {
  const roles = pc.session?.user.roles ?? [];
  const has = (...r: string[]) => roles.some((x) => x === 'admin' || r.includes(x));
  const items: { href: string; text: string; current: boolean }[] = [];
  if (has('handler', 'dpo')) items.push({ href: staffHref('/staff', pc.language), text: pc.t('common.navConsole'), current: pc.path === '/staff' });
  if (has('auditor', 'dpo')) items.push({ href: staffHref('/staff/audit', pc.language), text: pc.t('common.navAudit'), current: pc.path === '/staff/audit' });
  return items;
}

/** A page that only tells something (no access, not found), with its own heading. */
export function staffMessagePage(pc: StaffPageContext, o: { title: string; text: string; extra?: Html }): string {
  return staffPage(pc, { title: o.title, main: html`<h1>${o.title}</h1>
<p class="lead">${o.text}</p>
${o.extra}` });
}
