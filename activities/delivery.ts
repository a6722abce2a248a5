/**
 * Delivery to the subject and alarms to staff. Personal data never travels in an e-mail body: the
 * subject is told an answer is ready and fetches it over an expiring link with a second factor.
 */
import { createHash, createHmac } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/activity';
import { createDownloadLink } from '../db/repositories/downloads';
import { getDocument, markDocumentSent } from '../db/repositories/documents';
import { recordTransition } from '../db/repositories/events';
import { getRequestSubject, getRequestSummary } from '../db/repositories/requests';
import { currentDeadline, type Language, type RequestSummary } from '../domain/request';
import { renderEmail } from '../templates';
import type { EmailSender, LetterKind } from '../templates/types';
import type { ActivityDeps } from './deps';
import { sendOnce } from './mail';
import type { AlarmRequest } from './types';

const DAY_MS = 24 * 60 * 60 * 1000;
/** Staff alarms are written in the controller's working language. */
const STAFF_LANGUAGE = 'fi' as const;

/** The token in a download link, derived from the document so a retried delivery sends the same link. */
export function downloadToken(linkSecret: string, documentId: string): string {
  return createHmac('sha256', linkSecret).update(`download:${documentId}`).digest('base64url');
}

export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function deliveryActivities(deps: ActivityDeps) {
  const now = deps.now ?? (() => new Date());
  const base = deps.settings.publicBaseUrl;

  /** The controller and its DPO, named in every e-mail to a resident. */
  function sender(language: Language): EmailSender {
    const d = deps.description;
    return { controller: d.controller.name[language], privacyWeb: d.controller.privacyWeb, dpoEmail: d.dataProtectionOfficer.email, dpoPhone: d.dataProtectionOfficer.phone };
  }

  async function load(requestId: string): Promise<RequestSummary> {
    const summary = await getRequestSummary(deps.db, requestId);
    if (!summary) throw ApplicationFailure.create({ type: 'RequestNotFoundError', message: `request ${requestId} not found`, nonRetryable: true });
    return summary;
  }

  return {
    /** Tells the subject the request was received, with its reference and deadline. */
    async sendAcknowledgement({ requestId }: { requestId: string }): Promise<{ sent: boolean }> {
      const summary = await load(requestId);
      const subject = await getRequestSubject(deps.db, requestId);
      if (!subject?.email) return { sent: false };
      const email = renderEmail({
        kind: 'acknowledgement',
        language: summary.language,
        reference: summary.reference,
        receivedOn: summary.receivedOn,
        deadline: summary.deadline,
        statusUrl: `${base}/status?reference=${encodeURIComponent(summary.reference)}&lang=${summary.language}`,
      }, sender(summary.language));
      return sendOnce(deps, {
        businessKey: `mail:acknowledgement:${requestId}`,
        requestId,
        kind: 'acknowledgement',
        recipient: subject.email,
        subject: email.subject,
        textBody: email.text,
        htmlBody: email.html,
      });
    },

    /** Makes a letter available over a download link and e-mails the link (or marks it for post). */
    async deliverDocument({ requestId, documentId }: { requestId: string; documentId: string }): Promise<{ channel: 'email' | 'postal' }> {
      const summary = await load(requestId);
      const subject = await getRequestSubject(deps.db, requestId);
      const document = await getDocument(deps.db, documentId);
      if (!document || document.requestId !== requestId) {
        throw ApplicationFailure.create({ type: 'RequestNotFoundError', message: `document ${documentId} of request ${requestId} not found`, nonRetryable: true });
      }
      // LEGAL-RULES.md 2: a request made electronically is answered electronically.
      if (!subject?.email) return { channel: 'postal' };
      const token = downloadToken(deps.settings.linkSecret, documentId);
      const { link } = await createDownloadLink(deps.db, {
        businessKey: `link:${documentId}`,
        requestId,
        documentId,
        tokenHash: tokenHash(token),
        expiresAt: new Date(now().getTime() + deps.settings.downloadLinkDays * DAY_MS),
      });
      const email = renderEmail({
        kind: 'document_ready',
        language: summary.language,
        reference: summary.reference,
        downloadUrl: `${base}/download/${token}`,
        expiresOn: link.expiresAt.toISOString().slice(0, 10),
        letterKind: document.kind as LetterKind,
      }, sender(summary.language));
      await sendOnce(deps, {
        businessKey: `mail:document:${documentId}`,
        requestId,
        kind: 'document_ready',
        recipient: subject.email,
        subject: email.subject,
        textBody: email.text,
        htmlBody: email.html,
      });
      await markDocumentSent(deps.db, documentId, now());
      return { channel: 'email' };
    },

    /** Reminds or escalates to the handlers and the DPO (tietosuojavastaava), and records it. */
    async raiseAlarm(alarm: AlarmRequest): Promise<void> {
      const summary = await load(alarm.requestId);
      const consoleUrl = `${base}/staff/requests/${summary.id}`;
      const { date } = currentDeadline(summary);
      const email =
        alarm.kind === 'overdue'
          ? renderEmail({ kind: 'deadline_escalation', language: STAFF_LANGUAGE, reference: summary.reference, deadline: date, daysOverdue: alarm.days, consoleUrl })
          : renderEmail({ kind: 'handler_reminder', language: STAFF_LANGUAGE, reference: summary.reference, deadline: date, daysLeft: alarm.days, consoleUrl });
      await sendOnce(deps, {
        businessKey: `mail:${alarm.requestId}:${alarm.businessKey}`,
        requestId: alarm.requestId,
        kind: alarm.kind === 'overdue' ? 'deadline_escalation' : 'handler_reminder',
        recipient: deps.settings.staffNotifyEmail,
        subject: email.subject,
        textBody: email.text,
        htmlBody: email.html,
      });
      await recordTransition(deps.db, {
        requestId: alarm.requestId,
        businessKey: alarm.businessKey,
        type: alarm.kind === 'reminder' ? 'reminder_sent' : alarm.kind === 'due_today' ? 'deadline_due_today' : 'deadline_overdue',
        actor: 'system',
        at: now(),
        data: { deadline: alarm.deadline, days: alarm.days },
      });
    },
  };
}
