/** The OpenAPI 3.1 document, generated from the same zod schemas that validate requests. */
import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import * as s from '../services/schemas';
import { notNotifiedSchema } from './routes/recipients';

type Method = 'get' | 'post';
interface Route {
  method: Method;
  path: string;
  summary: string;
  auth?: boolean;
  body?: z.ZodType;
  query?: z.ZodObject;
  ok: { status: number; schema?: z.ZodType; mediaType?: string };
}

const idParam = z.object({ id: z.uuid() });
const tokenParam = z.object({ token: z.string() });
const bearer = [{ bearerAuth: [] as string[] }];

/** Every route of the JSON API; a test checks the express app serves exactly these. */
export const API_ROUTES: Route[] = [
  { method: 'post', path: '/api/v1/requests', summary: 'Submit a request (resident e-form)', body: s.publicSubmissionSchema, ok: { status: 201, schema: s.requestCreatedSchema } },
  { method: 'post', path: '/api/v1/requests/withdraw', summary: 'Withdraw a request (resident), with reference and access code', body: s.publicWithdrawSchema, ok: { status: 200 } },
  { method: 'post', path: '/api/v1/requests/status', summary: 'Status of a request by reference and access code', body: s.statusLookupSchema, ok: { status: 200, schema: s.publicStatusSchema } },
  { method: 'post', path: '/api/v1/downloads/{token}', summary: 'Fetch an answer with the access code as second factor', body: z.object({ accessCode: z.string() }), ok: { status: 200, mediaType: 'application/pdf' } },
  { method: 'post', path: '/api/v1/auth/dev-sign-in', summary: 'Embedded mode only: sign in as a staff member', body: s.devSignInSchema, ok: { status: 200, schema: z.object({ token: z.string(), expiresAt: z.string() }) } },
  { method: 'post', path: '/api/v1/auth/sign-out', summary: 'Sign out: the bearer token is revoked at once, for the JSON API and the pages', auth: true, ok: { status: 204 } },
  { method: 'get', path: '/api/v1/staff/requests', summary: 'Requests, soonest deadline first', auth: true, query: s.listQuerySchema, ok: { status: 200, schema: z.object({ items: z.array(s.requestSummarySchema) }) } },
  { method: 'post', path: '/api/v1/staff/requests', summary: 'Enter a request received on paper, by mail, phone or in person', auth: true, body: s.staffSubmissionSchema, ok: { status: 201, schema: s.requestCreatedSchema } },
  { method: 'get', path: '/api/v1/staff/requests/{id}', summary: 'One request with its subject, events and documents (the view is audited)', auth: true, ok: { status: 200 } },
  { method: 'get', path: '/api/v1/staff/requests/{id}/status', summary: "The workflow's live status", auth: true, ok: { status: 200 } },
  { method: 'post', path: '/api/v1/staff/requests/{id}/identity', summary: 'Decide on identity', auth: true, body: s.verifyIdentitySchema, ok: { status: 200 } },
  { method: 'post', path: '/api/v1/staff/requests/{id}/approve', summary: 'Approve the draft answer', auth: true, body: s.approveSchema, ok: { status: 200 } },
  { method: 'post', path: '/api/v1/staff/requests/{id}/extend', summary: 'Extend the deadline by two further months (GDPR 12(3))', auth: true, body: s.extendSchema, ok: { status: 200 } },
  { method: 'post', path: '/api/v1/staff/requests/{id}/refuse', summary: 'Refuse the request, wholly or partly, with ground and reasons', auth: true, body: s.refuseSchema, ok: { status: 200 } },
  { method: 'post', path: '/api/v1/staff/requests/{id}/decide', summary: 'Confirm or override the per-category proposals, and accept or reject each proposed correction', auth: true, body: s.decideSchema, ok: { status: 200 } },
  { method: 'post', path: '/api/v1/staff/requests/{id}/withhold', summary: 'Withhold items from an access copy (Tietosuojalaki 34 §); a new draft replaces the old', auth: true, body: s.withholdSchema, ok: { status: 200 } },
  { method: 'post', path: '/api/v1/staff/requests/{id}/withdraw', summary: 'Record that the subject withdrew the request', auth: true, body: s.withdrawSchema, ok: { status: 200 } },
  { method: 'post', path: '/api/v1/staff/requests/{id}/fee', summary: 'Announce a fee for a manifestly unfounded or excessive request (GDPR 12(5))', auth: true, body: s.feeSchema, ok: { status: 200 } },
  { method: 'post', path: '/api/v1/staff/requests/{id}/payment', summary: 'Record that the announced fee was paid', auth: true, body: z.object({}), ok: { status: 200 } },
  { method: 'post', path: '/api/v1/staff/requests/{id}/retry-step', summary: 'Retry the step that failed for good (the request is in needs_attention); it runs again where it stopped', auth: true, body: s.retryStepSchema, ok: { status: 200 } },
  { method: 'post', path: '/api/v1/staff/requests/{id}/assignment', summary: 'Assign the request (a handler takes an unassigned one or releases their own; the DPO assigns anyone)', auth: true, body: s.assignSchema, ok: { status: 200 } },
  { method: 'post', path: '/api/v1/staff/requests/{id}/restriction-lift', summary: 'Lift a restriction: the subject is told first (GDPR 18(3))', auth: true, body: s.liftRestrictionSchema, ok: { status: 202 } },
  { method: 'post', path: '/api/v1/staff/requests/{id}/recipients/{recipient}/not-notified', summary: 'Record that telling a recipient is impossible or disproportionate (GDPR 19)', auth: true, body: notNotifiedSchema, ok: { status: 200 } },
  { method: 'get', path: '/api/v1/staff/documents/{id}/content', summary: 'A stored document (the view is audited)', auth: true, ok: { status: 200, mediaType: 'application/pdf' } },
  { method: 'get', path: '/api/v1/audit/requests/{id}', summary: "A request's complete history with the audit chain's verification", auth: true, ok: { status: 200 } },
  { method: 'get', path: '/api/v1/audit/chain', summary: 'Verify the whole audit chain', auth: true, ok: { status: 200 } },
];

export function buildOpenApiDocument(serverUrl: string): object {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'bearerAuth', { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
  for (const r of API_ROUTES) {
    const params = r.path.includes('{recipient}') ? idParam.extend({ recipient: z.string() }) : r.path.includes('{id}') ? idParam : r.path.includes('{token}') ? tokenParam : undefined;
    registry.registerPath({
      method: r.method,
      path: r.path,
      summary: r.summary,
      security: r.auth ? bearer : undefined,
      request: {
        params,
        query: r.query,
        body: r.body ? { content: { 'application/json': { schema: r.body } } } : undefined,
      },
      responses: {
        [r.ok.status]: {
          description: 'Success',
          content: r.ok.schema ? { 'application/json': { schema: r.ok.schema } } : r.ok.mediaType ? { [r.ok.mediaType]: { schema: z.string() } } : undefined,
        },
        400: { description: 'A field is invalid; nothing was changed', content: { 'application/json': { schema: s.errorSchema } } },
        ...(r.auth ? { 401: { description: 'Not signed in' }, 403: { description: 'Role not allowed' } } : {}),
        ...(r.body
          ? {
              413: { description: 'The body is too large (over 100 kB)', content: { 'application/json': { schema: s.errorSchema } } },
              415: { description: 'The charset is not UTF-8, or the content encoding is not identity, gzip or deflate', content: { 'application/json': { schema: s.errorSchema } } },
            }
          : {}),
        503: { description: 'The database or the workflow service cannot be reached now; see Retry-After', content: { 'application/json': { schema: s.errorSchema } } },
      },
    });
  }
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: { title: 'Data-subject request engine API', version: '1' },
    servers: [{ url: serverUrl }],
  });
}
