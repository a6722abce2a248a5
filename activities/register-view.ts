/**
 * The register description seen from a letter: the controller's contacts, the GDPR 15 information
 * items and the data report, each resolved to the letter's language. Nothing here is specific to
 * one controller; it all comes from the description.
 */
import type { Language } from '../domain/request';
import type { DataCategory, RegisterDescription } from '../domain/register-description';
import type { GatheredTable } from '../db/repositories/register-data';
import type { ContactBlock, LetterBase, ProcessingInformation, ReportSection } from '../templates/types';
import { formatDate, translator } from '../templates/i18n';
import { helsinkiDate } from '../domain/deadline';

/** Systems that hold register tables, in description order: each is gathered by its own activity. */
export function systemsWithTables(description: RegisterDescription): string[] {
  const keys = new Set(description.categories.filter((c) => c.tables.length > 0).map((c) => c.system));
  return description.systems.filter((s) => keys.has(s.key)).map((s) => s.key);
}

/** The letterhead, the DPO, the contact person (Hallintolaki 434/2003 44 §) and the supervisory authority. */
export function letterParties(
  d: RegisterDescription,
  lang: Language,
): Pick<LetterBase, 'registerName' | 'controller' | 'dpo' | 'contactPerson' | 'supervisoryAuthority' | 'appealCourt' | 'appealDays' | 'complaintTimeLimit'> {
  const contact = d.contactPersons[0];
  const contactPerson: ContactBlock = { name: contact.name, title: contact.title[lang], phone: contact.phone, email: contact.email ?? d.dataProtectionOfficer.email };
  return {
    registerName: d.register.name[lang],
    controller: {
      name: d.controller.name[lang],
      businessId: d.controller.businessId,
      address: d.controller.postalAddress[lang],
      phone: d.controller.phone,
      email: d.controller.email,
      web: d.controller.web,
    },
    dpo: { name: d.dataProtectionOfficer.name[lang], phone: d.dataProtectionOfficer.phone, email: d.dataProtectionOfficer.email },
    contactPerson,
    supervisoryAuthority: {
      name: d.appealRoute?.complaint.body[lang] ?? d.supervisoryAuthority.name[lang],
      address: d.appealRoute?.complaint.postalAddress[lang] ?? d.supervisoryAuthority.postalAddress[lang],
      phone: d.supervisoryAuthority.phone,
      web: d.supervisoryAuthority.web,
    },
    ...appealParts(d, lang),
  };
}

/** LEGAL-RULES.md 6: the appeal route of the register description, where it gives one. */
function appealParts(d: RegisterDescription, lang: Language): Pick<LetterBase, 'appealCourt' | 'appealDays' | 'complaintTimeLimit'> {
  const route = d.appealRoute;
  if (!route) return {};
  const a = route.appeal;
  return {
    appealCourt: { name: a.body[lang], address: a.postalAddress[lang], email: a.email, phone: a.phone, web: a.web },
    appealDays: a.timeLimitDays,
    complaintTimeLimit: route.complaint.timeLimit[lang],
  };
}

/** The legal basis of a category as printed: name and article, with the special-category basis if any. */
export function legalBasisText(d: RegisterDescription, category: DataCategory, lang: Language): string {
  const describe = (key: string) => {
    const basis = d.legalBases.find((b) => b.key === key);
    return basis ? `${basis.name[lang]} (${basis.article})` : key;
  };
  const main = describe(category.legalBasis);
  return category.specialCategoryBasis ? `${main}; ${describe(category.specialCategoryBasis)}` : main;
}

/** GDPR 15(1)(a)-(h) and 15(2): the information items every access answer carries. */
export function processingInformation(d: RegisterDescription, lang: Language): ProcessingInformation {
  const t = translator(lang);
  return {
    purposes: d.purposes.map((p) => p[lang]),
    categories: d.categories.map((c) => ({
      label: c.label[lang],
      legalBasis: legalBasisText(d, c, lang),
      retention: c.retention.years === null ? c.retention.basis[lang] : `${t('units.years', { count: c.retention.years })}. ${c.retention.basis[lang]}`,
    })),
    recipients: d.recipients.map((r) => (r.description ? `${r.name[lang]}: ${r.description[lang]}` : r.name[lang])),
    retention: [d.retention.period[lang], d.retention.basis[lang], ...d.retention.notes.map((n) => n[lang])].join(' '),
    sources: d.sources.items.map((s) => s[lang]),
    automatedDecisionMaking: d.automatedDecisionMaking.text[lang],
    transfersOutsideEea: d.transfersOutsideEea.text[lang],
    rights: d.rights.items.map((r) => r[lang]),
  };
}

/** What the gathering activity stored for one table. */
export type GatheredTableData = GatheredTable;

/** The data report: every gathered table with rows, labelled from the description. */
export function reportSections(d: RegisterDescription, tables: GatheredTableData[], lang: Language): ReportSection[] {
  const ranked: { rank: number; section: ReportSection }[] = [];
  for (const gathered of tables) {
    if (gathered.rows.length === 0) continue;
    const categoryIndex = d.categories.findIndex((c) => c.key === gathered.category);
    const category = d.categories[categoryIndex];
    const tableIndex = category ? category.tables.findIndex((t) => t.table === gathered.table) : -1;
    const described = category?.tables[tableIndex];
    if (!category || !described) continue;
    const system = d.systems.find((s) => s.key === gathered.system);
    // The parts arrive per source system; the copy follows the description's order, as the privacy notice does.
    ranked.push({
      rank: categoryIndex * 1000 + tableIndex,
      section: {
        category: category.key,
        categoryLabel: category.label[lang],
        system: system ? system.name[lang] : gathered.system,
        legalBasis: legalBasisText(d, category, lang),
        records: gathered.rows.map((row) => ({
          fields: described.fields.map((f) => ({ label: f.label[lang], value: printable(row[f.column], lang) })),
        })),
      },
    });
  }
  return ranked.sort((a, b) => a.rank - b.rank).map((r) => r.section);
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

// Built once: building a formatter costs far more than formatting, and an answer has thousands of times.
const HELSINKI_TIME = new Intl.DateTimeFormat('fi-FI', { timeZone: 'Europe/Helsinki', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

/** A register value as a resident reads it: dates in the letter's convention, times in Helsinki. */
export function printable(value: string | null | undefined, lang: Language): string {
  if (value === null || value === undefined || value === '') return '–';
  if (ISO_DATE.test(value)) return formatDate(value, lang);
  if (ISO_TIMESTAMP.test(value)) {
    const instant = new Date(value);
    if (Number.isNaN(instant.getTime())) return value;
    const time = HELSINKI_TIME.format(instant);
    return `${formatDate(helsinkiDate(instant), lang)} ${time.replace('.', ':')}`;
  }
  return value;
}
