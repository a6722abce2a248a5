import { planAlarms } from '../../workflows/steps/deadline-watch';

const DAY = 24 * 60 * 60 * 1000;
const deadlineAt = Date.parse('2025-04-07T21:00:00Z'); // end of Monday 7 April 2025, Helsinki (EEST)
const policy = { reminderDaysBefore: [7, 2], overdueRepeatDays: 1, pauseWhileAwaitingIdentity: false, identityReminderDays: 14, identityCloseDays: 14 };

describe('the deadline watch plan', () => {
  it('reminds 7 and 2 days before the deadline, escalates when the deadline day begins, then goes overdue', () => {
    const alarms = planAlarms('2025-04-07', deadlineAt, policy, deadlineAt - 20 * DAY);
    expect(alarms.slice(0, 4).map((a) => [a.kind, a.days, new Date(a.at).toISOString()])).toEqual([
      ['reminder', 7, '2025-03-31T21:00:00.000Z'],
      ['reminder', 2, '2025-04-05T21:00:00.000Z'],
      ['due_today', 0, '2025-04-06T21:00:00.000Z'],
      ['overdue', 0, '2025-04-07T21:00:00.000Z'],
    ]);
  });

  it('keeps planning overdue alarms every repeat period after the deadline, each with its own key', () => {
    const alarms = planAlarms('2025-04-07', deadlineAt, policy, deadlineAt + 3.5 * DAY);
    const overdue = alarms.filter((a) => a.kind === 'overdue');
    expect(overdue.map((a) => a.days)).toEqual([0, 1, 2, 3, 4]);
    expect(new Set(alarms.map((a) => a.key)).size).toBe(alarms.length);
  });

  it('plans new keys for a new deadline, so an extension re-arms every reminder', () => {
    const first = planAlarms('2025-04-07', deadlineAt, policy, 0).map((a) => a.key);
    const extended = planAlarms('2025-06-05', deadlineAt + 59 * DAY, policy, 0).map((a) => a.key);
    expect(first.filter((k) => extended.includes(k))).toEqual([]);
  });
});
