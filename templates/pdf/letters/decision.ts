/**
 * The decision on a right decided per data category (LEGAL-RULES.md 3): rectification (GDPR 16),
 * erasure (17), restriction (18), portability (20), objection (21) or consent withdrawal (7(3)).
 * One request can be partly granted and partly refused. Catalog keys and what they implement:
 * - decision.title.<right>, decision.intro.<right>, decision.introCommon: what was asked, when
 * - decision.summary.*: Hallintolaki 434/2003 44 §, what was decided
 * - decision.outcome.<right>.<outcome> + grounds.<ground>: per category, the outcome and the
 *   provision it rests on (GDPR 12(4), Hallintolaki 45 §), with the handler's reasons, the
 *   retention of kept data (GDPR 17(3)) and the changes made
 * - decision.corrections.*: GDPR 16, each proposed correction accepted or rejected with reasons
 * - parts/decision-effects: what the decision means for the right (18(2)-(3), 20(2), 21(1), 7(3))
 * - parts/recipients: GDPR 19, who was told and who could not be
 * - remedy.*: GDPR 12(4), 77 and 79 whenever anything asked for is not done
 */
import { groundsAllowed } from '../../../domain/decisions';
import type { CategoryDecisionLine, DecisionLetter } from '../../types';
import { requireText } from '../checks';
import { renderWithLayout, type LetterContext } from '../layout';
import { drawDecisionEffects } from '../parts/decision-effects';
import { drawRecipients, notifiesRecipients } from '../parts/recipients';
import { drawRemedies } from '../parts/remedies';
import type { LetterWriter, Row, RowsOptions } from '../writer';

const CATEGORY_ROWS: RowsOptions = { labelWidth: 130, indent: 10 };

/** Renders the per-category decision to PDF/A bytes. */
export function renderDecision(letter: DecisionLetter): Promise<Buffer> {
  assertConsistent(letter);
  return renderWithLayout(letter, `decision.title.${letter.right}`, drawDecision);
}

/** True when some part of what was asked is not done, so the letter must give the remedies (GDPR 12(4)). */
export function somethingNotDone(letter: DecisionLetter): boolean {
  return letter.categories.some((c) => c.outcome !== 'granted') || (letter.corrections ?? []).some((c) => !c.accepted);
}

/** The rights whose decision changes the register; a subject with no data is told nothing was changed. */
const CHANGE_RIGHTS: ReadonlySet<DecisionLetter['right']> = new Set(['rectification', 'erasure', 'restriction', 'objection', 'consent_withdrawal']);

function drawDecision(w: LetterWriter, letter: DecisionLetter, ctx: LetterContext): void {
  const { t, date } = ctx;
  w.paragraph(t(`decision.intro.${letter.right}`));
  if (letter.dataFound === false) {
    // LEGAL-RULES.md 6: no data found is said as such, never as a granted request.
    w.paragraph(t('decision.notFound.received', { receivedOn: date(letter.receivedOn) }));
    w.section(() => {
      w.heading(t('decision.summaryHeading'), 2);
      w.paragraph(t('decision.notFound.text'), { bold: true });
      if (CHANGE_RIGHTS.has(letter.right)) w.paragraph(t('decision.notFound.nothingChanged'));
    });
    return;
  }
  w.paragraph(t('decision.introCommon', { receivedOn: date(letter.receivedOn) }));
  w.section(() => {
    w.heading(t('decision.summaryHeading'), 2);
    w.paragraph(t(`decision.summary.${summaryOf(letter)}`), { bold: true });
  });
  if (letter.categories.length > 0) {
    w.section(() => {
      w.heading(t('decision.categoriesHeading'), 2);
      for (const category of letter.categories) drawCategory(w, letter, category, ctx);
    });
  }
  if (letter.right === 'rectification') drawCorrections(w, letter, ctx);
  drawDecisionEffects(w, letter, ctx);
  if (notifiesRecipients(letter)) drawRecipients(w, letter, ctx); // GDPR 19
  if (somethingNotDone(letter)) drawRemedies(w, letter, ctx); // GDPR 12(4)
}

function summaryOf(letter: DecisionLetter): 'granted' | 'partial' | 'refused' {
  const done = letter.categories.filter((c) => c.outcome === 'granted').length;
  if (!somethingNotDone(letter)) return 'granted';
  return done === 0 && !(letter.corrections ?? []).some((c) => c.accepted) ? 'refused' : 'partial';
}

function drawCategory(w: LetterWriter, letter: DecisionLetter, category: CategoryDecisionLine, { t }: LetterContext): void {
  const rows: Row[] = [
    { label: t('decision.outcomeLabel'), value: t(`decision.outcome.${letter.right}.${category.outcome}`) },
    { label: t('decision.groundLabel'), value: `${t(`grounds.${category.ground}.citation`)}\n${t(`grounds.${category.ground}.explanation`)}` },
  ];
  if (category.reason) rows.push({ label: t('decision.reasonLabel'), value: category.reason });
  if (category.retention) rows.push({ label: t('decision.retentionLabel'), value: category.retention });
  if (category.changes) rows.push({ label: t('decision.changesLabel'), value: category.changes });
  w.section(() => {
    // Keep the category's name with at least its outcome and the start of its ground.
    w.heading(category.categoryLabel, 3, w.rowHeight(rows[0].label, rows[0].value, CATEGORY_ROWS) + 40);
    w.rows(rows, CATEGORY_ROWS);
  });
}

function drawCorrections(w: LetterWriter, letter: DecisionLetter, { t }: LetterContext): void {
  const corrections = letter.corrections ?? [];
  if (corrections.length === 0) return;
  w.section(() => {
    w.heading(t('decision.corrections.heading'), 2);
    w.paragraph(t('decision.corrections.intro'));
    for (const correction of corrections) {
      const rows: Row[] = [
        { label: t('decision.corrections.proposed'), value: correction.proposed },
        { label: t('decision.outcomeLabel'), value: t(correction.accepted ? 'decision.corrections.accepted' : 'decision.corrections.rejected') },
      ];
      if (correction.reason) rows.push({ label: t('decision.reasonLabel'), value: correction.reason });
      w.section(() => {
        w.heading(correction.field, 3, rows.reduce((sum, row) => sum + w.rowHeight(row.label, row.value, CATEGORY_ROWS) + 3, 0));
        w.rows(rows, CATEGORY_ROWS);
      });
    }
  });
}

/** A decision that would print a false or unreasoned outcome is refused before drawing. */
function assertConsistent(letter: DecisionLetter): void {
  const kind = `decision (${letter.right})`;
  if (letter.dataFound === false) {
    // Nothing found, nothing decided: the letter may not list any outcome.
    if (letter.categories.length > 0 || (letter.corrections ?? []).length > 0) throw new Error(`${kind}: a letter saying no data was found lists no outcomes`);
    return;
  }
  // A rectification lists the corrections only; every other decision at least one category.
  const listed = letter.right === 'rectification' ? letter.categories.length + (letter.corrections ?? []).length : letter.categories.length;
  if (listed === 0) throw new Error(`${kind}: categories must list at least one category`);
  for (const c of letter.categories) {
    // The ground must be one the rule table allows for this right and outcome (LEGAL-RULES.md 3).
    if (!groundsAllowed(letter.right, c.outcome).includes(c.ground)) {
      throw new Error(`${kind}: ground '${c.ground}' does not fit outcome '${c.outcome}' for '${c.categoryLabel}'`);
    }
    // GDPR 17(3): data that is kept is kept for a stated time
    if (letter.right === 'erasure' && c.outcome === 'refused') requireText(kind, `retention of '${c.categoryLabel}'`, c.retention, 'kept data needs its retention');
    // GDPR 21(1): the compelling legitimate grounds are recorded and told
    if (c.ground === 'gdpr_21_1_compelling_grounds') requireText(kind, `reason of '${c.categoryLabel}'`, c.reason, 'GDPR 21(1) compelling grounds');
  }
  const corrections = letter.corrections ?? [];
  if (letter.right !== 'rectification' && corrections.length > 0) throw new Error(`${kind}: corrections belong to a rectification only`);
  for (const c of corrections) if (!c.accepted) requireText(kind, `reason for rejecting the correction of '${c.field}'`, c.reason, 'GDPR 16, Hallintolaki 45 §');
  if (letter.right !== 'portability' && (letter.transmittedTo || letter.transmitTo)) throw new Error(`${kind}: transmission belongs to a portability decision only`);
}
