import { hetuCheckCharacter, normaliseHetu, validateHetu } from '../../domain/hetu';

function reasonOf(code: string): string {
  const result = validateHetu(code);
  if (result.valid) throw new Error('expected an invalid code');
  return result.reason;
}

describe('henkilötunnus (LEGAL-RULES.md 4)', () => {
  it('accepts the published test code 131052-308T, born 13 October 1952, not temporary', () => {
    expect(validateHetu('131052-308T')).toEqual({ valid: true, birthDate: '1952-10-13', temporary: false });
  });

  it('computes the check character from DDMMYYNNN mod 31', () => {
    expect(hetuCheckCharacter('131052308')).toBe('T');
    expect(hetuCheckCharacter('100190999')).toBe('P');
    expect(hetuCheckCharacter('010101123')).toBe('N');
    expect(hetuCheckCharacter('290200123')).toBe('9');
  });

  it('accepts 100190-999P and 100190Y999P as two different temporary codes of people born 10 January 1990', () => {
    const dash = validateHetu('100190-999P');
    const y = validateHetu('100190Y999P');
    expect(dash).toEqual({ valid: true, birthDate: '1990-01-10', temporary: true });
    expect(y).toEqual(dash);
    expect(normaliseHetu('100190-999P')).not.toBe(normaliseHetu('100190Y999P'));
  });

  it.each([
    ['+', '1801-01-01'],
    ['-', '1901-01-01'],
    ['Y', '1901-01-01'],
    ['X', '1901-01-01'],
    ['W', '1901-01-01'],
    ['V', '1901-01-01'],
    ['U', '1901-01-01'],
    ['A', '2001-01-01'],
    ['B', '2001-01-01'],
    ['C', '2001-01-01'],
    ['D', '2001-01-01'],
    ['E', '2001-01-01'],
    ['F', '2001-01-01'],
  ])("century sign '%s' puts 010101?123N in the century of %s", (sign, birthDate) => {
    expect(validateHetu(`010101${sign}123N`)).toEqual({ valid: true, birthDate, temporary: false });
  });

  it.each(['G', 'Z', '*', '/', '0'])("rejects the century sign '%s'", (sign) => {
    expect(reasonOf(`010101${sign}123N`)).toMatch(/century sign/);
  });

  it('rejects a wrong check character', () => {
    expect(reasonOf('131052-308U')).toMatch(/check character/);
    expect(reasonOf('100190-999R')).toMatch(/check character/);
  });

  it('rejects check characters that are never used (G I O Q Z)', () => {
    for (const check of ['G', 'I', 'O', 'Q', 'Z']) expect(reasonOf(`131052-308${check}`)).toMatch(/check character/);
  });

  it.each([
    ['310290-123T', '31 February'],
    ['310490-123D', '31 April'],
    ['000190-1230', 'day 00'],
    ['320190-123M', 'day 32'],
    ['011390-123A', 'month 13'],
    ['010090-123U', 'month 00'],
  ])('rejects %s: %s does not exist', (code) => {
    expect(reasonOf(code)).toMatch(/birth date does not exist/);
  });

  it('accepts 29 February in leap years 2000 and 1996, rejects it in 1900 and 1997', () => {
    expect(validateHetu('290200A1239')).toMatchObject({ valid: true, birthDate: '2000-02-29' });
    expect(validateHetu('290296-1232')).toMatchObject({ valid: true, birthDate: '1996-02-29' });
    expect(reasonOf('290200-1239')).toMatch(/birth date does not exist/);
    expect(reasonOf('290297-123A')).toMatch(/birth date does not exist/);
  });

  it('accepts lower case and surrounding spaces, and normalises them for storage', () => {
    expect(validateHetu('131052-308t')).toMatchObject({ valid: true });
    expect(validateHetu('100190y999p')).toMatchObject({ valid: true });
    expect(validateHetu(' 131052-308T ')).toMatchObject({ valid: true });
    expect(normaliseHetu(' 100190y999p ')).toBe('100190Y999P');
  });

  it.each(['131052-308', '131052-308TT', '', '1310521308T0', '131052308T'])("rejects '%s' for its length", (code) => {
    expect(reasonOf(code)).toMatch(/11 characters/);
  });

  it.each(['13a052-308T', '131052-3O8T', '131052-308-'])("rejects '%s' for its shape", (code) => {
    expect(reasonOf(code)).toMatch(/form DDMMYYCNNNQ/);
  });

  it('rejects individual numbers 000 and 001 even with the right check character, accepts 002', () => {
    expect(reasonOf('010190-000N')).toMatch(/individual number/);
    expect(reasonOf('010190-001P')).toMatch(/individual number/);
    expect(validateHetu('010190-002R')).toMatchObject({ valid: true, temporary: false });
  });

  it('marks 900-999 as temporary codes and 899 as a permanent one', () => {
    expect(validateHetu('010190-900P')).toMatchObject({ valid: true, temporary: true });
    expect(validateHetu('010190-899N')).toMatchObject({ valid: true, temporary: false });
  });

  it('rejects a value that is not a string', () => {
    expect(validateHetu(131052308 as unknown as string)).toEqual({ valid: false, reason: 'must be a string' });
  });

  it('never repeats any part of the code in a reason', () => {
    for (const code of ['310290-123T', '131052-308U', '010190-000N', '010101G123N', '13a052-308T']) {
      const reason = reasonOf(code);
      const year = code.slice(4, 6);
      expect([code, reason]).toEqual([code, expect.not.stringMatching(new RegExp(`${code.slice(0, 6)}|\\.${year}|19${year}|'`))]);
    }
  });
});
