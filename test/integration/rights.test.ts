/**
 * The rights over HTTP with real PostgreSQL, Temporal and SMTP: an erasure decided per category
 * (consent data erased, legal-obligation data kept under GDPR 17(3)(b)), its recipients told by
 * e-mail without personal data (GDPR 19), and a restriction that hides rows from ordinary processing
 * and is lifted only after the subject has been told (GDPR 18(3)).
 */
import { sql } from 'kysely';
import request from 'supertest';
import { DEMO_EMAIL, DEMO_HETU } from '../../db/seed';
import { restrictionLiftActivities } from '../../activities/restriction-lift';
import { binary, startEngine, type Engine } from '../helpers/engine';
import { pdfText } from '../helpers/pdf-text';
import { translator } from '../../templates/i18n';
import { signedInStaff } from '../helpers/staff';

jest.setTimeout(180_000);

let engine: Engine;

beforeAll(async () => {
  engine = await startEngine({
    withPages: true,
    adjustDescription: (d) => {
      for (const r of d.recipients) (r as { notification?: unknown }).notification = { type: 'email', address: `${r.key.replace(/_/g, '-')}@recipients.example.fi` };
      return d;
    },
  });
});

afterAll(async () => {
  await engine?.stop();
});

const SUBJECT = { firstName: 'Testi', lastName: 'Demo', hetu: DEMO_HETU, email: DEMO_EMAIL };

async function submitAndVerify(right: string, extra: Record<string, unknown> = {}): Promise<{ id: string; accessCode: string; handler: string }> {
  const res = await request(engine.api.app).post('/api/v1/requests').send({ rights: [right], language: 'fi', subject: SUBJECT, ...extra }).expect(201);
  const handler = await engine.signIn('h.kasittelija', ['handler']);
  await engine.waitForStatus(res.body.id, handler, (s) => s.awaiting === 'identity');
  await request(engine.api.app)
    .post(`/api/v1/staff/requests/${res.body.id}/identity`)
    .set('Authorization', handler)
    .send({ decision: 'verified', method: 'in_person', note: 'Henkilöllisyys todettu passista asiakaspalvelussa.' })
    .expect(200);
  return { id: res.body.id, accessCode: res.body.accessCode, handler };
}

async function personId(): Promise<string> {
  const row = await engine.tdb.db.selectFrom('register.persons').select('id').where('hetu', '=', DEMO_HETU).executeTakeFirstOrThrow();
  return row.id;
}

describe('an erasure request', () => {
  it('erases the consent data, keeps the legal-obligation data with its ground, tells the recipients, and says so in the letter', async () => {
    const person = await personId();
    const photosBefore = await engine.tdb.db.selectFrom('register.photo_consents').select('id').where('person_id', '=', person).execute();
    expect(photosBefore.length).toBeGreaterThan(0);

    const { id, handler } = await submitAndVerify('erasure');
    const status = await engine.waitForStatus(id, handler, (s) => s.awaiting === 'decision');
    const proposals = status.proposals as { category: string; outcome: string; ground: string }[];
    expect(proposals.find((p) => p.category === 'photos')).toMatchObject({ outcome: 'granted' });
    expect(proposals.find((p) => p.category === 'client_basic')).toMatchObject({ outcome: 'refused', ground: 'gdpr_17_3_b_legal_obligation' });

    // An override without reasons is refused by the workflow and changes nothing.
    const refused = await request(engine.api.app)
      .post(`/api/v1/staff/requests/${id}/decide`)
      .set('Authorization', handler)
      .send({ decisions: [{ category: 'client_basic', outcome: 'granted', ground: 'gdpr_17_1_a_no_longer_needed' }] })
      .expect(422);
    expect(refused.body.error.message).toMatch(/decisions\[0\]\.reason/);
    await request(engine.api.app).post(`/api/v1/staff/requests/${id}/decide`).set('Authorization', handler).send({ decisions: [] }).expect(200);

    const ready = await engine.waitForStatus(id, handler, (s) => s.awaiting === 'approval');
    // Irreversible changes wait for the approval: the draft and the preview are ready, the register is unchanged.
    expect(await engine.tdb.db.selectFrom('register.photo_consents').select('id').where('person_id', '=', person).execute()).toHaveLength(photosBefore.length);
    const previewed = await engine.tdb.db.selectFrom('dsr.events').select('data').where('request_id', '=', id).where('business_key', '=', 'changes_previewed').executeTakeFirstOrThrow();
    const preview = (typeof previewed.data === 'string' ? JSON.parse(previewed.data) : previewed.data) as { dataFound: boolean; categories: { category: string; changes: { table: string; rows: number }[] }[] };
    expect(preview.dataFound).toBe(true);
    expect(preview.categories.find((c) => c.category === 'photos')!.changes).toEqual([{ table: 'register.photo_consents', rows: photosBefore.length }]);
    // Kept data is not changed, so the preview shows no change for it.
    expect(preview.categories.find((c) => c.category === 'client_basic')!.changes).toEqual([]);
    expect(JSON.stringify(preview)).not.toContain(DEMO_HETU);
    // The handler's page shows the preview with the approval.
    const staff = await signedInStaff(engine.api.app, 'h.kasittelija', 'handler');
    const page = await staff.get(`/staff/requests/${id}?lang=en`).expect(200);
    expect(page.text).toMatch(/<td>register\.photo_consents<\/td><td>\d+<\/td>/);

    await request(engine.api.app).post(`/api/v1/staff/requests/${id}/approve`).set('Authorization', handler).send({ documentId: ready.draftDocumentId }).expect(200);
    await engine.waitForStatus(id, handler, (s) => s.closed === true);
    // Approved: the photos are gone, the client record stays.
    expect(await engine.tdb.db.selectFrom('register.photo_consents').select('id').where('person_id', '=', person).execute()).toEqual([]);
    expect(await engine.tdb.db.selectFrom('register.persons').select('hetu').where('id', '=', person).executeTakeFirstOrThrow()).toEqual({ hetu: DEMO_HETU });

    // GDPR 19: every recipient that received an erased category is told, once, without personal data.
    const granted = proposals.filter((p) => p.outcome === 'granted').map((p) => p.category);
    const expected = await sql<{ recipient_key: string }>`
      SELECT DISTINCT recipient_key FROM register.disclosures WHERE person_id = ${person} AND categories && ${granted}::text[]`.execute(engine.tdb.db);
    const notices = engine.smtp.messages.filter((m) => m.to.includes('@recipients.example.fi'));
    expect(notices.map((m) => m.to.split('@')[0]).sort()).toEqual(expected.rows.map((r) => r.recipient_key.replace(/_/g, '-')).sort());
    for (const m of notices) for (const secret of [DEMO_HETU, 'Testi', 'Demo']) expect(m.text).not.toContain(secret);

    // GDPR 19: a recipient already told cannot be declared "not notified"; one outside the log is refused;
    // another recipient in the log can be, with the handler's reasons on record.
    const told = expected.rows[0].recipient_key;
    await request(engine.api.app).post(`/api/v1/staff/requests/${id}/recipients/${told}/not-notified`).set('Authorization', handler).send({ reason: 'Vastaanottajan yhteystiedot puuttuvat.' }).expect(409);
    await request(engine.api.app).post(`/api/v1/staff/requests/${id}/recipients/nobody/not-notified`).set('Authorization', handler).send({ reason: 'Vastaanottajan yhteystiedot puuttuvat.' }).expect(400);
    const inLog = await sql<{ recipient_key: string }>`SELECT DISTINCT recipient_key FROM register.disclosures WHERE person_id = ${person}`.execute(engine.tdb.db);
    const other = inLog.rows.map((r) => r.recipient_key).find((k) => !expected.rows.some((e) => e.recipient_key === k));
    expect(other).toBeDefined();
    await request(engine.api.app)
      .post(`/api/v1/staff/requests/${id}/recipients/${other}/not-notified`)
      .set('Authorization', handler)
      .send({ reason: 'Tieto ei koske vastaanottajalle luovutettuja tietoja.' })
      .expect(200);

    const auditor = await engine.signIn('a.tarkastaja', ['auditor']);
    const history = await request(engine.api.app).get(`/api/v1/audit/requests/${id}`).set('Authorization', auditor).expect(200);
    expect(history.body.request.outcome).toBe('partially_refused');
    expect((history.body.recipientNotifications as { status: string }[]).filter((n) => n.status === 'delivered')).toHaveLength(expected.rows.length);
    expect(history.body.recipientNotifications).toContainEqual(expect.objectContaining({ recipientKey: other, status: 'not_notified', decidedBy: 'h.kasittelija' }));
    expect((history.body.decisions as { key: string; decidedBy: string }[]).find((d) => d.key === 'client_basic')).toMatchObject({ decidedBy: 'h.kasittelija' });
    expect(history.body.auditChain.valid).toBe(true);
    const digests = (history.body.auditChain.links as { action: string; details: unknown }[]).filter((l) => l.action === 'register_change_digests');
    expect(digests).toHaveLength(1);
    expect(JSON.stringify(digests)).not.toContain(DEMO_HETU);

    const letter = history.body.documents.find((d: { kind: string }) => d.kind === 'decision');
    const pdf = await binary(request(engine.api.app).get(`/api/v1/staff/documents/${letter.id}/content`).set('Authorization', handler)).expect(200);
    const text = (await pdfText(pdf.body as Buffer)).replace(/\s+/g, ' ');
    expect(text).toContain('17 artiklan 3 kohdan b alakohta');
    expect(text).toContain(engine.description.categories.find((c) => c.key === 'photos')!.label.fi);
    expect(text).toContain('Tietosuojavaltuutetun toimisto');
    // Approved before the changes and the notices, the letter claims neither: no count of changed
    // entries, no recipient "informed"; it names the recipients the changed data was disclosed to.
    const fi = translator('fi');
    expect(text).not.toContain(fi('decision.changesLabel'));
    expect(text).not.toContain(fi('recipients.notifiedHeading'));
    expect(text).not.toMatch(/ilmoitetu/i);
    expect(text).toContain(fi('recipients.toNotifyHeading'));
    for (const key of expected.rows.map((r) => r.recipient_key)) expect(text).toContain(engine.description.recipients.find((r) => r.key === key)!.name.fi);
  });
});

describe('a restriction request', () => {
  it('hides the restricted rows from ordinary processing, and lifts nothing until the subject has been told', async () => {
    const person = await personId();
    const { id, handler } = await submitAndVerify('restriction', { categories: ['case_notes'] });
    await engine.waitForStatus(id, handler, (s) => s.awaiting === 'decision');
    await request(engine.api.app).post(`/api/v1/staff/requests/${id}/decide`).set('Authorization', handler).send({ decisions: [] }).expect(200);
    const ready = await engine.waitForStatus(id, handler, (s) => s.awaiting === 'approval');
    await request(engine.api.app).post(`/api/v1/staff/requests/${id}/approve`).set('Authorization', handler).send({ documentId: ready.draftDocumentId }).expect(200);
    await engine.waitForStatus(id, handler, (s) => s.closed === true);

    const stored = await sql<{ n: string }>`SELECT count(*)::text AS n FROM register.case_notes WHERE person_id = ${person}`.execute(engine.tdb.db);
    const visible = await sql<{ n: string }>`SELECT count(*)::text AS n FROM processing.case_notes WHERE person_id = ${person}`.execute(engine.tdb.db);
    expect(Number(stored.rows[0].n)).toBeGreaterThan(0);
    expect(Number(visible.rows[0].n)).toBe(0);

    // GDPR 18(3): a lift without the notice on record is refused, whoever asks for it.
    const lift = restrictionLiftActivities({ db: engine.tdb.db, description: engine.description, mailer: { sendMail: async () => ({}) }, settings: {} as never });
    await request(engine.api.app)
      .post(`/api/v1/staff/requests/${id}/restriction-lift`)
      .set('Authorization', handler)
      .send({ categories: ['case_notes'], liftOn: '2099-01-05', reason: 'Tietojen oikeellisuus on tarkistettu.' })
      .expect(202);
    const liftKey = 'lift:2099-01-05:case_notes';
    await expect(lift.liftRestriction({ requestId: id, liftKey: 'lift:2099-01-01:case_notes' })).rejects.toThrow();
    // The notice goes out first; the lift waits for the announced day.
    let types: string[] = [];
    for (let i = 0; i < 100 && !types.includes('restriction_lift_notified'); i++) {
      await new Promise((r) => setTimeout(r, 200));
      const detail = await request(engine.api.app).get(`/api/v1/staff/requests/${id}`).set('Authorization', handler).expect(200);
      types = (detail.body.events as { type: string }[]).map((e) => e.type);
    }
    expect(types).toEqual(expect.arrayContaining(['restriction_lift_planned', 'restriction_lift_notified']));
    expect(types).not.toContain('restriction_lifted');
    expect(Number((await sql<{ n: string }>`SELECT count(*)::text AS n FROM processing.case_notes WHERE person_id = ${person}`.execute(engine.tdb.db)).rows[0].n)).toBe(0);
    await expect(lift.liftRestriction({ requestId: id, liftKey })).rejects.toThrow(/not come yet/);
  });
});

describe('one submission asking for several rights', () => {
  it('becomes linked requests that share identity, and the subject can withdraw one of them', async () => {
    const res = await request(engine.api.app)
      .post('/api/v1/requests')
      .send({ rights: ['confirmation', 'objection'], language: 'sv', subject: SUBJECT, objectionGrounds: 'Jag vill inte delta i kundenkäter.' })
      .expect(201);
    const [first, second] = res.body.requests as { id: string; reference: string; right: string }[];
    expect([first.right, second.right]).toEqual(expect.arrayContaining(['confirmation', 'objection']));
    const handler = await engine.signIn('h.kasittelija', ['handler']);
    await engine.waitForStatus(first.id, handler, (s) => s.awaiting === 'identity');
    await engine.waitForStatus(second.id, handler, (s) => s.awaiting === 'identity');
    const verified = await request(engine.api.app)
      .post(`/api/v1/staff/requests/${first.id}/identity`)
      .set('Authorization', handler)
      .send({ decision: 'verified', method: 'handler_verified', note: 'Tunnistettu vahvalla sähköisellä tunnistuksella.' })
      .expect(200);
    expect(verified.body.linked).toEqual([second.id]);
    const objection = first.right === 'objection' ? first : second;
    const confirmation = first.right === 'objection' ? second : first;
    await engine.waitForStatus(objection.id, handler, (s) => s.awaiting === 'decision');
    await engine.waitForStatus(confirmation.id, handler, (s) => s.awaiting === 'approval');

    // The subject withdraws the objection with the reference and access code; nothing is carried out.
    await request(engine.api.app).post('/api/v1/requests/withdraw').send({ reference: objection.reference, accessCode: 'WRONG-CODE1' }).expect(404);
    await request(engine.api.app).post('/api/v1/requests/withdraw').send({ reference: objection.reference, accessCode: res.body.accessCode }).expect(200);
    await engine.waitForStatus(objection.id, handler, (s) => s.closed === true);
    const status = await request(engine.api.app).post('/api/v1/requests/status').send({ reference: objection.reference, accessCode: res.body.accessCode }).expect(200);
    expect(status.body).toMatchObject({ state: 'closed', outcome: 'withdrawn' });
    const events = await request(engine.api.app).get(`/api/v1/staff/requests/${objection.id}`).set('Authorization', handler).expect(200);
    const types = (events.body.events as { type: string }[]).map((e) => e.type);
    expect(types).toContain('withdrawn');
    expect(types).not.toContain('register_changed');
  });
});
