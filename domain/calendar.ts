/**
 * Finnish calendar for the legal clock: ISO calendar dates as `YYYY-MM-DD` strings, the Gregorian
 * computus, and the non-working days of Act 150/1930 5 § (LEGAL-RULES.md 1).
 *
 * Imported by workflow code, so it stays pure: no Node built-ins, no clock, no `Date` at all; date
 * arithmetic is done on day numbers (days since 1970-01-01) of the proleptic Gregorian calendar.
 */

/** A calendar date `YYYY-MM-DD` (no time, no zone). */
export type IsoDate = string;

/** ISO weekday: 1 = Monday ... 7 = Sunday. */
export type Weekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;

export const MONDAY = 1;
export const FRIDAY = 5;
export const SATURDAY = 6;
export const SUNDAY = 7;

/** Four-digit years only: the string form cannot carry more, and the computus needs the Gregorian calendar. */
export const MIN_YEAR = 1583;
export const MAX_YEAR = 9999;

/** Milliseconds in a day of 24 hours: for timers and periods counted in elapsed days, not calendar days. */
export const DAY_MS = 24 * 60 * 60 * 1000;

/** Thrown when a string is not a real calendar date, or a date leaves the supported years. */
export class InvalidDateError extends Error {
  override readonly name = 'InvalidDateError';
}

export interface Holiday {
  date: IsoDate;
  /** Stable English key, e.g. `good_friday`; user-facing names live in the message catalogs. */
  name: HolidayName;
}

export const HOLIDAY_NAMES = [
  'new_years_day', // uudenvuodenpäivä
  'epiphany', // loppiainen
  'good_friday', // pitkäperjantai
  'easter_sunday', // pääsiäispäivä
  'easter_monday', // 2. pääsiäispäivä
  'may_day', // vappu
  'ascension_day', // helatorstai
  'pentecost', // helluntaipäivä
  'midsummer_eve', // juhannusaatto
  'midsummer_day', // juhannuspäivä
  'all_saints_day', // pyhäinpäivä
  'independence_day', // itsenäisyyspäivä
  'christmas_eve', // jouluaatto
  'christmas_day', // joulupäivä
  'st_stephens_day', // tapaninpäivä
] as const;
export type HolidayName = (typeof HOLIDAY_NAMES)[number];

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True in the Gregorian calendar: every fourth year, but not centuries unless divisible by 400. */
export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** Number of days in a month (1-12) of a year. */
export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** True when the text is a real calendar date `YYYY-MM-DD` in the supported years. */
export function isIsoDate(text: unknown): text is IsoDate {
  if (typeof text !== 'string') return false;
  const match = ISO_DATE.exec(text);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  return isSupportedYear(year) && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

/** Splits a date into year, month (1-12) and day; throws InvalidDateError when it is not a real date. */
export function parseIsoDate(date: IsoDate): { year: number; month: number; day: number } {
  if (!isIsoDate(date)) {
    throw new InvalidDateError(`'${String(date)}' is not a calendar date YYYY-MM-DD between ${MIN_YEAR} and ${MAX_YEAR}`);
  }
  return { year: Number(date.slice(0, 4)), month: Number(date.slice(5, 7)), day: Number(date.slice(8, 10)) };
}

/** Formats year, month (1-12) and day as `YYYY-MM-DD`; throws InvalidDateError when it is not a real date. */
export function formatIsoDate(year: number, month: number, day: number): IsoDate {
  const date = `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
  parseIsoDate(date);
  return date;
}

/** Days since 1970-01-01 (negative before it). */
export function toEpochDay(date: IsoDate): number {
  const { year, month, day } = parseIsoDate(date);
  return daysFromCivil(year, month, day);
}

/** The date that is the given number of days since 1970-01-01. */
export function fromEpochDay(epochDay: number): IsoDate {
  if (!Number.isSafeInteger(epochDay)) throw new InvalidDateError(`day number ${epochDay} is not an integer`);
  const [year, month, day] = civilFromDays(epochDay);
  if (!isSupportedYear(year)) throw new InvalidDateError(`year ${year} is outside ${MIN_YEAR}-${MAX_YEAR}`);
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
}

/** The date n days later (earlier for negative n). */
export function addDays(date: IsoDate, n: number): IsoDate {
  assertInteger(n, 'number of days');
  return fromEpochDay(toEpochDay(date) + n);
}

/** Days from a to b: positive when b is later, 0 on the same day. */
export function daysBetween(a: IsoDate, b: IsoDate): number {
  return toEpochDay(b) - toEpochDay(a);
}

/**
 * The same day number n months later; when that month is shorter, its last day.
 * Regulation 1182/71 art. 3(2)(c): 31 January + 1 month = 28 (or 29) February.
 */
export function addMonthsClamped(date: IsoDate, months: number): IsoDate {
  assertInteger(months, 'number of months');
  const { year, month, day } = parseIsoDate(date);
  const monthIndex = year * 12 + (month - 1) + months;
  const targetYear = Math.floor(monthIndex / 12);
  const targetMonth = monthIndex - targetYear * 12 + 1;
  if (!isSupportedYear(targetYear)) throw new InvalidDateError(`year ${targetYear} is outside ${MIN_YEAR}-${MAX_YEAR}`);
  return formatIsoDate(targetYear, targetMonth, Math.min(day, daysInMonth(targetYear, targetMonth)));
}

/** ISO weekday of a date: 1 = Monday ... 7 = Sunday. */
export function weekday(date: IsoDate): Weekday {
  // 1970-01-01 was a Thursday (4).
  return (mod(toEpochDay(date) + 3, 7) + 1) as Weekday;
}

/** Easter Sunday of a year by the Gregorian computus (the anonymous Gregorian algorithm). */
export function easterSunday(year: number): IsoDate {
  assertInteger(year, 'year');
  if (!isSupportedYear(year)) throw new InvalidDateError(`year ${year} is outside ${MIN_YEAR}-${MAX_YEAR}`);
  const a = year % 19; // place in the 19-year Metonic cycle
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3); // lunar correction
  const h = (19 * a + b - d - g + 15) % 30; // days from 21 March to the paschal full moon, roughly
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7; // days from the full moon to the following Sunday
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return formatIsoDate(year, month, day);
}

/**
 * The public holidays of a year that are non-working days, in date order (Act 150/1930 5 §,
 * as in force now; the law's earlier versions, e.g. Midsummer on fixed dates before 1955, are not modelled).
 * Two names can share a date (Ascension Day was 1 May in 2008).
 */
export function finnishPublicHolidays(year: number): Holiday[] {
  const easter = easterSunday(year);
  const holidays: Holiday[] = [
    { date: formatIsoDate(year, 1, 1), name: 'new_years_day' },
    { date: formatIsoDate(year, 1, 6), name: 'epiphany' },
    { date: addDays(easter, -2), name: 'good_friday' },
    { date: easter, name: 'easter_sunday' },
    { date: addDays(easter, 1), name: 'easter_monday' },
    { date: formatIsoDate(year, 5, 1), name: 'may_day' },
    { date: addDays(easter, 39), name: 'ascension_day' },
    { date: addDays(easter, 49), name: 'pentecost' },
    { date: firstWeekdayOnOrAfter(formatIsoDate(year, 6, 19), FRIDAY), name: 'midsummer_eve' },
    { date: firstWeekdayOnOrAfter(formatIsoDate(year, 6, 20), SATURDAY), name: 'midsummer_day' },
    { date: firstWeekdayOnOrAfter(formatIsoDate(year, 10, 31), SATURDAY), name: 'all_saints_day' },
    { date: formatIsoDate(year, 12, 6), name: 'independence_day' },
    { date: formatIsoDate(year, 12, 24), name: 'christmas_eve' },
    { date: formatIsoDate(year, 12, 25), name: 'christmas_day' },
    { date: formatIsoDate(year, 12, 26), name: 'st_stephens_day' },
  ];
  return holidays.sort((x, y) => (x.date < y.date ? -1 : x.date > y.date ? 1 : 0));
}

/** True when the date is a public holiday of Act 150/1930 5 § (weekends not included). */
export function isPublicHoliday(date: IsoDate): boolean {
  const { year } = parseIsoDate(date);
  return finnishPublicHolidays(year).some((holiday) => holiday.date === date);
}

/** True unless the date is a Saturday, a Sunday or a public holiday (Act 150/1930 5 §). */
export function isWorkingDay(date: IsoDate): boolean {
  return weekday(date) < SATURDAY && !isPublicHoliday(date);
}

/** The date itself when it is a working day, else the next working day (Regulation 1182/71 art. 3(4)). */
export function nextWorkingDayOnOrAfter(date: IsoDate): IsoDate {
  let day = date;
  while (!isWorkingDay(day)) day = addDays(day, 1);
  return day;
}

/** The first date on or after `from` that falls on the weekday; the "Saturday 20-26 June" kind of rule. */
function firstWeekdayOnOrAfter(from: IsoDate, wanted: Weekday): IsoDate {
  return addDays(from, mod(wanted - weekday(from), 7));
}

// Howard Hinnant's days_from_civil / civil_from_days: exact for the proleptic Gregorian calendar.
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

function civilFromDays(epochDay: number): [number, number, number] {
  const z = epochDay + 719468;
  const era = Math.floor(z / 146097);
  const dayOfEra = z - era * 146097;
  const yearOfEra = Math.floor(
    (dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36524) - Math.floor(dayOfEra / 146096)) / 365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const mp = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return [yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day];
}

function isSupportedYear(year: number): boolean {
  return Number.isInteger(year) && year >= MIN_YEAR && year <= MAX_YEAR;
}

function assertInteger(value: number, what: string): void {
  if (!Number.isSafeInteger(value)) throw new RangeError(`${what} must be an integer, got ${value}`);
}

function mod(n: number, m: number): number {
  return ((n % m) + m) % m;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}
