/**
 * GDPR 19 and 20(2) against real servers: PostgreSQL with a seeded register (the demo person's
 * disclosure log names the recipients), an SMTP server on loopback, and an HTTPS server on
 * 127.0.0.1 whose self-signed certificate is made here with openssl and trusted through the CA
 * option (TLS verification stays on).
 */
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import nodemailer from 'nodemailer';
import { recipientActivities, type RecipientDeps } from '../../activities/recipients';
import { countAwaitingRecipientDecision } from '../../db/repositories/recipient-notifications';
import { loadConfig } from '../../config/settings';
import { storeDocument } from '../../db/repositories/documents';
import { listEvents } from '../../db/repositories/events';
import { disclosedCategoriesByRecipient, listNotifications, listTransmissions, recipientsOfSubject } from '../../db/repositories/recipient-notifications';
import { findPersonIdByHetu } from '../../db/repositories/register-data';
import { insertSubmission, updateRequest } from '../../db/repositories/requests';
import { DEMO_HETU, seedRegister } from '../../db/seed';
import { loadRegisterDescription } from '../../config/register-description';
import { REGISTER_COLUMNS } from '../../db/tables/register';
import type { RegisterDescription } from '../../domain/register-description';
import type { Right } from '../../domain/request';
import { activitySettingsFrom } from '../../worker/worker';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { startSmtpCapture, type SmtpCapture } from '../helpers/smtp';

jest.setTimeout(120_000);

const EMAIL_ADDRESS = 'kirjaamo@vastaanottaja.example';

interface ReceivedPost {
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: Record<string, unknown>;
}

let tdb: TestDatabase;
let smtp: SmtpCapture;
let tmp: string;
let cert: string;
let server: https.Server;
let base: string;
let description: RegisterDescription;
let demoId: string;
let person: { first_name: string; last_name: string; email: string | null; phone: string | null; street_address: string | null };
let emailKey: string;
let httpsKey: string;
let silentKeys: string[];
let activities: ReturnType<typeof recipientActivities>;
let deps: RecipientDeps;
const posts: ReceivedPost[] = [];
/** What the HTTPS server answers, per path. */
const answers = new Map<string, number>();

function makeCertificate(dir: string): { key: string; cert: string } {
  const keyPath = path.join(dir, 'key.pem');
  const certPath = path.join(dir, 'cert.pem');
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyPath, '-out', certPath, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'],
    { stdio: 'pipe' },
  );
  return { key: fs.readFileSync(keyPath, 'utf8'), cert: fs.readFileSync(certPath, 'utf8') };
}

async function startHttps(pair: { key: string; cert: string }): Promise<void> {
  server = https.createServer(pair, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const urlPath = req.url ?? '/';
      posts.push({ path: urlPath, headers: req.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
      res.writeHead(answers.get(urlPath) ?? 200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  base = `https://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
}

/** A request of the demo person, matched to the register the way intake and identity do it. */
async function newRequest(right: Right): Promise<{ id: string; reference: string }> {
  const id = randomUUID();
  const reference = `DSR-2025-${randomBytes(3).toString('hex').toUpperCase().replace(/[01]/g, '7')}`;
  await insertSubmission(tdb.db, {
    id: randomUUID(),
    idempotencyKey: null,
    receivedAt: new Date('2025-06-02T09:00:00Z'),
    channel: 'e_form',
    language: 'fi',
    accessCodeHash: 'not-used-here',
    identityMethod: 'strong_eid',
    subject: { firstName: person.first_name, lastName: person.last_name, hetu: DEMO_HETU, email: person.email, phone: person.phone, address: person.street_address },
    deadlines: {
      receivedOn: '2025-06-02',
      deadline: '2025-07-02',
      deadlineAt: new Date('2025-07-02T20:59:59Z'),
      extendedDeadline: '2025-09-02',
      extendedDeadlineAt: new Date('2025-09-02T20:59:59Z'),
      rule: 'test',
    },
    requests: [{ id, reference, right, details: {} }],
  });
  await updateRequest(tdb.db, id, { personId: demoId });
  return { id, reference };
}

function mailsFor(reference: string) {
  return smtp.messages.filter((m) => m.subject.includes(reference));
}

function postsWithKey(key: string): ReceivedPost[] {
  return posts.filter((p) => p.headers['idempotency-key'] === key);
}

async function allDisclosedCategories(): Promise<string[]> {
  const byRecipient = await disclosedCategoriesByRecipient(tdb.db, demoId);
  return [...new Set([...byRecipient.values()].flat())];
}

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dsr-recipients-'));
  const pair = makeCertificate(tmp);
  cert = pair.cert;
  await startHttps(pair);
  smtp = await startSmtpCapture();
  tdb = await createTestDatabase();
  const loaded = loadRegisterDescription(path.join(__dirname, '../../config/register-description.kuopio.yaml'), REGISTER_COLUMNS);
  await seedRegister(tdb.ownerDb, { persons: 20, seed: 19, description: loaded });
  demoId = (await findPersonIdByHetu(tdb.db, DEMO_HETU))!;
  person = await tdb.db
    .selectFrom('register.persons')
    .select(['first_name', 'last_name', 'email', 'phone', 'street_address'])
    .where('id', '=', demoId)
    .executeTakeFirstOrThrow();

  const recipients = await recipientsOfSubject(tdb.db, demoId);
  expect(recipients.length).toBeGreaterThanOrEqual(3);
  [emailKey, httpsKey, ...silentKeys] = recipients;

  // structuredClone drops the freeze, so the copy's channels can be set for this test.
  description = structuredClone(loaded);
  for (const r of description.recipients) delete r.notification;
  description.recipients.find((r) => r.key === emailKey)!.notification = { type: 'email', address: EMAIL_ADDRESS };
  description.recipients.find((r) => r.key === httpsKey)!.notification = { type: 'https', url: `${base}/gdpr19` };

  deps = {
    db: tdb.db,
    description,
    mailer: nodemailer.createTransport(smtp.url),
    // The worker's own settings from a real configuration, so this follows what production wires.
    settings: activitySettingsFrom(
      loadConfig({
        DSR_MODE: 'embedded',
        DATABASE_URL: tdb.url,
        // Required by the configuration; these activities never connect to Temporal.
        TEMPORAL_ADDRESS: '127.0.0.1:7233',
        SMTP_URL: smtp.url,
        MAIL_FROM: 'tietosuoja@kuopio.example',
        STAFF_NOTIFY_EMAIL: 'tietosuojavastaava@kuopio.example',
        AUTH_TOKEN_SECRET: randomBytes(32).toString('hex'),
        PAYLOAD_CODEC_KEY: randomBytes(32).toString('base64'),
        PUBLIC_BASE_URL: 'http://127.0.0.1:9',
        LOG_LEVEL: 'silent',
      }),
    ),
    httpsCa: cert,
    transmissionHosts: ['127.0.0.1'],
  };
  activities = recipientActivities(deps);
});

afterAll(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  await smtp?.close();
  await tdb?.destroy();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

describe('the disclosure log says whom the subject’s data went to', () => {
  it('lists each recipient once, and only those given the named categories when categories are named', async () => {
    const rows = await tdb.db.selectFrom('register.disclosures').select(['recipient_key', 'categories']).where('person_id', '=', demoId).execute();
    const category = rows[0].categories[0];
    const expected = [...new Set(rows.filter((r) => r.categories.includes(category)).map((r) => r.recipient_key))].sort();
    expect(await recipientsOfSubject(tdb.db, demoId)).toEqual([...new Set(rows.map((r) => r.recipient_key))].sort());
    expect(await recipientsOfSubject(tdb.db, demoId, [category])).toEqual(expected);
    expect(await recipientsOfSubject(tdb.db, demoId, ['no_such_category'])).toEqual([]);
  });
});

describe('telling recipients of a rectification (GDPR 19)', () => {
  it('e-mails one recipient without personal data, POSTs the hetu to the HTTPS one, leaves the ones without a channel waiting for a handler’s decision (never decided by the system), and a rerun sends nothing', async () => {
    const { id, reference } = await newRequest('rectification');
    const categories = await allDisclosedCategories();

    const result = await activities.notifyRecipients({ requestId: id, changeKind: 'rectification', categories });
    // GDPR 19's exception is a person's judgement: the recipients without a channel wait for a handler.
    expect(result).toEqual({ notified: 2, notNotified: 0, failed: 0, awaitingDecision: silentKeys.length });

    // The e-mail: exactly one, to the configured address, with the reference and labels but no one's identity.
    const mail = await smtp.waitFor((m) => m.subject.includes(reference));
    expect(mailsFor(reference)).toHaveLength(1);
    expect(mail.to).toContain(EMAIL_ADDRESS);
    expect(mail.text).toContain(reference);
    expect(mail.text).toContain('oikaisu');
    const labels = (await disclosedCategoriesByRecipient(tdb.db, demoId)).get(emailKey)!.map((k) => description.categories.find((c) => c.key === k)!.label.fi);
    for (const label of labels) expect(mail.text).toContain(label);
    const personal = [DEMO_HETU, person.first_name, person.last_name, person.email, person.phone, person.street_address].filter((v): v is string => !!v);
    for (const value of personal) {
      expect(`${mail.subject}\n${mail.text}\n${mail.html}`).not.toContain(value);
    }

    // The HTTPS notice: exactly one POST, with the hetu and the idempotency key.
    const key = `notify:${id}:rectification:${httpsKey}`;
    const received = postsWithKey(key);
    expect(received).toHaveLength(1);
    expect(received[0].path).toBe('/gdpr19');
    expect(received[0].body).toMatchObject({ reference, change: 'rectification', subject: { hetu: DEMO_HETU }, controller: { businessId: description.controller.businessId } });
    expect(received[0].body.decidedAt).toEqual(expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/));

    const rows = await listNotifications(tdb.db, id);
    const byKey = new Map(rows.map((r) => [r.recipientKey, r]));
    expect(byKey.get(emailKey)).toMatchObject({ channel: 'email', status: 'delivered', attempts: 1 });
    expect(byKey.get(httpsKey)).toMatchObject({ channel: 'https', status: 'delivered', responseStatus: 200, attempts: 1 });
    for (const silent of silentKeys) {
      expect(byKey.get(silent)).toMatchObject({ channel: 'none', status: 'pending', notNotifiedReason: null, decidedBy: null, decidedAt: null });
    }

    const events = await listEvents(tdb.db, id);
    expect(events.filter((e) => e.type === 'recipient_notified').map((e) => e.data.recipient).sort()).toEqual([emailKey, httpsKey].sort());
    expect(events.filter((e) => e.type === 'recipient_not_notified')).toEqual([]);
    expect(events.filter((e) => e.type === 'recipient_awaiting_decision').map((e) => e.data.recipient).sort()).toEqual([...silentKeys].sort());
    expect(events.some((e) => e.actor === 'system' && e.type === 'recipient_not_notified')).toBe(false);
    for (const value of personal) expect(JSON.stringify(events)).not.toContain(value);

    // A retried activity tells no one twice and records nothing twice.
    const postsBefore = posts.length;
    const again = await activities.notifyRecipients({ requestId: id, changeKind: 'rectification', categories });
    expect(again).toEqual(result);
    await new Promise((r) => setTimeout(r, 300));
    expect(mailsFor(reference)).toHaveLength(1);
    expect(posts.length).toBe(postsBefore);
    expect(await listEvents(tdb.db, id)).toHaveLength(events.length);
  });

  it('records an endpoint answering 500 as failed and throws so Temporal retries; a later run delivers once', async () => {
    const { id, reference } = await newRequest('erasure');
    const categories = await allDisclosedCategories();
    const key = `notify:${id}:erasure:${httpsKey}`;
    answers.set('/gdpr19', 500);
    try {
      await expect(activities.notifyRecipients({ requestId: id, changeKind: 'erasure', categories })).rejects.toMatchObject({
        type: 'RecipientNotificationError',
      });
    } finally {
      answers.delete('/gdpr19');
    }
    let https19 = (await listNotifications(tdb.db, id)).find((r) => r.recipientKey === httpsKey)!;
    expect(https19).toMatchObject({ status: 'failed', attempts: 1, responseStatus: 500, deliveredAt: null });
    expect(https19.lastError).toContain('500');
    // The others were still told on the failing run.
    await smtp.waitFor((m) => m.subject.includes(reference));
    const failedEvents = (await listEvents(tdb.db, id)).filter((e) => e.type === 'recipient_notification_failed');
    expect(failedEvents).toHaveLength(1);
    expect(failedEvents[0].data).toMatchObject({ recipient: httpsKey, responseStatus: 500, retryable: true });

    const result = await activities.notifyRecipients({ requestId: id, changeKind: 'erasure', categories });
    expect(result).toEqual({ notified: 2, notNotified: 0, failed: 0, awaitingDecision: silentKeys.length });
    https19 = (await listNotifications(tdb.db, id)).find((r) => r.recipientKey === httpsKey)!;
    expect(https19).toMatchObject({ status: 'delivered', attempts: 2, responseStatus: 200, lastError: null });
    // Both tries carried the same idempotency key; the e-mail was not sent again.
    expect(postsWithKey(key)).toHaveLength(2);
    expect(mailsFor(reference)).toHaveLength(1);

    await activities.notifyRecipients({ requestId: id, changeKind: 'erasure', categories });
    expect(postsWithKey(key)).toHaveLength(2);
  });

  it('keeps a handler’s recorded decision not to notify, refuses one without reasons, and names the recipients for the subject', async () => {
    const { id, reference } = await newRequest('restriction');
    const reason = 'Vastaanottajan toiminta on lakannut; ilmoittaminen on mahdotonta.';

    await expect(activities.recordRecipientNotNotified({ requestId: id, recipientKey: emailKey, reason: 'ei', actor: 'h.kasittelija' })).rejects.toMatchObject({
      type: 'InvalidDecisionError',
      message: expect.stringContaining('reason'),
    });
    await expect(activities.recordRecipientNotNotified({ requestId: id, recipientKey: 'no_such_recipient', reason, actor: 'h.kasittelija' })).rejects.toMatchObject({
      type: 'InvalidDecisionError',
      message: expect.stringContaining('recipientKey'),
    });

    expect(await activities.recordRecipientNotNotified({ requestId: id, recipientKey: emailKey, reason, actor: 'h.kasittelija' })).toEqual({ recorded: true });
    const result = await activities.notifyRecipients({ requestId: id, changeKind: 'restriction', categories: await allDisclosedCategories() });
    expect(result).toEqual({ notified: 1, notNotified: 1, failed: 0, awaitingDecision: silentKeys.length });
    await new Promise((r) => setTimeout(r, 300));
    expect(mailsFor(reference)).toHaveLength(0);
    const decided = (await listNotifications(tdb.db, id)).find((r) => r.recipientKey === emailKey)!;
    expect(decided).toMatchObject({ status: 'not_notified', notNotifiedReason: reason, decidedBy: 'h.kasittelija' });
    const decisionEvents = (await listEvents(tdb.db, id)).filter((e) => e.type === 'recipient_not_notified' && e.data.recipient === emailKey);
    expect(decisionEvents).toHaveLength(1);
    expect(decisionEvents[0]).toMatchObject({ actor: 'h.kasittelija', reason });

    // The ones without a channel wait, counted for the console, until a handler decides each with reasons.
    const waiting = await countAwaitingRecipientDecision(tdb.db);
    expect(waiting).toBeGreaterThanOrEqual(silentKeys.length);
    const silentReason = 'Vastaanottajalla ei ole yhteystietoja; ilmoittaminen vaatisi kohtuutonta vaivaa.';
    for (const silent of silentKeys) await activities.recordRecipientNotNotified({ requestId: id, recipientKey: silent, reason: silentReason, actor: 'h.kasittelija' });
    expect(await countAwaitingRecipientDecision(tdb.db)).toBe(waiting - silentKeys.length);
    for (const silent of silentKeys) {
      expect((await listNotifications(tdb.db, id)).find((r) => r.recipientKey === silent)).toMatchObject({ status: 'not_notified', notNotifiedReason: silentReason, decidedBy: 'h.kasittelija' });
    }

    // A notice already delivered cannot be declared not given.
    await expect(activities.recordRecipientNotNotified({ requestId: id, recipientKey: httpsKey, reason, actor: 'h.kasittelija' })).rejects.toMatchObject({
      type: 'WrongStateError',
    });

    const named = await activities.listRecipientsForSubject({ requestId: id, language: 'en' });
    expect(named.map((r) => r.key)).toEqual(await recipientsOfSubject(tdb.db, demoId));
    for (const r of named) expect(r.name).toBe(description.recipients.find((d) => d.key === r.key)!.name.en);
  });
});

describe('direct transmission of portable data (GDPR 20(2))', () => {
  async function exportDocuments(requestId: string, reference: string) {
    const json = await storeDocument(tdb.db, {
      requestId,
      businessKey: `document:${requestId}:portability_json`,
      kind: 'portability_json',
      language: 'fi',
      filename: `${reference}-data.json`,
      mediaType: 'application/json',
      content: Buffer.from(JSON.stringify({ hetu: DEMO_HETU, visible_to: ['palveluntuottajat'] })),
    });
    const csv = await storeDocument(tdb.db, {
      requestId,
      businessKey: `document:${requestId}:portability_csv`,
      kind: 'portability_csv',
      language: 'fi',
      filename: `${reference}-data.csv`,
      mediaType: 'text/csv',
      content: Buffer.from('category,field,value\nvisibility_consents,visible_to,palveluntuottajat\n'),
    });
    const pdf = await storeDocument(tdb.db, {
      requestId,
      businessKey: `document:${requestId}:decision`,
      kind: 'decision',
      language: 'fi',
      filename: `${reference}-decision-fi.pdf`,
      mediaType: 'application/pdf',
      content: Buffer.from('%PDF-1.7 not really'),
    });
    return { json, csv, pdf };
  }

  it('POSTs the JSON and CSV files with their sha256 once, and refuses http://, other hosts and non-export documents', async () => {
    const { id, reference } = await newRequest('portability');
    const { json, csv, pdf } = await exportDocuments(id, reference);
    const endpoint = `${base}/import`;

    const result = await activities.transmitPortableData({ requestId: id, documentIds: [json.id, csv.id], endpoint });
    expect(result).toMatchObject({ status: 'delivered', responseStatus: 200, sent: true });
    const received = posts.filter((p) => p.path === '/import');
    expect(received).toHaveLength(1);
    expect(received[0].headers['idempotency-key']).toEqual(expect.stringMatching(new RegExp(`^transmit:${id}:`)));
    const body = received[0].body as { reference: string; files: { filename: string; mediaType: string; sha256: string; contentBase64: string }[] };
    expect(body.reference).toBe(reference);
    expect(body.files.map((f) => f.mediaType).sort()).toEqual(['application/json', 'text/csv']);
    for (const file of body.files) {
      const content = Buffer.from(file.contentBase64, 'base64');
      expect(file.sha256).toBe(createHash('sha256').update(content).digest('hex'));
      expect(file.sha256).toBe(file.mediaType === 'text/csv' ? csv.sha256 : json.sha256);
    }

    const again = await activities.transmitPortableData({ requestId: id, documentIds: [csv.id, json.id], endpoint });
    expect(again).toMatchObject({ transmissionId: result.transmissionId, status: 'delivered', sent: false });
    expect(posts.filter((p) => p.path === '/import')).toHaveLength(1);
    expect(await listTransmissions(tdb.db, id)).toEqual([
      expect.objectContaining({ status: 'delivered', attempts: 1, responseStatus: 200, endpointUrl: endpoint, documentIds: [json.id, csv.id].sort() }),
    ]);
    const transmitted = (await listEvents(tdb.db, id)).filter((e) => e.type === 'portable_data_transmitted');
    expect(transmitted).toHaveLength(1);
    expect(JSON.stringify(transmitted)).not.toContain(DEMO_HETU);

    const postsBefore = posts.length;
    await expect(activities.transmitPortableData({ requestId: id, documentIds: [json.id], endpoint: endpoint.replace('https:', 'http:') })).rejects.toMatchObject({
      type: 'InvalidDecisionError',
      nonRetryable: true,
      message: expect.stringContaining('must be an https:// URL'),
    });
    await expect(activities.transmitPortableData({ requestId: id, documentIds: [json.id], endpoint: 'https://localhost:1/import' })).rejects.toMatchObject({
      type: 'InvalidDecisionError',
      message: expect.stringContaining('not an allowed transmission host'),
    });
    await expect(activities.transmitPortableData({ requestId: id, documentIds: [json.id, pdf.id], endpoint })).rejects.toMatchObject({
      type: 'InvalidDecisionError',
      message: expect.stringContaining('only the JSON and CSV export'),
    });
    expect(posts.length).toBe(postsBefore);
    expect(await listTransmissions(tdb.db, id)).toHaveLength(1);
  });

  it('records a 503 as failed and throws for a retry; the retry delivers with the same idempotency key', async () => {
    const { id, reference } = await newRequest('portability');
    const { json, csv } = await exportDocuments(id, reference);
    answers.set('/busy', 503);
    try {
      await expect(activities.transmitPortableData({ requestId: id, documentIds: [json.id, csv.id], endpoint: `${base}/busy` })).rejects.toMatchObject({
        type: 'TransmissionError',
      });
    } finally {
      answers.delete('/busy');
    }
    expect(await listTransmissions(tdb.db, id)).toEqual([expect.objectContaining({ status: 'failed', attempts: 1, responseStatus: 503 })]);
    const result = await activities.transmitPortableData({ requestId: id, documentIds: [json.id, csv.id], endpoint: `${base}/busy` });
    expect(result).toMatchObject({ status: 'delivered', sent: true });
    const tries = posts.filter((p) => p.path === '/busy');
    expect(tries).toHaveLength(2);
    expect(tries[0].headers['idempotency-key']).toBe(tries[1].headers['idempotency-key']);
  });

  it('does not trust an endpoint whose certificate the configured CA does not vouch for', async () => {
    const { id, reference } = await newRequest('portability');
    const { json } = await exportDocuments(id, reference);
    const untrusting = recipientActivities({ ...deps, httpsCa: undefined });
    await expect(untrusting.transmitPortableData({ requestId: id, documentIds: [json.id], endpoint: `${base}/import` })).rejects.toMatchObject({
      type: 'TransmissionError',
    });
    const [row] = await listTransmissions(tdb.db, id);
    expect(row).toMatchObject({ status: 'failed', responseStatus: null });
    expect(row.lastError).toMatch(/certificate/i);
  });
});
