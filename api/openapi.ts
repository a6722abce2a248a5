/** The OpenAPI 3.1 document, generated from the same zod schemas that validate requests. */
import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import * as s from '../services/schemas';
import * as r from '../services/response-schemas';
import { notNotifiedSchema } from './routes/recipients';

type Method = 'get' | 'post';
/** The failure statuses the API answers with; each has the Error body. */
export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 410 | 413 | 415 | 422 | 423 | 429 | 500 | 503 | 504;
interface Route {
  method: Method;
  path: string;
  summary: string;
  auth?: boolean;
  /** Behind a token, but for any role: no 403. */
  tokenOnly?: boolean;
  body?: z.ZodType;
  query?: z.ZodObject;
  ok: { status: number; schema?: z.ZodType; mediaType?: string };
  /** Also answers 200 with the same body: an idempotent replay. */
  replay?: boolean;
  /** Failure statuses beyond 400 and 500 (and 401/403 for `auth`). */
  errors?: ErrorStatus[];
}

/** What each failure status means, in the words of the error handler (services/errors.ts). */
const ERROR_TEXT: Record<ErrorStatus, string> = {
  400: 'A field is invalid, or the body is not JSON: `message` and `fields` name each field and why; nothing was changed',
  401: 'No valid Bearer token (`unauthenticated`)',
  403: 'The role is not allowed, the request is assigned to another handler (`assigned_elsewhere`), or the access code is wrong (`wrong_access_code`)',
  404: 'No such request, document, link or endpoint (`not_found`)',
  409: 'The request is not in a state that allows this (`wrong_state`, `extension_not_allowed`, `decision_refused`, `assigned_meanwhile`), or its workflow is still being set up (`workflow_not_started`); nothing was changed',
  410: 'The download link has expired (`link_expired`)',
  413: 'The body is too large (over 100 kB) (`body_too_large`)',
  415: 'The charset is not UTF-8 (`unsupported_charset`), or the content encoding is not identity, gzip or deflate (`unsupported_encoding`)',
  422: "The workflow's validator refused the decision (`invalid_decision`): the message names the field and the rule; nothing was changed",
  423: 'The download link is locked after too many wrong access codes (`link_locked`)',
  429: 'Too many attempts or submissions from this address or for this reference (`too_many_attempts`); see Retry-After',
  500: 'An internal error; it has been logged without the request body',
  503: 'The database or the workflow service cannot be reached now (`database_unavailable`, `workflow_unavailable`); see Retry-After',
  504: 'The workflow did not answer in time (`workflow_timeout`): the decision was not confirmed; check the request before repeating it',
};

/** The statuses every workflow decision can answer beyond the common ones. */
const DECISION: ErrorStatus[] = [404, 409, 422, 504];
/** Routes that count tries or submissions (services/rate-limits.ts). */
const LIMITED: ErrorStatus[] = [429];

const idParam = z.object({ id: z.uuid() });
const tokenParam = z.object({ token: z.string() });
const bearer = [{ bearerAuth: [] as string[] }];

/** Every route of the JSON API; a test checks the express app serves exactly these. */
export const API_ROUTES: Route[] = [
  { method: 'post', path: '/api/v1/requests', summary: 'Submit a request (resident e-form); a repeated Idempotency-Key answers 200 with the first result', body: s.publicSubmissionSchema, ok: { status: 201, schema: s.requestCreatedSchema }, replay: true, errors: LIMITED },
  { method: 'post', path: '/api/v1/requests/withdraw', summary: 'Withdraw a request (resident), with reference and access code', body: s.publicWithdrawSchema, ok: { status: 200, schema: r.withdrawAcceptedSchema }, errors: [...DECISION, ...LIMITED] },
  { method: 'post', path: '/api/v1/requests/status', summary: 'Status of a request by reference and access code', body: s.statusLookupSchema, ok: { status: 200, schema: s.publicStatusSchema }, errors: [404, ...LIMITED] },
  { method: 'post', path: '/api/v1/downloads/{token}', summary: 'Fetch an answer with the access code as second factor', body: z.object({ accessCode: z.string() }), ok: { status: 200, mediaType: 'application/pdf' }, errors: [403, 404, 410, 423, ...LIMITED] },
  { method: 'post', path: '/api/v1/auth/dev-sign-in', summary: 'Embedded mode only (404 otherwise): sign in as a staff member', body: s.devSignInSchema, ok: { status: 200, schema: r.tokenSchema }, errors: [404] },
  { method: 'post', path: '/api/v1/auth/sign-out', summary: 'Sign out: the bearer token is revoked at once, for the JSON API and the pages', auth: true, tokenOnly: true, ok: { status: 204 } },
  { method: 'get', path: '/api/v1/staff/requests', summary: 'Requests, soonest deadline first', auth: true, query: s.listQuerySchema, ok: { status: 200, schema: z.object({ items: z.array(s.requestSummarySchema) }) } },
  { method: 'post', path: '/api/v1/staff/requests', summary: 'Enter a request received on paper, by mail, phone or in person; a repeated Idempotency-Key answers 200', auth: true, body: s.staffSubmissionSchema, ok: { status: 201, schema: s.requestCreatedSchema }, replay: true },
  { method: 'get', path: '/api/v1/staff/requests/{id}', summary: 'One request with what was asked, the matched register record, its subject, events, documents and decisions (the view is audited)', auth: true, ok: { status: 200, schema: r.staffRequestSchema }, errors: [404] },
  { method: 'get', path: '/api/v1/staff/requests/{id}/status', summary: "The workflow's live status", auth: true, ok: { status: 200, schema: r.workflowStatusSchema }, errors: [404, 409] },
  { method: 'post', path: '/api/v1/staff/requests/{id}/identity', summary: 'Decide on identity', auth: true, body: s.verifyIdentitySchema, ok: { status: 200, schema: r.identityAcceptedSchema }, errors: DECISION },
  { method: 'post', path: '/api/v1/staff/requests/{id}/approve', summary: 'Approve the draft answer', auth: true, body: s.approveSchema, ok: { status: 200, schema: r.decisionAcceptedSchema }, errors: DECISION },
  { method: 'post', path: '/api/v1/staff/requests/{id}/extend', summary: 'Extend the deadline by two further months (GDPR 12(3))', auth: true, body: s.extendSchema, ok: { status: 200, schema: r.decisionAcceptedSchema }, errors: DECISION },
  { method: 'post', path: '/api/v1/staff/requests/{id}/refuse', summary: 'Refuse the request, wholly or partly, with ground and reasons', auth: true, body: s.refuseSchema, ok: { status: 200, schema: r.decisionAcceptedSchema }, errors: DECISION },
  { method: 'post', path: '/api/v1/staff/requests/{id}/decide', summary: 'Confirm or override the per-category proposals, and accept or reject each proposed correction', auth: true, body: s.decideSchema, ok: { status: 200, schema: r.decisionAcceptedSchema }, errors: DECISION },
  { method: 'post', path: '/api/v1/staff/requests/{id}/withhold', summary: 'Withhold items from an access copy (Tietosuojalaki 34 §); a new draft replaces the old', auth: true, body: s.withholdSchema, ok: { status: 200, schema: r.decisionAcceptedSchema }, errors: DECISION },
  { method: 'post', path: '/api/v1/staff/requests/{id}/withdraw', summary: 'Record that the subject withdrew the request', auth: true, body: s.withdrawSchema, ok: { status: 200, schema: r.decisionAcceptedSchema }, errors: DECISION },
  { method: 'post', path: '/api/v1/staff/requests/{id}/fee', summary: 'Announce a fee for a manifestly unfounded or excessive request (GDPR 12(5))', auth: true, body: s.feeSchema, ok: { status: 200, schema: r.decisionAcceptedSchema }, errors: DECISION },
  { method: 'post', path: '/api/v1/staff/requests/{id}/payment', summary: 'Record that the announced fee was paid', auth: true, body: z.object({}), ok: { status: 200, schema: r.decisionAcceptedSchema }, errors: DECISION },
  { method: 'post', path: '/api/v1/staff/requests/{id}/retry-step', summary: 'Retry the step that failed for good (the request is in needs_attention); it runs again where it stopped', auth: true, body: s.retryStepSchema, ok: { status: 200, schema: r.decisionAcceptedSchema }, errors: DECISION },
  { method: 'post', path: '/api/v1/staff/requests/{id}/assignment', summary: 'Assign the request (a handler takes an unassigned one or releases their own; the DPO assigns anyone)', auth: true, body: s.assignSchema, ok: { status: 200, schema: r.assignedSchema }, errors: [404, 409] },
  { method: 'post', path: '/api/v1/staff/requests/{id}/restriction-lift', summary: 'Lift a restriction: the subject is told first (GDPR 18(3))', auth: true, body: s.liftRestrictionSchema, ok: { status: 202, schema: r.liftAcceptedSchema }, errors: [404, 409] },
  { method: 'post', path: '/api/v1/staff/requests/{id}/recipients/{recipient}/not-notified', summary: 'Record that telling a recipient is impossible or disproportionate (GDPR 19)', auth: true, body: notNotifiedSchema, ok: { status: 200, schema: r.notNotifiedRecordedSchema }, errors: [404, 409] },
  { method: 'get', path: '/api/v1/staff/documents/{id}/content', summary: 'A stored document (the view is audited)', auth: true, ok: { status: 200, mediaType: 'application/pdf' }, errors: [404] },
  { method: 'get', path: '/api/v1/audit/requests/{id}', summary: "A request's complete history with the audit chain's verification", auth: true, ok: { status: 200, schema: r.auditHistorySchema }, errors: [404] },
  { method: 'get', path: '/api/v1/audit/chain', summary: 'Verify the whole audit chain', auth: true, ok: { status: 200, schema: r.chainVerificationSchema } },
];

/**
 * The failure statuses a route answers: 400, 500 and 503 always, 413 and 415 with a body, 401 and
 * 403 behind a token (401 only for `tokenOnly`), and its own.
 */
export function errorStatuses(route: Route): ErrorStatus[] {
  const common: ErrorStatus[] = [400, 500, 503, ...(route.body ? ([413, 415] as const) : [])];
  const auth: ErrorStatus[] = route.auth ? (route.tokenOnly ? [401] : [401, 403]) : [];
  const all = new Set<ErrorStatus>([...common, ...auth, ...(route.errors ?? [])]);
  return [...all].sort((a, b) => a - b);
}

export function buildOpenApiDocument(serverUrl: string): object {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'bearerAuth', { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
  for (const route of API_ROUTES) {
    const params = route.path.includes('{recipient}') ? idParam.extend({ recipient: z.string() }) : route.path.includes('{id}') ? idParam : route.path.includes('{token}') ? tokenParam : undefined;
    const success =
      route.ok.status === 204
        ? undefined
        : route.ok.schema
          ? { 'application/json': { schema: route.ok.schema } }
          : { [route.ok.mediaType ?? 'application/octet-stream']: { schema: z.string().openapi({ format: 'binary' }) } };
    registry.registerPath({
      method: route.method,
      path: route.path,
      summary: route.summary,
      security: route.auth ? bearer : undefined,
      request: {
        params,
        query: route.query,
        body: route.body ? { content: { 'application/json': { schema: route.body } } } : undefined,
      },
      responses: {
        [route.ok.status]: { description: 'Success', content: success },
        ...(route.replay ? { 200: { description: 'The same Idempotency-Key again: the first result, nothing new created', content: success } } : {}),
        ...Object.fromEntries(errorStatuses(route).map((status) => [status, { description: ERROR_TEXT[status], content: { 'application/json': { schema: s.errorSchema } } }])),
      },
    });
  }
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: { title: 'Data-subject request engine API', version: '1' },
    servers: [{ url: serverUrl }],
  });
}
