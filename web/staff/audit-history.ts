/**
 * A request's history as the auditor reads it, in one language: the summary and the sections as
 * plain tables of text. The history page and the PDF export draw the same tables, so they cannot
 * disagree about what the history says.
 */
import { canonicalJson } from '../../db/repositories/audit';
import type { IntegrityStatus } from '../../services/audit-integrity';
import { LANGUAGES, REQUEST_STATES, type Language, type RequestSummary } from '../../domain/request';
import { formatDate } from '../../templates/i18n';
import type { PageText } from '../i18n';
import { helsinkiDate } from './chart';
import { staffHref } from './frame';
import { formatHelsinki } from './i18n';
import type { AuditHistory } from './audit-queries';
import { documentKindText, timelineText } from './request-page';
import type { RegisterDescription } from '../../domain/register-description';

/** One cell: text, optionally a link, code (hashes, ids) or an instant. */
export interface Cell {
  text: string;
  href?: string;
  code?: boolean;
  at?: Date;
}

export interface HistoryTable {
  /** The HTML id of the table (also the section's name). */
  id: string;
  heading: string;
  caption: string;
  note?: string;
  /** Shown instead of the table when it has no rows. */
  empty: string;
  /** Column labels and their relative widths in the PDF. */
  columns: { label: string; weight: number }[];
  /** The column whose cell names its row (`<th scope="row">`). */
  rowHeader: number;
  rows: { key?: string; cells: Cell[] }[];
}

/** Who did something, in words: the service and the data subject by role, staff by their id. */
export function actorText(t: PageText, actor: string): string {
  if (actor === 'system' || actor === 'engine') return t('request.system');
  if (actor === 'subject') return t('request.subject');
  return actor;
}

function languageText(t: PageText, language: string): string {
  return (LANGUAGES as readonly string[]).includes(language) ? t(`languages.${language as Language}`) : language;
}

/** Cell makers of one language: an empty value shows the catalog's dash. */
function cells(t: PageText) {
  const none: Cell = { text: t('common.none') };
  return {
    none,
    when: (at: Date | null | undefined): Cell => (at ? { text: formatHelsinki(t, at), at } : none),
    text: (value: string | null | undefined): Cell => (value ? { text: value } : none),
    code: (value: string | null | undefined): Cell => (value ? { text: value, code: true } : none),
  };
}

/**
 * The audit log's integrity as one sentence: an open alarm first (it stays until an incident note),
 * then a break already answered by a note, else intact (the whole chain, or this request's links).
 */
export function chainSentence(t: PageText, s: IntegrityStatus, scope: 'chain' | 'request'): string {
  const problem = (code: string | undefined) => t(`audit.chain.problems.${code ?? 'link_forged'}`);
  if (s.state === 'broken' && s.alarm) {
    const alarm = t('audit.chain.alarm', { date: formatHelsinki(t, s.alarm.detectedAt), seq: s.alarm.brokenAt ?? '-', problem: problem(s.alarm.problem) });
    const now = !s.found.valid && (s.found.brokenAt !== s.alarm.brokenAt || s.found.problem !== s.alarm.problem);
    return now ? `${alarm} ${t('audit.chain.broken', { seq: s.found.brokenAt ?? '-', problem: problem(s.found.problem) })}` : alarm;
  }
  if (s.state === 'incident_recorded' && s.incident) {
    return t('audit.chain.incidentRecorded', {
      seq: s.found.brokenAt ?? '-',
      problem: problem(s.found.problem),
      by: s.incident.resolvedBy ?? '',
      date: formatHelsinki(t, s.incident.resolvedAt ?? s.incident.detectedAt),
      note: s.incident.incidentSeq ?? '-',
    });
  }
  if (!s.found.valid) return t('audit.chain.broken', { seq: s.found.brokenAt ?? '-', problem: problem(s.found.problem) });
  return t(scope === 'chain' ? 'audit.chain.valid' : 'audit.chain.requestValid', { count: s.found.entries });
}

/** The summary of a request as label/value pairs. */
export function summaryRows(t: PageText, language: Language, s: RequestSummary): { label: string; value: string }[] {
  const none = t('common.none');
  return [
    { label: t('request.reference'), value: s.reference },
    { label: t('request.right'), value: t(`rights.${s.right}`) },
    { label: t('request.state'), value: t(`states.${s.state}`) },
    { label: t('request.outcome'), value: s.outcome ? t(`outcomes.${s.outcome}`) : t('audit.search.notDecided') },
    { label: t('audit.history.channel'), value: t(`audit.history.channels.${s.channel}`) },
    { label: t('audit.history.requestLanguage'), value: languageText(t, s.language) },
    { label: t('request.received'), value: formatHelsinki(t, new Date(s.receivedAt)) },
    { label: t('request.originalDeadline'), value: formatDate(s.deadline, language) },
    { label: t('request.extendedDeadline'), value: s.extended ? formatDate(s.extendedDeadline, language) : none },
    { label: t('audit.history.identityMethod'), value: s.identityMethod ? t(`audit.history.identityMethods.${s.identityMethod}`) : t('audit.history.notEstablished') },
    { label: t('request.assignedTo'), value: s.assignedTo ?? t('request.unassigned') },
    { label: t('request.closed'), value: s.closedAt ? formatHelsinki(t, new Date(s.closedAt)) : none },
  ];
}

/** The sections of the history, in the order the page and the PDF show them. */
export function historyTables(t: PageText, language: Language, h: AuditHistory, description?: RegisterDescription): HistoryTable[] {
  // Categories by their names in the page's language, where the register description knows them.
  const category = (key: string) => description?.categories.find((c) => c.key === key)?.label[language] ?? key;
  const k = (key: string) => t(`audit.history.${key}`);
  const cols = (section: string, spec: [string, number][]) => spec.map(([key, weight]) => ({ label: k(`${section}.${key}`), weight }));
  const documentHref = (id: string) => staffHref(`/staff/audit/documents/${id}`, language);
  const { none, when, text, code } = cells(t);
  const stateCell = (state: string | null): Cell => (!state ? none : (REQUEST_STATES as readonly string[]).includes(state) ? { text: t(`states.${state}`) } : code(state));
  return [
    {
      id: 'events',
      heading: k('events.heading'),
      caption: k('events.caption'),
      empty: k('events.empty'),
      columns: cols('events', [['time', 2], ['actor', 2], ['event', 3], ['state', 2], ['reason', 4]]),
      rowHeader: 2,
      rows: h.events.map((e) => ({
        key: e.type,
        cells: [when(e.at), { text: actorText(t, e.actor) }, { text: timelineText(t, e, h.documents) }, stateCell(e.state), text(e.reason)],
      })),
    },
    {
      id: 'decisions',
      heading: k('decisions.heading'),
      caption: k('decisions.caption'),
      empty: k('decisions.empty'),
      columns: cols('decisions', [['category', 3], ['proposed', 2], ['outcome', 2], ['ground', 3], ['decidedBy', 2], ['decidedAt', 2], ['reason', 4]]),
      rowHeader: 0,
      rows: h.decisions.map((d) => ({
        key: d.key,
        cells: [
          { text: d.kind === 'category' ? category(d.category) : `${category(d.category)} (${d.key})` },
          { text: t(`categoryOutcomes.${d.proposedOutcome}`) },
          { text: d.decidedAt ? t(`categoryOutcomes.${d.outcome}`) : k('decisions.notDecided') },
          { text: t(`actions.decisionGrounds.${d.ground}`) },
          d.decidedAt ? { text: actorText(t, d.decidedBy) } : none,
          when(d.decidedAt),
          text(d.reason),
        ],
      })),
    },
    {
      id: 'documents',
      heading: k('documents.heading'),
      caption: k('documents.caption'),
      note: k('documents.note'),
      empty: k('documents.empty'),
      columns: cols('documents', [['file', 3], ['kind', 2], ['language', 1.5], ['created', 2], ['approved', 2.5], ['sent', 2], ['sha256', 5]]),
      rowHeader: 0,
      rows: h.documents.map((d) => ({
        key: d.id,
        cells: [
          { text: d.filename, href: documentHref(d.id) },
          { text: documentKindText(t, d.kind) },
          { text: languageText(t, d.language) },
          when(d.createdAt),
          d.approvedAt ? { text: t('audit.history.documents.approvedBy', { at: formatHelsinki(t, d.approvedAt), actor: actorText(t, d.approvedBy ?? '') }), at: d.approvedAt } : none,
          when(d.sentAt),
          code(d.sha256),
        ],
      })),
    },
    {
      id: 'emails',
      heading: k('emails.heading'),
      caption: k('emails.caption'),
      note: k('emails.note'),
      empty: k('emails.empty'),
      columns: cols('emails', [['kind', 3], ['status', 3], ['sent', 2], ['messageId', 5]]),
      rowHeader: 0,
      rows: h.messages.map((m) => ({
        key: m.kind,
        cells: [
          code(m.kind),
          { text: m.sentAt ? k('emails.statusSent') : m.attempts > 0 ? t('audit.history.emails.statusFailed', { attempts: m.attempts }) : k('emails.statusPending') },
          when(m.sentAt),
          code(m.messageId),
        ],
      })),
    },
    {
      id: 'notifications',
      heading: k('notifications.heading'),
      caption: k('notifications.caption'),
      empty: k('notifications.empty'),
      columns: cols('notifications', [['recipient', 3], ['change', 2], ['categories', 3], ['channel', 2], ['status', 2], ['time', 2], ['reason', 4], ['decidedBy', 2]]),
      rowHeader: 0,
      rows: h.notifications.map((n) => ({
        key: n.recipientKey,
        cells: [
          code(n.recipientKey),
          { text: t(`rights.${n.changeKind}`) },
          text(n.categories.join(', ')),
          { text: k(`notifications.channels.${n.channel}`) },
          { text: k(`notifications.statuses.${n.status}`) },
          when(n.deliveredAt ?? n.decidedAt),
          text(n.notNotifiedReason),
          n.decidedBy ? { text: actorText(t, n.decidedBy) } : none,
        ],
      })),
    },
    {
      id: 'transmissions',
      heading: k('transmissions.heading'),
      caption: k('transmissions.caption'),
      empty: k('transmissions.empty'),
      columns: cols('transmissions', [['endpoint', 5], ['documents', 1.5], ['status', 2], ['response', 1.5], ['attempts', 1.5], ['time', 2]]),
      rowHeader: 0,
      rows: h.transmissions.map((x) => ({
        key: x.id,
        cells: [
          code(x.endpointUrl),
          { text: String(x.documentIds.length) },
          { text: k(`transmissions.statuses.${x.status}`) },
          text(x.responseStatus === null ? null : String(x.responseStatus)),
          { text: String(x.attempts) },
          when(x.deliveredAt),
        ],
      })),
    },
    {
      id: 'audit-links',
      heading: k('links.heading'),
      caption: k('links.caption'),
      empty: k('links.empty'),
      columns: cols('links', [['seq', 1.5], ['time', 2], ['actor', 2], ['action', 2.5], ['details', 4], ['hash', 5]]),
      rowHeader: 0,
      rows: h.links.map((l) => ({
        key: l.action,
        cells: [{ text: String(l.seq) }, when(l.at), { text: actorText(t, l.actor) }, code(l.action), code(canonicalJson(l.details)), code(l.hash)],
      })),
    },
  ];
}

/** A Helsinki instant as a calendar date in the page language (for the search results). */
export function helsinkiDay(at: Date, language: Language): string {
  return formatDate(helsinkiDate(at), language);
}
