/**
 * An access request the whole way, over HTTP, with real PostgreSQL, a real Temporal dev server and a
 * real SMTP server on loopback: submit, verify identity, approve, receive the e-mail, download the
 * PDF with the second factor, read it back and find the subject's data and the GDPR 15 items.
 */
import { randomUUID } from 'node:crypto';
import { Connection } from '@temporalio/client';
import request from 'supertest';
import { createLogger } from '../../config/logger';
import { buildApiServer } from '../../api/server';
import { temporalGateway } from '../../services/workflow-gateway';
import { binary, startEngine, type Engine } from '../helpers/engine';
import { pdfText } from '../helpers/pdf-text';
import { printable } from '../../activities/register-view';
import fiLetters from '../../templates/locales/fi.json';

jest.setTimeout(180_000);

const SUBJECT = { firstName: 'Testi', lastName: 'Demo', hetu: '131052-308T', email: 'testi.demo@example.fi' };

let engine: Engine;
let api: Engine['api'];
let tdb: Engine['tdb'];
let smtp: Engine['smtp'];

beforeAll(async () => {
  engine = await startEngine();
  ({ api, tdb, smtp } = engine);
});

afterAll(async () => {
  await engine?.stop();
});

const signIn = (user: string, roles: string[]) => engine.signIn(user, roles);
const waitForStatus = (id: string, auth: string, pred: (s: Record<string, unknown>) => boolean) => engine.waitForStatus(id, auth, pred);

async function countRequests(): Promise<number> {
  const row = await tdb.db.selectFrom('dsr.requests').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

describe('an access request from e-form to PDF answer', () => {
  it('travels the whole way and the answer holds the subject’s data and the GDPR 15 information', async () => {
    const submitted = await request(api.app)
      .post('/api/v1/requests')
      .set('Idempotency-Key', 'it-access-0001')
      .send({ rights: ['access'], language: 'fi', subject: SUBJECT, description: 'Haluan kopion tiedoistani.' })
      .expect(201);
    const { id, reference, accessCode } = submitted.body as { id: string; reference: string; accessCode: string };
    expect(submitted.body).toMatchObject({ receivedOn: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/), deadline: expect.any(String), extendedDeadline: expect.any(String) });
    expect(reference).toMatch(/^DSR-\d{4}-[2-9A-Z]{6}$/);

    // A double submit with the same key returns the first request and starts nothing twice.
    const again = await request(api.app).post('/api/v1/requests').set('Idempotency-Key', 'it-access-0001').send({ rights: ['access'], language: 'fi', subject: SUBJECT }).expect(200);
    expect(again.body.id).toBe(id);
    expect(again.body.accessCode).toBe(accessCode);
    expect(await countRequests()).toBe(1);

    const ack = await smtp.waitFor((m) => m.headers.get('x-dsr-kind') === 'acknowledgement');
    expect(ack.to).toContain(SUBJECT.email);
    expect(ack.text).toContain(reference);
    // The link opens the status page with the reference filled in, and the e-mail says whose it is.
    expect(ack.text).toContain(`/status?reference=${reference}&lang=fi`);
    expect(ack.text).toContain(engine.description.controller.name.fi);
    expect(ack.text).toContain(engine.description.dataProtectionOfficer.email);

    const handler = await signIn('h.kasittelija', ['handler']);
    await waitForStatus(id, handler, (s) => s.awaiting === 'identity');
    await request(api.app)
      .post(`/api/v1/staff/requests/${id}/identity`)
      .set('Authorization', handler)
      .send({ decision: 'verified', method: 'handler_verified', note: 'Henkilöllisyys tarkistettu puhelimessa Suomi.fi-tunnistuksella.' })
      .expect(200);

    const ready = await waitForStatus(id, handler, (s) => s.awaiting === 'approval');
    // The handler opens the request: the engine's own record of this view belongs in the answer.
    await request(api.app).get(`/api/v1/staff/requests/${id}`).set('Authorization', handler).expect(200);
    // Tietosuojalaki 34 §: the handler withholds the case notes; a new draft replaces the first.
    const withheld = await request(api.app)
      .post(`/api/v1/staff/requests/${id}/withhold`)
      .set('Authorization', handler)
      .send({ items: [{ category: 'case_notes', description: 'Terveydentilaa koskeva lausunto vuodelta 2024' }] })
      .expect(200);
    const documentId = withheld.body.result.draftDocumentId as string;
    expect(documentId).not.toBe(ready.draftDocumentId);
    await request(api.app).post(`/api/v1/staff/requests/${id}/approve`).set('Authorization', handler).send({ documentId: ready.draftDocumentId }).expect(422);
    // Approving a document that is not the draft is refused by the workflow's validator.
    const wrong = await request(api.app).post(`/api/v1/staff/requests/${id}/approve`).set('Authorization', handler).send({ documentId: randomUUID() }).expect(422);
    expect(wrong.body.error.message).toMatch(/documentId/);
    await request(api.app).post(`/api/v1/staff/requests/${id}/approve`).set('Authorization', handler).send({ documentId, note: 'Tarkistettu.' }).expect(200);

    const notice = await smtp.waitFor((m) => m.headers.get('x-dsr-kind') === 'document_ready');
    expect(notice.to).toContain(SUBJECT.email);
    // No personal data in the e-mail: not the name, not the henkilötunnus, not the access code.
    for (const secret of [SUBJECT.firstName, SUBJECT.lastName, SUBJECT.hetu, accessCode]) {
      expect(notice.text).not.toContain(secret);
      expect(notice.html).not.toContain(secret);
    }
    const token = /\/download\/([A-Za-z0-9_-]+)/.exec(notice.text)?.[1];
    expect(token).toBeDefined();

    await request(api.app).post(`/api/v1/downloads/${token}`).send({ accessCode: 'WRONG-CODE1' }).expect(403);
    const pdf = await binary(request(api.app).post(`/api/v1/downloads/${token}`).send({ accessCode })).expect(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    const text = (await pdfText(pdf.body as Buffer)).replace(/\s+/g, ' ');

    // The subject's own data from the register…
    expect(text).toContain('131052-308T');
    expect(text).toContain('Testi');
    expect(text).toContain('Demo');
    // …and the GDPR 15 information items, from the register description.
    expect(text).toContain(reference);
    expect(text).toContain(engine.description.purposes[0].fi.slice(0, 40).replace(/\s+/g, ' '));
    expect(text).toContain(engine.description.recipients[0].name.fi);
    expect(text).toContain(engine.description.supervisoryAuthority.name.fi);
    expect(text).toContain(engine.description.dataProtectionOfficer.email);
    expect(text).toContain(engine.description.automatedDecisionMaking.text.fi.slice(0, 30));
    expect(text).toContain('Terveydentilaa koskeva lausunto vuodelta 2024');
    expect(text).toContain('Tietosuojalain (1050/2018) 34 §');
    // …and the withheld case notes are not in the copy.
    const notes = await tdb.db.selectFrom('register.case_notes as n').innerJoin('register.persons as p', 'p.id', 'n.person_id').select('n.note').where('p.hetu', '=', SUBJECT.hetu).execute();
    expect(notes.length).toBeGreaterThan(0);
    for (const { note } of notes) expect(text).not.toContain(note.slice(0, 24));

    // CJEU C-579/21; KHO:2025:51: every consultation of the subject's data with its date and purpose,
    // and the staff views of this request; no employee's name (the description does not ask for them).
    const log = await tdb.db
      .selectFrom('register.consultations as c')
      .innerJoin('register.persons as p', 'p.id', 'c.person_id')
      .select(['c.consulted_at', 'c.purpose', 'c.employee'])
      .where('p.hetu', '=', SUBJECT.hetu)
      .execute();
    expect(log.length).toBeGreaterThan(0);
    expect(engine.description.consultationLog?.showEmployees).toBe(false);
    expect(text).toContain(fiLetters.consultations.heading);
    for (const entry of log) {
      expect(text).toContain(printable(new Date(entry.consulted_at).toISOString(), 'fi'));
      expect(text).toContain(engine.description.consultationLog!.purposes.find((p) => p.key === entry.purpose)!.label.fi);
      expect(entry.employee).toBeTruthy();
      expect(text).not.toContain(entry.employee!);
    }
    expect(text).toContain(fiLetters.consultations.noEmployees.slice(0, 40));
    expect(text).toContain(fiLetters.consultations.staffViewsHeading);
    expect(text).toContain(fiLetters.consultations.staffView);
    expect(text).not.toContain('h.kasittelija');

    await waitForStatus(id, handler, (s) => s.closed === true);
    const auditor = await signIn('a.tarkastaja', ['auditor']);
    const history = await request(api.app).get(`/api/v1/audit/requests/${id}`).set('Authorization', auditor).expect(200);
    const types = (history.body.events as { type: string }[]).map((e) => e.type);
    expect(types).toEqual(
      expect.arrayContaining(['submitted', 'received', 'identity_requested', 'identity_verified', 'data_gathered', 'draft_ready', 'answer_approved', 'document_delivered', 'closed', 'document_downloaded']),
    );
    expect(history.body.auditChain.valid).toBe(true);
    expect(history.body.request).toMatchObject({ state: 'closed', outcome: 'answered' });
    expect(history.body.documents[0]).toMatchObject({ kind: 'access_answer', sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    // A handler is not an auditor.
    await request(api.app).get(`/api/v1/audit/requests/${id}`).set('Authorization', handler).expect(403);
  });

  it('rejects a malformed submission naming the field, and stores nothing', async () => {
    const before = await countRequests();
    const res = await request(api.app)
      .post('/api/v1/requests')
      .send({ rights: ['access'], language: 'fi', subject: { ...SUBJECT, hetu: '131052-308A' } })
      .expect(400);
    expect(res.body.error.code).toBe('validation_failed');
    expect(res.body.error.fields).toEqual([{ field: 'subject.hetu', message: expect.stringMatching(/check character/) }]);
    const res2 = await request(api.app).post('/api/v1/requests').send({ rights: [], language: 'de', subject: { firstName: '' } }).expect(400);
    const fields = (res2.body.error.fields as { field: string }[]).map((f) => f.field);
    expect(fields).toEqual(expect.arrayContaining(['rights', 'language', 'subject.firstName', 'subject.lastName']));
    expect(await countRequests()).toBe(before);
  });

  it('accepts a request while Temporal is unreachable and the reconciler starts its workflow later', async () => {
    const down = buildApiServer({
      config: engine.config,
      db: tdb.db,
      description: engine.description,
      logger: createLogger('silent'),
      gateway: temporalGateway({ connection: Connection.lazy({ address: '127.0.0.1:1' }), namespace: 'default', taskQueue: engine.config.temporal.taskQueue }),
    });
    const res = await request(down.app).post('/api/v1/requests').send({ rights: ['access'], language: 'en', subject: { ...SUBJECT, email: 'other@example.fi' } }).expect(201);
    await down.close();
    const row = await tdb.db.selectFrom('dsr.requests').select(['workflow_started_at']).where('id', '=', res.body.id).executeTakeFirstOrThrow();
    expect(row.workflow_started_at).toBeNull();
    await new Promise((r) => setTimeout(r, 50));
    const { startReconciler } = await import('../../services/reconciler');
    const reconciler = startReconciler({ db: tdb.db, intake: api.ctx.intake, logger: createLogger('silent'), intervalMs: 0, graceMs: 0 });
    expect(await reconciler.runOnce()).toBe(1);
    const handler = await signIn('h.kasittelija', ['handler']);
    await waitForStatus(res.body.id, handler, (s) => s.awaiting === 'identity');
    await request(api.app)
      .post(`/api/v1/staff/requests/${res.body.id}/refuse`)
      .set('Authorization', handler)
      .send({ ground: 'gdpr_12_5_manifestly_unfounded', reasons: 'Pyyntö on ilmeisen perusteeton: testitapaus.', scope: 'whole' })
      .expect(200);
    await waitForStatus(res.body.id, handler, (s) => s.closed === true);
    const refusal = await smtp.waitFor((m) => m.to.includes('other@example.fi') && m.headers.get('x-dsr-kind') === 'document_ready');
    expect(refusal.subject).toBeTruthy();
  });
});
