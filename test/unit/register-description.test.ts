import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { parseRegisterDescription } from '../../domain/register-description-parse';
import {
  RegisterDescriptionError,
  CATEGORY_LEGAL_BASES,
  type RegisterDescription,
} from '../../domain/register-description';
import { loadRegisterDescription } from '../../config/register-description';
import { REGISTER_COLUMNS } from '../../db/tables/register';

const SHIPPED = path.join(__dirname, '../../config/register-description.kuopio.yaml');
const SOURCE = 'config/register-description.kuopio.yaml';

/**
 * A fresh, mutable copy of the shipped description as plain YAML data: untyped on purpose, since
 * the tests break it in ways no type would allow.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function shippedData(): any {
  return parseYaml(fs.readFileSync(SHIPPED, 'utf8'));
}

/** The error message parsing `data` produces; fails the test if it parses. */
function rejection(data: unknown): string {
  try {
    parseRegisterDescription(data, { source: SOURCE, tables: REGISTER_COLUMNS });
  } catch (err) {
    expect(err).toBeInstanceOf(RegisterDescriptionError);
    expect((err as Error).name).toBe('RegisterDescriptionError');
    return (err as Error).message;
  }
  throw new Error('the description was accepted');
}

describe('the shipped register description', () => {
  let description: RegisterDescription;
  beforeAll(() => {
    description = loadRegisterDescription(SHIPPED, REGISTER_COLUMNS);
  });

  it('carries the controller, DPO and supervisory authority contacts of seed sections 2-5', () => {
    expect(description.controller.businessId).toBe('0171450-7');
    expect(description.controller.email).toBe('kirjaamo@kuopio.fi');
    expect(description.dataProtectionOfficer.email).toBe('tietosuojavastaava@kuopio.fi');
    expect(description.dataProtectionOfficer.emailNote?.fi).toMatch(/yleiseen neuvontaan/);
    expect(description.contactPersons.map((p) => p.name)).toEqual(['Virpi Noronen', 'Salla Rönkkö']);
    expect(description.supervisoryAuthority.phone).toBe('029 566 6700');
    expect(description.automatedDecisionMaking.used).toBe(false);
  });

  it('puts every register table in exactly one data category', () => {
    const described = description.categories.flatMap((c) => c.tables.map((t) => t.table)).sort();
    expect(described).toEqual(Object.keys(REGISTER_COLUMNS).sort());
  });

  it('rests client data on legal obligation, consents on consent and health data on explicit consent (seed 7)', () => {
    const basis = (key: string) => description.categories.find((c) => c.key === key)?.legalBasis;
    expect(basis('client_basic')).toBe('legal_obligation');
    expect(basis('case_notes')).toBe('legal_obligation');
    expect(basis('employment_projects')).toBe('public_task');
    expect(basis('employer_contacts')).toBe('public_task');
    expect(basis('photos')).toBe('consent');
    expect(basis('visibility_consents')).toBe('consent');
    expect(basis('workspace_users')).toBe('contract');
    expect(basis('work_ability')).toBe('explicit_consent');
    expect(basis('diet_restrictions')).toBe('explicit_consent');
  });

  it('fills defaults: person tables link by person_id, e-mail tables by email', () => {
    const tables = description.categories.flatMap((c) => c.tables);
    expect(tables.find((t) => t.table === 'register.case_notes')?.subjectColumn).toBe('person_id');
    expect(tables.find((t) => t.table === 'register.employer_contacts')?.subjectColumn).toBe('email');
    expect(tables.find((t) => t.table === 'register.case_notes')?.redact).toBe('mentions');
  });

  it('is frozen, so no code can change the configuration after start-up', () => {
    expect(Object.isFrozen(description.categories[0].tables[0].fields)).toBe(true);
  });
});

describe('a register description with a mistake', () => {
  it('is rejected when a required field is missing, naming the file and the field path', () => {
    const data = shippedData();
    delete data.controller.email;
    expect(rejection(data)).toBe(`${SOURCE}: controller.email: is required`);
  });

  it('sets the retention of the engine’s own request records (GDPR 5(1)(e)), a whole number of years from 1, required', () => {
    expect(loadRegisterDescription(SHIPPED, REGISTER_COLUMNS).requestRecords.retentionYears).toBe(5);
    const missing = shippedData();
    delete missing.requestRecords;
    expect(rejection(missing)).toBe(`${SOURCE}: requestRecords: is required`);
    const zero = shippedData();
    zero.requestRecords.retentionYears = 0;
    expect(rejection(zero)).toBe(`${SOURCE}: requestRecords.retentionYears: must be at least 1 year`);
    const fraction = shippedData();
    fraction.requestRecords.retentionYears = 2.5;
    expect(rejection(fraction)).toBe(`${SOURCE}: requestRecords.retentionYears: must be a whole number of years`);
  });

  it('is rejected when a category names a legal basis that does not exist', () => {
    const data = shippedData();
    data.categories[3].legalBasis = 'vital_interests';
    expect(rejection(data)).toBe(`${SOURCE}: categories[3].legalBasis: must be one of ${CATEGORY_LEGAL_BASES.join(', ')}`);
  });

  it('is rejected when a category names an unknown system', () => {
    const data = shippedData();
    data.categories[0].system = 'sap';
    expect(rejection(data)).toMatch(new RegExp(`^${SOURCE}: categories\\[0\\]\\.system: unknown system 'sap'; known: foreammatti, `));
  });

  it('is rejected when a translation is missing', () => {
    const data = shippedData();
    delete data.categories[2].label.sv;
    expect(rejection(data)).toBe(`${SOURCE}: categories[2].label.sv: is required`);
  });

  it('is rejected when a translation is empty', () => {
    const data = shippedData();
    data.purposes[0].en = '  ';
    expect(rejection(data)).toBe(`${SOURCE}: purposes[0].en: must not be empty`);
  });

  it('is rejected when a field name is misspelt', () => {
    const data = shippedData();
    data.categories[1].retention.yaers = 3;
    expect(rejection(data)).toBe(`${SOURCE}: categories[1].retention.yaers: is not a known field`);
  });

  it('is rejected when a category names an unknown recipient', () => {
    const data = shippedData();
    data.categories[0].recipients.push('tax_office');
    const at = data.categories[0].recipients.length - 1;
    expect(rejection(data)).toMatch(`categories[0].recipients[${at}]: unknown recipient 'tax_office'`);
  });

  it('is rejected when a table or a column is not in the register schema', () => {
    const data = shippedData();
    data.categories[1].tables[0].fields[0].column = 'salary';
    data.categories[2].tables[0].table = 'register.hobbies';
    const message = rejection(data);
    expect(message).toContain(`categories[1].tables[0].fields[0].column: table 'register.employment_situations' has no column 'salary'`);
    expect(message).toContain(`categories[2].tables[0].table: unknown table 'register.hobbies'`);
    // The table left without a category is reported too: its data would be missing from access answers.
    expect(message).toContain(`categories: table 'register.education_career' belongs to no category`);
  });

  it('is rejected when two categories claim the same table', () => {
    const data = shippedData();
    data.categories[1].tables.push(structuredClone(data.categories[2].tables[0]));
    expect(rejection(data)).toContain(`categories[2].tables[0].table: table 'register.education_career' is already described under categories[1]`);
  });

  it('is rejected when a key is used twice', () => {
    const data = shippedData();
    data.systems[1].key = data.systems[0].key;
    expect(rejection(data)).toContain(`systems[1].key: duplicate key 'foreammatti' (also at systems[0])`);
  });

  it('is rejected when the redaction list would be printed', () => {
    const data = shippedData();
    const notes = data.categories.find((c: { key: string }) => c.key === 'case_notes');
    notes.tables[0].fields.push({ column: 'mentions', label: { fi: 'Mainitut', sv: 'Nämnda', en: 'Mentioned' } });
    expect(rejection(data)).toMatch(/tables\[0\]\.redact: column 'mentions' names other people and must not be a printed field/);
  });

  it('is rejected with an e-mail channel that is not an address', () => {
    const data = shippedData();
    data.recipients[0].notification = { type: 'email', address: 'kela' };
    expect(rejection(data)).toBe(`${SOURCE}: recipients[0].notification.address: must be an e-mail address`);
  });

  it('reports every mistake at once, one line each', () => {
    const data = shippedData();
    delete data.controller.phone;
    data.categories[0].erasure = 'shred';
    const lines = rejection(data).split('\n');
    expect(lines).toEqual([
      `${SOURCE}: controller.phone: is required`,
      `${SOURCE}: categories[0].erasure: must be one of delete, anonymise`,
    ]);
  });
});

describe('loading a description file', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'register-description-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('names the file when it is not valid YAML', () => {
    const file = path.join(dir, 'broken.yaml');
    fs.writeFileSync(file, 'register:\n  name: [unclosed\n');
    expect(() => loadRegisterDescription(file, REGISTER_COLUMNS)).toThrow(new RegExp(`^${file}: \\(file\\): is not valid YAML`));
  });

  it('names the file when it cannot be read', () => {
    const file = path.join(dir, 'missing.yaml');
    expect(() => loadRegisterDescription(file, REGISTER_COLUMNS)).toThrow(new RegExp(`^${file}: \\(file\\): cannot be read`));
  });

  it('names the file in field errors', () => {
    const file = path.join(dir, 'partial.yaml');
    const data = shippedData();
    delete data.supervisoryAuthority.web;
    fs.writeFileSync(file, JSON.stringify(data));
    expect(() => loadRegisterDescription(file, REGISTER_COLUMNS)).toThrow(`${file}: supervisoryAuthority.web: is required`);
  });
});
