/**
 * The copy of the subject's data (GDPR 15(3)): every section with its category, system and legal
 * basis and every record's fields; items withheld under Tietosuojalaki 1050/2018 34 § with their
 * ground; and how many mentions of other people were redacted (GDPR 15(4)).
 */
import type { AccessAnswerLetter, ReportSection } from '../../types';
import type { LetterContext } from '../layout';
import { STYLE, type LetterWriter, type RowsOptions } from '../writer';

const META: RowsOptions = { labelWidth: 130, size: 9 };
const RECORD: RowsOptions = { labelWidth: 130, indent: 10, asParagraph: true };

/** Draws the data report; the caller decides whether there is one (GDPR 15(1) confirmation). */
export function drawDataReport(w: LetterWriter, letter: AccessAnswerLetter, ctx: LetterContext): void {
  const { t } = ctx;
  w.section(() => {
    w.heading(t('report.heading'), 2);
    w.paragraph(t('report.intro'));
    for (const section of letter.sections) drawSection(w, section, ctx);
    w.section(() => {
      w.heading(t('report.othersHeading'), 3);
      w.paragraph(redactionStatement(letter.redactions, ctx)); // GDPR 15(4)
    });
  });
}

/** True when any section withholds an item, so the letter must explain why and how to object. */
export function hasWithheldItems(letter: AccessAnswerLetter): boolean {
  return letter.sections.some((section) => (section.withheld ?? []).length > 0);
}

function drawSection(w: LetterWriter, section: ReportSection, { t }: LetterContext): void {
  w.section(() => {
    const meta = [
      { label: t('report.system'), value: section.system },
      { label: t('report.legalBasis'), value: section.legalBasis },
      { label: t('report.records'), value: t('report.recordCount', { count: section.records.length }) },
    ];
    // Keep the category heading, its facts and the start of its first record on one page.
    const metaHeight = meta.reduce((sum, row) => sum + w.rowHeight(row.label, row.value, META) + 3, 0);
    w.heading(section.categoryLabel, 3, metaHeight + 50);
    w.rows(meta, META);
    if (section.records.length === 0) w.paragraph(t('report.noRecords'), { color: STYLE.muted });
    const caption = recordCaption(section.records.length, t);
    section.records.forEach((record, index) => w.rows(record.fields, { ...RECORD, caption: caption?.(index + 1) }));
    const withheld = section.withheld ?? [];
    if (withheld.length > 0) {
      // Tietosuojalaki 34 §: the item is named with its ground, the rest is still given
      w.heading(t('report.withheldHeading'), 4);
      w.rows(
        withheld.map((item) => ({ label: item.description, value: `${t('report.withheldGround')}: ${item.ground}` })),
        { ...RECORD, labelWidth: 200 },
      );
    }
  });
}

/**
 * "Record n / N" for a section of `count` records, or none for a single record. The catalog text
 * is looked up once per section: a long answer has thousands of records.
 */
function recordCaption(count: number, t: LetterContext['t']): ((index: number) => string) | undefined {
  if (count < 2) return undefined;
  const marker = '\u0000';
  const [before, after] = t('report.record', { index: marker, count }).split(marker);
  return (index) => (after === undefined ? t('report.record', { index, count }) : `${before}${index}${after}`);
}

function redactionStatement(count: number, { t }: LetterContext): string {
  return count === 0 ? t('report.redactionsNone') : t('report.redactions', { count });
}
