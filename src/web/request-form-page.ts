/** The resident's e-form page: the rights, the free text, the right-specific sections and the subject. */
import { RIGHTS, type Right } from '../domain/request';
import { SUPPORTED_RIGHTS } from '../domain/supported-rights';
import { checkboxGroup, textArea, textInput, type TextInputOptions } from './form-controls';
import { html, type Html } from './html';
import type { PageText } from './i18n';
import { errorSummary, page, requirement, withLang, type PageContext, type SummaryItem } from './page';
import { CORRECTION_PARTS, CORRECTION_ROWS, PERSON_FIELDS, correctionInput, type CorrectionPart, type FormErrors, type FormField, type RequestFormValues, type TextField } from './request-form';
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
const FORM_RIGHTS: readonly Right[] = [...RIGHTS_ORDER, ...RIGHTS.filter((r) => !RIGHTS_ORDER.includes(r))].filter((r) => SUPPORTED_RIGHTS.includes(r));

export interface FormPageState {
  values: RequestFormValues;
  errors: FormErrors;
  choices: FormChoices;
  /** A message about the whole form (e.g. an expired form token), shown in the summary only. */
  formMessage?: string;
  formToken: string;
}

/** The inputs in page order, which the error summary follows. */
const FIELDS_IN_PAGE_ORDER: readonly FormField[] = [
  'rights',
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

/** The e-form page. */
export function requestFormPage(pc: PageContext, s: FormPageState): string {
  const { t, language } = pc;
  const summary: SummaryItem[] = [
    ...(s.formMessage ? [{ target: null, message: s.formMessage }] : []),
    ...FIELDS_IN_PAGE_ORDER.filter((f) => s.errors[f]).map((f) => ({ target: inputId(f, s.choices), message: s.errors[f]! })),
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
${text('firstName', { required: true, autocomplete: 'given-name' })}
${text('lastName', { required: true, autocomplete: 'family-name' })}
${text('hetu', { autocomplete: 'off', hint: true, short: true, spellcheck: false })}
${text('email', { required: true, autocomplete: 'email', hint: true, type: 'email', spellcheck: false })}
${text('phone', { autocomplete: 'tel', hint: true, type: 'tel', short: true })}
<p>${t('form.privacy')}</p>
<button type="submit">${t('form.submit')}</button>
</form>`,
  });
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
