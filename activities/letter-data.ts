/** The data of the letters that depend on decisions, fees, withdrawals and restriction lifts. */
import type { Kysely } from 'kysely';
import type { Database } from '../db/database';
import { auditEntriesForRequest } from '../db/repositories/audit';
import { getFee, listDecisions } from '../db/repositories/decisions';
import { findEvent, latestEventOfType, listEventsOfTypes } from '../db/repositories/events';
import { getRequestDetails, getRequestSubject } from '../db/repositories/requests';
import { disclosedCategoriesByRecipient, listTransmissions } from '../db/repositories/recipient-notifications';
import { helsinkiDate } from '../domain/deadline';
import type { CategoryRight, DecisionLetter, FeeNoticeLetter, ReportSection, RestrictionLiftNoticeLetter } from '../templates/types';
import type { RequestSummary } from '../domain/request';
import type { ChangePreview } from '../domain/decisions';
import { translator } from '../templates/i18n';
import type { ActivityDeps } from './deps';
import { parseRequestDetails } from '../domain/request-details';
import { printable } from './register-view';

type Without<T> = Omit<T, keyof import('../templates/types').LetterBase>;

export async function feeNoticeLetter(db: Kysely<Database>, requestId: string): Promise<Without<FeeNoticeLetter>> {
  const fee = await getFee(db, requestId);
  if (!fee) throw new Error(`request ${requestId} has no announced fee`);
  return { kind: 'fee_notice', ground: fee.ground as FeeNoticeLetter['ground'], amount: fee.amountCents / 100, basis: fee.basis, payBy: fee.payBy };
}

/** The day the information was first asked for (GDPR 12(6) reminder letters say so). */
export async function requestedOn(db: Kysely<Database>, requestId: string, round: number): Promise<string> {
  const event = await findEvent(db, requestId, `identity:information_requested:${round}`);
  return helsinkiDate(event ? event.at : new Date());
}

export async function withdrawnOn(db: Kysely<Database>, requestId: string, fallback: string): Promise<string> {
  const event = await latestEventOfType(db, requestId, 'withdrawn');
  return event ? helsinkiDate(event.at) : fallback;
}

/** GDPR 18(3): the planned lift, as recorded when a handler asked for it. */
export async function liftNoticeLetter(deps: ActivityDeps, summary: RequestSummary, liftKey: string): Promise<Without<RestrictionLiftNoticeLetter>> {
  const plan = await findEvent(deps.db, summary.id, `${liftKey}:planned`);
  if (!plan) throw new Error(`no planned restriction lift ${liftKey}`);
  const categories = (plan.data.categories as string[]).map((key) => deps.description.categories.find((c) => c.key === key)?.label[summary.language] ?? key);
  return { kind: 'restriction_lift_notice', categories, liftOn: String(plan.data.liftOn), reason: plan.reason ?? '' };
}

/** The rights whose changes GDPR 19 passes on to recipients. */
const NOTIFIED_RIGHTS = new Set(['rectification', 'erasure', 'restriction']);

/**
 * The decision letter (LEGAL-RULES.md 6: it lists only what is done): the categories the request was
 * about where the subject has data, each with its outcome and ground; for a rectification, the
 * corrections made and rejected and nothing else; the recipients the changed data goes to (GDPR 19).
 * A subject with no data in those categories gets a letter saying so.
 */
export async function decisionLetter(deps: ActivityDeps, summary: RequestSummary): Promise<Without<DecisionLetter>> {
  const lang = summary.language;
  const t = translator(lang);
  const decisions = await listDecisions(deps.db, summary.id);
  const details = parseRequestDetails(await getRequestDetails(deps.db, summary.id));
  const previewed = await findEvent(deps.db, summary.id, 'changes_previewed');
  const preview = previewed ? (previewed.data as unknown as ChangePreview) : null;
  const right = summary.right as CategoryRight;
  if (preview && !preview.dataFound) {
    return { kind: 'decision', right, categories: [], corrections: right === 'rectification' ? [] : undefined, dataFound: false, recipientsNotified: [], recipientsNotNotified: [] };
  }
  const previewOf = new Map((preview?.categories ?? []).map((c) => [c.category, c]));
  const rowsByCategory = await changedRowsByCategory(deps.db, summary.id);
  const categories = decisions
    // Only where the subject has data; a rectification lists its corrections instead.
    .filter((d) => d.kind === 'category' && right !== 'rectification' && (!preview || (previewOf.get(d.key)?.rows ?? 0) > 0))
    .map((d) => {
      const category = deps.description.categories.find((c) => c.key === d.key);
      const kept = d.outcome !== 'granted' && summary.right === 'erasure';
      // The count of changed entries only from a change already made: a draft approved before the
      // change gives the outcome, not a preview's count that the register may no longer match then.
      const rows = rowsByCategory.get(d.key);
      return {
        categoryLabel: category?.label[lang] ?? d.key,
        outcome: d.outcome,
        ground: d.ground,
        reason: d.reason,
        retention: kept && category ? retentionText(category.retention, t, lang) : null,
        changes: d.outcome === 'granted' && rows ? t('units.records', { count: rows }) : null,
      };
    });
  const corrections = decisions
    .filter((d) => d.kind === 'correction')
    .map((d) => {
      const index = Number(d.key.split(':')[1]);
      const proposed = details.corrections[index];
      return { field: fieldLabel(deps, proposed.field, lang), proposed: printable(proposed.value, lang), accepted: d.outcome === 'granted', reason: d.reason };
    });
  const { notified, notNotified } = await recipientOutcomes(deps, summary);
  return {
    kind: 'decision',
    right,
    categories,
    corrections: summary.right === 'rectification' ? corrections : undefined,
    transmittedTo: summary.right === 'portability' ? await transmittedHost(deps.db, summary.id) : undefined,
    transmitTo: summary.right === 'portability' && details.transmitTo ? new URL(details.transmitTo).host : undefined,
    recipientsNotified: notified,
    recipientsNotNotified: notNotified,
    recipientsToNotify: preview && NOTIFIED_RIGHTS.has(right) ? await recipientsOfChanges(deps, summary, preview) : undefined,
    dataFound: true,
  };
}

/** GDPR 19: the recipients the changing data was disclosed to, by name, from the disclosure log. */
async function recipientsOfChanges(deps: ActivityDeps, summary: RequestSummary, preview: ChangePreview): Promise<string[]> {
  const subject = await getRequestSubject(deps.db, summary.id);
  if (!subject?.personId) return [];
  const changing = [
    ...preview.categories.filter((c) => c.changes.some((x) => x.rows > 0)).map((c) => c.category),
    ...preview.corrections.map((c) => c.category).filter(Boolean),
  ];
  if (changing.length === 0) return [];
  const disclosed = await disclosedCategoriesByRecipient(deps.db, subject.personId, [...new Set(changing)]);
  return [...disclosed.keys()].map((key) => deps.description.recipients.find((r) => r.key === key)?.name[summary.language] ?? key);
}

/** GDPR 20(2): the letter says "transmitted" only for a transmission the other controller accepted. */
async function transmittedHost(db: Kysely<Database>, requestId: string): Promise<string | null> {
  const delivered = (await listTransmissions(db, requestId)).find((t) => t.status === 'delivered');
  return delivered ? new URL(delivered.endpointUrl).host : null;
}

function retentionText(retention: { years: number | null; basis: Record<string, string> }, t: ReturnType<typeof translator>, lang: 'fi' | 'sv' | 'en'): string {
  return retention.years === null ? retention.basis[lang] : `${t('units.years', { count: retention.years })}. ${retention.basis[lang]}`;
}

function fieldLabel(deps: ActivityDeps, field: string, lang: 'fi' | 'sv' | 'en'): string {
  const [schema, table, column] = field.split('.');
  for (const c of deps.description.categories) {
    for (const tb of c.tables) {
      if (tb.table !== `${schema}.${table}`) continue;
      const f = tb.fields.find((x) => x.column === column);
      if (f) return `${c.label[lang]}: ${f.label[lang]}`;
    }
  }
  return field;
}

/** Rows changed per category, from the digests the register change recorded in the audit chain. */
async function changedRowsByCategory(db: Kysely<Database>, requestId: string): Promise<Map<string, number>> {
  const totals = new Map<string, number>();
  for (const entry of await auditEntriesForRequest(db, requestId)) {
    if (entry.action !== 'register_change_digests') continue;
    for (const change of (entry.details.changes as { category: string; rows: number }[]) ?? []) {
      totals.set(change.category, (totals.get(change.category) ?? 0) + change.rows);
    }
  }
  return totals;
}

/** GDPR 19: which recipients were told, and which could not be (with the recorded reason). */
async function recipientOutcomes(deps: ActivityDeps, summary: RequestSummary): Promise<{ notified: string[]; notNotified: { name: string; reason: string }[] }> {
  const name = (key: string) => deps.description.recipients.find((r) => r.key === key)?.name[summary.language] ?? key;
  const events = await listEventsOfTypes(deps.db, summary.id, ['recipient_notified', 'recipient_not_notified']);
  const notified = events.filter((e) => e.type === 'recipient_notified').map((e) => name(String(e.data.recipient ?? e.data.recipientKey)));
  const notNotified = events
    .filter((e) => e.type === 'recipient_not_notified')
    .map((e) => ({ name: name(String(e.data.recipient ?? e.data.recipientKey)), reason: e.reason ?? String(e.data.reason ?? '') }));
  return { notified: [...new Set(notified)], notNotified };
}

/** Tietosuojalaki 34 §: the categories a handler withheld from an access copy, with a description. */
export async function withheldItems(db: Kysely<Database>, requestId: string): Promise<{ category: string; description: string }[]> {
  // The latest withholding replaced the earlier ones: its list is the whole list.
  const last = await latestEventOfType(db, requestId, 'items_withheld');
  return last ? (last.data.items as { category: string; description: string }[]) : [];
}

/** Takes the withheld categories' records out of the copy and says what was withheld and on which ground. */
export function applyWithholding(sections: ReportSection[], withheld: { category: string; description: string }[], ground: string): ReportSection[] {
  return sections.map((section) => {
    const items = withheld.filter((w) => w.category === section.category);
    if (items.length === 0) return section;
    return { ...section, records: [], withheld: items.map((w) => ({ description: w.description, ground })) };
  });
}
