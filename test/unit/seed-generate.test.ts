import path from 'node:path';
import { validateHetu } from '../../domain/hetu';
import { loadRegisterDescription } from '../../config/register-description';
import { REGISTER_COLUMNS } from '../../db/tables/register';
import { DEMO_HETU, disclosureTargets, emptyRows, generatePerson, type GeneratorContext } from '../../db/seed/generate';
import { HETU_CAPACITY, hetuSpace, syntheticHetu } from '../../db/seed/hetu-space';
import { Random } from '../../db/seed/random';
import locality from '../../db/seed/locality.kuopio.json';

const description = loadRegisterDescription(path.join(__dirname, '../../config/register-description.kuopio.yaml'), REGISTER_COLUMNS);

function context(seed: number): GeneratorContext {
  return {
    seed,
    locality,
    referenceDate: new Date('2025-06-30T00:00:00Z'),
    disclosureTargets: disclosureTargets(description),
    hetuSpace: hetuSpace(seed),
  };
}

function person(seed: number, index: number) {
  const rows = emptyRows();
  generatePerson(context(seed), index, rows);
  return rows;
}

describe('synthetic henkilötunnus codes', () => {
  const space = hetuSpace(7);
  const rng = new Random(7);
  const codes = Array.from({ length: 200_000 }, (_, n) => syntheticHetu(space, n, rng));

  it('are valid temporary codes (individual number 900-999), so none is a real permanent code', () => {
    for (const code of codes.slice(0, 20_000)) {
      const result = validateHetu(code);
      expect(result).toMatchObject({ valid: true, temporary: true });
    }
  });

  it('never repeat, even without the century sign', () => {
    expect(new Set(codes.map((c) => c.slice(0, 6) + c.slice(7))).size).toBe(codes.length);
  });

  it('use both the classic century signs and the ones in use since 2023', () => {
    const signs = new Set(codes.map((c) => c[6]));
    for (const sign of ['-', 'A', 'Y', 'X', 'B', 'F']) expect(signs).toContain(sign);
  });

  it('run out only beyond the capacity, with a clear error', () => {
    expect(HETU_CAPACITY).toBeGreaterThan(2_000_000);
    expect(() => syntheticHetu(space, HETU_CAPACITY, rng)).toThrow(RangeError);
  });
});

describe('generating people', () => {
  it('gives the same person for the same seed and index, and another for another seed', () => {
    expect(person(3, 1234)).toEqual(person(3, 1234));
    expect(person(4, 1234)['register.persons'][0].hetu).not.toBe(person(3, 1234)['register.persons'][0].hetu);
  });

  it('gives the demo person a row in every register table', () => {
    const demo = person(1, 0);
    expect(demo['register.persons'][0]).toMatchObject({ hetu: DEMO_HETU, first_name: 'Testi', last_name: 'Demo' });
    for (const table of Object.keys(REGISTER_COLUMNS) as (keyof typeof demo)[]) {
      expect({ table, rows: demo[table].length > 0 }).toEqual({ table, rows: true });
    }
  });

  it('records in `mentions` every other person a case note names, as written', () => {
    let mentioned = 0;
    for (let index = 0; index < 300; index++) {
      for (const note of person(5, index)['register.case_notes']) {
        for (const name of note.mentions ?? []) {
          expect(note.note).toContain(name);
          mentioned += 1;
        }
      }
    }
    expect(mentioned).toBeGreaterThan(100);
  });

  it('logs disclosures only to recipients and categories the description lists together', () => {
    const allowed = new Set(description.categories.flatMap((c) => c.recipients.map((r) => `${r}:${c.key}`)));
    for (let index = 0; index < 200; index++) {
      for (const d of person(9, index)['register.disclosures']) {
        for (const category of d.categories) expect(allowed).toContain(`${d.recipient_key}:${category}`);
      }
    }
  });
});
