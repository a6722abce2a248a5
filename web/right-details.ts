/**
 * The e-form's right-specific sections, shown on its second step for the rights chosen on the
 * first, so that nothing works only with JavaScript and nobody is asked what their request does not
 * need. What can be corrected and which categories exist come from the register description.
 */
import type { RegisterDescription } from '../domain/register-description';
import type { Language } from '../domain/request';
import { listRectifiableFields } from '../db/repositories/register-changes';
import { checkboxSection, selectInput, textArea, textInput, type OptionGroup } from './form-controls';
import { html, type Html } from './html';
import type { PageText } from './i18n';
import { requirement } from './page';
import { asksFor, CORRECTION_ROWS, DETAIL_SECTIONS, correctionInput, type CorrectionPart, type FormErrors, type RequestFormValues } from './request-form';

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

/** The sections the chosen rights ask for, in a fixed order; none for a right that needs no details. */
export function rightDetails(t: PageText, s: DetailsState): Html {
  const asked = (section: Parameters<typeof asksFor>[0]) => asksFor(section, s.values.rights);
  return html`${asked('rectification') ? rectificationSection(t, s) : html``}
${asked('categories') && s.choices.categories.length ? categoriesSection(t, s) : html``}
${asked('portability') ? portabilitySection(t, s) : html``}
${asked('objection') ? objectionSection(t, s) : html``}`;
}

/** A legend that names the section's right. */
function legend(t: PageText, section: string): Html {
  return html`<legend>${t(`form.${section}.legend`)}</legend>`;
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
  // The legend names only the rights the resident chose, not every right that asks for categories.
  const rights = DETAIL_SECTIONS.categories.filter((r) => s.values.rights.includes(r)).map((r) => t(`rights.${r}.title`));
  return checkboxSection(t, {
    className: 'details',
    idPrefix: 'f-categories',
    name: 'categories',
    legend: t('form.categories.legendFor', { rights: rights.join(', ') }),
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
