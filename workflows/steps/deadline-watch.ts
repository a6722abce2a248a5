/**
 * The deadline watch runs beside the procedure: reminders to the handler and the DPO before the
 * deadline, an escalation on the deadline day, and an overdue alarm that repeats until the request
 * closes (DESIGN.md "Lifecycle": an overdue request stays loud until closed).
 */
import { condition } from '@temporalio/workflow';
import { acts } from '../activities';
import type { RequestContext } from '../context';
import { DAY_MS } from '../../domain/calendar';

export type AlarmKind = 'reminder' | 'due_today' | 'overdue';

export interface Alarm {
  key: string;
  kind: AlarmKind;
  at: number;
  /** Days left before the deadline (reminder) or days past it (overdue). */
  days: number;
}

/** The alarms for a deadline, in time order, up to the first overdue alarm after `now`. */
export function planAlarms(deadlineDate: string, deadlineAtMs: number, policy: RequestContext['policy'], now: number): Alarm[] {
  const alarms: Alarm[] = policy.reminderDaysBefore.map((days) => ({
    key: `alarm:reminder:${deadlineDate}:${days}`,
    kind: 'reminder' as const,
    at: deadlineAtMs - days * DAY_MS,
    days,
  }));
  // The deadline day starts one day before the deadline instant (end of that day, Helsinki).
  alarms.push({ key: `alarm:due_today:${deadlineDate}`, kind: 'due_today', at: deadlineAtMs - DAY_MS, days: 0 });
  const repeat = policy.overdueRepeatDays * DAY_MS;
  const overdueCount = now < deadlineAtMs ? 0 : Math.floor((now - deadlineAtMs) / repeat);
  for (let n = 0; n <= overdueCount + 1; n++) {
    const days = Math.round((n * repeat) / DAY_MS);
    alarms.push({ key: `alarm:overdue:${deadlineDate}:${n}`, kind: 'overdue', at: deadlineAtMs + n * repeat, days });
  }
  return alarms.sort((a, b) => a.at - b.at);
}

/** Runs until the request closes. */
export async function watchDeadline(ctx: RequestContext): Promise<void> {
  const raised = new Set<string>(ctx.alarmsRaised);
  while (!ctx.closed) {
    const version = ctx.deadlineVersion;
    const now = Date.now();
    const alarms = planAlarms(ctx.deadlineDate, ctx.deadlineAtMs, ctx.policy, now).filter((a) => !raised.has(a.key));
    const due = alarms.filter((a) => a.at <= now);
    if (due.length > 0) {
      // A late start (say, by the reconciler) raises only the latest alarm, not a burst of stale ones.
      const latest = due[due.length - 1];
      for (const alarm of due) raised.add(alarm.key);
      await acts.raiseAlarm({ requestId: ctx.requestId, businessKey: latest.key, kind: latest.kind, deadline: ctx.deadlineDate, days: latest.days });
      ctx.alarmsRaised.push(latest.key);
      continue;
    }
    const next = alarms[0];
    if (!next) return;
    await condition(() => ctx.closed || ctx.deadlineVersion !== version, next.at - now);
  }
}
