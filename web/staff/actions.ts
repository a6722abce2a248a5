/**
 * The console's action forms, read and carried out. Each form's fields become the same input the
 * staff JSON API takes, checked by the same schema; the workflow's update validator has the last
 * word, and a refusal comes back to the form with its reason. Nothing changes when either refuses.
 */
import type { StaffUser } from '../../services/staff-auth';
import type { ServiceContext } from '../../services/context';
import { z } from 'zod';
import { ApiError, parseOrThrow, toApiError, type FieldError } from '../../services/errors';
import { assignSchema, liftRestrictionSchema } from '../../services/schemas';
import { checkDetailsAgainstDescription } from '../../services/details-check';
import { decideRecipientNotNotified, notNotifiedSchema } from '../../services/recipient-decisions';
import { assignRequest, planRestrictionLift, takeIfUnassigned, verifyIdentityWithLinked } from '../../services/staff-actions';
import type { DecisionName } from '../../services/workflow-gateway';
import { parseDecision, sendDecision } from '../../services/decision-inputs';
import type { StoredDecision } from '../../db/repositories/decisions';
import type { RequestSummary } from '../../domain/request';

export const ACTIONS = ['assign', 'identity', 'extend', 'refuse', 'decide', 'approve', 'withhold', 'fee', 'payment', 'withdraw', 'lift', 'recipient', 'retry'] as const;
export type ActionName = (typeof ACTIONS)[number];

export function isAction(value: string): value is ActionName {
  return (ACTIONS as readonly string[]).includes(value);
}

/** The posted form, as strings (repeated fields as lists). */
export type FormValues = Record<string, string | string[]>;

/** A refused action: which form, the values to show again, errors by field id, and the form's message. */
export interface ActionFailure {
  action: ActionName;
  values: FormValues;
  fieldErrors: Record<string, string>;
  /** Refusals with a stable code, by field id: the form words them from its catalog. */
  fieldReasons: Record<string, { code: string; params: Record<string, string> }>;
  /** The validator's or the workflow's reason, in its own words. */
  detail: string;
  code: string;
  status: number;
}

export function readValues(body: unknown): FormValues {
  const out: FormValues = {};
  if (!body || typeof body !== 'object') return out;
  for (const [k, v] of Object.entries(body as Record<string, unknown>)) {
    if (k === 'csrf') continue;
    if (typeof v === 'string') out[k] = v;
    else if (Array.isArray(v)) out[k] = v.filter((x): x is string => typeof x === 'string');
  }
  return out;
}

function text(v: FormValues, key: string): string {
  const value = v[key];
  return (Array.isArray(value) ? value[0] ?? '' : value ?? '').trim();
}

function list(v: FormValues, key: string): string[] {
  const value = v[key];
  return (Array.isArray(value) ? value : value ? [value] : []).map((x) => x.trim()).filter(Boolean);
}

function optional(value: string): string | undefined {
  return value === '' ? undefined : value;
}

/**
 * A date as typed in a form: the displayed format (7.12.2026, as the pages print dates) or ISO
 * (2026-12-07), as YYYY-MM-DD; anything else is returned as typed, for the schema to refuse.
 */
export function formDate(value: string): string {
  const m = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(value.trim());
  if (!m) return value.trim();
  const iso = `${m[3]}-${m[2].padStart(2, '0')}-${m[1].padStart(2, '0')}`;
  const check = new Date(`${iso}T00:00:00Z`);
  // 31.2.2026 is no date: left as typed, it is refused with the field's message.
  return !Number.isNaN(check.getTime()) && check.toISOString().startsWith(iso) ? iso : value.trim();
}

/** "12,50" or "12.50" euros as cents; NaN when it is not an amount. */
export function euroCents(value: string): number {
  const m = /^(\d{1,6})(?:[.,](\d{1,2}))?$/.exec(value.replace(/\s|€/g, ''));
  return m ? Number(m[1]) * 100 + Number((m[2] ?? '0').padEnd(2, '0')) : Number.NaN;
}

/**
 * The fields a workflow validator names in its message ("decisions[1].reason: must ...; ..."): its
 * refusal carries no field list, and its words are developer English, so the page shows each
 * field's own text from the catalog instead.
 */
export function fieldsOfMessage(message: string): FieldError[] {
  return message
    .split('; ')
    .map((part) => /^((?:decisions|corrections|items)\[\d+\]\.\w+): (.+)$/.exec(part))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ field: m[1], message: m[2] }));
}

/** Schema field paths as the ids of the form's inputs; `sent`: the categories the decide update named, in order. */
function fieldIds(action: ActionName, fields: FieldError[] | undefined, decisions: StoredDecision[], sent: string[] = []): Record<string, string> {
  return Object.fromEntries(Object.entries(fieldKeyed(action, fields, decisions, sent)).map(([id, f]) => [id, f.message]));
}

/** The coded refusals among the fields, by form field id. */
function fieldReasons(action: ActionName, fields: FieldError[] | undefined, decisions: StoredDecision[], sent: string[] = []): ActionFailure['fieldReasons'] {
  const out: ActionFailure['fieldReasons'] = {};
  for (const [id, f] of Object.entries(fieldKeyed(action, fields, decisions, sent))) if (f.code) out[id] = { code: f.code, params: f.params ?? {} };
  return out;
}

function fieldKeyed(action: ActionName, fields: FieldError[] | undefined, decisions: StoredDecision[], sent: string[]): Record<string, FieldError> {
  const out: Record<string, FieldError> = {};
  for (const f of fields ?? []) {
    const m = /^decisions\[(\d+)\]\.(\w+)$/.exec(f.field) ?? /^corrections\[(\d+)\]\.(\w+)$/.exec(f.field);
    let id: string;
    const pending = decisions.filter((d) => !d.decidedAt);
    // The update names only the changed categories: its index counts those, not the form's rows.
    if (m && f.field.startsWith('decisions')) id = `decide-${sent[Number(m[1])] ?? categoryDecisions(pending)[Number(m[1])]?.key ?? m[1]}-${m[2]}`;
    else if (m) id = `decide-correction-${pending.filter((d) => d.kind === 'correction')[Number(m[1])]?.key.replace('correction:', '') ?? m[1]}-${m[2]}`;
    else if (f.field === 'decisions' && f.params?.category) id = `decide-${f.params.category}-ground`;
    else if (f.field.startsWith('items')) id = `withhold-${/\.(\w+)$/.exec(f.field)?.[1] ?? 'category'}`;
    else if (f.field.startsWith('categories')) id = 'lift-categories';
    else id = `${action}-${f.field === 'amountCents' ? 'amount' : f.field}`;
    out[id] ??= f;
  }
  return out;
}

function categoryDecisions(decisions: StoredDecision[]): StoredDecision[] {
  return decisions.filter((d) => d.kind === 'category');
}

/** The workflow update an action sends, and its input, from the form. */
function updateOf(action: ActionName, v: FormValues, decisions: StoredDecision[]): { name: DecisionName; input: Record<string, unknown> } | null {
  switch (action) {
    case 'identity':
      return { name: 'verifyIdentity', input: { decision: text(v, 'decision') || undefined, method: optional(text(v, 'method')), note: text(v, 'note') } };
    case 'extend':
      return { name: 'extendDeadline', input: { reasons: text(v, 'reasons') } };
    case 'refuse':
      return { name: 'refuseRequest', input: { ground: text(v, 'ground') || undefined, scope: text(v, 'scope') || 'whole', reasons: text(v, 'reasons') } };
    case 'approve':
      return { name: 'approveAnswer', input: { documentId: text(v, 'documentId'), note: optional(text(v, 'note')) } };
    case 'withhold':
      return { name: 'withholdItems', input: { items: [{ category: text(v, 'category'), description: text(v, 'description') }] } };
    case 'fee': {
      const amount = text(v, 'amount');
      return {
        name: 'announceFee',
        input: { amountCents: amount === '' ? undefined : euroCents(amount), ground: text(v, 'ground') || undefined, basis: text(v, 'basis'), payBy: formDate(text(v, 'payBy')) },
      };
    }
    case 'payment':
      return { name: 'recordPayment', input: {} };
    case 'withdraw':
      return { name: 'withdrawRequest', input: { note: optional(text(v, 'note')) } };
    case 'retry':
      return { name: 'retryStep', input: { note: optional(text(v, 'note')) } };
    case 'decide': {
      const categories = categoryDecisions(decisions).filter((d) => !d.decidedAt);
      const corrections = decisions.filter((d) => d.kind === 'correction' && !d.decidedAt);
      return {
        name: 'decideCategories',
        input: {
          // The form shows every category with its proposal preselected; only a changed one is an override.
          decisions: categories
            .map((d) => ({
              category: d.key,
              outcome: text(v, `outcome.${d.key}`) || d.proposedOutcome,
              ground: text(v, `ground.${d.key}`) || d.proposedGround,
              reason: optional(text(v, `reason.${d.key}`)),
            }))
            .filter((x, i) => x.outcome !== categories[i].proposedOutcome || x.ground !== categories[i].proposedGround),
          ...(corrections.length
            ? {
                corrections: corrections.map((d) => {
                  const index = Number(d.key.replace('correction:', ''));
                  return { index, accepted: text(v, `accepted.${index}`) !== 'no', reason: optional(text(v, `creason.${index}`)) };
                }),
              }
            : {}),
        },
      };
    }
    default:
      return null;
  }
}

/**
 * Carries out one action for the signed-in staff member. Returns null when it was done, or the
 * failure to show on the form. Errors other than refusals (a database down) are thrown.
 */
export async function runAction(ctx: ServiceContext, user: StaffUser, summary: RequestSummary, action: ActionName, values: FormValues, decisions: StoredDecision[]): Promise<ActionFailure | null> {
  let sent: string[] = [];
  try {
    if (action === 'assign') {
      const body = parseOrThrow(assignSchema, { assignee: text(values, 'assignee') || null, reason: optional(text(values, 'reason')) });
      await assignRequest(ctx.db, user, summary, body.assignee, body.reason);
      return null;
    }
    if (action === 'recipient') {
      // GDPR 19: the handler decides that telling this recipient is impossible or disproportionate.
      const body = parseOrThrow(z.object({ recipient: z.string().trim().regex(/^[a-z][a-z0-9_]*$/, 'must name a recipient'), reason: notNotifiedSchema.shape.reason }).strict(), {
        recipient: text(values, 'recipient'),
        reason: text(values, 'reason'),
      });
      await decideRecipientNotNotified(ctx, user, summary, body.recipient, body.reason);
      return null;
    }
    if (action === 'lift') {
      const body = parseOrThrow(liftRestrictionSchema, { categories: list(values, 'categories'), liftOn: formDate(text(values, 'liftOn')), reason: text(values, 'reason') });
      checkDetailsAgainstDescription(ctx.description, { categories: body.categories });
      await planRestrictionLift(ctx, summary, body, user.id);
      return null;
    }
    const update = updateOf(action, values, decisions);
    if (!update) throw new ApiError(404, 'not_found', 'action: no such action');
    if (action === 'fee' && Number.isNaN(update.input.amountCents)) {
      throw new ApiError(400, 'validation_failed', 'amountCents: must be an amount in euros, e.g. 25,00', [{ field: 'amountCents', message: 'must be an amount in euros, e.g. 25,00' }]);
    }
    if (action === 'decide') sent = (update.input.decisions as { category: string }[]).map((d) => d.category);
    if (update.name === 'verifyIdentity') {
      await verifyIdentityWithLinked(ctx.db, ctx.gateway, user, summary.id, parseDecision('verifyIdentity', update.input, user.id));
    } else {
      await sendDecision(ctx.gateway, summary.id, update.name, update.input, user.id);
    }
    // Taken only once the workflow accepted the action: a refused action changes nothing.
    await takeIfUnassigned(ctx.db, user, summary);
    return null;
  } catch (error) {
    const mapped = toApiError(error);
    if (mapped.status >= 500) throw error;
    const fields = mapped.fields ?? fieldsOfMessage(mapped.message);
    return {
      action,
      values,
      fieldErrors: fieldIds(action, fields, decisions, sent),
      fieldReasons: fieldReasons(action, fields, decisions, sent),
      detail: mapped.message,
      code: mapped.code,
      status: mapped.status,
    };
  }
}
