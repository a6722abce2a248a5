/**
 * A patch must be answered the same way when a history is replayed, wherever the workflow task
 * boundaries fell. The attack: the local step that records "decided" outlasts the workflow task's
 * heartbeat (80 % of a 1 s task timeout), so the worker ends the task with the step's marker and
 * the code after it runs in the next task. On replay the step resolves from its marker inside the
 * first task; a patch asked there (the old place of changes-after-approval) is not yet known, and
 * the replay took the legacy branch against a history of the new one: a nondeterminism that fails
 * every later task and query of the request (seen under load in the generated cases).
 */
import { temporal } from '@temporalio/proto';
import { approveAnswerUpdate, decideCategoriesUpdate } from '../../workflows/messages';
import { PATCHES } from '../../workflows/patches';
import { startHarness, type Harness } from './harness';

jest.setTimeout(120_000);

const EventType = temporal.api.enums.v1.EventType;

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness();
});

afterAll(async () => {
  await harness?.teardown();
});

/** The event types between two events, and the patch markers with the index of their task. */
function shape(history: temporal.api.history.v1.IHistory) {
  const events = history.events ?? [];
  const activity = (e: temporal.api.history.v1.IHistoryEvent) => e.activityTaskScheduledEventAttributes?.activityType?.name;
  const scheduledIds = new Map(events.filter((e) => activity(e)).map((e) => [String(e.eventId), activity(e)]));
  const decisionsDone = events.findIndex((e) => e.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED && scheduledIds.get(String(e.activityTaskCompletedEventAttributes?.scheduledEventId)) === 'recordDecisions');
  const previewScheduled = events.findIndex((e) => activity(e) === 'previewChanges');
  const tasksBetween = events.slice(decisionsDone, previewScheduled).filter((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED).length;
  let task = 0;
  const patchTasks = new Map<string, number>();
  for (const e of events) {
    if (e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED) task += 1;
    const marker = e.markerRecordedEventAttributes;
    if (marker?.markerName === 'core_patch') {
      const payload = marker.details?.['patch-data']?.payloads?.[0]?.data;
      patchTasks.set(JSON.parse(Buffer.from(payload ?? []).toString('utf8')).id, task);
    }
  }
  return { decisionsDone, previewScheduled, tasksBetween, patchTasks };
}

describe('patches under a workflow task split by a slow local step', () => {
  it('are answered at the first task, and the history replays', async () => {
    await harness.withRequest(
      { right: 'erasure' },
      async (h) => {
        await h.waitForState((s) => s.awaiting === 'decision');
        await h.handle.executeUpdate(decideCategoriesUpdate, { args: [{ actor: 'h.handler', decisions: [] }] });
        const ready = await h.waitForState((s) => s.awaiting === 'approval');
        await h.handle.executeUpdate(approveAnswerUpdate, { args: [{ actor: 'h.handler', documentId: ready.draftDocumentId! }] });
        await h.waitForState((s) => s.closed);

        const history = await h.replay();
        const { decisionsDone, previewScheduled, tasksBetween, patchTasks } = shape(history);
        // The attack happened: the step's task ended with its marker, the preview came a task later.
        expect(decisionsDone).toBeGreaterThan(0);
        expect(previewScheduled).toBeGreaterThan(decisionsDone);
        expect(tasksBetween).toBeGreaterThanOrEqual(2);
        // Every other place such a split could fall replays as well.
        expect(await h.replayWithCuts()).toBeGreaterThan(3);
        // Both patches were recorded in the first task, before anything was awaited.
        expect(patchTasks.get(PATCHES['changes-after-approval'])).toBe(1);
        expect(patchTasks.get(PATCHES['local-short-steps'])).toBe(1);
        // The register changed only after the approval, once.
        expect(h.recorded.applied).toBe(1);
        expect(h.recorded.order.indexOf('applied')).toBeGreaterThan(-1);
      },
      {
        workflowTaskTimeout: '1 second',
        // The local step recording "decided" is slow once: 1.5 s against a heartbeat at 0.8 s.
        fail: (name, args) => (name === 'recordTransition' && (args[0] as { type?: string }).type === 'categories_decided' && !slowed++ ? { delayMs: 1_500 } : null),
      },
    );
  });
});

let slowed = 0;
