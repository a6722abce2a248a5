/**
 * Activities of the per-category rights: proposals from the legal bases, the handler's decisions,
 * carrying them out in the register (one transaction each, with before/after digests in the audit
 * chain and no personal data), the portability export, fees and the clock pause.
 */
import { appendAudit } from '../db/repositories/audit';
import { announceFee, endClockPause, getFee, listClockPauses, listDecisions, recordDecision, recordFeePaid, startClockPause, storeProposals } from '../db/repositories/decisions';
import { listDocuments, storeDocument } from '../db/repositories/documents';
import { sql } from 'kysely';
import { findEvent, recordTransitionIn } from '../db/repositories/events';
import { getRequestDetails, updateDeadlines } from '../db/repositories/requests';
import { applyRectification, countSubjectRows, eraseCategories, exportPortableData, recordsConsent, restrictCategories, withdrawConsent } from '../db/repositories/register-changes';
import { applyPauses, deadlineRuleId } from '../domain/deadline';
import { proposeOutcomes, type CategoryDecision, type CategoryLaw, type ChangePreview } from '../domain/decisions';
import type { Outcome, RequestSummary } from '../domain/request';
import type { DecideCategoriesInput } from '../workflows/contracts';
import type { ActivityDeps } from './deps';
import { loadSubject, loadSummary } from './load-request';
import { parseRequestDetails } from '../domain/request-details';

export function decisionActivities(deps: ActivityDeps) {
  const now = deps.now ?? (() => new Date());

  const load = (requestId: string) => loadSummary(deps.db, requestId);
  const subjectOf = (requestId: string) => loadSubject(deps.db, requestId);

  return {
    /** LEGAL-RULES.md 3: one proposal per category from its legal basis; the subject's corrections by field. */
    async proposeDecisions({ requestId }: { requestId: string }): Promise<{ proposals: CategoryDecision[]; corrections: string[]; laws: CategoryLaw[]; withdrawable?: string[] }> {
      const summary = await load(requestId);
      const details = parseRequestDetails(await getRequestDetails(deps.db, requestId));
      // GDPR 16 is decided per correction: only the categories of the proposed corrections are concerned.
      const concerned =
        summary.right === 'rectification' ? details.corrections.map((c) => categoryOfField(deps, c.field)).filter((k): k is string => k !== null) : details.categories;
      // GDPR 7(3): where the register keeps no consent record for a consent-based category there is
      // no consent to withdraw; the proposal says so rather than proposing what cannot be done.
      const proposals = proposeOutcomes(summary.right, deps.description, concerned).map((p) =>
        summary.right === 'consent_withdrawal' && p.outcome === 'granted' && !recordsConsent(deps.description, p.category)
          ? { ...p, outcome: 'not_applicable' as const, ground: 'gdpr_7_3_not_consent' as const }
          : p,
      );
      const corrections = details.corrections.map((c) => c.field);
      await storeProposals(deps.db, requestId, [
        ...proposals.map((p) => ({ key: p.category, kind: 'category' as const, outcome: p.outcome, ground: p.ground })),
        ...details.corrections.map((c, i) => ({
          key: `correction:${i}`,
          kind: 'correction' as const,
          outcome: 'granted' as const,
          ground: 'gdpr_16_inaccurate' as const,
          data: { field: c.field, category: categoryOfField(deps, c.field) },
        })),
      ]);
      // The legal basis of each category travels with the proposals: the workflow checks every decision against it.
      const laws = deps.description.categories
        .filter((c) => proposals.some((p) => p.category === c.key))
        .map(({ key, legalBasis, automatedProcessing }) => ({ key, legalBasis, automatedProcessing }));
      // GDPR 7(3): only where a consent is recorded can its withdrawal be; the update validator refuses the rest.
      if (summary.right !== 'consent_withdrawal') return { proposals, corrections, laws };
      return { proposals, corrections, laws, withdrawable: proposals.map((p) => p.category).filter((c) => recordsConsent(deps.description, c)) };
    },

    /** Stores the handler's decisions: overrides with reasons, the rest confirmed as proposed. */
    async recordDecisions({ requestId, input }: { requestId: string; input: DecideCategoriesInput }): Promise<void> {
      const at = now();
      const stored = await listDecisions(deps.db, requestId);
      await deps.db.transaction().execute(async (trx) => {
        for (const d of stored) {
          if (d.kind === 'category') {
            const override = input.decisions.find((x) => x.category === d.key);
            await recordDecision(trx, requestId, {
              key: d.key,
              outcome: override?.outcome ?? d.proposedOutcome,
              ground: override?.ground ?? d.proposedGround,
              reason: override?.reason ?? null,
              decidedBy: input.actor,
              at,
            });
          } else {
            const index = Number(d.key.split(':')[1]);
            const c = input.corrections?.find((x) => x.index === index);
            await recordDecision(trx, requestId, {
              key: d.key,
              outcome: c?.accepted ? 'granted' : 'refused',
              ground: c?.accepted ? 'gdpr_16_inaccurate' : 'gdpr_16_accurate',
              reason: c?.reason ?? null,
              decidedBy: input.actor,
              at,
              data: { ...d.data, rowId: c?.rowId ?? null },
            });
          }
        }
      });
    },

    /**
     * DESIGN.md "Answers and delivery": what the decisions will change, before anything is changed:
     * per decided category its tables and the subject's rows in each, recorded as an event (table
     * names and counts only) that the handler approves together with the draft letter.
     */
    async previewChanges({ requestId }: { requestId: string }): Promise<ChangePreview> {
      const summary = await load(requestId);
      const subject = await subjectOf(requestId);
      const decisions = await listDecisions(deps.db, requestId);
      const categoryDecisions = decisions.filter((d) => d.kind === 'category');
      const counts = await countSubjectRows(deps.db, deps.description, subject, categoryDecisions.map((d) => d.key));
      const changesRegister = REGISTER_CHANGING_RIGHTS.has(summary.right);
      const categories = categoryDecisions.map((d) => {
        const tables = counts.filter((c) => c.category === d.key).map(({ table, rows }) => ({ table, rows }));
        const rows = tables.reduce((sum, t) => sum + t.rows, 0);
        return { category: d.key, outcome: d.outcome, rows, changes: changesRegister && d.outcome === 'granted' && summary.right !== 'rectification' ? tables.filter((t) => t.rows > 0) : [] };
      });
      const corrections = decisions
        .filter((d) => d.kind === 'correction' && d.outcome === 'granted')
        .map((d) => {
          const field = String((d.data as { field?: string }).field ?? '');
          return { category: String((d.data as { category?: string | null }).category ?? ''), table: field.split('.').slice(0, 2).join('.'), rows: 1 };
        });
      const preview: ChangePreview = { dataFound: categories.some((c) => c.rows > 0), categories, corrections };
      await deps.db.transaction().execute((trx) =>
        recordTransitionIn(trx, { requestId, businessKey: 'changes_previewed', type: 'changes_previewed', actor: 'system', data: { ...preview } }),
      );
      return preview;
    },

    /**
     * Carries the granted decisions out in the register once the letter and the preview are
     * approved: in one transaction, recorded in the audit chain. Idempotent by the business key
     * `register_changed`: a retry (or a second attempt running beside the first) finds it recorded
     * and changes nothing again.
     */
    async applyDecisions({ requestId }: { requestId: string }): Promise<{ granted: string[]; changed: string[]; rows: number }> {
      const summary = await load(requestId);
      const subject = await subjectOf(requestId);
      const decisions = await listDecisions(deps.db, requestId);
      const granted = decisions.filter((d) => d.kind === 'category' && d.outcome === 'granted').map((d) => d.key);
      const details = parseRequestDetails(await getRequestDetails(deps.db, requestId));
      const at = now();
      return deps.db.transaction().execute(async (trx) => {
        // One apply per request at a time; the second waits here and then finds the first's record.
        await sql`select pg_advisory_xact_lock(hashtext(${`register_changed:${requestId}`}))`.execute(trx);
        const done = await findEvent(trx, requestId, 'register_changed');
        if (done) return { granted, changed: (done.data.changed as string[] | undefined) ?? [], rows: Number(done.data.rows ?? 0) };
        const changes = await applyForRight(trx, deps, summary, subject, granted, decisions, details, at);
        const total = changes.reduce((sum, c) => sum + c.rows, 0);
        // GDPR 19 concerns only data that changed: the categories with at least one changed row.
        const changed = [...new Set(changes.filter((c) => c.rows > 0).map((c) => c.category))];
        await recordTransitionIn(trx, {
          requestId,
          businessKey: 'register_changed',
          type: 'register_changed',
          actor: 'system',
          at,
          data: { right: summary.right, categories: granted, changed, rows: total },
        });
        // The digests of what changed go into the chain; the personal data itself does not.
        await appendAudit(trx, { actor: 'system', action: 'register_change_digests', requestId, at, details: { changes } });
        return { granted, changed, rows: total };
      });
    },

    /** GDPR 20: the export of provided data (JSON and CSV) as documents of the request. */
    async exportPortability({ requestId }: { requestId: string }): Promise<{ documentIds: string[]; transmit: boolean }> {
      const summary = await load(requestId);
      const subject = await subjectOf(requestId);
      const decisions = await listDecisions(deps.db, requestId);
      const granted = decisions.filter((d) => d.kind === 'category' && d.outcome === 'granted').map((d) => d.key);
      const exported = await exportPortableData(deps.db, deps.description, subject, granted);
      const json = await storeDocument(deps.db, {
        requestId,
        businessKey: `document:${requestId}:portability_json`,
        kind: 'portability_json',
        language: summary.language,
        filename: `${summary.reference}-data.json`,
        mediaType: 'application/json',
        content: exported.json,
      });
      const csv = await storeDocument(deps.db, {
        requestId,
        businessKey: `document:${requestId}:portability_csv`,
        kind: 'portability_csv',
        language: summary.language,
        filename: `${summary.reference}-data.csv`,
        mediaType: 'text/csv',
        content: exported.csv,
      });
      const details = parseRequestDetails(await getRequestDetails(deps.db, requestId));
      return { documentIds: [json.id, csv.id], transmit: details.transmitTo !== null };
    },

    /** GDPR 12(5)(a): records the announced fee. */
    async announceFee(input: { requestId: string; actor: string; amountCents: number; ground: string; basis: string; payBy: string }): Promise<void> {
      const at = now();
      await deps.db.transaction().execute(async (trx) => {
        await announceFee(trx, input.requestId, { amountCents: input.amountCents, ground: input.ground, basis: input.basis, payBy: input.payBy, announcedBy: input.actor, at });
        await recordTransitionIn(trx, {
          requestId: input.requestId,
          businessKey: 'fee_announced',
          type: 'fee_announced',
          actor: input.actor,
          at,
          reason: input.basis,
          data: { amountCents: input.amountCents, payBy: input.payBy },
          change: { state: 'awaiting_payment' },
        });
      });
    },

    async recordPayment({ requestId, actor }: { requestId: string; actor: string }): Promise<void> {
      const at = now();
      await deps.db.transaction().execute(async (trx) => {
        await recordFeePaid(trx, requestId, actor, at);
        await recordTransitionIn(trx, { requestId, businessKey: 'fee_paid', type: 'fee_paid', actor, at });
      });
    },

    /**
     * LEGAL-RULES.md 1 (setting): starts or ends a pause of the clock; on the end the deadlines move
     * by the paused days and are stored. Returns the new summary when the deadlines moved.
     */
    async clockPause({ requestId, action }: { requestId: string; action: 'start' | 'end' }): Promise<{ summary: RequestSummary | null }> {
      const at = now();
      if (action === 'start') {
        await startClockPause(deps.db, requestId, at);
        return { summary: null };
      }
      const summary = await load(requestId);
      await deps.db.transaction().execute(async (trx) => {
        await endClockPause(trx, requestId, at);
      });
      const pauses = (await listClockPauses(deps.db, requestId)).map((p) => ({ start: p.start, end: p.end ?? at }));
      const rules = { extendedMonths: deps.settings.extendedMonths };
      const moved = applyPauses(new Date(summary.receivedAt), pauses, rules);
      await deps.db.transaction().execute(async (trx) => {
        await updateDeadlines(trx, requestId, { ...moved, rule: `${deadlineRuleId(rules)}+paused:${moved.pausedDays}d` });
        await recordTransitionIn(trx, {
          requestId,
          businessKey: `clock_resumed:${pauses.length}`,
          type: 'clock_resumed',
          actor: 'system',
          at,
          data: { pausedDays: moved.pausedDays, deadline: moved.deadline, extendedDeadline: moved.extendedDeadline },
        });
      });
      return { summary: await load(requestId) };
    },

    /** Documents that go to the subject beside the answer letter (the portability export). */
    async listDeliverables({ requestId }: { requestId: string }): Promise<{ documentIds: string[] }> {
      const documents = await listDocuments(deps.db, requestId);
      return { documentIds: documents.filter((d) => d.kind === 'portability_json' || d.kind === 'portability_csv').map((d) => d.id) };
    },

    /** How the request ends: answered, or wholly or partly refused by its category decisions. */
    async outcomeOf({ requestId }: { requestId: string }): Promise<Outcome> {
      const summary = await load(requestId);
      const decisions = (await listDecisions(deps.db, requestId)).filter((d) => d.kind === 'category' || d.kind === 'correction');
      if (decisions.length === 0) return 'answered';
      // A portability request for data it does not cover is partly refused, with access offered instead.
      const refused = decisions.filter((d) => d.outcome === 'refused' || (summary.right === 'portability' && d.outcome === 'not_applicable'));
      const granted = decisions.filter((d) => d.outcome === 'granted');
      if (refused.length === 0) return 'answered';
      return granted.length === 0 ? 'refused' : 'partially_refused';
    },

    async getFeeFor({ requestId }: { requestId: string }) {
      return getFee(deps.db, requestId);
    },
  };
}

function categoryOfField(deps: ActivityDeps, field: string): string | null {
  const [schema, table, column] = field.split('.');
  const name = `${schema}.${table}`;
  const category = deps.description.categories.find((c) => c.tables.some((t) => t.table === name && t.fields.some((f) => f.column === column)));
  return category?.key ?? null;
}

/** The rights whose granted decisions change the register (portability only reads it). */
const REGISTER_CHANGING_RIGHTS: ReadonlySet<string> = new Set(['erasure', 'restriction', 'objection', 'consent_withdrawal', 'rectification']);

type ChangeSummary = { table: string; category: string; action: string; rows: number; beforeDigest: string; afterDigest: string };

/** The register change each right makes for its granted categories (GDPR 16, 17, 18, 21, 7(3)). */
async function applyForRight(
  trx: Parameters<typeof eraseCategories>[0],
  deps: ActivityDeps,
  summary: RequestSummary,
  subject: { personId: string | null; email: string | null },
  granted: string[],
  decisions: Awaited<ReturnType<typeof listDecisions>>,
  details: ReturnType<typeof parseRequestDetails>,
  at: Date,
): Promise<ChangeSummary[]> {
  const d = deps.description;
  switch (summary.right) {
    case 'erasure':
      return eraseCategories(trx, d, subject, granted);
    case 'restriction':
      return restrictCategories(trx, d, subject, granted, 'gdpr_18', at);
    case 'objection':
      // GDPR 21(1): processing of the public-task data stops; the rows are only stored from now on.
      return restrictCategories(trx, d, subject, granted, 'gdpr_21', at);
    case 'consent_withdrawal':
      return withdrawConsent(trx, d, subject, granted, at);
    case 'rectification': {
      const changes: ChangeSummary[] = [];
      for (const decision of decisions.filter((x) => x.kind === 'correction' && x.outcome === 'granted')) {
        const index = Number(decision.key.split(':')[1]);
        const proposed = details.corrections[index];
        const [schema, table, column] = proposed.field.split('.');
        const rowId = (decision.data as { rowId?: string | null }).rowId ?? proposed.rowId ?? null;
        changes.push(await applyRectification(trx, d, subject, { table: `${schema}.${table}`, column, rowId, value: proposed.value }));
      }
      return changes;
    }
    default:
      return [];
  }
}
