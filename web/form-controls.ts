/**
 * The e-form's controls: a label, a hint and an error announced with each input through
 * aria-describedby, and `aria-invalid` on an input whose value was refused. Texts arrive already in
 * the page's language.
 */
import { attr, html, type Html } from './html';
import { describedBy, fieldError } from './page';
import type { PageText } from './i18n';

export interface ControlOptions {
  id: string;
  name: string;
  /** The label, with its requirement marker when it has one. */
  label: Html | string;
  value: string;
  hint?: string;
  error?: string;
}

export interface TextInputOptions extends ControlOptions {
  type?: 'text' | 'email' | 'tel' | 'url';
  autocomplete?: string;
  required?: boolean;
  short?: boolean;
  spellcheck?: boolean;
}

/** A one-line text input. */
export function textInput(t: PageText, o: TextInputOptions): Html {
  return field(t, o, html`<input type="${o.type ?? 'text'}" id="${o.id}" name="${o.name}" value="${o.value}"${attr('class', o.short && 'short')}${attr('autocomplete', o.autocomplete)}${attr('required', o.required && 'required')}${states(o)}${attr('spellcheck', o.spellcheck === false && 'false')}>`);
}

/** A text area for free text. */
export function textArea(t: PageText, o: ControlOptions & { rows: number }): Html {
  return field(t, o, html`<textarea id="${o.id}" name="${o.name}" rows="${o.rows}"${states(o)}>${o.value}</textarea>`);
}

export interface OptionGroup {
  label: string;
  options: { value: string; text: string }[];
}

/** A drop-down list in labelled groups; `placeholder` is the empty first choice. */
export function selectInput(t: PageText, o: ControlOptions & { placeholder: string; groups: OptionGroup[] }): Html {
  const option = (value: string, text: string) => html`<option value="${value}"${attr('selected', value === o.value && 'selected')}>${text}</option>`;
  return field(
    t,
    o,
    html`<select id="${o.id}" name="${o.name}"${states(o)}>
${option('', o.placeholder)}
${o.groups.map((g) => html`<optgroup label="${g.label}">${g.options.map((c) => option(c.value, c.text))}</optgroup>
`)}</select>`,
  );
}

export interface CheckboxGroupOptions {
  /** Ids are `${idPrefix}-${value}`; the group's hint and error are `${idPrefix}-hint` and `${idPrefix}-error`. */
  idPrefix: string;
  name: string;
  legend: Html | string;
  hint: string;
  error?: string;
  checked: readonly string[];
  choices: { value: string; label: string; hint?: string }[];
}

/** Checkboxes in a fieldset: the legend names the question, each choice may explain itself. */
export function checkboxGroup(t: PageText, o: CheckboxGroupOptions): Html {
  return html`<div class="field${o.error ? ' has-error' : ''}">
<fieldset aria-describedby="${describedBy(o.idPrefix, true, Boolean(o.error))}">
<legend>${o.legend}</legend>
${checkboxes(t, o)}
</fieldset>
</div>`;
}

/** Checkboxes that are a section of their own: the fieldset carries `className`, the marking of an error is inside. */
export function checkboxSection(t: PageText, o: CheckboxGroupOptions & { className: string }): Html {
  return html`<fieldset class="${o.className}" aria-describedby="${describedBy(o.idPrefix, true, Boolean(o.error))}">
<legend>${o.legend}</legend>
<div class="field${o.error ? ' has-error' : ''}">
${checkboxes(t, o)}
</div>
</fieldset>`;
}

function checkboxes(t: PageText, o: CheckboxGroupOptions): Html {
  const errorId = o.error ? `${o.idPrefix}-error` : null;
  return html`<span class="hint" id="${o.idPrefix}-hint">${o.hint}</span>
${fieldError(t, o.idPrefix, o.error)}
${o.choices.map((c) => {
  const id = `${o.idPrefix}-${c.value}`;
  const described = [c.hint ? `${id}-hint` : null, errorId].filter(Boolean).join(' ');
  return html`<div class="choice">
<input type="checkbox" id="${id}" name="${o.name}" value="${c.value}"${attr('checked', o.checked.includes(c.value) && 'checked')}${attr('aria-invalid', o.error && 'true')}${attr('aria-describedby', described)}>
<label for="${id}">${c.label}</label>
${c.hint ? html`<span class="hint" id="${id}-hint">${c.hint}</span>` : html``}
</div>`;
})}`;
}

/** The field around a control: label, hint, error, then the control itself. */
function field(t: PageText, o: ControlOptions, control: Html): Html {
  return html`<div class="field${o.error ? ' has-error' : ''}">
<label for="${o.id}">${o.label}</label>
${o.hint ? html`<span class="hint" id="${o.id}-hint">${o.hint}</span>` : html``}
${fieldError(t, o.id, o.error)}
${control}
</div>`;
}

function states(o: ControlOptions): Html {
  return html`${attr('aria-invalid', o.error && 'true')}${attr('aria-describedby', describedBy(o.id, Boolean(o.hint), Boolean(o.error)))}`;
}
