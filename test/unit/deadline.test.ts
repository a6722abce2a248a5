import {
  applyPauses,
  computeDeadlines,
  countPausedDays,
  DEADLINE_RULES,
  deadlineRuleId,
  endOfHelsinkiDay,
  helsinkiDate,
  InvalidPauseError,
  InvalidTimestampError,
  parseTimestamp,
  startOfHelsinkiDay,
} from '../../domain/deadline';

/** A request received at noon Helsinki time on the given date (winter or summer offset alike). */
function receivedAtNoon(date: string): Date {
  return new Date(startOfHelsinkiDay(date).getTime() + 12 * 3_600_000);
}

function at(text: string): Date {
  return new Date(text);
}

describe('the rule in force (LEGAL-RULES.md 1)', () => {
  it('counts one month for the deadline and three months from receipt for the extended one, in Helsinki', () => {
    expect(DEADLINE_RULES).toMatchObject({ timeZone: 'Europe/Helsinki', months: 1, extendedMonths: 3 });
  });

  it('records the default rule id, and a different id when the months are overridden', () => {
    expect(deadlineRuleId()).toBe(DEADLINE_RULES.ruleId);
    expect(deadlineRuleId({ extendedMonths: 2 })).not.toBe(DEADLINE_RULES.ruleId);
  });
});

describe('deadlines from the checked examples in LEGAL-RULES.md', () => {
  it('when a request arrives on 5 March 2025 the deadline is Monday 7 April 2025 (5 April is a Saturday)', () => {
    expect(computeDeadlines(receivedAtNoon('2025-03-05'))).toMatchObject({ receivedOn: '2025-03-05', deadline: '2025-04-07' });
  });

  it('when a request arrives on 31 August 2025 the deadline is 30 September 2025', () => {
    expect(computeDeadlines(receivedAtNoon('2025-08-31'))).toMatchObject({ receivedOn: '2025-08-31', deadline: '2025-09-30' });
  });

  it('when a request arrives on 31 January 2025 the deadline is 28 February 2025 and the extended deadline 30 April 2025', () => {
    expect(computeDeadlines(receivedAtNoon('2025-01-31'))).toMatchObject({
      receivedOn: '2025-01-31',
      deadline: '2025-02-28',
      extendedDeadline: '2025-04-30',
    });
  });

  it('the deadline ends at midnight Helsinki time: 22:00 UTC in winter, 21:00 UTC in summer', () => {
    const winter = computeDeadlines(receivedAtNoon('2025-01-31'));
    expect(winter.deadlineAt.toISOString()).toBe('2025-02-28T22:00:00.000Z');
    expect(winter.extendedDeadlineAt.toISOString()).toBe('2025-04-30T21:00:00.000Z');
    expect(computeDeadlines(receivedAtNoon('2025-03-05')).deadlineAt.toISOString()).toBe('2025-04-07T21:00:00.000Z');
  });
});

describe('month ends and leap years', () => {
  it.each([
    ['2025-03-31', '2025-04-30', 'April has 30 days'],
    ['2025-05-31', '2025-06-30', 'June has 30 days'],
    ['2025-10-31', '2025-12-01', '30 November 2025 is a Sunday'],
    ['2025-12-31', '2026-02-02', '31 January 2026 is a Saturday'],
    ['2024-01-31', '2024-02-29', '2024 is a leap year'],
    ['2023-01-31', '2023-02-28', '2023 is not a leap year'],
    ['2100-01-31', '2100-03-01', '2100 is not a leap year and 28 February 2100 is a Sunday'],
    ['2024-02-29', '2024-04-02', '29 March 2024 is Good Friday, then Easter to Monday 1 April'],
  ])('when a request arrives on %s the deadline is %s (%s)', (receivedOn, deadline) => {
    expect(computeDeadlines(receivedAtNoon(receivedOn)).deadline).toBe(deadline);
  });

  it.each([
    ['2023-11-30', '2024-02-29'],
    ['2024-11-30', '2025-02-28'],
    ['2025-08-31', '2025-12-01'],
  ])('when a request arrives on %s the extended deadline is %s', (receivedOn, extendedDeadline) => {
    expect(computeDeadlines(receivedAtNoon(receivedOn)).extendedDeadline).toBe(extendedDeadline);
  });
});

describe('a deadline landing on a non-working day rolls forward (Act 150/1930 5 §, Regulation 1182/71 art. 3(4))', () => {
  it.each([
    ["New Year's Day (Thu 1 Jan 2026)", '2025-12-01', '2026-01-02'],
    ['Epiphany (Tue 6 Jan 2026)', '2025-12-06', '2026-01-07'],
    ['Good Friday, through Easter to Easter Monday (18-21 Apr 2025)', '2025-03-18', '2025-04-22'],
    ['Easter Sunday (20 Apr 2025)', '2025-03-20', '2025-04-22'],
    ['Easter Monday (21 Apr 2025)', '2025-03-21', '2025-04-22'],
    ['May Day (Thu 1 May 2025)', '2025-04-01', '2025-05-02'],
    ['Ascension Day (Thu 29 May 2025)', '2025-04-29', '2025-05-30'],
    ['Pentecost (Sun 8 Jun 2025)', '2025-05-08', '2025-06-09'],
    ['Midsummer Eve, then Midsummer Day and Sunday (20-22 Jun 2025)', '2025-05-20', '2025-06-23'],
    ['Midsummer Day (Sat 21 Jun 2025)', '2025-05-21', '2025-06-23'],
    ["All Saints' Day (Sat 1 Nov 2025)", '2025-10-01', '2025-11-03'],
    ['Independence Day (Fri 6 Dec 2024)', '2024-11-06', '2024-12-09'],
    ['Christmas Eve, Christmas, St Stephen and a weekend (24-28 Dec 2025)', '2025-11-24', '2025-12-29'],
    ['Christmas Eve on a Thursday, through the weekend (24-27 Dec 2026)', '2026-11-24', '2026-12-28'],
    ['a plain Saturday (5 Apr 2025)', '2025-03-05', '2025-04-07'],
  ])('%s: received %s, deadline %s', (_holiday, receivedOn, deadline) => {
    expect(computeDeadlines(receivedAtNoon(receivedOn)).deadline).toBe(deadline);
  });

  it('the extended deadline rolls the same way: received 24 September 2025, due Monday 29 December 2025', () => {
    expect(computeDeadlines(receivedAtNoon('2025-09-24')).extendedDeadline).toBe('2025-12-29');
  });
});

describe('receipt date in Helsinki, across time zones and DST', () => {
  it('23:30 UTC on 31 January is already 1 February in Helsinki, so the deadline is Monday 3 March 2025', () => {
    expect(computeDeadlines(at('2025-01-31T23:30:00Z'))).toMatchObject({ receivedOn: '2025-02-01', deadline: '2025-03-03' });
  });

  it.each([
    ['2025-01-31T21:59:59Z', '2025-01-31', 'winter, one second before Helsinki midnight'],
    ['2025-01-31T22:00:00Z', '2025-02-01', 'winter, Helsinki midnight'],
    ['2025-06-30T20:59:59Z', '2025-06-30', 'summer, one second before Helsinki midnight'],
    ['2025-06-30T21:00:00Z', '2025-07-01', 'summer, Helsinki midnight'],
    ['2025-03-04T20:00:00Z', '2025-03-04', 'given as 2025-03-05T01:00:00+05:00'],
    ['2024-12-31T22:00:00Z', '2025-01-01', 'new year in Helsinki while still 2024 in UTC'],
  ])('%s is received on %s in Helsinki (%s)', (instant, date) => {
    expect(helsinkiDate(at(instant))).toBe(date);
  });

  it('a request received at 21:59:59Z on 31 January has a different deadline from one received a second later', () => {
    expect(computeDeadlines(at('2025-01-31T21:59:59Z')).deadline).toBe('2025-02-28');
    expect(computeDeadlines(at('2025-01-31T22:00:00Z')).deadline).toBe('2025-03-03');
  });

  it.each([
    ['2025-01-31', '2025-01-31T22:00:00.000Z'],
    ['2025-06-30', '2025-06-30T21:00:00.000Z'],
    ['2025-03-29', '2025-03-29T22:00:00.000Z'],
    ['2025-03-30', '2025-03-30T21:00:00.000Z'],
    ['2025-10-25', '2025-10-25T21:00:00.000Z'],
    ['2025-10-26', '2025-10-26T22:00:00.000Z'],
  ])('the Helsinki day %s ends at %s', (date, end) => {
    expect(endOfHelsinkiDay(date).toISOString()).toBe(end);
  });

  it('the spring-forward day (30 March 2025) lasts 23 hours and the fall-back day (26 October 2025) 25 hours', () => {
    const hours = (date: string): number => (endOfHelsinkiDay(date).getTime() - startOfHelsinkiDay(date).getTime()) / 3_600_000;
    expect([hours('2025-03-30'), hours('2025-10-26'), hours('2025-06-30')]).toEqual([23, 25, 24]);
  });

  it.each([
    ['2025-03-29T22:00:00Z', '2025-03-30', '2025-04-30', 'Helsinki midnight starting the spring-forward day'],
    ['2025-03-30T00:59:59Z', '2025-03-30', '2025-04-30', '02:59:59 EET, just before clocks go forward'],
    ['2025-03-30T01:00:00Z', '2025-03-30', '2025-04-30', '04:00 EEST, just after clocks go forward'],
    ['2025-03-30T20:59:59Z', '2025-03-30', '2025-04-30', 'last second of the short day'],
    ['2025-03-30T21:00:00Z', '2025-03-31', '2025-04-30', 'first second of 31 March, summer time'],
    ['2025-10-26T00:30:00Z', '2025-10-26', '2025-11-26', '03:30 EEST, before clocks go back'],
    ['2025-10-26T01:30:00Z', '2025-10-26', '2025-11-26', '03:30 EET, the repeated hour'],
    ['2025-10-26T21:30:00Z', '2025-10-26', '2025-11-26', '23:30 EET, the long day is not over yet'],
    ['2025-10-26T22:00:00Z', '2025-10-27', '2025-11-27', 'midnight EET'],
  ])('on a DST change day, %s is received on %s with deadline %s (%s)', (instant, receivedOn, deadline) => {
    expect(computeDeadlines(at(instant))).toMatchObject({ receivedOn, deadline });
  });

  it('rejects an invalid Date instead of guessing a day', () => {
    expect(() => helsinkiDate(new Date(Number.NaN))).toThrow(RangeError);
    expect(() => computeDeadlines(new Date('not a date'))).toThrow(RangeError);
  });
});

describe('rule settings', () => {
  it('an extended period of two months from receipt gives 31 March 2025 for a request of 31 January 2025', () => {
    expect(computeDeadlines(receivedAtNoon('2025-01-31'), { extendedMonths: 2 })).toMatchObject({
      deadline: '2025-02-28',
      extendedDeadline: '2025-03-31',
    });
  });

  it.each([
    [{ months: 0 }],
    [{ months: 1.5 }],
    [{ extendedMonths: 0 }],
    [{ months: 2, extendedMonths: 1 }],
  ])('refuses the impossible setting %j', (rules) => {
    expect(() => computeDeadlines(receivedAtNoon('2025-01-31'), rules)).toThrow(RangeError);
  });
});

describe('pausing the clock while identity information is awaited (EDPB 01/2022)', () => {
  const received = at('2025-01-31T10:00:00+02:00');

  it('without pauses the deadlines are those fixed at receipt', () => {
    expect(applyPauses(received, [])).toEqual({ ...computeDeadlines(received), pausedDays: 0 });
  });

  it('three whole Helsinki days paused move 28 February 2025 to Monday 3 March and 30 April to Monday 5 May', () => {
    const pause = { start: at('2025-02-03T00:00:00+02:00'), end: at('2025-02-06T00:00:00+02:00') };
    expect(applyPauses(received, [pause])).toMatchObject({
      receivedOn: '2025-01-31',
      deadline: '2025-03-03',
      extendedDeadline: '2025-05-05',
      pausedDays: 3,
    });
    expect(applyPauses(received, [pause]).deadlineAt.toISOString()).toBe('2025-03-03T22:00:00.000Z');
  });

  it('only whole days count: a pause from 10:00 on 3 February to 09:00 on 5 February is one day (4 February)', () => {
    const pause = { start: at('2025-02-03T10:00:00+02:00'), end: at('2025-02-05T09:00:00+02:00') };
    expect(countPausedDays(received, [pause])).toBe(1);
    expect(applyPauses(received, [pause]).deadline).toBe('2025-03-03');
  });

  it('a pause within one day moves nothing', () => {
    const pause = { start: at('2025-02-03T09:00:00+02:00'), end: at('2025-02-03T17:00:00+02:00') };
    expect(applyPauses(received, [pause])).toMatchObject({ deadline: '2025-02-28', pausedDays: 0 });
  });

  it('days are Helsinki days: UTC midnight to UTC midnight is no whole Helsinki day, 22:00Z to 22:00Z in winter is one', () => {
    expect(countPausedDays(received, [{ start: at('2025-02-03T00:00:00Z'), end: at('2025-02-04T00:00:00Z') }])).toBe(0);
    expect(countPausedDays(received, [{ start: at('2025-02-02T22:00:00Z'), end: at('2025-02-03T22:00:00Z') }])).toBe(1);
  });

  it('the 23-hour spring-forward day counts as one whole day', () => {
    const receivedInMarch = at('2025-03-05T10:00:00+02:00');
    const pause = { start: at('2025-03-29T22:00:00Z'), end: at('2025-03-30T21:00:00Z') };
    expect(countPausedDays(receivedInMarch, [pause])).toBe(1);
  });

  it('overlapping pauses count each day once: 3-6 and 5-8 February are five days, not six', () => {
    const pauses = [
      { start: at('2025-02-03T00:00:00+02:00'), end: at('2025-02-06T00:00:00+02:00') },
      { start: at('2025-02-05T00:00:00+02:00'), end: at('2025-02-08T00:00:00+02:00') },
    ];
    expect(countPausedDays(received, pauses)).toBe(5);
    expect(applyPauses(received, pauses).deadline).toBe('2025-03-05');
  });

  it('back-to-back pauses join: noon to noon twice covers the whole day between them', () => {
    const pauses = [
      { start: at('2025-02-04T12:00:00+02:00'), end: at('2025-02-05T12:00:00+02:00') },
      { start: at('2025-02-03T12:00:00+02:00'), end: at('2025-02-04T12:00:00+02:00') },
    ];
    expect(countPausedDays(received, pauses)).toBe(1);
  });

  it('the clock never restarts: a pause of 24-26 February adds two days (due Monday 3 March), not a month from its end', () => {
    const pause = { start: at('2025-02-24T00:00:00+02:00'), end: at('2025-02-26T00:00:00+02:00') };
    expect(applyPauses(received, [pause])).toMatchObject({ deadline: '2025-03-03', extendedDeadline: '2025-05-02', pausedDays: 2 });
  });

  it('a pause lengthens the period before the weekend roll: a period ending Saturday 5 April 2025, paused one day, ends Sunday and is still due Monday 7 April', () => {
    const receivedInMarch = at('2025-03-05T10:00:00+02:00');
    const oneDay = { start: at('2025-03-10T00:00:00+02:00'), end: at('2025-03-11T00:00:00+02:00') };
    const threeDays = { start: at('2025-03-10T00:00:00+02:00'), end: at('2025-03-13T00:00:00+02:00') };
    expect(applyPauses(receivedInMarch, [oneDay]).deadline).toBe('2025-04-07');
    expect(applyPauses(receivedInMarch, [threeDays]).deadline).toBe('2025-04-08');
  });

  it('a pause that moves the deadline onto Easter rolls past it', () => {
    const receivedInMarch = at('2025-03-14T10:00:00+02:00');
    const pause = { start: at('2025-03-17T00:00:00+02:00'), end: at('2025-03-21T00:00:00+02:00') };
    expect(applyPauses(receivedInMarch, [pause])).toMatchObject({ pausedDays: 4, deadline: '2025-04-22' });
  });

  it.each([
    ['is still open (no end)', { start: at('2025-02-03T00:00:00+02:00') }],
    ['is still open (end null)', { start: at('2025-02-03T00:00:00+02:00'), end: null }],
    ['ends before it starts', { start: at('2025-02-05T00:00:00+02:00'), end: at('2025-02-03T00:00:00+02:00') }],
    ['starts before receipt', { start: at('2025-01-30T00:00:00+02:00'), end: at('2025-02-03T00:00:00+02:00') }],
    ['has an invalid start', { start: new Date(Number.NaN), end: at('2025-02-03T00:00:00+02:00') }],
  ])('refuses a pause that %s', (_why, pause) => {
    expect(() => applyPauses(received, [pause])).toThrow(InvalidPauseError);
  });
});

describe('parseTimestamp', () => {
  it.each([
    ['2025-03-05T10:00:00+02:00', '2025-03-05T08:00:00.000Z'],
    ['2025-01-31T23:30:00Z', '2025-01-31T23:30:00.000Z'],
    ['2025-03-05T10:00:00-05:00', '2025-03-05T15:00:00.000Z'],
    ['2025-03-05T10:00+02:00', '2025-03-05T08:00:00.000Z'],
    ['2025-03-05T10:00:00.123456+02:00', '2025-03-05T08:00:00.123Z'],
    ['2025-03-05T10:00:00,5Z', '2025-03-05T10:00:00.500Z'],
    ['2025-03-05t10:00:00z', '2025-03-05T10:00:00.000Z'],
    ['2024-02-29T12:00:00+02:00', '2024-02-29T10:00:00.000Z'],
    ['2025-03-05T00:30:00+05:30', '2025-03-04T19:00:00.000Z'],
    ['2025-12-31T23:59:59-12:00', '2026-01-01T11:59:59.000Z'],
  ])('reads %s as %s', (text, iso) => {
    expect(parseTimestamp(text).toISOString()).toBe(iso);
  });

  it.each([
    ['2025-03-05T10:00:00', /no offset/],
    ['2025-03-05 10:00:00', /no offset/],
    ['2025-03-05', /date without a time/],
    ['2025-02-30T10:00:00Z', /not a real date/],
    ['2025-02-29T10:00:00Z', /not a real date/],
    ['2025-13-01T10:00:00Z', /not a real date/],
    ['2025-03-05T24:00:00Z', /not a real time/],
    ['2025-03-05T10:60:00Z', /not a real time/],
    ['2025-03-05T10:00:60Z', /not a real time/],
    ['2025-03-05T10:00:00+24:00', /impossible offset/],
    ['2025-03-05T10:00:00+0200', /not an ISO-8601 timestamp/],
    ['yesterday', /not an ISO-8601 timestamp/],
    ['1500-03-05T10:00:00Z', /before 1583/],
    ['', /empty/],
  ])("rejects '%s' saying why", (text, why) => {
    expect(() => parseTimestamp(text)).toThrow(InvalidTimestampError);
    expect(() => parseTimestamp(text)).toThrow(why);
  });

  it('throws an error named InvalidTimestampError, the name Temporal reports as its failure type', () => {
    let caught: unknown;
    try {
      parseTimestamp('2025-03-05T10:00:00');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(Error);
    expect((caught as Error).name).toBe('InvalidTimestampError');
  });
});
