/**
 * The API's request and response shapes. The same zod schemas validate input and generate the
 * OpenAPI document, so the document cannot drift from the code.
 */
import { extendZodWithOpenApi } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { validateHetu } from '../domain/hetu';
import { CHANNELS, IDENTITY_METHODS, LANGUAGES, MIN_REASON_LENGTH, OUTCOMES, REFUSAL_GROUNDS, REQUEST_STATES, RIGHTS } from '../domain/request';
import { SUPPORTED_RIGHTS } from '../domain/supported-rights';
import { CATEGORY_OUTCOMES, DECISION_GROUNDS } from '../domain/decisions';
import { helsinkiDate } from '../domain/deadline';
import { multiLine, personName, singleLine } from './text';

extendZodWithOpenApi(z);

const name = personName(z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters'));

const hetu = z
  .string()
  .trim()
  .superRefine((value, ctx) => {
    const result = validateHetu(value);
    if (!result.valid) ctx.addIssue({ code: 'custom', message: `is not a valid henkilötunnus: ${result.reason}` });
  })
  .transform((v) => v.toUpperCase())
  .openapi({ description: 'Finnish personal identity code (henkilötunnus), DDMMYYCNNNQ; the century sign and the check character are verified', example: '131052-308T' });

export const subjectSchema = z
  .object({
    firstName: name,
    lastName: name,
    hetu: hetu.optional(),
    email: z.email('must be an e-mail address').max(254).optional(),
    phone: z
      .string()
      .trim()
      .regex(/^\+?[0-9 ()-]{5,20}$/, 'must be a phone number of digits, spaces and +()-')
      .optional(),
    address: multiLine(z.string().trim().min(1).max(300)).optional(),
  })
  .strict()
  .openapi('Subject');

const rights = z
  .array(z.enum(RIGHTS, { error: `must be one of ${RIGHTS.join(', ')}` }))
  .min(1, 'must name at least one right')
  .max(RIGHTS.length)
  .superRefine((list, ctx) => {
    if (new Set(list).size !== list.length) ctx.addIssue({ code: 'custom', message: 'must not repeat a right' });
    list.forEach((right, i) => {
      if (!SUPPORTED_RIGHTS.includes(right)) {
        ctx.addIssue({ code: 'custom', path: [i], message: `'${right}' cannot yet be requested through this service; contact the data protection officer` });
      }
    });
  })
  .openapi({ description: `Each right at most once; only the rights this service takes: ${SUPPORTED_RIGHTS.join(', ')}` });

/** GDPR 16: one proposed correction of a described field (`schema.table.column`). */
export const correctionSchema = z
  .object({
    field: z.string().trim().regex(/^[a-z_][a-z0-9_]*\.[a-z_][a-z0-9_]*\.[a-z_][a-z0-9_]*$/, 'must name a field as schema.table.column'),
    value: multiLine(z.string().trim().min(1, 'must not be empty').max(1000)),
    rowId: singleLine(z.string().trim().max(64)).optional(),
    explanation: multiLine(z.string().trim().max(2000)).optional(),
  })
  .strict()
  .openapi('Correction');

/** The right-specific parts of a submission. */
const rightDetails = {
  description: multiLine(z.string().trim().max(4000, 'must be at most 4000 characters')).optional(),
  corrections: z.array(correctionSchema).min(1).max(20).optional(),
  categories: z.array(z.string().trim().regex(/^[a-z][a-z0-9_]*$/, 'must be a category key')).min(1).max(50).optional(),
  transmitTo: z.url({ protocol: /^https$/, error: 'must be an https:// URL' }).optional(),
  objectionGrounds: multiLine(z.string().trim().max(4000)).optional(),
};

/** The cross-field rules of requireRightDetails, for the OpenAPI document. */
const RIGHT_DETAIL_RULES = 'corrections are required for rectification and allowed only with it; transmitTo (https) only with portability; categories must be keys of the register description.';

function requireRightDetails(s: { rights: string[]; corrections?: unknown[]; transmitTo?: string }, ctx: z.RefinementCtx): void {
  if (s.rights.includes('rectification') && !s.corrections?.length) {
    ctx.addIssue({ code: 'custom', path: ['corrections'], message: 'is required for rectification: name each field and its correct value' });
  }
  if (!s.rights.includes('rectification') && s.corrections) ctx.addIssue({ code: 'custom', path: ['corrections'], message: 'is only for rectification' });
  if (!s.rights.includes('portability') && s.transmitTo) ctx.addIssue({ code: 'custom', path: ['transmitTo'], message: 'is only for portability' });
}

/** A resident's submission through the e-form (public). */
export const publicSubmissionSchema = z
  .object({
    rights,
    language: z.enum(LANGUAGES),
    subject: subjectSchema,
    ...rightDetails,
  })
  .strict()
  .superRefine((s, ctx) => {
    // LEGAL-RULES.md 2: an electronic request is answered electronically, so the form needs an address.
    if (!s.subject.email) ctx.addIssue({ code: 'custom', path: ['subject', 'email'], message: 'is required to answer an electronic request' });
    requireRightDetails(s, ctx);
  })
  .openapi('PublicSubmission', { description: `${RIGHT_DETAIL_RULES} subject.email is required: an electronic request is answered electronically.` });

/** A staff member's clock and the server's may differ by this much; more is a mistake. */
const CLOCK_SKEW_MS = 60_000;

export const AFTER_TODAY_MESSAGE = 'must be a date after today';
export const NOT_IN_FUTURE_MESSAGE = 'must not be in the future';

/** A calendar date strictly after today in Helsinki (ISO dates compare as strings). */
function afterToday(date: string): boolean {
  return date > helsinkiDate(new Date());
}

/** A request staff enter from paper, mail, phone or a visit, with the date it reached the city. */
export const staffSubmissionSchema = z
  .object({
    rights,
    language: z.enum(LANGUAGES),
    channel: z.enum(CHANNELS),
    // Receipt is when the request reached the controller: it cannot lie in the future.
    receivedAt: z.iso
      .datetime({ offset: true, error: 'must be an ISO-8601 timestamp with an offset' })
      .refine((v) => Date.parse(v) <= Date.now() + CLOCK_SKEW_MS, NOT_IN_FUTURE_MESSAGE),
    identityMethod: z.enum(['in_person', 'none']).default('none'),
    subject: subjectSchema,
    ...rightDetails,
  })
  .strict()
  .superRefine((s, ctx) => requireRightDetails(s, ctx))
  .openapi('StaffSubmission', { description: RIGHT_DETAIL_RULES });

export const requestCreatedSchema = z
  .object({
    id: z.uuid(),
    reference: z.string(),
    receivedAt: z.string(),
    receivedOn: z.string(),
    deadline: z.string(),
    extendedDeadline: z.string(),
    accessCode: z.string().openapi({ description: 'Shown once: with the reference it opens the status page and answers.' }),
    requests: z.array(z.object({ id: z.uuid(), reference: z.string(), right: z.enum(RIGHTS), deadline: z.string() })),
  })
  .openapi('RequestCreated');

export const statusLookupSchema = z
  .object({ reference: singleLine(z.string().trim().min(1).max(40)), accessCode: singleLine(z.string().trim().min(1).max(40)) })
  .strict()
  .openapi('StatusLookup');

export const publicStatusSchema = z
  .object({
    reference: z.string(),
    right: z.enum(RIGHTS),
    state: z.enum(REQUEST_STATES),
    outcome: z.enum(OUTCOMES).nullable(),
    receivedOn: z.string(),
    deadline: z.string(),
    extended: z.boolean(),
  })
  .openapi('PublicStatus');

export const requestSummarySchema = z
  .object({
    id: z.uuid(),
    reference: z.string(),
    right: z.enum(RIGHTS),
    state: z.enum(REQUEST_STATES),
    outcome: z.enum(OUTCOMES).nullable(),
    language: z.enum(LANGUAGES),
    channel: z.enum(CHANNELS),
    receivedAt: z.string(),
    receivedOn: z.string(),
    deadline: z.string(),
    extendedDeadline: z.string(),
    extended: z.boolean(),
    identityMethod: z.enum(IDENTITY_METHODS).nullable(),
    assignedTo: z.string().nullable(),
    closedAt: z.string().nullable(),
  })
  .openapi('RequestSummary');

export const listQuerySchema = z
  .object({
    state: z.enum(REQUEST_STATES).optional(),
    right: z.enum(RIGHTS).optional(),
    open: z.enum(['true', 'false']).optional(),
    overdue: z.enum(['true']).optional(),
    dueWithinDays: z.coerce.number().int().min(0).max(366).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
    offset: z.coerce.number().int().min(0).default(0),
  })
  .strict();

const reasonText = multiLine(z.string().trim().min(MIN_REASON_LENGTH, `must state the reasons (at least ${MIN_REASON_LENGTH} characters)`).max(4000));
const optionalNote = (max: number) => multiLine(z.string().trim().max(max)).optional();

export const verifyIdentitySchema = z
  .object({
    decision: z.enum(['verified', 'unidentifiable', 'request_information']),
    method: z.enum(['handler_verified', 'in_person']).optional(),
    note: reasonText,
  })
  .strict()
  .openapi('VerifyIdentity');

export const approveSchema = z.object({ documentId: z.uuid(), note: optionalNote(4000) }).strict().openapi('ApproveAnswer');

export const extendSchema = z.object({ reasons: reasonText }).strict().openapi('ExtendDeadline');

export const refuseSchema = z
  .object({ ground: z.enum(REFUSAL_GROUNDS), reasons: reasonText, scope: z.enum(['whole', 'partial']).default('whole') })
  .strict()
  .openapi('RefuseRequest');

export const decideSchema = z
  .object({
    decisions: z
      .array(
        z
          .object({
            category: singleLine(z.string().trim().min(1).max(200)),
            outcome: z.enum(CATEGORY_OUTCOMES),
            ground: z.enum(DECISION_GROUNDS),
            reason: optionalNote(4000),
          })
          .strict(),
      )
      .default([]),
    corrections: z
      .array(z.object({ index: z.number().int().min(0), accepted: z.boolean(), reason: optionalNote(4000), rowId: singleLine(z.string().trim().max(64)).optional() }).strict())
      .optional(),
  })
  .strict()
  .openapi('DecideCategories', {
    description:
      "Categories left out are confirmed as proposed. The workflow's validator refuses (422 invalid_decision, nothing changed) an outcome or ground the category's legal basis does not allow " +
      '(LEGAL-RULES.md 3: erasure of legal-obligation or public-task data only on 17(1)(a) or (d), 17(1)(b) only for consent data, portability only for consent or contract data, ' +
      'objection only for public-task data, consent withdrawal only for consent data), and an override without reasons; a correction rejected needs reasons. ' +
      'A decision when none is awaited is 409 wrong_state.',
  });

export const withholdSchema = z
  .object({
    items: z
      .array(z.object({ category: z.string().trim().regex(/^[a-z][a-z0-9_]*$/, 'must be a category key'), description: reasonText }).strict())
      .min(1, 'must name at least one withheld item'),
  })
  .strict()
  .openapi('WithholdItems');

export const withdrawSchema = z.object({ note: optionalNote(2000) }).strict().openapi('Withdraw');

/** Retrying a step that failed for good, once its cause is fixed. */
export const retryStepSchema = z.object({ note: optionalNote(2000) }).strict().openapi('RetryStep');

export const publicWithdrawSchema = statusLookupSchema.extend({ note: optionalNote(2000) }).strict().openapi('PublicWithdraw');

export const feeSchema = z
  .object({
    amountCents: z.number().int().min(1, 'must be a positive amount in cents').max(100_000),
    ground: z.enum(['gdpr_12_5_manifestly_unfounded', 'gdpr_12_5_excessive']),
    basis: reasonText,
    // A pay-by date that has passed could never be met: the letter would demand the impossible.
    payBy: z.iso.date({ error: 'must be a date YYYY-MM-DD' }).refine(afterToday, AFTER_TODAY_MESSAGE),
  })
  .strict()
  .openapi('AnnounceFee');

export const liftRestrictionSchema = z
  .object({
    categories: z.array(z.string().trim().regex(/^[a-z][a-z0-9_]*$/, 'must be a category key')).min(1),
    // GDPR 18(3): the subject is told before the lift, so the lift lies in the future.
    liftOn: z.iso.date({ error: 'must be a date YYYY-MM-DD' }).refine(afterToday, AFTER_TODAY_MESSAGE),
    reason: reasonText,
  })
  .strict()
  .openapi('LiftRestriction');

export const assignSchema = z
  .object({
    assignee: z.string().trim().regex(/^[a-z0-9._@-]{2,80}$/, 'must be a staff id of 2-80 characters a-z 0-9 . _ @ -').nullable(),
    reason: optionalNote(2000),
  })
  .strict()
  .openapi('Assign');

export const devSignInSchema = z
  .object({ user: z.string().trim().regex(/^[a-z0-9._-]{2,40}$/, 'must be 2-40 characters of a-z 0-9 . _ -'), roles: z.array(z.enum(['handler', 'dpo', 'auditor', 'admin'])).min(1) })
  .strict()
  .openapi('DevSignIn');

export const errorSchema = z
  .object({
    error: z.object({
      code: z.string(),
      message: z.string(),
      fields: z
        .array(
          z.object({
            field: z.string(),
            message: z.string(),
            /** A stable reason code (e.g. decision_not_allowed_for_basis) and its parameters, where the refusal has one. */
            code: z.string().optional(),
            params: z.record(z.string(), z.string()).optional(),
          }),
        )
        .optional(),
    }),
  })
  .openapi('Error');
