import {
  addDays,
  addMonthsClamped,
  daysBetween,
  daysInMonth,
  easterSunday,
  finnishPublicHolidays,
  fromEpochDay,
  HolidayName,
  InvalidDateError,
  isIsoDate,
  isLeapYear,
  isPublicHoliday,
  isWorkingDay,
  nextWorkingDayOnOrAfter,
  toEpochDay,
  weekday,
} from '../../domain/calendar';

function holidayOf(year: number, name: HolidayName): string | undefined {
  return finnishPublicHolidays(year).find((holiday) => holiday.name === name)?.date;
}

describe('Gregorian calendar arithmetic', () => {
  it.each([
    [2024, true],
    [2025, false],
    [2000, true],
    [2100, false],
    [1900, false],
    [2400, true],
  ])('leap year %i is %s', (year, leap) => {
    expect(isLeapYear(year)).toBe(leap);
  });

  it('February has 29 days in 2024 and 28 in 2025 and 2100', () => {
    expect([daysInMonth(2024, 2), daysInMonth(2025, 2), daysInMonth(2100, 2)]).toEqual([29, 28, 28]);
  });

  it.each([
    ['1970-01-01', 4],
    ['2000-01-01', 6],
    ['2025-01-01', 3],
    ['2025-03-05', 3],
    ['2100-02-28', 7],
    ['1600-03-01', 3],
  ])('%s falls on ISO weekday %i', (date, day) => {
    expect(weekday(date)).toBe(day);
  });

  it.each([
    ['2024-02-28', 1, '2024-02-29'],
    ['2100-02-28', 1, '2100-03-01'],
    ['2025-12-31', 1, '2026-01-01'],
    ['2025-03-01', -1, '2025-02-28'],
    ['2025-03-05', 0, '2025-03-05'],
    ['2025-01-01', 365, '2026-01-01'],
  ])('%s plus %i days is %s', (date, n, expected) => {
    expect(addDays(date, n)).toBe(expected);
  });

  it('counts 365 days across 2025, 366 across 2024, and negative days backwards', () => {
    expect(daysBetween('2025-01-01', '2026-01-01')).toBe(365);
    expect(daysBetween('2024-01-01', '2025-01-01')).toBe(366);
    expect(daysBetween('2025-03-05', '2025-03-01')).toBe(-4);
    expect(daysBetween('2025-03-05', '2025-03-05')).toBe(0);
  });

  it('day numbers agree with the JavaScript Date calendar every day 1900-2100 and around every leap day 1583-9999', () => {
    const msPerDay = 86_400_000;
    const check = (n: number): void => {
      const expected = new Date(n * msPerDay).toISOString().slice(0, 10);
      if (fromEpochDay(n) !== expected) throw new Error(`day ${n}: ${fromEpochDay(n)} != ${expected}`);
    };
    for (let n = toEpochDay('1900-01-01'); n <= toEpochDay('2100-12-31'); n += 1) check(n);
    for (let year = 1583; year <= 9999; year += 1) {
      const firstOfMarch = toEpochDay(`${year}-03-01`);
      for (let n = firstOfMarch - 2; n <= firstOfMarch; n += 1) check(n);
    }
    for (const date of ['1600-02-29', '1700-03-01', '2000-02-29', '2100-03-01', '2400-02-29', '9999-12-31']) {
      expect([date, toEpochDay(date)]).toEqual([date, Date.parse(`${date}T00:00:00Z`) / msPerDay]);
    }
  });

  it.each([
    ['2025-01-31', 1, '2025-02-28'],
    ['2024-01-31', 1, '2024-02-29'],
    ['2100-01-31', 1, '2100-02-28'],
    ['2000-01-31', 1, '2000-02-29'],
    ['2024-02-29', 12, '2025-02-28'],
    ['2024-02-29', 48, '2028-02-29'],
    ['2025-03-31', 1, '2025-04-30'],
    ['2025-11-30', 3, '2026-02-28'],
    ['2025-12-15', 1, '2026-01-15'],
    ['2025-03-31', -1, '2025-02-28'],
    ['2025-03-05', 0, '2025-03-05'],
  ])('%s plus %i months is %s (clamped to the end of a shorter month)', (date, months, expected) => {
    expect(addMonthsClamped(date, months)).toBe(expected);
  });

  it.each(['2025-02-30', '2025-02-29', '2025-13-01', '2025-00-10', '2025-04-31', '2025-3-5', '05.03.2025', '', '1582-12-31'])(
    "rejects '%s' as a calendar date",
    (text) => {
      expect(isIsoDate(text)).toBe(false);
      expect(() => addDays(text, 1)).toThrow(InvalidDateError);
      expect(() => isWorkingDay(text)).toThrow(InvalidDateError);
    },
  );

  it('rejects a fractional number of days or months', () => {
    expect(() => addDays('2025-03-05', 1.5)).toThrow(RangeError);
    expect(() => addMonthsClamped('2025-03-05', 0.5)).toThrow(RangeError);
  });
});

describe('Easter by the Gregorian computus', () => {
  it.each([
    [2024, '2024-03-31'],
    [2025, '2025-04-20'],
    [2026, '2026-04-05'],
    [2027, '2027-03-28'],
    [2038, '2038-04-25'],
    [2285, '2285-03-22'],
    [1818, '1818-03-22'],
    [1943, '1943-04-25'],
    [2000, '2000-04-23'],
    [2008, '2008-03-23'],
    [2019, '2019-04-21'],
    [2100, '2100-03-28'],
  ])('Easter Sunday %i is %s', (year, date) => {
    expect(easterSunday(year)).toBe(date);
  });

  it('is always a Sunday between 22 March and 25 April, for every year 1583-9999', () => {
    for (let year = 1583; year <= 9999; year += 1) {
      const easter = easterSunday(year);
      const monthDay = easter.slice(5);
      if (weekday(easter) !== 7 || monthDay < '03-22' || monthDay > '04-25') throw new Error(`Easter ${year} = ${easter}`);
    }
  });

  it('refuses years before the Gregorian calendar and fractional years', () => {
    expect(() => easterSunday(1582)).toThrow(InvalidDateError);
    expect(() => easterSunday(2025.5)).toThrow(RangeError);
  });
});

describe('Finnish public holidays (Act 150/1930 5 §)', () => {
  const movable: [number, Partial<Record<HolidayName, string>>][] = [
    [2024, { good_friday: '2024-03-29', easter_sunday: '2024-03-31', easter_monday: '2024-04-01', ascension_day: '2024-05-09', pentecost: '2024-05-19', midsummer_eve: '2024-06-21', midsummer_day: '2024-06-22', all_saints_day: '2024-11-02' }],
    [2025, { good_friday: '2025-04-18', easter_sunday: '2025-04-20', easter_monday: '2025-04-21', ascension_day: '2025-05-29', pentecost: '2025-06-08', midsummer_eve: '2025-06-20', midsummer_day: '2025-06-21', all_saints_day: '2025-11-01' }],
    [2026, { good_friday: '2026-04-03', easter_sunday: '2026-04-05', easter_monday: '2026-04-06', ascension_day: '2026-05-14', pentecost: '2026-05-24', midsummer_eve: '2026-06-19', midsummer_day: '2026-06-20', all_saints_day: '2026-10-31' }],
    [2027, { good_friday: '2027-03-26', easter_sunday: '2027-03-28', easter_monday: '2027-03-29', ascension_day: '2027-05-06', pentecost: '2027-05-16', midsummer_eve: '2027-06-25', midsummer_day: '2027-06-26', all_saints_day: '2027-11-06' }],
    [2038, { good_friday: '2038-04-23', easter_sunday: '2038-04-25', easter_monday: '2038-04-26', ascension_day: '2038-06-03', pentecost: '2038-06-13', midsummer_eve: '2038-06-25', midsummer_day: '2038-06-26', all_saints_day: '2038-11-06' }],
  ];

  it.each(movable)('the movable holidays of %i fall on their known dates', (year, expected) => {
    for (const [name, date] of Object.entries(expected)) {
      expect([name, holidayOf(year, name as HolidayName)]).toEqual([name, date]);
    }
  });

  it('lists the fifteen holidays of 2025 in date order with the fixed ones on their dates', () => {
    expect(finnishPublicHolidays(2025)).toEqual([
      { date: '2025-01-01', name: 'new_years_day' },
      { date: '2025-01-06', name: 'epiphany' },
      { date: '2025-04-18', name: 'good_friday' },
      { date: '2025-04-20', name: 'easter_sunday' },
      { date: '2025-04-21', name: 'easter_monday' },
      { date: '2025-05-01', name: 'may_day' },
      { date: '2025-05-29', name: 'ascension_day' },
      { date: '2025-06-08', name: 'pentecost' },
      { date: '2025-06-20', name: 'midsummer_eve' },
      { date: '2025-06-21', name: 'midsummer_day' },
      { date: '2025-11-01', name: 'all_saints_day' },
      { date: '2025-12-06', name: 'independence_day' },
      { date: '2025-12-24', name: 'christmas_eve' },
      { date: '2025-12-25', name: 'christmas_day' },
      { date: '2025-12-26', name: 'st_stephens_day' },
    ]);
  });

  it('keeps both names when Ascension Day falls on 1 May (2008)', () => {
    const firstOfMay = finnishPublicHolidays(2008).filter((holiday) => holiday.date === '2008-05-01');
    expect(firstOfMay.map((holiday) => holiday.name).sort()).toEqual(['ascension_day', 'may_day']);
  });

  it('puts Midsummer Eve on the Friday 19-25 June, Midsummer Day the next day, All Saints on the Saturday 31 Oct-6 Nov, 1900-2200', () => {
    for (let year = 1900; year <= 2200; year += 1) {
      const eve = holidayOf(year, 'midsummer_eve')!;
      const day = holidayOf(year, 'midsummer_day')!;
      const allSaints = holidayOf(year, 'all_saints_day')!;
      const ok =
        weekday(eve) === 5 && eve >= `${year}-06-19` && eve <= `${year}-06-25` &&
        day === addDays(eve, 1) &&
        weekday(allSaints) === 6 && allSaints >= `${year}-10-31` && allSaints <= `${year}-11-06`;
      if (!ok) throw new Error(`${year}: eve ${eve}, day ${day}, all saints ${allSaints}`);
    }
  });

  it('puts Ascension Day on a Thursday 39 days after Easter and Pentecost on the Sunday 49 days after', () => {
    for (const year of [2024, 2025, 2026, 2285]) {
      const easter = easterSunday(year);
      expect(daysBetween(easter, holidayOf(year, 'ascension_day')!)).toBe(39);
      expect(weekday(holidayOf(year, 'ascension_day')!)).toBe(4);
      expect(daysBetween(easter, holidayOf(year, 'pentecost')!)).toBe(49);
    }
  });
});

describe('working days', () => {
  it.each([
    '2025-01-01', '2025-01-06', '2025-04-18', '2025-04-21', '2025-05-01', '2025-05-29',
    '2025-06-20', '2024-12-06', '2025-12-24', '2025-12-25', '2025-12-26',
  ])('%s is a weekday holiday, so not a working day', (date) => {
    expect(weekday(date)).toBeLessThan(6);
    expect(isPublicHoliday(date)).toBe(true);
    expect(isWorkingDay(date)).toBe(false);
  });

  it.each(['2025-03-08', '2025-03-09', '2025-12-27'])('%s is a weekend day, so not a working day', (date) => {
    expect(isPublicHoliday(date)).toBe(false);
    expect(isWorkingDay(date)).toBe(false);
  });

  it.each(['2025-04-17', '2025-04-22', '2025-06-19', '2025-12-23', '2025-12-29', '2025-03-05', '2025-05-02'])(
    '%s is an ordinary working day',
    (date) => {
      expect(isWorkingDay(date)).toBe(true);
    },
  );

  it.each([
    ['a working day is its own next working day', '2025-03-05', '2025-03-05'],
    ['Saturday rolls to Monday', '2025-04-05', '2025-04-07'],
    ['Good Friday rolls past Easter to the Tuesday', '2025-04-18', '2025-04-22'],
    ['Easter Monday rolls to the Tuesday', '2025-04-21', '2025-04-22'],
    ['Christmas Eve on a Wednesday rolls past Christmas and the weekend', '2025-12-24', '2025-12-29'],
    ['Christmas Eve on a Thursday rolls to the next Monday', '2026-12-24', '2026-12-28'],
    ['New Year on a Thursday rolls to Friday', '2026-01-01', '2026-01-02'],
    ['Midsummer Eve rolls past Midsummer Day and Sunday', '2025-06-20', '2025-06-23'],
    ['Independence Day on a Saturday rolls to Monday', '2025-12-06', '2025-12-08'],
    ['Ascension Day rolls to Friday', '2025-05-29', '2025-05-30'],
  ])('%s (%s -> %s)', (_label, date, expected) => {
    expect(nextWorkingDayOnOrAfter(date)).toBe(expected);
  });
});
