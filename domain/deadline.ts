/**
 * The legal clock of a request (LEGAL-RULES.md 1): receipt date in Helsinki, deadline one month
 * later, extended deadline three months later, both rolled past non-working days.
 *
 * Pure and deterministic so workflow code can import it: the only outside input is the time-zone
 * data behind `Intl.DateTimeFormat`.
 */
import {
  DAY_MS,
  addDays,
  addMonthsClamped,
  daysBetween,
  formatIsoDate,
  IsoDate,
  MIN_YEAR,
  nextWorkingDayOnOrAfter,
  toEpochDay,
} from './calendar';

/** The rule in force; its id is stored with each request (`dsr.requests.deadline_rule`). */
export const DEADLINE_RULES = {
  timeZone: 'Europe/Helsinki',
  // GDPR 12(3): "within one month of receipt"
  months: 1,
  // GDPR 12(3): "extended by two further months"; we count three months from receipt (our choice)
  extendedMonths: 3,
  ruleId: 'gdpr-12-3+eu-1182-71+fi-150-1930:1m/3m',
} as const;

const RULE_FAMILY = 'gdpr-12-3+eu-1182-71+fi-150-1930';

/** The settings a caller may override; the time zone is the law's, not a setting. */
export interface DeadlineRuleSettings {
  months?: number;
  extendedMonths?: number;
}

export interface Deadlines {
  /** Calendar date of receipt in Helsinki. */
  receivedOn: IsoDate;
  /** Last day on which the answer is due. */
  deadline: IsoDate;
  /** Last day when the deadline has been extended. */
  extendedDeadline: IsoDate;
  /** End of the deadline day in Helsinki. */
  deadlineAt: Date;
  /** End of the extended deadline day in Helsinki. */
  extendedDeadlineAt: Date;
}

export interface Pause {
  start: Date;
  /** Missing while the pause is still open. */
  end?: Date | null;
}

export interface PausedDeadlines extends Deadlines {
  /** Whole Helsinki calendar days the clock stood still. */
  pausedDays: number;
}

/** A timestamp that is not an ISO-8601 instant with an explicit offset. */
export class InvalidTimestampError extends Error {
  override readonly name = 'InvalidTimestampError';
}

/** A pause that cannot be counted: still open, ending before it starts, or starting before receipt. */
export class InvalidPauseError extends Error {
  override readonly name = 'InvalidPauseError';
}

const MS_PER_MINUTE = 60_000;

const helsinkiParts = new Intl.DateTimeFormat('en-US', {
  timeZone: DEADLINE_RULES.timeZone,
  calendar: 'gregory',
  numberingSystem: 'latn',
  hourCycle: 'h23',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: 'numeric',
  second: 'numeric',
});

/** Calendar date of an instant in Europe/Helsinki (LEGAL-RULES.md 1: receipt date). */
export function helsinkiDate(instant: Date): IsoDate {
  const local = helsinkiWallClock(instant);
  return formatIsoDate(local.year, local.month, local.day);
}

/** The instant a Helsinki calendar day ends, i.e. midnight at the start of the next Helsinki day. */
export function endOfHelsinkiDay(date: IsoDate): Date {
  return startOfHelsinkiDay(addDays(date, 1));
}

/** The instant a Helsinki calendar day begins. */
export function startOfHelsinkiDay(date: IsoDate): Date {
  const midnightAsIfUtc = toEpochDay(date) * DAY_MS;
  // Finnish clocks change at 03:00/04:00, never at midnight, so midnight exists exactly once;
  // the second pass corrects the guess when the offset at the guess differs from the first one.
  let guess = midnightAsIfUtc - helsinkiOffsetMs(new Date(midnightAsIfUtc));
  guess = midnightAsIfUtc - helsinkiOffsetMs(new Date(guess));
  return new Date(guess);
}

/** The rule id to record with a request whose deadlines were computed with these settings. */
export function deadlineRuleId(rules?: DeadlineRuleSettings): string {
  const { months, extendedMonths } = resolveRules(rules);
  return `${RULE_FAMILY}:${months}m/${extendedMonths}m`;
}

/** Receipt date, deadline and extended deadline of a request received at the given instant. */
export function computeDeadlines(receivedAt: Date, rules?: DeadlineRuleSettings): Deadlines {
  const { months, extendedMonths } = resolveRules(rules);
  const receivedOn = helsinkiDate(receivedAt);
  return deadlinesFromPeriodEnds(
    receivedOn,
    addMonthsClamped(receivedOn, months),
    addMonthsClamped(receivedOn, extendedMonths),
  );
}

/**
 * Deadlines when the clock was paused while identity information was awaited (EDPB 01/2022).
 * Each period end moves later by the whole Helsinki days paused and is rolled to a working day
 * again; the clock never restarts from the end of a pause.
 */
export function applyPauses(receivedAt: Date, pauses: readonly Pause[], rules?: DeadlineRuleSettings): PausedDeadlines {
  const { months, extendedMonths } = resolveRules(rules);
  const receivedOn = helsinkiDate(receivedAt);
  const pausedDays = countPausedDays(receivedAt, pauses);
  // The pause lengthens the period itself (Regulation 1182/71 art. 3(2)(c)); the roll past
  // non-working days (art. 3(4)) applies once, to the lengthened period's last day.
  const deadlines = deadlinesFromPeriodEnds(
    receivedOn,
    addDays(addMonthsClamped(receivedOn, months), pausedDays),
    addDays(addMonthsClamped(receivedOn, extendedMonths), pausedDays),
  );
  return { ...deadlines, pausedDays };
}

/**
 * Whole Helsinki calendar days covered by the pauses; overlapping or touching pauses are merged
 * first so that no day counts twice.
 */
export function countPausedDays(receivedAt: Date, pauses: readonly Pause[]): number {
  const intervals = pauses.map((pause, index) => checkedPause(receivedAt, pause, index));
  return mergeIntervals(intervals).reduce((total, [start, end]) => total + wholeHelsinkiDaysWithin(start, end), 0);
}

/** Reads an ISO-8601 timestamp that carries `Z` or an explicit `+HH:MM`/`-HH:MM` offset. */
export function parseTimestamp(text: string): Date {
  if (typeof text !== 'string') throw new InvalidTimestampError('timestamp must be a string');
  const match = TIMESTAMP.exec(text.trim());
  if (!match) throw new InvalidTimestampError(describeMalformed(text.trim()));
  const [, y, mo, d, h, mi, s = '0', fraction = '', zone] = match;
  const [year, month, day, hour, minute, second] = [y, mo, d, h, mi, s].map(Number);
  if (year < MIN_YEAR) throw new InvalidTimestampError(`'${text}' is before ${MIN_YEAR}, outside the Gregorian calendar this engine counts in`);
  if (!isRealDate(year, month, day)) {
    throw new InvalidTimestampError(`'${text}' is not a real date: ${y}-${mo}-${d} does not exist`);
  }
  if (hour > 23 || minute > 59 || second > 59) {
    throw new InvalidTimestampError(`'${text}' is not a real time of day: ${h}:${mi}:${s}`);
  }
  const offsetMinutes = parseOffset(text, zone);
  const millis = Math.floor(Number(`0.${fraction || '0'}`) * 1000);
  const wallClock = toEpochDay(formatIsoDate(year, month, day)) * DAY_MS + ((hour * 60 + minute) * 60 + second) * 1000 + millis;
  return new Date(wallClock - offsetMinutes * MS_PER_MINUTE);
}

// RFC 3339 profile of ISO 8601, seconds optional: 2025-03-05T10:00:00.123+02:00
const TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?([Zz]|[+-]\d{2}:\d{2})$/;
const LOCAL_DATE_TIME = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}([.,]\d+)?)?$/;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

function describeMalformed(text: string): string {
  if (text === '') return 'timestamp is empty';
  if (LOCAL_DATE_TIME.test(text)) {
    return `'${text}' has no offset: add Z or +HH:MM so the instant is unambiguous (e.g. ${text.replace(' ', 'T')}+02:00)`;
  }
  if (DATE_ONLY.test(text)) return `'${text}' is a date without a time and offset (e.g. ${text}T12:00:00+02:00)`;
  return `'${text}' is not an ISO-8601 timestamp with offset (e.g. 2025-03-05T10:00:00+02:00 or 2025-01-31T23:30:00Z)`;
}

function parseOffset(text: string, zone: string): number {
  if (zone === 'Z' || zone === 'z') return 0;
  const sign = zone.startsWith('-') ? -1 : 1;
  const hours = Number(zone.slice(1, 3));
  const minutes = Number(zone.slice(4, 6));
  if (hours > 23 || minutes > 59) throw new InvalidTimestampError(`'${text}' has an impossible offset ${zone}`);
  return sign * (hours * 60 + minutes);
}

function isRealDate(year: number, month: number, day: number): boolean {
  try {
    formatIsoDate(year, month, day);
    return true;
  } catch {
    return false;
  }
}

function resolveRules(rules: DeadlineRuleSettings = {}): { months: number; extendedMonths: number } {
  const months = rules.months ?? DEADLINE_RULES.months;
  const extendedMonths = rules.extendedMonths ?? DEADLINE_RULES.extendedMonths;
  if (!Number.isInteger(months) || months < 1) throw new RangeError(`months must be a positive integer, got ${months}`);
  if (!Number.isInteger(extendedMonths) || extendedMonths < months) {
    throw new RangeError(`extendedMonths must be an integer of at least months (${months}), got ${extendedMonths}`);
  }
  return { months, extendedMonths };
}

// GDPR 12(3) counted per Regulation 1182/71 art. 3: the period ends on its last day, which then
// moves to the next working day when it is a Saturday, Sunday or holiday (art. 3(4)).
function deadlinesFromPeriodEnds(receivedOn: IsoDate, periodEnd: IsoDate, extendedPeriodEnd: IsoDate): Deadlines {
  const deadline = nextWorkingDayOnOrAfter(periodEnd);
  const extendedDeadline = nextWorkingDayOnOrAfter(extendedPeriodEnd);
  return {
    receivedOn,
    deadline,
    extendedDeadline,
    deadlineAt: endOfHelsinkiDay(deadline),
    extendedDeadlineAt: endOfHelsinkiDay(extendedDeadline),
  };
}

function checkedPause(receivedAt: Date, pause: Pause, index: number): [number, number] {
  const start = pause.start?.getTime();
  const end = pause.end?.getTime();
  if (start === undefined || Number.isNaN(start)) throw new InvalidPauseError(`pause ${index + 1} has no valid start`);
  if (end === undefined) throw new InvalidPauseError(`pause ${index + 1} is still open; close it before counting it`);
  if (Number.isNaN(end)) throw new InvalidPauseError(`pause ${index + 1} has no valid end`);
  if (end < start) throw new InvalidPauseError(`pause ${index + 1} ends before it starts`);
  if (start < receivedAt.getTime()) throw new InvalidPauseError(`pause ${index + 1} starts before the request was received`);
  return [start, end];
}

function mergeIntervals(intervals: [number, number][]): [number, number][] {
  const sorted = [...intervals].sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const [start, end] of sorted) {
    const last = merged[merged.length - 1];
    if (last && start <= last[1]) last[1] = Math.max(last[1], end);
    else merged.push([start, end]);
  }
  return merged;
}

/** Helsinki days that lie entirely inside [start, end]. */
function wholeHelsinkiDaysWithin(start: number, end: number): number {
  const startDay = helsinkiDate(new Date(start));
  const firstWholeDay = startOfHelsinkiDay(startDay).getTime() === start ? startDay : addDays(startDay, 1);
  // Every day before the one containing `end` has ended by `end`.
  return Math.max(0, daysBetween(firstWholeDay, helsinkiDate(new Date(end))));
}

function helsinkiWallClock(instant: Date): { year: number; month: number; day: number; hour: number; minute: number; second: number } {
  if (!(instant instanceof Date) || Number.isNaN(instant.getTime())) throw new RangeError('instant must be a valid Date');
  const parts: Record<string, number> = {};
  for (const part of helsinkiParts.formatToParts(instant)) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return { year: parts.year, month: parts.month, day: parts.day, hour: parts.hour, minute: parts.minute, second: parts.second };
}

/** Helsinki's offset from UTC at an instant: +2 h in winter, +3 h in summer. */
function helsinkiOffsetMs(instant: Date): number {
  const local = helsinkiWallClock(instant);
  const wallClockAsIfUtc =
    toEpochDay(formatIsoDate(local.year, local.month, local.day)) * DAY_MS + ((local.hour * 60 + local.minute) * 60 + local.second) * 1000;
  const wholeSeconds = Math.floor(instant.getTime() / 1000) * 1000;
  return wallClockAsIfUtc - wholeSeconds;
}
