/**
 * The notification e-mails. They carry no personal data (DESIGN.md "Answers and delivery"): only
 * the reference, dates and a link; the answer itself is fetched over an authenticated link.
 */
import type { Language } from '../domain/request';
import { failureLabel, stepLabel } from './attention-labels';
import { formatDate, LANGUAGE_TAGS, translator, type Translate } from './i18n';
import type { DocumentKind, EmailMessage, EmailSender, RenderedEmail } from './types';

/** Letters that answer the request; the others are notices along the way. */
const ANSWERS: ReadonlySet<DocumentKind> = new Set<DocumentKind>(['access_answer', 'refusal', 'decision', 'privacy_notice', 'confirmation', 'automated_decisions', 'portability_json', 'portability_csv']);
/** Letters that ask the subject to act by a date (GDPR 12(6) information, 12(5) fee). */
const ACTION_NEEDED: ReadonlySet<DocumentKind> = new Set<DocumentKind>(['information_request', 'fee_notice']);

interface EmailParts {
  subject: string;
  paragraphs: string[];
  linkLabel: string;
  url: string;
}

/** Renders an e-mail as subject, plain text and simple accessible HTML; `sender` names the controller and its DPO. */
export function renderEmail(message: EmailMessage, sender?: EmailSender): RenderedEmail {
  const t = translator(message.language);
  const parts = emailParts(message, t, (iso) => formatDate(iso, message.language));
  const footer = sender ? `${t('email.sender', { ...sender })} ${t('email.footer')}` : t('email.footer');
  return {
    subject: parts.subject,
    text: [...parts.paragraphs, `${parts.linkLabel}:\n${parts.url}`, '-- ', footer].join('\n\n') + '\n',
    html: toHtml(parts, footer, message.language),
  };
}

function emailParts(message: EmailMessage, t: Translate, date: (iso: string) => string): EmailParts {
  const reference = message.reference;
  switch (message.kind) {
    case 'acknowledgement':
      return {
        subject: t('email.acknowledgement.subject', { reference }),
        paragraphs: [
          t('email.acknowledgement.intro', { receivedOn: date(message.receivedOn) }),
          t('email.acknowledgement.details', { reference, deadline: date(message.deadline) }),
        ],
        linkLabel: t('email.acknowledgement.link'),
        url: message.statusUrl,
      };
    case 'document_ready': {
      const kind = message.letterKind;
      const subject = ANSWERS.has(kind) ? 'subject' : ACTION_NEEDED.has(kind) ? 'subjectAction' : 'subjectNotice';
      return {
        subject: t(`email.document_ready.${subject}`, { reference }),
        paragraphs: [
          t('email.document_ready.intro', { reference, document: t(`letterKind.${kind}`) }),
          ...(ACTION_NEEDED.has(kind) ? [t('email.document_ready.action')] : []),
          t('email.document_ready.details', { expiresOn: date(message.expiresOn) }),
        ],
        linkLabel: t('email.document_ready.link'),
        url: message.downloadUrl,
      };
    }
    case 'recipient_notice_ready':
      return {
        subject: t('email.recipient_notice_ready.subject', { reference }),
        paragraphs: [
          t('email.recipient_notice_ready.intro', { reference }),
          t('email.recipient_notice_ready.details', { expiresOn: date(message.expiresOn) }),
        ],
        linkLabel: t('email.recipient_notice_ready.link'),
        url: message.downloadUrl,
      };
    case 'handler_reminder': {
      const values = { reference, deadline: date(message.deadline), count: message.daysLeft };
      return {
        subject: t('email.handler_reminder.subject', values),
        paragraphs: [
          t(message.daysLeft <= 0 ? 'email.handler_reminder.introToday' : 'email.handler_reminder.intro', values),
          t('email.handler_reminder.details'),
        ],
        linkLabel: t('email.handler_reminder.link'),
        url: message.consoleUrl,
      };
    }
    case 'deadline_escalation': {
      const today = message.daysOverdue <= 0;
      const values = { reference, deadline: date(message.deadline), count: message.daysOverdue };
      return {
        subject: t(today ? 'email.deadline_escalation.subjectToday' : 'email.deadline_escalation.subject', values),
        paragraphs: [
          t(today ? 'email.deadline_escalation.introToday' : 'email.deadline_escalation.intro', values),
          t('email.deadline_escalation.details'),
        ],
        linkLabel: t('email.deadline_escalation.link'),
        url: message.consoleUrl,
      };
    }
    case 'audit_chain_broken':
      return {
        subject: t('email.audit_chain_broken.subject'),
        paragraphs: [
          t('email.audit_chain_broken.intro', { detectedAt: message.detectedAt, seq: message.brokenAt ?? '-', problem: t(`email.audit_chain_broken.problem.${message.problem}`) }),
          t('email.audit_chain_broken.details'),
        ],
        linkLabel: t('email.audit_chain_broken.link'),
        url: message.consoleUrl,
      };
    case 'step_failed':
      return {
        subject: t('email.step_failed.subject', { reference }),
        paragraphs: [t('email.step_failed.intro', { reference, step: stepLabel(t, message.step), errorType: failureLabel(t, message.errorType), since: date(message.since) }), t('email.step_failed.details')],
        linkLabel: t('email.step_failed.link'),
        url: message.consoleUrl,
      };
  }
}

function toHtml(parts: EmailParts, footer: string, language: Language): string {
  const url = escapeHtml(parts.url);
  return [
    '<!DOCTYPE html>',
    `<html lang="${LANGUAGE_TAGS[language]}">`,
    '<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(parts.subject)}</title></head>`,
    '<body style="font-family: sans-serif; font-size: 16px; line-height: 1.5; color: #1a1a1a; max-width: 40em;">',
    ...parts.paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`),
    `<p>${escapeHtml(parts.linkLabel)}:<br><a href="${url}">${url}</a></p>`,
    `<hr><p style="font-size: 14px; color: #4d4d4d;">${escapeHtml(footer)}</p>`,
    '</body>',
    '</html>',
  ].join('\n');
}

/** Escapes text for HTML element content and double-quoted attributes. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}
