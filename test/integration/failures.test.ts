/**
 * Failures are classified against the real PostgreSQL and a real SMTP server on loopback: a value
 * PostgreSQL refuses is a permanent, typed failure whose message quotes no value; an unreachable
 * database is transient; needs_attention reaches the projection, the timeline and the staff alarm;
 * an e-mail is sent once, and a crash between the SMTP accept and the "sent" mark gives a resend
 * with the same Message-ID that is recorded as one.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { ApplicationFailure } from '@temporalio/activity';
import nodemailer from 'nodemailer';
import { createActivities, type ActivitySettings, type Mailer } from '../../activities';
import { sendOnce } from '../../activities/mail';
import { loadRegisterDescription } from '../../config/register-description';
import { createDb } from '../../db/database';
import { REGISTER_COLUMNS } from '../../db/tables/register';
import { storeDocument } from '../../db/repositories/documents';
import { listEvents } from '../../db/repositories/events';
import { translator } from '../../templates/i18n';
import { getRequestAttention, getRequestSummary, insertSubmission } from '../../db/repositories/requests';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { startSmtpCapture, type SmtpCapture } from '../helpers/smtp';

jest.setTimeout(60_000);

let tdb: TestDatabase;
let smtp: SmtpCapture;
const description = loadRegisterDescription(path.join(__dirname, '../../config/register-description.kuopio.yaml'), REGISTER_COLUMNS);

const settings: ActivitySettings = {
  publicBaseUrl: 'http://127.0.0.1:8080',
  mailFrom: 'tietosuoja@localhost',
  messageIdDomain: 'dsr.test',
  staffNotifyEmail: 'tietosuoja-tiimi@example.fi',
  reminderDaysBefore: [7, 2],
  overdueRepeatDays: 1,
  pauseWhileAwaitingIdentity: false,
  identityReminderDays: 14,
  identityCloseDays: 14,
  extendedMonths: 3,
  downloadLinkDays: 14,
  linkSecret: 'x'.repeat(40),
  documentRetentionDays: 30,
};

beforeAll(async () => {
  tdb = await createTestDatabase();
  smtp = await startSmtpCapture();
});

afterAll(async () => {
  await smtp?.close();
  await tdb?.destroy();
});

const mailer = (): Mailer => nodemailer.createTransport(smtp.url);
const activities = () => createActivities({ db: tdb.db, description, mailer: mailer(), settings });

async function newRequest(): Promise<string> {
  const id = randomUUID();
  await tdb.db.transaction().execute((trx) =>
    insertSubmission(trx, {
      id: randomUUID(),
      idempotencyKey: null,
      receivedAt: new Date('2026-03-02T09:00:00Z'),
      channel: 'e_form',
      language: 'fi',
      accessCodeHash: 'h',
      identityMethod: 'strong_eid',
      subject: { firstName: 'Aino', lastName: 'Virheellinen', hetu: null, email: 'aino@example.fi', phone: null, address: null },
      deadlines: { receivedOn: '2026-03-02', deadline: '2026-04-02', deadlineAt: new Date('2026-04-02T21:00:00Z'), extendedDeadline: '2026-06-02', extendedDeadlineAt: new Date('2026-06-02T21:00:00Z'), rule: 'test' },
      requests: [{ id, reference: `DSR-2026-${id.slice(0, 6).toUpperCase()}`, right: 'access', details: {} }],
    }),
  );
  return id;
}

async function failureOf(run: () => Promise<unknown>): Promise<ApplicationFailure> {
  try {
    await run();
  } catch (error) {
    expect(error).toBeInstanceOf(ApplicationFailure);
    return error as ApplicationFailure;
  }
  throw new Error('expected the activity to fail');
}

describe('an activity failure', () => {
  it('a NUL character PostgreSQL refuses (22021) is permanent and typed, and its message quotes no value', async () => {
    const requestId = await newRequest();
    const failure = await failureOf(() =>
      activities().recordTransition({ requestId, businessKey: 'withdrawn', type: 'withdrawn', actor: 'subject', reason: 'Peruutan pyynnön Aino\u0000Virheellinen' }),
    );
    expect(failure.nonRetryable).toBe(true);
    expect(failure.type).toBe('InvalidDataError');
    expect(failure.message).toContain('22021');
    expect(failure.message).not.toMatch(/Aino|Virheellinen|Peruutan/);
    expect((await listEvents(tdb.db, requestId)).map((e) => e.type)).not.toContain('withdrawn');
  });

  it('an unreachable PostgreSQL is transient: retried within the bound, not given up at once', async () => {
    const closed = createDb('postgres://dsr@127.0.0.1:1/none', { max: 1 });
    try {
      const failure = await failureOf(() => createActivities({ db: closed, description, mailer: mailer(), settings }).loadRequest({ requestId: randomUUID() }));
      expect(failure.nonRetryable).toBe(false);
      expect(failure.type).toBe('TransientError');
    } finally {
      await closed.destroy();
    }
  });
});

describe('a portability export', () => {
  it.each(['fi', 'sv', 'en'] as const)('is delivered in %s: its e-mail names the file from the catalog (the texts once missing kept it in delivering)', async (language) => {
    const requestId = await newRequest();
    await tdb.db.updateTable('dsr.requests').set({ language }).where('id', '=', requestId).execute();
    const acts = activities();
    for (const [kind, mediaType] of [['portability_json', 'application/json'], ['portability_csv', 'text/csv']] as const) {
      const document = await storeDocument(tdb.db, { requestId, businessKey: `document:${requestId}:${kind}`, kind, language, filename: `x.${kind}`, mediaType, content: Buffer.from('{}') });
      expect(await acts.deliverDocument({ requestId, documentId: document.id })).toEqual({ channel: 'email' });
      const mail = await smtp.waitFor((m) => m.headers.get('x-dsr-kind') === 'document_ready' && m.text.includes(translator(language)(`letterKind.${kind}`)));
      expect(mail.to).toContain('aino@example.fi');
    }
  });
});

describe('needs_attention in the database', () => {
  it('names the step, the error and since when, alarms the handler and the DPO once, and a retry returns the request to its state', async () => {
    const requestId = await newRequest();
    const acts = activities();
    await acts.recordTransition({ requestId, businessKey: 'work_started', type: 'work_started', actor: 'system', change: { state: 'in_progress' } });
    const since = '2026-03-03T10:00:00.000Z';
    const attention = { requestId, episode: 1, step: 'deliverDocument', errorType: 'MissingCatalogTextError', message: "Missing catalog text 'letterKind.x' for 'fi'", since, resumeState: 'delivering' as const };
    await acts.recordAttention(attention);
    await acts.recordAttention(attention);

    const summary = await getRequestSummary(tdb.db, requestId);
    expect(summary?.state).toBe('needs_attention');
    expect(await getRequestAttention(tdb.db, requestId)).toEqual({ step: 'deliverDocument', errorType: 'MissingCatalogTextError', message: attention.message, since: new Date(since), resumeState: 'delivering' });
    const alarm = await smtp.waitFor((m) => m.headers.get('x-dsr-kind') === 'step_failed' && m.subject.includes(summary!.reference));
    expect(alarm.to).toContain(settings.staffNotifyEmail);
    expect(alarm.text).toContain('Asiakirjan toimittaminen');
    expect(alarm.text).not.toContain('deliverDocument');
    expect(alarm.text).not.toMatch(/Aino|Virheellinen/);
    expect(smtp.messages.filter((m) => m.headers.get('x-dsr-kind') === 'step_failed' && m.subject.includes(summary!.reference))).toHaveLength(1);

    await acts.resolveAttention({ requestId, episode: 1, step: 'deliverDocument', resumeState: 'delivering', actor: 'h.handler', note: 'käännös lisätty' });
    expect((await getRequestSummary(tdb.db, requestId))?.state).toBe('delivering');
    expect(await getRequestAttention(tdb.db, requestId)).toBeNull();
    const events = await listEvents(tdb.db, requestId);
    expect(events.filter((e) => e.type === 'needs_attention')).toHaveLength(1);
    expect(events.find((e) => e.type === 'step_retried')?.actor).toBe('h.handler');
  });
});

describe('an e-mail', () => {
  const deps = () => ({ db: tdb.db, description, mailer: mailer(), settings });
  const message = (businessKey: string, requestId: string) => ({ businessKey, requestId, kind: 'acknowledgement', recipient: 'aino@example.fi', subject: `Kuittaus ${businessKey}`, textBody: 'x', htmlBody: '<p>x</p>' });

  it('is sent once however often its activity is retried', async () => {
    const requestId = await newRequest();
    const key = `mail:once:${requestId}`;
    expect(await sendOnce(deps(), message(key, requestId))).toEqual({ sent: true, resend: false });
    expect(await sendOnce(deps(), message(key, requestId))).toEqual({ sent: false });
    await smtp.waitFor((m) => m.subject === `Kuittaus ${key}`);
    await new Promise((r) => setTimeout(r, 300));
    expect(smtp.messages.filter((m) => m.subject === `Kuittaus ${key}`)).toHaveLength(1);
  });

  it('sent again after a crash between the SMTP accept and the "sent" mark carries the same Message-ID and is recorded as a resend', async () => {
    const requestId = await newRequest();
    const key = `mail:crash:${requestId}`;
    // The first attempt's process "dies" right after the server accepted: the mark never comes.
    const real = mailer();
    const dying: Mailer = { sendMail: async (m) => (await real.sendMail(m), new Promise<never>(() => undefined)) };
    void sendOnce({ ...deps(), mailer: dying }, message(key, requestId));
    const first = await smtp.waitFor((m) => m.subject === `Kuittaus ${key}`);

    expect(await sendOnce(deps(), message(key, requestId))).toEqual({ sent: true, resend: true });
    await new Promise((r) => setTimeout(r, 300));
    const copies = smtp.messages.filter((m) => m.subject === `Kuittaus ${key}`);
    expect(copies).toHaveLength(2);
    expect(copies[1].messageId).toBe(first.messageId);
    expect(copies[1].headers.get('x-dsr-resend')).toBe('1');
    const row = await tdb.db.selectFrom('dsr.outbox').select(['resends', 'sent_at', 'last_resent_at']).where('business_key', '=', key).executeTakeFirstOrThrow();
    expect(row.resends).toBe(1);
    expect(row.sent_at).not.toBeNull();
    expect(row.last_resent_at).not.toBeNull();
  });

  it('refused by the SMTP server is no resend when tried again', async () => {
    const requestId = await newRequest();
    const key = `mail:refused:${requestId}`;
    const refusing: Mailer = { sendMail: async () => Promise.reject(Object.assign(new Error('mailbox unavailable'), { responseCode: 450 })) };
    await expect(sendOnce({ ...deps(), mailer: refusing }, message(key, requestId))).rejects.toThrow();
    expect(await sendOnce(deps(), message(key, requestId))).toEqual({ sent: true, resend: false });
  });
});
