/**
 * Delivery to the subject and alarms to staff. Personal data never travels in an e-mail body: the
 * subject is told an answer is ready and fetches it over an expiring link with a second factor.
 */
import { downloadToken, tokenHash } from '../db/download-token';
import { createDownloadLink, findLinkByTokenHash } from '../db/repositories/downloads';
import { getDocument, markDocumentSent } from '../db/repositories/documents';
import { recordTransition } from '../db/repositories/events';
import { getRequestSubject } from '../db/repositories/requests';
import { DAY_MS } from '../domain/calendar';
import { currentDeadline, type Language } from '../domain/request';
import { renderEmail } from '../templates';
import type { DocumentKind, EmailSender } from '../templates/types';
import type { ActivityDeps } from './deps';
import { loadSummary, requestNotFound } from './load-request';
import { sendOnce } from './mail';
import type { AlarmRequest } from '../workflows/contracts';

/** Staff alarms are written in the controller's working language. */
const STAFF_LANGUAGE = 'fi' as const;

export function deliveryActivities(deps: ActivityDeps) {
  const now = deps.now ?? (() => new Date());
  const base = deps.settings.publicBaseUrl;

  const load = (requestId: string) => loadSummary(deps.db, requestId);

  /** The controller and its DPO, named in every e-mail to a resident. */
  function sender(language: Language): EmailSender {
    const d = deps.description;
    return { controller: d.controller.name[language], privacyWeb: d.controller.privacyWeb, dpoEmail: d.dataProtectionOfficer.email, dpoPhone: d.dataProtectionOfficer.phone };
  }

  /** A link made before a rotation was made under an older secret: the retried e-mail must carry that token. */
  async function tokenOfExistingLink(linkId: string, documentId: string): Promise<string | null> {
    for (const secret of [deps.settings.linkSecret, ...(deps.settings.olderLinkSecrets ?? [])]) {
      const candidate = downloadToken(secret, documentId);
      if ((await findLinkByTokenHash(deps.db, tokenHash(candidate)))?.id === linkId) return candidate;
    }
    return null;
  }

  /** The delivery itself: the link, the e-mail sent once, the document marked sent; the channel it took. */
  async function deliver(requestId: string, documentId: string): Promise<'email' | 'postal'> {
    const summary = await load(requestId);
    const subject = await getRequestSubject(deps.db, requestId);
    const document = await getDocument(deps.db, documentId);
    if (!document || document.requestId !== requestId) {
      throw requestNotFound(`document ${documentId} of request ${requestId}`);
    }
    // LEGAL-RULES.md 2: a request made electronically is answered electronically.
    if (!subject?.email) return 'postal';
    let token = downloadToken(deps.settings.linkSecret, documentId);
    const { link, created } = await createDownloadLink(deps.db, {
      businessKey: `link:${documentId}`,
      requestId,
      documentId,
      tokenHash: tokenHash(token),
      expiresAt: new Date(now().getTime() + deps.settings.downloadLinkDays * DAY_MS),
    });
    if (!created) token = (await tokenOfExistingLink(link.id, documentId)) ?? token;
    const email = renderEmail({
      kind: 'document_ready',
      language: summary.language,
      reference: summary.reference,
      downloadUrl: `${base}/download/${token}`,
      expiresOn: link.expiresAt.toISOString().slice(0, 10),
      letterKind: document.kind as DocumentKind,
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
    return 'email';
  }

  return {
    /** Tells the subject the request was received, with its reference and deadline. */
    async sendAcknowledgement({ requestId }: { requestId: string }): Promise<{ sent: boolean }> {
      const [summary, subject] = await Promise.all([load(requestId), getRequestSubject(deps.db, requestId)]);
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

    /**
     * Makes a letter available over a download link and e-mails the link (or marks it for post).
     * With `record` (PATCHES['local-short-steps']) the delivery's event is recorded here too, once by
     * its business key, instead of in a step of its own.
     */
    async deliverDocument({ requestId, documentId, record }: { requestId: string; documentId: string; record?: boolean }): Promise<{ channel: 'email' | 'postal' }> {
      const channel = await deliver(requestId, documentId);
      if (record) {
        await recordTransition(deps.db, { requestId, businessKey: `delivered:${documentId}`, type: 'document_delivered', actor: 'system', at: now(), data: { documentId, channel } });
      }
      return { channel };
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
