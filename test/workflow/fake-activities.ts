/** Plain-object activities for workflow tests: they record every call and answer like the real ones. */
import type { Activities } from '../../src/activities';
import type { AlarmRequest, LetterRequest, TransitionRequest } from '../../src/activities/types';
import type { RequestSummary } from '../../src/domain/request';

const DAY_MS = 24 * 60 * 60 * 1000;

export interface Recorded {
  transitions: TransitionRequest[];
  letters: LetterRequest[];
  delivered: string[];
  alarms: AlarmRequest[];
  approved: string[];
  acknowledged: number;
  gathered: string[];
}

/** A request received `now`, due in 30 days (extended: 90), as loadRequest would return it. */
export function summaryDueIn(now: number, overrides: Partial<RequestSummary> = {}): RequestSummary {
  const iso = (ms: number) => new Date(ms).toISOString();
  return {
    id: 'req-1',
    submissionId: 'sub-1',
    reference: 'DSR-2026-TEST01',
    right: 'access',
    state: 'received',
    outcome: null,
    language: 'fi',
    channel: 'e_form',
    receivedAt: iso(now),
    receivedOn: iso(now).slice(0, 10),
    deadline: iso(now + 30 * DAY_MS).slice(0, 10),
    deadlineAt: iso(now + 30 * DAY_MS),
    extendedDeadline: iso(now + 90 * DAY_MS).slice(0, 10),
    extendedDeadlineAt: iso(now + 90 * DAY_MS),
    deadlineRule: 'test',
    extended: false,
    identityMethod: 'strong_eid',
    assignedTo: null,
    closedAt: null,
    workflowStarted: true,
    ...overrides,
  };
}

export function fakeActivities(summary: RequestSummary): { activities: Activities; recorded: Recorded } {
  const recorded: Recorded = { transitions: [], letters: [], delivered: [], alarms: [], approved: [], acknowledged: 0, gathered: [] };
  let documents = 0;
  const seenKeys = new Set<string>();
  const activities = {
    async loadRequest() {
      return { summary, policy: { reminderDaysBefore: [7, 2], overdueRepeatDays: 1 }, systems: ['foreammatti', 'webropol'] };
    },
    async recordTransition(t: TransitionRequest) {
      if (seenKeys.has(t.businessKey)) return false;
      seenKeys.add(t.businessKey);
      recorded.transitions.push(t);
      return true;
    },
    async approveDocument(input: { documentId: string }) {
      recorded.approved.push(input.documentId);
    },
    async sendAcknowledgement() {
      recorded.acknowledged += 1;
      return { sent: true };
    },
    async matchSubject() {
      return { found: true };
    },
    async gatherFromSystem({ system }: { system: string }) {
      recorded.gathered.push(system);
      return { rowCount: 3, redactions: 1 };
    },
    async renderLetter({ letter }: { letter: LetterRequest }) {
      recorded.letters.push(letter);
      documents += 1;
      return { documentId: `doc-${documents}-${letter.kind}`, sha256: 'f'.repeat(64) };
    },
    async deliverDocument({ documentId }: { documentId: string }) {
      recorded.delivered.push(documentId);
      return { channel: 'email' as const };
    },
    async raiseAlarm(alarm: AlarmRequest) {
      recorded.alarms.push(alarm);
    },
  };
  return { activities: activities as unknown as Activities, recorded };
}
