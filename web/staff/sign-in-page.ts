/**
 * The staff sign-in page: the organisation's identity provider when it is configured, and the
 * development sign-in form of the embedded mode (user id and role), clearly marked as such. Also the
 * pages the identity provider's sign-in ends on: signed in, no role, and why a sign-in failed.
 */
import type { OidcFailure } from '../oidc';
import { STAFF_ROLES, type StaffRole } from '../../domain/request';
import { attr, html, type Html } from '../html';
import { staffHref, staffMessagePage, staffPage, type StaffPageContext } from './frame';

export interface SignInForm {
  user: string;
  role: StaffRole;
  csrf: string;
  userError?: string;
  formError?: string;
}

export interface SignInPage {
  /** Signed out, or the session ended. */
  notice?: string;
  /** The button to the organisation's identity provider, when staff OIDC is configured. */
  oidc: boolean;
  /** The development sign-in form, only in embedded mode with the dev sign-in on. */
  dev: SignInForm | null;
}

export function signInPage(pc: StaffPageContext, p: SignInPage): string {
  const { t } = pc;
  return staffPage(pc, {
    title: t('signIn.title'),
    main: html`<h1>${t('signIn.title')}</h1>
${p.notice ? html`<p class="notice" role="status">${p.notice}</p>` : null}
${p.oidc ? html`<p>${t('oidc.lead')}</p>
${oidcButton(pc, t('oidc.button'))}` : null}
${p.dev ? devForm(pc, p.dev) : null}`,
  });
}

/**
 * A link, not a form: the start answers with a redirect to the provider, and the pages' CSP
 * (`form-action 'self'`) would stop a form submission that is redirected to another origin.
 */
function oidcButton(pc: StaffPageContext, label: string): Html {
  return html`<p><a class="button" id="oidc-sign-in" href="${staffHref('/staff/oidc/start', pc.language)}">${label}</a></p>`;
}

function devForm(pc: StaffPageContext, f: SignInForm): Html {
  const { t, language } = pc;
  const describedBy = ['user-hint', f.userError ? 'user-error' : null].filter(Boolean).join(' ');
  return html`<p class="notice warning" id="dev-sign-in">${t('signIn.devNotice')}</p>
${f.formError ? html`<div class="error-summary" role="alert"><p>${f.formError}</p></div>` : null}
<form method="post" action="${staffHref('/staff/sign-in', language)}" novalidate>
<input type="hidden" name="csrf" value="${f.csrf}">
<div class="field${f.userError ? ' has-error' : ''}">
<label for="user">${t('signIn.user')}</label>
<span class="hint" id="user-hint">${t('signIn.userHint')}</span>
${f.userError ? html`<span class="error" id="user-error">${f.userError}</span>` : null}
<input type="text" class="short" id="user" name="user" autocomplete="username" spellcheck="false" autocapitalize="none" value="${f.user}" aria-describedby="${describedBy}"${attr('aria-invalid', f.userError ? 'true' : null)}>
</div>
<div class="field">
<label for="role">${t('signIn.role')}</label>
<select id="role" name="role">${STAFF_ROLES.map((r) => html`<option value="${r}"${attr('selected', r === f.role && 'selected')}>${t(`common.roles.${r}`)}</option>`)}</select>
</div>
<button type="submit">${t('signIn.submit')}</button>
</form>`;
}

/**
 * The page the identity provider's sign-in ends on. Not a redirect: the provider's redirect to the
 * callback is a cross-site navigation, and a browser does not send the SameSite=Strict session
 * cookie on any redirect that follows it; a navigation this page starts itself is same-site.
 */
export function signedInPage(pc: StaffPageContext, next: string): string {
  const { t } = pc;
  return staffMessagePage(pc, {
    title: t('oidc.signedIn.title'),
    text: t('oidc.signedIn.text'),
    extra: html`<p><a href="${next}" id="continue">${t('oidc.signedIn.continue')}</a></p>`,
  });
}

/** Signed in at the provider, but no role here: nobody is signed in. */
export function noRolePage(pc: StaffPageContext): string {
  const { t, language } = pc;
  return staffMessagePage(pc, {
    title: t('oidc.noRole.title'),
    text: t('oidc.noRole.text'),
    extra: html`<p><a href="${staffHref('/staff/sign-in', language)}">${t('oidc.backToSignIn')}</a></p>`,
  });
}

/** Why the sign-in through the identity provider did not go through, with the way to start again. */
export function oidcFailurePage(pc: StaffPageContext, failure: OidcFailure): string {
  const { t } = pc;
  return staffMessagePage(pc, {
    title: t(`oidc.failure.${failure}.title`),
    text: t(`oidc.failure.${failure}.text`),
    extra: oidcButton(pc, t('oidc.tryAgain')),
  });
}
