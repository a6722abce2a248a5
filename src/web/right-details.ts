/**
 * The e-form's right-specific sections. Without JavaScript a form cannot show inputs only once a
 * right is ticked, so every section is always there, in a fieldset whose legend names its right and
 * says when it is needed. What can be corrected and which categories exist come from the register
 * description.
 */
import type { RegisterDescription } from '../domain/register-description';
import type { Language } from '../domain/request';
import { listRectifiableFields } from '../db/repositories/register-changes';
import { checkboxSection, selectInput, textArea, textInput, type OptionGroup } from './form-controls';
import { html, type Html } from './html';
import type { PageText } from './i18n';
import { requirement } from './page';
import { CORRECTION_ROWS, correctionInput, type CorrectionPart, type FormErrors, type RequestFormValues } from './request-form';

/** What the register lets a resident choose, labelled in the page's language. */
export interface FormChoices {
  /** GDPR 16: the fields a correction may name, grouped by data category. */
  fields: OptionGroup[];
  /** The data categories a request can be limited to. */
  categories: { value: string; label: string; hint?: string }[];
}

/** The choices of the register description in one language. */
export function formChoices(description: RegisterDescription, language: Language): FormChoices {
  const labels = new Map(description.categories.map((c) => [c.key, c.label[language]]));
  const fields: OptionGroup[] = [];
  for (const f of listRectifiableFields(description, language)) {
    const label = labels.get(f.category) ?? f.category;
    let group = fields[fields.length - 1];
    if (group?.label !== label) fields.push((group = { label, options: [] }));
    group.options.push({ value: `${f.table}.${f.column}`, text: f.label });
  }
  const categories = description.categories.map((c) => ({ value: c.key, label: c.label[language], hint: c.description?.[language] }));
  return { fields, categories };
}

/** The id of the first category checkbox: where a message about the categories links to. */
export function categoriesInputId(choices: FormChoices): string {
  return `f-categories-${choices.categories[0]?.value ?? ''}`;
}

/** The id of a correction row's input. */
export function correctionInputId(row: number, part: CorrectionPart): string {
  return `f-corrections-${row}-${part}`;
}

interface DetailsState {
  values: RequestFormValues;
  errors: FormErrors;
  choices: FormChoices;
}

/** All right-specific sections, under a heading that tells a resident to fill in only their own. */
export function rightDetails(t: PageText, s: DetailsState): Html {
  return html`<h2>${t('form.details.title')}</h2>
<p>${t('form.details.lead')}</p>
${rectificationSection(t, s)}
${s.choices.categories.length ? categoriesSection(t, s) : html``}
${portabilitySection(t, s)}
${objectionSection(t, s)}`;
}

/** A legend that names the section's right and says when the section is needed. */
function legend(t: PageText, section: string): Html {
  return html`<legend>${legendText(t, section)}</legend>`;
}

function legendText(t: PageText, section: string): Html {
  return html`${t(`form.${section}.legend`)}<span class="applies">${t(`form.${section}.applies`)}</span>`;
}

/** GDPR 16: which fields are wrong and what is correct, one row per field. */
function rectificationSection(t: PageText, s: DetailsState): Html {
  return html`<fieldset class="details" aria-describedby="f-corrections-hint">
${legend(t, 'rectification')}
<span class="hint" id="f-corrections-hint">${t('form.rectification.hint', { rows: CORRECTION_ROWS })}</span>
${s.values.corrections.map((row, i) => {
  const input = (part: CorrectionPart) => ({ id: correctionInputId(i, part), name: correctionInput(i, part), value: row[part], error: s.errors[correctionInput(i, part)] });
  return html`<fieldset class="row">
<legend>${t('form.rectification.row', { n: i + 1 })}</legend>
${selectInput(t, { ...input('field'), label: t('form.rectification.field'), placeholder: t('form.rectification.choose'), groups: s.choices.fields })}
${textInput(t, { ...input('value'), label: t('form.rectification.value'), autocomplete: 'off' })}
${textArea(t, { ...input('explanation'), label: html`${t('form.rectification.explanation')}${requirement(t, false)}`, hint: t('form.rectification.explanationHint'), rows: 3 })}
</fieldset>`;
})}
</fieldset>`;
}

/** GDPR 17, 18 and 7(3): the request may be limited to some categories; none chosen means all. */
function categoriesSection(t: PageText, s: DetailsState): Html {
  return checkboxSection(t, {
    className: 'details',
    idPrefix: 'f-categories',
    name: 'categories',
    legend: legendText(t, 'categories'),
    hint: t('form.categories.hint'),
    error: s.errors.categories,
    checked: s.values.categories,
    choices: s.choices.categories,
  });
}

/** GDPR 20(2): the other controller the data is to be transmitted to directly. */
function portabilitySection(t: PageText, s: DetailsState): Html {
  return html`<fieldset class="details">
${legend(t, 'portability')}
${textInput(t, {
  id: 'f-transmitTo',
  name: 'transmitTo',
  label: html`${t('form.portability.transmitTo')}${requirement(t, false)}`,
  hint: t('form.portability.transmitToHint'),
  value: s.values.transmitTo,
  error: s.errors.transmitTo,
  type: 'url',
  autocomplete: 'off',
  spellcheck: false,
})}
</fieldset>`;
}

/** GDPR 21(1): the grounds relating to the subject's particular situation. */
function objectionSection(t: PageText, s: DetailsState): Html {
  return html`<fieldset class="details">
${legend(t, 'objection')}
${textArea(t, {
  id: 'f-objectionGrounds',
  name: 'objectionGrounds',
  label: html`${t('form.objection.grounds')}${requirement(t, false)}`,
  hint: t('form.objection.groundsHint'),
  value: s.values.objectionGrounds,
  error: s.errors.objectionGrounds,
  rows: 5,
})}
</fieldset>`;
}
