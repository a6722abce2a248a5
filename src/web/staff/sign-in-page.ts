/** The development sign-in form of the embedded mode: user id and role, clearly marked as such. */
import { STAFF_ROLES, type StaffRole } from '../../domain/request';
import { attr, html } from '../html';
import { staffHref, staffPage, type StaffPageContext } from './frame';

export interface SignInForm {
  user: string;
  role: StaffRole;
  csrf: string;
  userError?: string;
  formError?: string;
  notice?: string;
}

export function signInPage(pc: StaffPageContext, f: SignInForm): string {
  const { t, language } = pc;
  const describedBy = ['user-hint', f.userError ? 'user-error' : null].filter(Boolean).join(' ');
  return staffPage(pc, {
    title: t('signIn.title'),
    main: html`<h1>${t('signIn.title')}</h1>
${f.notice ? html`<p class="notice" role="status">${f.notice}</p>` : null}
<p class="notice warning" id="dev-sign-in">${t('signIn.devNotice')}</p>
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
</form>`,
  });
}
