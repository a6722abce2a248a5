/**
 * The API's answers, for the OpenAPI document: what each endpoint returns on success. The shapes
 * follow the routes' `res.json(...)`; the integration tests read these fields.
 */
import { z } from 'zod';
import { CATEGORY_OUTCOMES, DECISION_GROUNDS } from '../domain/decisions';
import { requestSummarySchema } from './schemas';

const timestamp = z.string().openapi({ description: 'ISO 8601 timestamp' });

const eventSchema = z
  .object({
    id: z.number().int(),
    requestId: z.uuid(),
    businessKey: z.string(),
    type: z.string(),
    state: z.string().nullable(),
    actor: z.string(),
    at: timestamp,
    reason: z.string().nullable(),
    data: z.record(z.string(), z.unknown()).openapi({ description: 'Ids, kinds, counts and dates only; never personal data' }),
  })
  .openapi('RequestEvent');

const documentSchema = z
  .object({
    id: z.uuid(),
    requestId: z.uuid(),
    kind: z.string(),
    language: z.string(),
    filename: z.string(),
    mediaType: z.string(),
    sha256: z.string(),
    byteSize: z.number().int(),
    createdAt: timestamp,
    approvedAt: timestamp.nullable(),
    approvedBy: z.string().nullable(),
    sentAt: timestamp.nullable(),
  })
  .openapi('Document');

const decisionSchema = z
  .object({
    key: z.string(),
    kind: z.enum(['category', 'correction']),
    category: z.string(),
    outcome: z.enum(CATEGORY_OUTCOMES),
    ground: z.enum(DECISION_GROUNDS),
    reason: z.string().nullable(),
    decidedBy: z.string(),
    proposedOutcome: z.enum(CATEGORY_OUTCOMES),
    proposedGround: z.enum(DECISION_GROUNDS),
    decidedAt: timestamp.nullable(),
    data: z.record(z.string(), z.unknown()),
  })
  .openapi('Decision');

const subjectDetailsSchema = z
  .object({
    firstName: z.string(),
    lastName: z.string(),
    hetu: z.string().nullable(),
    email: z.string().nullable(),
    phone: z.string().nullable(),
    address: z.string().nullable(),
    personId: z.string().nullable(),
  })
  .openapi('SubjectDetails');

const askedSchema = z
  .object({
    description: z.string().nullable().openapi({ description: "The subject's own words" }),
    categories: z.array(z.string()).openapi({ description: 'Categories the request is limited to, in register description order; empty: all' }),
    corrections: z.array(
      z.object({
        field: z.string().openapi({ description: 'schema.table.column' }),
        category: z.string().nullable(),
        rowId: z.string().nullable(),
        current: z.array(z.string().nullable()).openapi({ description: "The register's current values of the field for the subject" }),
        proposed: z.string(),
        explanation: z.string().nullable(),
      }),
    ),
    objectionGrounds: z.string().nullable(),
    transmitTo: z.string().nullable(),
  })
  .openapi('RequestDetails');

const registerMatchSchema = z
  .object({
    found: z.boolean(),
    matchedBy: z.enum(['workflow', 'hetu']).nullable().openapi({ description: "The workflow's match, or the henkilötunnus given in the request (before identity is verified)" }),
    record: z
      .object({
        personId: z.string(),
        firstName: z.string(),
        lastName: z.string(),
        hetu: z.string(),
        address: z.string().nullable(),
        email: z.string().nullable(),
        phone: z.string().nullable(),
      })
      .nullable(),
  })
  .openapi('RegisterMatch');

/** GET /api/v1/staff/requests/{id}: everything a handler needs; the view is recorded in the audit chain. */
export const staffRequestSchema = z
  .object({
    request: requestSummarySchema,
    subject: subjectDetailsSchema.nullable(),
    details: askedSchema,
    register: registerMatchSchema,
    events: z.array(eventSchema),
    documents: z.array(documentSchema),
    decisions: z.array(decisionSchema),
  })
  .openapi('StaffRequest');

export const workflowStatusSchema = z
  .object({
    state: z.string(),
    deadline: z.string(),
    deadlineAt: timestamp,
    extended: z.boolean(),
    identityVerified: z.boolean(),
    draftDocumentId: z.uuid().nullable(),
    awaiting: z.enum(['identity', 'information', 'decision', 'approval', 'payment']).nullable(),
    proposals: z.array(z.object({ category: z.string(), outcome: z.enum(CATEGORY_OUTCOMES), ground: z.enum(DECISION_GROUNDS) })),
    corrections: z.number().int(),
    feePending: z.boolean(),
    alarmsRaised: z.array(z.string()),
    closed: z.boolean(),
  })
  .openapi('WorkflowStatus');

export const decisionAcceptedSchema = z
  .object({ accepted: z.literal(true), result: z.record(z.string(), z.unknown()).openapi({ description: "The workflow update's result, e.g. { extendedDeadline } or { draftDocumentId }" }) })
  .openapi('DecisionAccepted');

export const identityAcceptedSchema = decisionAcceptedSchema
  .extend({ linked: z.array(z.uuid()).openapi({ description: 'Other requests of the same submission the verification reached' }) })
  .openapi('IdentityAccepted');

export const liftAcceptedSchema = z.object({ accepted: z.literal(true), liftKey: z.string() }).openapi('LiftAccepted');

export const assignedSchema = z.object({ accepted: z.literal(true), assignedTo: z.string().nullable() }).openapi('Assigned');

export const withdrawAcceptedSchema = z.object({ accepted: z.literal(true), reference: z.string() }).openapi('WithdrawAccepted');

export const notNotifiedRecordedSchema = z.object({ recorded: z.literal(true), recipient: z.string() }).openapi('NotNotifiedRecorded');

export const chainVerificationSchema = z
  .object({
    valid: z.boolean(),
    entries: z.number().int(),
    headHash: z.string(),
    brokenAt: z.number().int().optional(),
    problem: z.string().optional(),
    from: z.object({ seq: z.number().int(), verifiedAt: timestamp, chains: z.number().int() }).optional(),
  })
  .openapi('ChainVerification');

export const auditHistorySchema = z
  .object({
    request: requestSummarySchema,
    events: z.array(eventSchema),
    documents: z.array(documentSchema),
    messages: z.array(z.record(z.string(), z.unknown())).openapi({ description: 'The e-mails as sent, without their HTML bodies' }),
    decisions: z.array(decisionSchema),
    recipientNotifications: z.array(z.record(z.string(), z.unknown())).openapi({ description: 'GDPR 19: each recipient notification with its channel, status and recorded reason' }),
    auditChain: chainVerificationSchema.extend({ links: z.array(z.record(z.string(), z.unknown())) }),
  })
  .openapi('AuditHistory');

export const tokenSchema = z.object({ token: z.string(), expiresAt: timestamp }).openapi('StaffToken');
