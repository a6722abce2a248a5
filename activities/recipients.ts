/**
 * GDPR 19: every rectification, erasure or restriction is communicated to each recipient the data
 * was disclosed to (the disclosure log), unless that proves impossible or involves disproportionate
 * effort, which is then a recorded decision; and the subject is told who the recipients were.
 * GDPR 20(2) direct transmission lives in `transmission.ts` and is returned from here too.
 *
 * Channels come from the register description: an e-mail carries no personal data (the identifying
 * details follow over the controller's secure channel); an authority's HTTPS endpoint gets the
 * henkilötunnus, over verified TLS only. Every notice has a business key, so a retry tells no one twice.
 */
import { ApplicationFailure } from '@temporalio/activity';
import { recordTransition } from '../db/repositories/events';
import {
  CHANGE_KINDS,
  decideNotNotified,
  disclosedCategoriesByRecipient,
  ensureNotification,
  markNotificationDelivered,
  personHetu,
  recipientsOfSubject,
  recordNotificationFailure,
  type ChangeKind,
  type NotificationChannelType,
  type RecipientNotification,
} from '../db/repositories/recipient-notifications';
import type { Recipient } from '../domain/register-description';
import { MIN_REASON_LENGTH, type Language, type RequestSummary } from '../domain/request';
import type { ActivityDeps } from './deps';
import { loadSubject, loadSummary } from './load-request';
import { httpsPoster, isRetryableStatus, type HttpsPost } from './https-post';
import { sendOnce } from './mail';
import { renderRecipientNotice } from './recipient-notice';
import { transmissionActivities } from './transmission';

export interface RecipientDeps extends ActivityDeps {
  /** Used for HTTPS instead of `https.request` (tests, or a fetch with its own TLS setup). */
  fetch?: typeof fetch;
  /** A CA trusted besides the system roots for recipients' and controllers' endpoints. */
  httpsCa?: string | Buffer;
  httpsTimeoutMs?: number;
  /** GDPR 20(2): hosts (`host` or `host:port`) direct transmission may go to; none configured, none allowed. */
  transmissionHosts?: readonly string[];
  /** Language of the e-mail notices; default Finnish, the controller's working language. */
  recipientLanguage?: Language;
}

/** 'awaiting': no channel to send through; a handler decides (GDPR 19: impossible or disproportionate?). */
type Outcome = 'notified' | 'not_notified' | 'failed' | 'retry' | 'awaiting';

export interface NotifyRecipientsInput {
  requestId: string;
  changeKind: ChangeKind;
  /** Keys of the categories changed; recipients are told only of those they received. */
  categories: string[];
}

export interface RecipientNotNotifiedInput {
  requestId: string;
  recipientKey: string;
  reason: string;
  actor: string;
  /** Default: the request's right, when it is a rectification, erasure or restriction. */
  changeKind?: ChangeKind;
}

function invalid(field: string, message: string): ApplicationFailure {
  return ApplicationFailure.create({ type: 'InvalidDecisionError', message: `${field}: ${message}`, nonRetryable: true });
}

/** The GDPR 19 and 20(2) activities; `deps` may add an HTTPS transport, a CA and allowed hosts. */
export function recipientActivities(deps: RecipientDeps) {
  const now = deps.now ?? (() => new Date());
  const post: HttpsPost = httpsPoster({ fetch: deps.fetch, ca: deps.httpsCa, timeoutMs: deps.httpsTimeoutMs });
  const noticeLanguage = deps.recipientLanguage ?? 'fi';
  const recipientsByKey = new Map(deps.description.recipients.map((r) => [r.key, r]));
  const categoriesByKey = new Map(deps.description.categories.map((c) => [c.key, c]));

  async function load(requestId: string): Promise<{ summary: RequestSummary; personId: string | null; requestHetu: string | null }> {
    const summary = await loadSummary(deps.db, requestId);
    const subject = await loadSubject(deps.db, requestId);
    return { summary, personId: subject.personId, requestHetu: subject.hetu };
  }

  function channelOf(recipient: Recipient | undefined): NotificationChannelType {
    return recipient?.notification?.type ?? 'none';
  }

  async function recordEvent(n: RecipientNotification, suffix: string, type: string, extra: { actor?: string; reason?: string | null; data?: Record<string, unknown> } = {}) {
    // Ids, keys and statuses only: never the subject's personal data.
    await recordTransition(deps.db, {
      requestId: n.requestId,
      businessKey: `${n.businessKey}:${suffix}`,
      type,
      actor: extra.actor ?? 'system',
      at: now(),
      reason: extra.reason ?? null,
      data: { recipient: n.recipientKey, channel: n.channel, changeKind: n.changeKind, ...extra.data },
    });
  }

  async function delivered(n: RecipientNotification, responseStatus: number | null): Promise<Outcome> {
    await markNotificationDelivered(deps.db, n.id, now(), responseStatus);
    await recordEvent(n, 'delivered', 'recipient_notified', { data: { status: 'delivered', responseStatus } });
    return 'notified';
  }

  async function failed(n: RecipientNotification, error: string, responseStatus: number | null, retryable: boolean): Promise<Outcome> {
    const attempt = await recordNotificationFailure(deps.db, n.id, error, responseStatus);
    await recordEvent(n, `failed:${attempt}`, 'recipient_notification_failed', { data: { status: 'failed', responseStatus, attempt, retryable } });
    return retryable ? 'retry' : 'failed';
  }

  async function notNotified(n: RecipientNotification): Promise<Outcome> {
    // Keyed by who decided and when: a rerun repeats no event, a new decision gets its own.
    await recordEvent(n, `not_notified:${n.decidedBy}:${n.decidedAt?.getTime()}`, 'recipient_not_notified', {
      actor: n.decidedBy ?? 'system',
      reason: n.notNotifiedReason,
      data: { status: 'not_notified' },
    });
    return 'not_notified';
  }

  async function byEmail(n: RecipientNotification, address: string, summary: RequestSummary): Promise<Outcome> {
    const { dataProtectionOfficer: dpo, controller } = deps.description;
    const email = renderRecipientNotice({
      language: noticeLanguage,
      controller: controller.name[noticeLanguage],
      reference: summary.reference,
      changeKind: n.changeKind,
      categoryLabels: n.categories.map((key) => categoriesByKey.get(key)?.label[noticeLanguage] ?? key),
      dpoContact: `${dpo.name[noticeLanguage]}, ${dpo.email}, ${dpo.phone}`,
    });
    try {
      await sendOnce(deps, {
        businessKey: `mail:${n.businessKey}`,
        requestId: n.requestId,
        kind: 'recipient_notice',
        recipient: address,
        subject: email.subject,
        textBody: email.text,
        htmlBody: email.html,
      });
    } catch (error) {
      return failed(n, error instanceof Error ? error.message : String(error), null, true);
    }
    return delivered(n, null);
  }

  async function byHttps(n: RecipientNotification, url: string, summary: RequestSummary, hetu: string | null): Promise<Outcome> {
    if (!hetu) return failed(n, 'no henkilötunnus to identify the subject to the recipient', null, false);
    // decidedAt is when the notice was first composed, so every retry sends the same body.
    const notice = {
      controller: { name: deps.description.controller.name, businessId: deps.description.controller.businessId },
      reference: summary.reference,
      change: n.changeKind,
      categories: n.categories.map((key) => ({ key, label: categoriesByKey.get(key)?.label ?? null })),
      decidedAt: n.createdAt.toISOString(),
      subject: { hetu },
    };
    let status: number;
    try {
      ({ status } = await post(new URL(url), JSON.stringify(notice), { 'Idempotency-Key': n.businessKey }));
    } catch (error) {
      return failed(n, error instanceof Error ? error.message : String(error), null, true);
    }
    if (status >= 200 && status < 300) return delivered(n, status);
    return failed(n, `the endpoint answered HTTP ${status}`, status, isRetryableStatus(status));
  }

  async function notifyOne(input: NotifyRecipientsInput, recipientKey: string, categories: string[], loaded: Awaited<ReturnType<typeof load>>): Promise<Outcome> {
    const recipient = recipientsByKey.get(recipientKey);
    const channel = channelOf(recipient);
    const n = await ensureNotification(deps.db, {
      requestId: input.requestId,
      businessKey: `notify:${input.requestId}:${input.changeKind}:${recipientKey}`,
      recipientKey,
      channel,
      changeKind: input.changeKind,
      categories,
    });
    if (n.status === 'delivered') return 'notified';
    // Only a handler decides that telling a recipient is impossible or disproportionate (LEGAL-RULES.md 3).
    if (n.status === 'not_notified') return notNotified(n);
    if (channel === 'none') {
      // No channel (or a recipient the description no longer names): it waits for a handler's decision.
      await recordEvent(n, 'awaiting_decision', 'recipient_awaiting_decision', { data: { status: n.status, described: recipient !== undefined } });
      return 'awaiting';
    }
    const target = recipient!.notification!;
    if (target.type === 'email') return byEmail(n, target.address, loaded.summary);
    const hetu = (loaded.personId ? await personHetu(deps.db, loaded.personId) : null) ?? loaded.requestHetu;
    return byHttps(n, target.url, loaded.summary, hetu);
  }

  return {
    /**
     * GDPR 19: tells each recipient of the subject's changed categories, by its channel, once. Throws
     * (retryably) after trying everyone when a delivery may yet succeed; a permanent refusal is counted.
     */
    async notifyRecipients(input: NotifyRecipientsInput): Promise<{ notified: number; notNotified: number; failed: number; awaitingDecision: number }> {
      if (!(CHANGE_KINDS as readonly string[]).includes(input.changeKind)) throw invalid('changeKind', `must be one of ${CHANGE_KINDS.join(', ')}`);
      if (!Array.isArray(input.categories)) throw invalid('categories', 'must be a list of category keys');
      const unknown = input.categories.filter((key) => !categoriesByKey.has(key));
      if (unknown.length > 0) throw invalid('categories', `not categories of the register description: ${unknown.join(', ')}`);
      const loaded = await load(input.requestId);
      const tally = { notified: 0, notNotified: 0, failed: 0, awaitingDecision: 0 };
      // No register person: nothing of theirs was disclosed, so there is no one to tell.
      if (!loaded.personId) return tally;
      const retry: string[] = [];
      const disclosed = await disclosedCategoriesByRecipient(deps.db, loaded.personId, input.categories);
      for (const [recipientKey, categories] of disclosed) {
        const outcome = await notifyOne(input, recipientKey, categories, loaded);
        if (outcome === 'notified') tally.notified++;
        else if (outcome === 'not_notified') tally.notNotified++;
        else if (outcome === 'awaiting') tally.awaitingDecision++;
        else tally.failed++;
        if (outcome === 'retry') retry.push(recipientKey);
      }
      if (retry.length > 0) {
        throw ApplicationFailure.create({ type: 'RecipientNotificationError', message: `notifying ${retry.join(', ')} failed; recorded, will retry` });
      }
      return tally;
    },

    /** GDPR 19: a handler's recorded decision that notifying one recipient is impossible or disproportionate. */
    async recordRecipientNotNotified(input: RecipientNotNotifiedInput): Promise<{ recorded: boolean }> {
      if (typeof input.actor !== 'string' || input.actor.trim() === '') throw invalid('actor', 'must name the staff member');
      if (typeof input.reason !== 'string' || input.reason.trim().length < MIN_REASON_LENGTH) {
        throw invalid('reason', `must state why notifying is impossible or disproportionate (at least ${MIN_REASON_LENGTH} characters)`);
      }
      const loaded = await load(input.requestId);
      const changeKind = input.changeKind ?? loaded.summary.right;
      if (!(CHANGE_KINDS as readonly string[]).includes(changeKind)) throw invalid('changeKind', `must be one of ${CHANGE_KINDS.join(', ')}`);
      const disclosed = loaded.personId ? await disclosedCategoriesByRecipient(deps.db, loaded.personId) : new Map<string, string[]>();
      const categories = disclosed.get(input.recipientKey);
      if (!categories) throw invalid('recipientKey', "is not a recipient in the subject's disclosure log");
      const decision = { reason: input.reason.trim(), decidedBy: input.actor.trim(), at: now() };
      const n = await ensureNotification(deps.db, {
        requestId: input.requestId,
        businessKey: `notify:${input.requestId}:${changeKind}:${input.recipientKey}`,
        recipientKey: input.recipientKey,
        channel: channelOf(recipientsByKey.get(input.recipientKey)),
        changeKind: changeKind as ChangeKind,
        categories,
        decision,
      });
      if (n.status === 'delivered') {
        throw ApplicationFailure.create({ type: 'WrongStateError', message: `recipient ${input.recipientKey} was already notified`, nonRetryable: true });
      }
      // A retry of the same decision finds it recorded; any other is recorded over the earlier one.
      const same = n.status === 'not_notified' && n.decidedBy === decision.decidedBy && n.notNotifiedReason === decision.reason;
      if (!same) await decideNotNotified(deps.db, n.id, decision);
      const recorded = same ? n : { ...n, status: 'not_notified' as const, notNotifiedReason: decision.reason, decidedBy: decision.decidedBy, decidedAt: decision.at };
      await notNotified(recorded);
      return { recorded: true };
    },

    /** GDPR 19, last sentence: the recipients of the subject's data, named in the subject's language. */
    async listRecipientsForSubject({ requestId, language }: { requestId: string; language: Language }): Promise<{ key: string; name: string }[]> {
      const { personId } = await load(requestId);
      if (!personId) return [];
      const keys = await recipientsOfSubject(deps.db, personId);
      return keys.map((key) => ({ key, name: recipientsByKey.get(key)?.name[language] ?? key }));
    },

    ...transmissionActivities(deps, post),
  };
}
