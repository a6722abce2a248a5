/**
 * Intake answers once the submission is stored, not once its workflow has started: the start runs
 * beside the answer, a bounded number at once, and whatever does not start (Temporal away, the
 * backlog full, the process killed) is the reconciler's. Over real PostgreSQL, with gateways that
 * hold their starts or find no workflow, so each order of events is forced, not hoped for:
 *   - the answer and the stored rows come while the start is still held; the start follows;
 *   - a per-address check that refuses after the inserts rolls the whole submission back;
 *   - past the backlog an answer waits for its own start; a failed start is the reconciler's;
 *   - a decision that finds no workflow for a stored, unstarted request starts it and is taken;
 *     for an id not stored it starts nothing.
 */
import { WorkflowNotFoundError } from '@temporalio/client';
import { sql } from 'kysely';
import { createLogger } from '../../config/logger';
import { createIntake, type SubmissionInput } from '../../services/intake';
import { createMetrics } from '../../services/metrics';
import { startReconciler } from '../../services/reconciler';
import { startingWhenMissing, type WorkflowGateway } from '../../services/workflow-gateway';
import { createTestDatabase, type TestDatabase } from '../helpers/db';

jest.setTimeout(60_000);

let tdb: TestDatabase;
let n = 0;

beforeAll(async () => {
  tdb = await createTestDatabase();
});

afterAll(async () => {
  await tdb?.destroy();
});

function submission(): SubmissionInput {
  n += 1;
  return {
    rights: ['access'],
    language: 'fi',
    channel: 'e_form',
    receivedAt: new Date(),
    identityMethod: null,
    subject: { firstName: 'Vastaus', lastName: 'Testi', email: `vastaus.${n}@example.com` },
    idempotencyKey: null,
    enteredBy: 'subject',
  };
}

/** A gateway with the given start that refuses everything else. */
function gatewayWith(start: WorkflowGateway['start']): WorkflowGateway {
  return {
    start,
    decide: async () => {
      throw new Error('no decisions here');
    },
    status: async () => {
      throw new Error('no status here');
    },
    startRestrictionLift: async () => {
      throw new Error('no lifts here');
    },
  };
}

/** A gateway whose starts wait until `release()`; it records the ids it started. */
function heldGateway() {
  const started: string[] = [];
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const gateway = gatewayWith(async (requestId) => {
    await gate;
    started.push(requestId);
    return true;
  });
  return { gateway, started, release };
}

const startedAt = async (id: string) => (await tdb.db.selectFrom('dsr.requests').select('workflow_started_at').where('id', '=', id).executeTakeFirstOrThrow()).workflow_started_at;

it('answers with the request stored while its workflow start is still held; the start follows and is marked', async () => {
  const held = heldGateway();
  const intake = createIntake({ db: tdb.db, gateway: held.gateway, logger: createLogger('silent'), secret: 'a'.repeat(64), extendedMonths: 3 });
  const result = await intake.submit(submission());
  const id = result.requests[0].id;
  const row = await tdb.db.selectFrom('dsr.requests').select(['state', 'workflow_started_at']).where('id', '=', id).executeTakeFirstOrThrow();
  expect(row).toEqual({ state: 'received', workflow_started_at: null });
  const links = await tdb.db.selectFrom('dsr.audit_log').select('action').where('request_id', '=', id).execute();
  expect(links.map((l) => l.action)).toEqual(['submitted']);
  expect(held.started).toEqual([]);
  expect(intake.startsPending()).toBe(1);
  // Operators see the waiting starts on /metrics.
  const metrics = createMetrics({ startsWaiting: intake.startsPending });
  expect(await metrics.registry.metrics()).toMatch(/^dsr_workflow_starts_waiting 1$/m);

  held.release();
  await intake.drain(5000);
  expect(held.started).toEqual([id]);
  expect(await startedAt(id)).toBeInstanceOf(Date);
  expect(intake.startsPending()).toBe(0);
  expect(await metrics.registry.metrics()).toMatch(/^dsr_workflow_starts_waiting 0$/m);
});

it('a per-address check that refuses after the inserts rolls the submission back: nothing stored, nothing started', async () => {
  const held = heldGateway();
  held.release();
  const intake = createIntake({ db: tdb.db, gateway: held.gateway, logger: createLogger('silent'), secret: 'a'.repeat(64), extendedMonths: 3 });
  const count = async () => Number((await tdb.db.selectFrom('dsr.requests').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);
  const links = async () => Number((await tdb.db.selectFrom('dsr.audit_log').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);
  const [requestsBefore, linksBefore] = [await count(), await links()];
  let insertsDone = false;
  const refusal = new Error('limit reached');
  // Refuses only once the transaction holds its audit chain's advisory lock, which it takes after the
  // request's inserts and keeps until it commits or rolls back (and it cannot commit before this).
  const admitted = (async () => {
    for (let i = 0; i < 400 && !insertsDone; i++) {
      const locks = await sql<{ n: number }>`SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND classid = ${0x0a0d17}`.execute(tdb.db);
      insertsDone = locks.rows[0].n > 0;
      if (!insertsDone) await new Promise((r) => setTimeout(r, 5));
    }
    throw refusal;
  })();
  admitted.catch(() => undefined);
  await expect(intake.submit(submission(), admitted)).rejects.toBe(refusal);
  expect(insertsDone).toBe(true);
  await intake.drain(1000);
  expect(await count()).toBe(requestsBefore);
  expect(await links()).toBe(linksBefore);
  expect(held.started).toEqual([]);
});

it('past the backlog an answer waits for its own start; a start that fails is the reconciler\'s', async () => {
  const held = heldGateway();
  const intake = createIntake({ db: tdb.db, gateway: held.gateway, logger: createLogger('silent'), secret: 'a'.repeat(64), extendedMonths: 3, startConcurrency: 1, startBacklog: 1 });
  // One start in flight, one waiting: both answered at once.
  const ids: string[] = [];
  for (let i = 0; i < 2; i++) {
    ids.push((await intake.submit(submission())).requests[0].id);
    await new Promise((r) => setImmediate(r));
  }
  expect(intake.startsPending()).toBe(2);
  // The third is stored, but its answer waits for its own start.
  let answered = false;
  const third = intake.submit(submission()).then((r) => {
    answered = true;
    return r;
  });
  await new Promise((r) => setTimeout(r, 300));
  expect(answered).toBe(false);
  expect(Number((await tdb.db.selectFrom('dsr.requests').select((eb) => eb.fn.countAll<string>().as('n')).where('subject_email', '=', `vastaus.${n}@example.com`).executeTakeFirstOrThrow()).n)).toBe(1);
  held.release();
  ids.push((await third).requests[0].id);
  await intake.drain(5000);
  expect([...held.started].sort()).toEqual([...ids].sort());

  // Temporal away: the start fails, the answer still comes, and the reconciler starts it later.
  let away = true;
  const flaky: WorkflowGateway = {
    ...held.gateway,
    async start(requestId) {
      if (away) throw new Error('14 UNAVAILABLE: connection refused');
      return held.gateway.start(requestId);
    },
  };
  const later = createIntake({ db: tdb.db, gateway: flaky, logger: createLogger('silent'), secret: 'a'.repeat(64), extendedMonths: 3 });
  const lost = (await later.submit(submission())).requests[0].id;
  await later.drain(5000);
  expect(await startedAt(lost)).toBeNull();
  away = false;
  const reconciler = startReconciler({ db: tdb.db, intake: later, logger: createLogger('silent'), intervalMs: 0, graceMs: 0 });
  expect(await reconciler.runOnce()).toBe(1);
  expect(held.started).toContain(lost);
  expect(await startedAt(lost)).toBeInstanceOf(Date);
});

it('after an outage one reconciler pass starts the whole backlog, page after page; while starts fail it stops after a page', async () => {
  const started: string[] = [];
  let away = true;
  const gateway = gatewayWith(async (requestId) => {
    if (away) throw new Error('14 UNAVAILABLE');
    started.push(requestId);
    return true;
  });
  const intake = createIntake({ db: tdb.db, gateway, logger: createLogger('silent'), secret: 'a'.repeat(64), extendedMonths: 3 });
  const ids: string[] = [];
  for (let i = 0; i < 230; i++) ids.push((await intake.submit(submission())).requests[0].id);
  await intake.drain(10_000);
  const reconciler = startReconciler({ db: tdb.db, intake, logger: createLogger('silent'), intervalMs: 0, graceMs: 0 });
  // Still away: one page tried, nothing started, the pass ends.
  const tried = jest.spyOn(intake, 'startWorkflow');
  expect(await reconciler.runOnce()).toBe(0);
  expect(tried).toHaveBeenCalledTimes(100);
  tried.mockRestore();
  away = false;
  expect(await reconciler.runOnce()).toBeGreaterThanOrEqual(230);
  expect(started).toEqual(expect.arrayContaining(ids));
  for (const id of ids) expect(await startedAt(id)).toBeInstanceOf(Date);
});

it('a decision that finds no workflow starts the stored request first and is then taken; for an id not stored it starts nothing', async () => {
  const live = new Set<string>();
  const asked: string[] = [];
  const temporal: WorkflowGateway = {
    async start(requestId) {
      live.add(requestId);
      return true;
    },
    async decide(requestId) {
      asked.push(requestId);
      if (!live.has(requestId)) throw new WorkflowNotFoundError('no such workflow', requestId, undefined);
      // One answer for every decision here: the stub stands for any accepted update.
      return { accepted: true } as never;
    },
    status: async () => {
      throw new Error('no status here');
    },
    startRestrictionLift: async () => {
      throw new Error('no lifts here');
    },
  };
  // Temporal is away while the submission is answered: its start fails and is left.
  let away = true;
  const intake = createIntake({
    db: tdb.db,
    gateway: { ...temporal, start: async (id) => (away ? Promise.reject(new Error('14 UNAVAILABLE')) : temporal.start(id)) },
    logger: createLogger('silent'),
    secret: 'a'.repeat(64),
    extendedMonths: 3,
  });
  const gateway = startingWhenMissing(temporal, (id) => intake.startIfUnstarted(id));
  const id = (await intake.submit(submission())).requests[0].id;
  await intake.drain(5000);
  expect(live.has(id)).toBe(false);
  away = false;

  await expect(gateway.decide(id, 'withdrawRequest', { actor: 'subject' })).resolves.toEqual({ accepted: true });
  expect(asked).toEqual([id, id]);
  expect(live.has(id)).toBe(true);
  expect(await startedAt(id)).toBeInstanceOf(Date);

  const stranger = '00000000-0000-4000-8000-000000000000';
  await expect(gateway.decide(stranger, 'withdrawRequest', { actor: 'subject' })).rejects.toBeInstanceOf(WorkflowNotFoundError);
  expect(live.has(stranger)).toBe(false);
});
