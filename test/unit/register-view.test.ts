/** The register description seen from a letter: information items and the data report, per language. */
import { loadRegisterDescription } from '../../config/register-description';
import { REGISTER_COLUMNS } from '../../db/tables/register';
import { legalBasisText, letterParties, printable, processingInformation, reportSections, systemsWithTables } from '../../activities/register-view';

const description = loadRegisterDescription('config/register-description.kuopio.yaml', REGISTER_COLUMNS);

describe('letters built from the register description', () => {
  it('take the controller, the DPO and the supervisory authority from the description, in the letter’s language', () => {
    const fi = letterParties(description, 'fi');
    const sv = letterParties(description, 'sv');
    expect(fi.controller.name).toBe(description.controller.name.fi);
    expect(sv.controller.name).toBe(description.controller.name.sv);
    expect(fi.dpo.email).toBe(description.dataProtectionOfficer.email);
    expect(fi.supervisoryAuthority.address).toBe(description.supervisoryAuthority.postalAddress.fi);
    expect(fi.contactPerson.name).toBe(description.contactPersons[0].name);
  });

  it('list every category with its legal basis and retention among the GDPR 15 items', () => {
    const info = processingInformation(description, 'en');
    expect(info.categories).toHaveLength(description.categories.length);
    const basic = info.categories[description.categories.findIndex((c) => c.key === 'client_basic')];
    expect(basic.legalBasis).toContain('6(1)(c)');
    expect(basic.retention).toMatch(/^10 years\. /);
    expect(info.recipients.length).toBe(description.recipients.length);
    expect(info.automatedDecisionMaking).toBe(description.automatedDecisionMaking.text.en);
  });

  it('name both bases of a special category', () => {
    const health = description.categories.find((c) => c.specialCategoryBasis);
    expect(health).toBeDefined();
    expect(legalBasisText(description, health!, 'fi')).toMatch(/;.*9\(2\)/);
  });

  it('print only the described fields of gathered rows, labelled in the letter’s language, and skip empty tables', () => {
    const sections = reportSections(
      description,
      [
        { table: 'register.persons', category: 'client_basic', system: 'foreammatti', columns: ['first_name', 'hetu', 'secret_column'], rows: [{ first_name: 'Aino', hetu: '131052-308T', created_at: '2024-05-02T06:30:00.000Z', secret_column: 'never printed' }], redactions: 0 },
        { table: 'register.case_notes', category: 'case_notes', system: 'foreammatti', columns: [], rows: [], redactions: 0 },
      ],
      'sv',
    );
    expect(sections).toHaveLength(1);
    const fields = sections[0].records[0].fields;
    expect(fields.find((f) => f.label === 'Förnamn')?.value).toBe('Aino');
    expect(fields.find((f) => f.label === 'Personbeteckning')?.value).toBe('131052-308T');
    expect(fields.find((f) => f.label === 'Registrerad')?.value).toBe('2.5.2024 09:30');
    expect(fields.find((f) => f.label === 'Gatuadress')?.value).toBe('–');
    expect(JSON.stringify(sections)).not.toContain('never printed');
  });

  it('list the copy’s categories in the register description’s order, whatever order the systems were gathered in', () => {
    // One row in every described table, gathered system by system in reverse key order (as parts are stored).
    const tables = description.categories
      .flatMap((c) => c.tables.map((t) => ({ table: t.table, category: c.key, system: c.system, columns: [], rows: [{}], redactions: 0 })))
      .sort((a, b) => b.system.localeCompare(a.system));
    const sections = reportSections(description, tables, 'fi');
    const expected = description.categories.flatMap((c) => c.tables.map(() => c.key));
    expect(sections.map((s) => s.category)).toEqual(expected);
    expect(new Set(tables.map((t) => t.system)).size).toBeGreaterThan(1);
  });

  it('gather every system that holds register tables, each once', () => {
    const systems = systemsWithTables(description);
    expect(systems).toContain('foreammatti');
    expect(new Set(systems).size).toBe(systems.length);
    for (const key of systems) expect(description.categories.some((c) => c.system === key)).toBe(true);
    // Office 365 is named in the notice but holds no register table of its own.
    expect(systems).not.toContain('office365');
  });

  it('print Helsinki local time for timestamps, across daylight saving time', () => {
    expect(printable('2025-01-31T23:30:00Z', 'fi')).toBe('1.2.2025 01:30');
    expect(printable('2025-07-01T21:15:00Z', 'en')).toBe('2 July 2025 00:15');
  });
});
