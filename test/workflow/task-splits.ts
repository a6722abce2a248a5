/**
 * Histories a worker under load could have written: the same commands, with the workflow task cut
 * in two after a local activity's marker. That is what a worker does when the task's heartbeat
 * (80 % of its timeout) comes while the local step has just finished and the workflow code has
 * not yet run on its result: the task ends with the marker, and the code after it runs in a forced
 * next task. The event ids are renumbered and every reference to them follows.
 */
import { temporal } from '@temporalio/proto';
import { Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';

type History = temporal.api.history.v1.IHistory;
type PlainEvent = Record<string, unknown> & { eventId: string; eventType: string };

const { History: HistoryMessage } = temporal.api.history.v1;

function plain(history: History): PlainEvent[] {
  const object = HistoryMessage.toObject(HistoryMessage.fromObject(history as Record<string, unknown>), { longs: String, enums: String, defaults: false }) as { events: PlainEvent[] };
  return object.events;
}

/**
 * Indexes of local activity markers followed by more of the same task's output: the places a split
 * can fall. `besideUpdates: false` leaves out the places where the rest of the task also completes
 * an update: there an update handler's local step and the procedure's were in flight at once, and
 * the SDK's replay hands both results over in one activation where the first run took two, so the
 * update's completion and the procedure's next commands can come in the other order. That is a
 * known limit of local steps run side by side (README, "Local steps side by side"), found by the
 * generated cases, not a property of the cut.
 */
export function splitPoints(history: History, { besideUpdates = true }: { besideUpdates?: boolean } = {}): number[] {
  const events = plain(history);
  return events.flatMap((e, i) => {
    const marker = e.markerRecordedEventAttributes as { markerName?: string } | undefined;
    if (marker?.markerName !== 'core_local_activity') return [];
    const rest = restOfTask(events, i);
    if (rest.length === 0) return [];
    if (!besideUpdates && rest.some((j) => isUpdateMessage(events[j]))) return [];
    return [i];
  });
}

function isUpdateMessage(e: PlainEvent): boolean {
  return e.eventType === 'EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED' || e.eventType === 'EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED';
}

/**
 * The events after `index` that the same workflow task's completion wrote: its commands (which
 * name the task) and the update acceptances and completions it sent beside them (which do not).
 */
function restOfTask(events: PlainEvent[], index: number): number[] {
  const task = workflowTaskOf(events[index]);
  const rest: number[] = [];
  for (let i = index + 1; i < events.length; i++) {
    const e = events[i];
    if (!isUpdateMessage(e) && workflowTaskOf(e) !== task) break;
    rest.push(i);
  }
  // Messages after the task's last command may belong to the next task: keep only up to the last command.
  while (rest.length > 0 && workflowTaskOf(events[rest[rest.length - 1]]) !== task) rest.pop();
  return rest;
}

/** The workflow task a command event belongs to (its workflowTaskCompletedEventId), if it is a command event. */
function workflowTaskOf(e: PlainEvent): string | undefined {
  for (const [key, value] of Object.entries(e)) {
    if (key.endsWith('Attributes') && value && typeof value === 'object' && 'workflowTaskCompletedEventId' in value) {
      return String((value as { workflowTaskCompletedEventId: unknown }).workflowTaskCompletedEventId);
    }
  }
  return undefined;
}

/** The history with the task cut after the local activity marker at `index` (one of splitPoints). */
export function splitAfter(history: History, index: number): History {
  const events = plain(history);
  const moved = new Set(restOfTask(events, index));
  const time = events[index].eventTime;
  const queue = (events.find((e) => e.eventType === 'EVENT_TYPE_WORKFLOW_TASK_SCHEDULED')?.workflowTaskScheduledEventAttributes as { taskQueue?: unknown }).taskQueue;
  const out: PlainEvent[] = [];
  const ids = new Map<string, string>();
  const push = (e: PlainEvent, oldId?: string) => {
    const id = String(out.length + 1);
    if (oldId) ids.set(oldId, id);
    out.push({ ...e, eventId: id });
    return id;
  };
  let newTask: string | undefined;
  events.forEach((e, i) => {
    push(e, e.eventId);
    if (i !== index) return;
    const scheduled = push({ eventId: '', eventType: 'EVENT_TYPE_WORKFLOW_TASK_SCHEDULED', eventTime: time, workflowTaskScheduledEventAttributes: { taskQueue: queue, attempt: 1 } });
    const started = push({ eventId: '', eventType: 'EVENT_TYPE_WORKFLOW_TASK_STARTED', eventTime: time, workflowTaskStartedEventAttributes: { scheduledEventId: `new:${scheduled}` } });
    newTask = push({ eventId: '', eventType: 'EVENT_TYPE_WORKFLOW_TASK_COMPLETED', eventTime: time, workflowTaskCompletedEventAttributes: { scheduledEventId: `new:${scheduled}`, startedEventId: `new:${started}` } });
  });
  // References: old ids follow their events; the new task's own references are already new; the moved commands belong to the new task.
  const movedIds = new Set([...moved].map((i) => ids.get(events[i].eventId)!));
  const remap = (value: unknown, key: string, owner: PlainEvent): unknown => {
    if (ArrayBuffer.isView(value)) return value; // payload bytes
    if (Array.isArray(value)) return value.map((v) => remap(v, key, owner));
    if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, remap(v, k, owner)]));
    if (typeof value !== 'string' || !key.endsWith('EventId')) return value;
    if (value.startsWith('new:')) return value.slice(4);
    if (key === 'workflowTaskCompletedEventId' && movedIds.has(owner.eventId)) return newTask;
    return ids.get(value) ?? value;
  };
  const events2 = out.map((e) => Object.fromEntries(Object.entries(e).map(([k, v]) => [k, k === 'eventId' ? v : remap(v, k, e)])) as PlainEvent);
  return HistoryMessage.fromObject({ events: events2 });
}

/**
 * Replays every cut of every named history (splitPoints with `options`) on `bundle`; gives how many
 * variants ran and each one that did not replay, named `name@index`.
 */
export async function replayCuts(
  bundle: WorkflowBundleWithSourceMap,
  histories: { name: string; history: History }[],
  options: { besideUpdates?: boolean } = {},
): Promise<{ variants: number; failed: string[] }> {
  const variants = histories.flatMap(({ name, history }) => splitPoints(history, options).map((at) => ({ workflowId: `${name}@${at}`, history: splitAfter(history, at) })));
  const failed: string[] = [];
  for await (const result of Worker.runReplayHistories({ workflowBundle: bundle, replayName: 'cuts' }, variants)) {
    if (result.error) failed.push(`${result.workflowId}: ${result.error.message.slice(0, 300)}`);
  }
  return { variants: variants.length, failed };
}
