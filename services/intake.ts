/**
 * Intake: a submission is durable before it is acknowledged. It is stored (with its event and audit
 * link) in one transaction, and answered once that commits: the request is received, its deadline
 * runs, and nothing can lose it. Its workflows start beside the answer, a bounded number at once
 * (past a bounded backlog the answer waits for its own start); a start that fails (Temporal out of
 * reach) or is cut off by a crash is left to the reconciler, which starts every stored request
 * whose start is not marked.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import pLimit from 'p-limit';
import type { Logger } from 'pino';
import type { Database } from '../db/database';
import { recordTransitionIn } from '../db/repositories/events';
import { findSubmissionByIdempotencyKey, insertSubmission, isStoredUnstarted, markWorkflowStarted } from '../db/repositories/requests';
import { computeDeadlines, deadlineRuleId } from '../domain/deadline';
import type { Channel, IdentityMethod, Language, RequestSummary, Right, SubjectDetails } from '../domain/request';
import type { WorkflowGateway } from './workflow-gateway';
import { accessCodeFor, accessCodeGiven, hashAccessCode } from './access-code';
import type { KeyRing } from '../config/key-ring';

export interface SubmissionInput {
  rights: Right[];
  language: Language;
  channel: Channel;
  receivedAt: Date;
  identityMethod: IdentityMethod | null;
  subject: { firstName: string; lastName: string; hetu?: string; email?: string; phone?: string; address?: string };
  description?: string;
  corrections?: { field: string; value: string; rowId?: string; explanation?: string }[];
  categories?: string[];
  transmitTo?: string;
  objectionGrounds?: string;
  idempotencyKey: string | null;
  /** Who entered it: 'subject' for the e-form, else the staff member's id. */
  enteredBy: string;
}

export interface SubmissionResult {
  replayed: boolean;
  accessCode: string;
  requests: RequestSummary[];
}

export interface IntakeDeps {
  db: Kysely<Database>;
  gateway: WorkflowGateway;
  logger: Logger;
  /** The token secret ring: access codes are derived under its current secret. */
  secret: KeyRing | string;
  extendedMonths: number;
  /** Draws a reference (tests give their own); default newReference. */
  reference?: (receivedOn: string) => string;
  /** Workflow starts at once, and how many may wait (tests give small ones); default START_CONCURRENCY and START_BACKLOG. */
  startConcurrency?: number;
  startBacklog?: number;
}

/** Workflow starts in flight at once, beside the answers. */
const START_CONCURRENCY = 16;
/** Past this many starts waiting, a submission's answer waits for its own start: a burst cannot grow the queue without bound. */
const START_BACKLOG = 5000;

const REFERENCE_ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';

/** A reference a person can read out on the phone: year and six characters without 0/O/1/I. */
export function newReference(receivedOn: string): string {
  const bytes = randomBytes(6);
  let tail = '';
  for (const b of bytes) tail += REFERENCE_ALPHABET[b % REFERENCE_ALPHABET.length];
  return `DSR-${receivedOn.slice(0, 4)}-${tail}`;
}

export function createIntake(deps: IntakeDeps) {
  /** A replay shows the code first given; if its secret has left the ring, a fresh code cannot open it either, so none is shown. */
  const replayedCode = (earlier: { submissionId: string; accessCodeHash: string }) => accessCodeGiven(deps.secret, earlier.submissionId, earlier.accessCodeHash) ?? '';
  const draw = deps.reference ?? newReference;
  const startLimit = pLimit(deps.startConcurrency ?? START_CONCURRENCY);
  const startBacklog = deps.startBacklog ?? START_BACKLOG;
  const starting = new Set<Promise<boolean>>();

  /**
   * Starts the request's workflow beside the answer (the reconciler covers a start that does not
   * happen). Past the backlog the start is this submission's own and its answer waits for it, as
   * every answer once did: when Temporal falls that far behind, intake slows to its pace instead
   * of answering ever further ahead of it.
   */
  async function startSoon(requestId: string): Promise<void> {
    if (startLimit.pendingCount >= startBacklog) {
      await startWorkflow(requestId, { waitForMark: false });
      return;
    }
    // After a turn of the event loop, so the answer is written before the start's own work.
    const start = startLimit(async () => {
      await new Promise((resolve) => setImmediate(resolve));
      return startWorkflow(requestId, { waitForMark: true });
    });
    starting.add(start);
    void start.finally(() => starting.delete(start));
  }

  /**
   * Stores and answers a submission. `admitted`, when given, is a check running beside the
   * transaction (the per-address limit, on its own connection): the transaction waits for it before
   * committing and rolls back if it fails, so a refused submission stores nothing, and an admitted
   * one does not wait for the check before its inserts.
   */
  async function submit(input: SubmissionInput, admitted?: Promise<unknown>): Promise<SubmissionResult> {
    // A replay is found by the idempotency key's unique index when the insert fails (below), so a new
    // submission costs no lookup before it.
    const submissionId = randomUUID();
    const rules = { extendedMonths: deps.extendedMonths };
    const d = computeDeadlines(input.receivedAt, rules);
    const accessCode = accessCodeFor(deps.secret, submissionId);
    const requests = input.rights.map((right) => ({
      id: randomUUID(),
      reference: draw(d.receivedOn),
      right,
      details: detailsFor(right, input),
    }));
    const subject: SubjectDetails = {
      firstName: input.subject.firstName,
      lastName: input.subject.lastName,
      hetu: input.subject.hetu ?? null,
      email: input.subject.email ?? null,
      phone: input.subject.phone ?? null,
      address: input.subject.address ?? null,
    };
    let stored: RequestSummary[];
    try {
      stored = await storeWithFreshReferences(requests, () => draw(d.receivedOn), () => deps.db.transaction().execute(async (trx) => {
        const inserted = await insertSubmission(trx, {
          id: submissionId,
          idempotencyKey: input.idempotencyKey,
          receivedAt: input.receivedAt,
          channel: input.channel,
          language: input.language,
          accessCodeHash: hashAccessCode(accessCode),
          identityMethod: input.identityMethod,
          subject,
          deadlines: { ...d, rule: deadlineRuleId(rules) },
          requests,
        });
        for (const r of requests) {
          await recordTransitionIn(trx, {
            requestId: r.id,
            businessKey: 'submitted',
            type: 'submitted',
            actor: input.enteredBy,
            at: new Date(),
            data: { right: r.right, channel: input.channel, receivedAt: input.receivedAt.toISOString(), linked: requests.length > 1 ? requests.map((x) => x.reference) : undefined },
          });
        }
        await admitted;
        return inserted;
      }));
    } catch (error) {
      // Two submits racing with one idempotency key: the loser returns the winner's request.
      if (input.idempotencyKey && isUniqueViolation(error)) {
        const earlier = await findSubmissionByIdempotencyKey(deps.db, input.idempotencyKey);
        if (earlier) return { replayed: true, accessCode: replayedCode(earlier), requests: earlier.requests };
      }
      throw error;
    }
    // The rows are committed: the answer need not wait for the workflows to start.
    await Promise.all(requests.map((r) => startSoon(r.id)));
    return { replayed: false, accessCode, requests: stored };
  }

  /** Waits, at most `ms`, for the starts in flight or waiting (a stopping API lets them finish); the reconciler has the rest. */
  async function drain(ms: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.allSettled([...starting]), new Promise((resolve) => (timer = setTimeout(resolve, ms)))]);
    clearTimeout(timer);
  }

  /**
   * Starts a request's workflow; a failure is logged and left to the reconciler. The start is then
   * marked on the row; the mark only spares the reconciler a start that would start nothing (the
   * workflow id is the request id), so a caller may choose not to wait for it.
   */
  async function startWorkflow(requestId: string, options: { waitForMark?: boolean } = {}): Promise<boolean> {
    try {
      await deps.gateway.start(requestId);
      const marking = markWorkflowStarted(deps.db, requestId, new Date()).catch((error: unknown) =>
        deps.logger.warn({ requestId, err: errorName(error) }, 'workflow start not marked; the reconciler will find it started'),
      );
      if (options.waitForMark !== false) await marking;
      return true;
    } catch (error) {
      deps.logger.warn({ requestId, err: errorName(error) }, 'workflow start deferred to the reconciler');
      return false;
    }
  }

  /** Starts the workflow of a stored request whose start is not confirmed (a decision found none); false for any other id. */
  async function startIfUnstarted(requestId: string): Promise<boolean> {
    return (await isStoredUnstarted(deps.db, requestId)) && (await startWorkflow(requestId));
  }

  return { submit, startWorkflow, startIfUnstarted, drain, startsPending: () => starting.size };
}

export type Intake = ReturnType<typeof createIntake>;

/** Each linked request keeps only the details of its own right. */
function detailsFor(right: Right, input: SubmissionInput): Record<string, unknown> {
  const details: Record<string, unknown> = {};
  if (input.description) details.description = input.description;
  // A category limit is for the rights that change or stop processing of chosen data.
  if (input.categories && ['erasure', 'restriction', 'consent_withdrawal', 'objection'].includes(right)) details.categories = input.categories;
  if (right === 'rectification' && input.corrections) details.corrections = input.corrections;
  if (right === 'portability' && input.transmitTo) details.transmitTo = input.transmitTo;
  if (right === 'objection' && input.objectionGrounds) details.objectionGrounds = input.objectionGrounds;
  return details;
}

/**
 * Runs `store`; when a reference drawn for it is already taken (six characters of 32: about one in
 * twenty runs of 10,000 submissions in a year meets one), draws new ones and stores again, a few times.
 */
async function storeWithFreshReferences<T>(requests: { reference: string }[], draw: () => string, store: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await store();
    } catch (error) {
      if (attempt >= 3 || !isReferenceTaken(error)) throw error;
      for (const r of requests) r.reference = draw();
    }
  }
}

function isReferenceTaken(error: unknown): boolean {
  return isUniqueViolation(error) && (error as { constraint?: string }).constraint === 'requests_reference_key';
}

function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: string }).code === '23505';
}

function errorName(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
