/**
 * The resident's e-form in two steps, each a page of its own that works without JavaScript: first
 * the rights, each explained in plain words; then only what those rights need (the free text, the
 * right-specific sections) and the subject. The second step carries the first's choice in hidden
 * inputs, and its back button carries everything typed, so nothing is lost between the steps.
 */
import { RIGHTS, type Right } from '../domain/request';
import type { ResidentIdentity } from '../domain/resident-identity';
import { SUPPORTED_RIGHTS } from '../domain/supported-rights';
import { checkboxGroup, textArea, textInput, type TextInputOptions } from './form-controls';
import { html, type Html } from './html';
import type { PageText } from './i18n';
import { errorSummary, page, requirement, withLang, type PageContext, type SummaryItem } from './page';
import { CORRECTION_PARTS, CORRECTION_ROWS, PERSON_FIELDS, TEXT_FIELDS, correctionInput, identifiedFields, type CorrectionPart, type FormErrors, type FormField, type PersonField, type RequestFormValues, type TextField } from './request-form';
import { categoriesInputId, correctionInputId, rightDetails, type FormChoices } from './right-details';

/**
 * The rights in the order a resident looks for them: finding out first, then changing the data,
 * then stopping its use. A right missing here still appears, at the end.
 */
const RIGHTS_ORDER: readonly Right[] = [
  'access',
  'confirmation',
  'information',
  'automated_decisions',
  'rectification',
  'erasure',
  'restriction',
  'portability',
  'objection',
  'consent_withdrawal',
];

/** The rights the form offers, in page order. */
export const FORM_RIGHTS: readonly Right[] = [...RIGHTS_ORDER, ...RIGHTS.filter((r) => !RIGHTS_ORDER.includes(r))].filter((r) => SUPPORTED_RIGHTS.includes(r));

export interface FormPageState {
  values: RequestFormValues;
  errors: FormErrors;
  choices: FormChoices;
  /** A message about the whole form (e.g. an expired form token), shown in the summary only. */
  formMessage?: string;
  formToken: string;
  /** Who the resident is: what the identification fixed is shown, not asked. */
  identity: ResidentIdentity;
  /** The session's CSRF token. */
  csrf: string;
}

const STEPS = 2;

/** The inputs of the second step in page order, which the error summary follows. */
const DETAIL_FIELDS_IN_PAGE_ORDER: readonly FormField[] = [
  'description',
  ...Array.from({ length: CORRECTION_ROWS }, (_, i) => CORRECTION_PARTS.map((part) => correctionInput(i, part))).flat(),
  'categories',
  'transmitTo',
  'objectionGrounds',
  ...PERSON_FIELDS,
];

/** The id of an input; for a group of checkboxes, the first one's. */
function inputId(name: FormField, choices: FormChoices): string {
  if (name === 'rights') return `f-rights-${FORM_RIGHTS[0]}`;
  if (name === 'categories') return categoriesInputId(choices);
  const correction = /^corrections\.(\d+)\.(field|value|explanation)$/.exec(name);
  if (correction) return correctionInputId(Number(correction[1]), correction[2] as CorrectionPart);
  return `f-${name}`;
}

/** How each subject field is asked for, when the identification has not fixed it. */
const PERSON_INPUTS: Record<PersonField, Omit<TextInputOptions, 'id' | 'name' | 'label' | 'value' | 'error' | 'hint'> & { hint?: boolean }> = {
  firstName: { required: true, autocomplete: 'given-name' },
  lastName: { required: true, autocomplete: 'family-name' },
  hetu: { autocomplete: 'off', hint: true, short: true, spellcheck: false },
  email: { required: true, autocomplete: 'email', hint: true, type: 'email', spellcheck: false },
  phone: { autocomplete: 'tel', hint: true, type: 'tel', short: true },
};

/** The hidden inputs every step posts: the form's one-time token and the session's CSRF token. */
function tokens(s: FormPageState): Html {
  return html`<input type="hidden" name="formToken" value="${s.formToken}">
<input type="hidden" name="csrf" value="${s.csrf}">`;
}

function stepOf(t: PageText, n: number): Html {
  return html`<p class="step">${t('form.step', { n, total: STEPS })}</p>`;
}

/** Step 1: what the resident asks for. Anything typed on step 2 before coming back rides along hidden. */
export function rightsStepPage(pc: PageContext, s: FormPageState): string {
  const { t, language } = pc;
  const summary: SummaryItem[] = [
    ...(s.formMessage ? [{ target: null, message: s.formMessage }] : []),
    ...(s.errors.rights ? [{ target: inputId('rights', s.choices), message: s.errors.rights }] : []),
  ];
  return page(pc, {
    title: t('form.title'),
    path: '/',
    task: 'request',
    hasErrors: summary.length > 0,
    main: html`${errorSummary(t, summary)}
${stepOf(t, 1)}
<h1>${t('form.heading')}</h1>
<p class="lead">${t('form.lead')}</p>
<form method="post" action="${withLang('/request/details', language)}" novalidate>
${tokens(s)}
${carried(s.values, identifiedFields(s.identity))}
${rightsFieldset(t, s)}
<button type="submit">${t('form.continue')}</button>
</form>`,
  });
}

/** Step 2: only what the chosen rights need, then the subject. */
export function detailsStepPage(pc: PageContext, s: FormPageState): string {
  const { t, language } = pc;
  const fixed = identifiedFields(s.identity);
  const isFixed = (f: FormField) => Object.hasOwn(fixed, f);
  // A message about a fixed field (it would be a defect) has no input to point to, but is still shown.
  const summary: SummaryItem[] = [
    ...(s.formMessage ? [{ target: null, message: s.formMessage }] : []),
    ...DETAIL_FIELDS_IN_PAGE_ORDER.filter((f) => s.errors[f]).map((f) => ({ target: isFixed(f) ? null : inputId(f, s.choices), message: s.errors[f]! })),
  ];
  const text = (name: TextField, o: Omit<TextInputOptions, 'id' | 'name' | 'label' | 'value' | 'error' | 'hint'> & { hint?: boolean }) =>
    textInput(t, {
      ...o,
      id: `f-${name}`,
      name,
      label: html`${t(`form.${name}`)}${requirement(t, Boolean(o.required))}`,
      value: s.values[name],
      error: s.errors[name],
      hint: o.hint ? t(`form.${name}Hint`) : undefined,
    });
  const chosen = FORM_RIGHTS.filter((r) => s.values.rights.includes(r));
  return page(pc, {
    title: t('form.detailsTitle'),
    path: '/',
    task: 'request',
    hasErrors: summary.length > 0,
    main: html`${errorSummary(t, summary)}
${stepOf(t, 2)}
<h1>${t('form.detailsTitle')}</h1>
<p class="lead">${t('form.detailsLead')}</p>
<h2 id="chosen-heading">${t('form.chosenTitle')}</h2>
<ul aria-labelledby="chosen-heading" id="chosen">${chosen.map((r) => html`<li>${t(`rights.${r}.title`)}</li>`)}</ul>
<p>${t('form.requiredNote')}</p>
<form method="post" action="${withLang('/request', language)}" novalidate>
${tokens(s)}
${chosen.map((r) => html`<input type="hidden" name="rights" value="${r}">`)}
${textArea(t, {
  id: 'f-description',
  name: 'description',
  label: html`${t('form.description')}${requirement(t, false)}`,
  hint: t('form.descriptionHint'),
  value: s.values.description,
  error: s.errors.description,
  rows: 6,
})}
${rightDetails(t, s)}
<h2>${t('form.personTitle')}</h2>
${identityFacts(t, s.identity)}
${PERSON_FIELDS.filter((f) => !isFixed(f)).map((f) => text(f, PERSON_INPUTS[f]))}
<p>${t('form.privacy')}</p>
<div class="actions">
<button type="submit">${t('form.submit')}</button>
<button type="submit" class="secondary" formaction="${withLang('/request/rights', language)}">${t('form.back')}</button>
</div>
</form>`,
  });
}

/**
 * What step 2 was given, as hidden inputs of step 1 under the names `readForm` reads: the free
 * texts, the categories and the non-empty correction parts. What the identification fixed is left
 * out: it comes from the session anyway.
 */
function carried(values: RequestFormValues, fixed: Partial<Record<PersonField, string>>): Html {
  const hidden = (name: string, value: string) => html`<input type="hidden" name="${name}" value="${value}">`;
  const texts = TEXT_FIELDS.filter((f) => !Object.hasOwn(fixed, f) && values[f] !== '');
  return html`${texts.map((f) => hidden(f, values[f]))}
${values.categories.map((c) => hidden('categories', c))}
${values.corrections.map((row, i) => CORRECTION_PARTS.filter((part) => row[part] !== '').map((part) => hidden(correctionInput(i, part), row[part])))}`;
}

/** What the identification fixed, shown read-only: it is taken from the session, not from the form. */
function identityFacts(t: PageText, identity: ResidentIdentity): Html {
  const facts =
    identity.method === 'strong_eid'
      ? html`<dt>${t('form.identityName')}</dt><dd>${identity.firstName} ${identity.lastName}</dd>
<dt>${t('form.hetu')}</dt><dd>${identity.hetu}</dd>`
      : html`<dt>${t('form.email')}</dt><dd>${identity.email}</dd>`;
  return html`<div class="notice" id="identity">
<h3>${t('form.identityTitle')}</h3>
<p>${t(identity.method === 'strong_eid' ? 'form.identityEid' : 'form.identityEmail')}</p>
<dl class="facts">
${facts}
</dl>
</div>`;
}

function rightsFieldset(t: PageText, s: FormPageState): Html {
  return checkboxGroup(t, {
    idPrefix: 'f-rights',
    name: 'rights',
    legend: html`${t('form.rightsLegend')}${requirement(t, true)}`,
    hint: t('form.rightsHint'),
    error: s.errors.rights,
    checked: s.values.rights,
    choices: FORM_RIGHTS.map((right) => ({ value: right, label: t(`rights.${right}.title`), hint: t(`rights.${right}.explain`) })),
  });
}
