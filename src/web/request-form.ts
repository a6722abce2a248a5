/**
 * The resident's e-form: what it posts, how that maps onto the public submission schema (the same
 * one the JSON API validates with), how validation failures become messages in the page's
 * language, and the page itself.
 */
import { RIGHTS, type Language, type Right } from '../domain/request';
import { SUPPORTED_RIGHTS } from '../domain/supported-rights';
import { ApiError } from '../api/errors';
import { attr, html, type Html } from './html';
import type { PageText } from './i18n';
import { describedBy, errorSummary, fieldError, page, requirement, withLang, type PageContext, type SummaryItem } from './page';

/** The form's text fields, in page order (the error summary follows it). */
export const TEXT_FIELDS = ['firstName', 'lastName', 'hetu', 'email', 'phone', 'description'] as const;
export type TextField = (typeof TEXT_FIELDS)[number];
export type FormField = 'rights' | TextField;

export interface RequestFormValues extends Record<TextField, string> {
  rights: string[];
}

export type FormErrors = Partial<Record<FormField, string>>;

export const EMPTY_FORM: RequestFormValues = { rights: [], firstName: '', lastName: '', hetu: '', email: '', phone: '', description: '' };

/** Reads the posted form; `rights` arrives as one value or several. Anything unexpected is ignored. */
export function readForm(body: unknown): RequestFormValues {
  const b = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const text = (name: string) => (typeof b[name] === 'string' ? (b[name] as string) : '');
  const rights = Array.isArray(b.rights) ? b.rights : b.rights === undefined ? [] : [b.rights];
  return {
    rights: rights.filter((r): r is string => typeof r === 'string'),
    firstName: text('firstName'),
    lastName: text('lastName'),
    hetu: text('hetu'),
    email: text('email'),
    phone: text('phone'),
    description: text('description'),
  };
}

/** The public submission schema's shape; an empty optional field is left out, not sent as "". */
export function toSubmission(form: RequestFormValues, language: Language): Record<string, unknown> {
  const optional = (v: string) => (v.trim() === '' ? undefined : v);
  return {
    rights: form.rights,
    language,
    subject: {
      firstName: form.firstName,
      lastName: form.lastName,
      hetu: optional(form.hetu),
      email: optional(form.email),
      phone: optional(form.phone),
    },
    description: optional(form.description),
  };
}

/**
 * Turns the schema's failures into one message per form field, in the page's language. The schema
 * says which field failed; what the resident typed tells which message fits (empty or malformed).
 */
export function formErrors(error: ApiError, form: RequestFormValues, t: PageText): FormErrors {
  const errors: FormErrors = {};
  for (const { field } of error.fields ?? []) {
    const name = formFieldOf(field);
    if (name && !errors[name]) errors[name] = t(`errors.${name}.${errorKind(name, form)}`);
  }
  // A failure the form cannot place (it would be a defect) still stops the submit visibly.
  if (Object.keys(errors).length === 0) errors.description = t('errors.generic');
  return errors;
}

function formFieldOf(path: string): FormField | null {
  if (path === 'rights' || path.startsWith('rights[')) return 'rights';
  const name = path.replace(/^subject\./, '');
  return (TEXT_FIELDS as readonly string[]).includes(name) ? (name as TextField) : null;
}

function errorKind(name: FormField, form: RequestFormValues): string {
  switch (name) {
    case 'rights':
      return form.rights.length === 0 ? 'required' : 'unsupported';
    case 'firstName':
    case 'lastName':
      return form[name].trim() === '' ? 'required' : 'tooLong';
    case 'email':
      return form.email.trim() === '' ? 'required' : 'invalid';
    case 'hetu':
    case 'phone':
      return 'invalid';
    case 'description':
      return 'tooLong';
  }
}

/** The id of a field's input; for the rights, the first checkbox. */
export function inputId(name: FormField): string {
  return name === 'rights' ? `f-rights-${SUPPORTED_RIGHTS[0]}` : `f-${name}`;
}

export interface FormPageState {
  values: RequestFormValues;
  errors: FormErrors;
  /** A message about the whole form (e.g. an expired form token), shown in the summary only. */
  formMessage?: string;
  formToken: string;
}

/** The e-form page. */
export function requestFormPage(pc: PageContext, s: FormPageState): string {
  const { t, language } = pc;
  const summary: SummaryItem[] = [
    ...(s.formMessage ? [{ target: null, message: s.formMessage }] : []),
    ...(['rights', ...TEXT_FIELDS] as FormField[]).filter((f) => s.errors[f]).map((f) => ({ target: inputId(f), message: s.errors[f]! })),
  ];
  const unsupported = RIGHTS.filter((r) => !SUPPORTED_RIGHTS.includes(r));
  return page(pc, {
    title: t('form.title'),
    path: '/',
    task: 'request',
    hasErrors: summary.length > 0,
    main: html`${errorSummary(t, summary)}
<h1>${t('form.heading')}</h1>
<p class="lead">${t('form.lead')}</p>
<p>${t('form.requiredNote')}</p>
<form method="post" action="${withLang('/request', language)}" novalidate>
<input type="hidden" name="formToken" value="${s.formToken}">
${rightsFieldset(t, s)}
<fieldset>
<legend>${t('form.personLegend')}</legend>
${textInput(t, s, 'firstName', { required: true, autocomplete: 'given-name' })}
${textInput(t, s, 'lastName', { required: true, autocomplete: 'family-name' })}
${textInput(t, s, 'hetu', { required: false, autocomplete: 'off', hint: true, short: true })}
${textInput(t, s, 'email', { required: true, autocomplete: 'email', hint: true, type: 'email' })}
${textInput(t, s, 'phone', { required: false, autocomplete: 'tel', hint: true, type: 'tel', short: true })}
</fieldset>
${textArea(t, s, 'description')}
<p>${t('form.privacy')}</p>
<button type="submit">${t('form.submit')}</button>
</form>
${unsupported.length ? otherRights(t, unsupported) : html``}`,
  });
}

function rightsFieldset(t: PageText, s: FormPageState): Html {
  const error = s.errors.rights;
  return html`<div class="field${error ? ' has-error' : ''}">
<fieldset aria-describedby="${describedBy('f-rights', true, Boolean(error))}">
<legend>${t('form.rightsLegend')}${requirement(t, true)}</legend>
<span class="hint" id="f-rights-hint">${t('form.rightsHint')}</span>
${fieldError(t, 'f-rights', error)}
${SUPPORTED_RIGHTS.map((right) => {
  const id = `f-rights-${right}`;
  return html`<div class="choice">
<input type="checkbox" id="${id}" name="rights" value="${right}"${attr('checked', s.values.rights.includes(right) && 'checked')}${attr('aria-invalid', error && 'true')} aria-describedby="${error ? `${id}-hint f-rights-error` : `${id}-hint`}">
<label for="${id}">${t(`rights.${right}.title`)}</label>
<span class="hint" id="${id}-hint">${t(`rights.${right}.explain`)}</span>
</div>`;
})}
</fieldset>
</div>`;
}

interface InputOptions {
  required: boolean;
  autocomplete: string;
  hint?: boolean;
  type?: 'text' | 'email' | 'tel';
  short?: boolean;
}

function textInput(t: PageText, s: FormPageState, name: TextField, o: InputOptions): Html {
  const id = inputId(name);
  const error = s.errors[name];
  return html`<div class="field${error ? ' has-error' : ''}">
<label for="${id}">${t(`form.${name}`)}${requirement(t, o.required)}</label>
${o.hint ? html`<span class="hint" id="${id}-hint">${t(`form.${name}Hint`)}</span>` : html``}
${fieldError(t, id, error)}
<input type="${o.type ?? 'text'}" id="${id}" name="${name}" value="${s.values[name]}"${attr('class', o.short && 'short')} autocomplete="${o.autocomplete}"${attr('required', o.required && 'required')}${attr('aria-invalid', error && 'true')}${attr('aria-describedby', describedBy(id, Boolean(o.hint), Boolean(error)))}${attr('spellcheck', name === 'hetu' || name === 'email' ? 'false' : null)}>
</div>`;
}

function textArea(t: PageText, s: FormPageState, name: TextField): Html {
  const id = inputId(name);
  const error = s.errors[name];
  return html`<div class="field${error ? ' has-error' : ''}">
<label for="${id}">${t(`form.${name}`)}${requirement(t, false)}</label>
<span class="hint" id="${id}-hint">${t(`form.${name}Hint`)}</span>
${fieldError(t, id, error)}
<textarea id="${id}" name="${name}" rows="6"${attr('aria-invalid', error && 'true')} aria-describedby="${describedBy(id, true, Boolean(error))}">${s.values[name]}</textarea>
</div>`;
}

/** The rights the form does not take yet: explained, with where to turn instead. */
function otherRights(t: PageText, rights: Right[]): Html {
  return html`<h2>${t('form.otherRightsTitle')}</h2>
<p>${t('form.otherRightsText')}</p>
<dl class="info-list">${rights.map((r) => html`<dt>${t(`rights.${r}.title`)}</dt><dd>${t(`rights.${r}.explain`)}</dd>`)}</dl>`;
}
