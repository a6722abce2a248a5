/**
 * What free text may contain. PostgreSQL refuses a NUL byte (22021) inside a transaction that has
 * already been promised to someone, and control or bidi characters make a name in a letter or the
 * console read differently from what is stored, so they are refused at the edge, naming the field.
 *
 * The choice for Unicode tricks: refused, not silently stripped, so what the person typed is never
 * changed behind their back. Text is NFC-normalised so that "ä" typed two ways is one name.
 */
import type { z } from 'zod';

/** C0 controls, DEL and C1 controls; line feed, carriage return and tab are decided per field. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;
const LINE_BREAK_OR_TAB = /[\n\r\t]/;
/** Bidi embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069): they reorder what is shown. */
const BIDI_CONTROL = /[\u202A-\u202E\u2066-\u2069]/;
/** Zero-width and invisible characters that make two equal-looking names differ. */
const INVISIBLE = /[\u200B-\u200F\u2060-\u2064\uFEFF\u00AD\u061C]/;
/** Half of a surrogate pair with no other half: not a character at all. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export type TextProblem = 'control' | 'line_break' | 'bidi' | 'invisible' | null;

/** Why a text would be refused, or null. `multiLine` allows line breaks and tabs; `name` also refuses invisible characters. */
export function textProblem(value: string, kind: { multiLine?: boolean; name?: boolean } = {}): TextProblem {
  if (CONTROL.test(value) || LONE_SURROGATE.test(value)) return 'control';
  if (!kind.multiLine && LINE_BREAK_OR_TAB.test(value)) return 'line_break';
  if (BIDI_CONTROL.test(value)) return 'bidi';
  if (kind.name && INVISIBLE.test(value)) return 'invisible';
  return null;
}

/** The validator's words for each problem; the pages recognise them to show their own catalog text. */
export const TEXT_PROBLEM_MESSAGES: Record<Exclude<TextProblem, null>, string> = {
  control: 'must not contain control characters',
  line_break: 'must be a single line (no line breaks or tabs)',
  bidi: 'must not contain text-direction control characters',
  invisible: 'must not contain invisible characters',
};

function refined(schema: z.ZodString, kind: { multiLine?: boolean; name?: boolean }): z.ZodString {
  return schema.normalize('NFC').superRefine((value, ctx) => {
    const problem = textProblem(value, kind);
    if (problem) ctx.addIssue({ code: 'custom', message: TEXT_PROBLEM_MESSAGES[problem], params: { textProblem: problem } });
  });
}

/** One line of text: no control characters at all. */
export const singleLine = (schema: z.ZodString): z.ZodString => refined(schema, {});

/** Text that may span lines: line feed, carriage return and tab are allowed, other controls are not. */
export const multiLine = (schema: z.ZodString): z.ZodString => refined(schema, { multiLine: true });

/** A person's name: one line, and no invisible characters either. */
export const personName = (schema: z.ZodString): z.ZodString => refined(schema, { name: true });
