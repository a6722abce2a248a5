/**
 * LEGAL-RULES.md 3 and 6 over HTTP with real PostgreSQL, Temporal and SMTP: a decision outside the
 * table is refused (JSON API and the Finnish staff page, in Finnish) and changes nothing; a
 * rectification letter lists only the corrections, and only the changed data goes to recipients;
 * a subject with no data is told so, the handler sees it before approving, and nothing is changed.
 */
import request from 'supertest';
import { DEMO_EMAIL, DEMO_HETU } from '../../db/seed';
import { binary, startEngine, type Engine } from '../helpers/engine';
import { pdfText } from '../helpers/pdf-text';
import { csrfOf, signedInStaff } from '../helpers/staff';
import { decisionActivities } from '../../activities/decisions';

jest.setTimeout(180_000);

let engine: Engine;

beforeAll(async () => {
  engine = await startEngine({
    withPages: true,
    adjustDescription: (d) => {
      // The authorities get no channel here: their notices must wait for a handler's decision.
      for (const r of d.recipients) {
        (r as { notification?: unknown }).notification = r.kind === 'authority' ? undefined : { type: 'email', address: `${r.key.replace(/_/g, '-')}@recipients.example.org` };
      }
      return d;
    },
  });
});

afterAll(async () => {
  await engine?.stop();
});

const SUBJECT = { firstName: 'Testi', lastName: 'Demo', hetu: DEMO_HETU, email: DEMO_EMAIL };

/** A henkilötunnus with a valid check character (LEGAL-RULES.md 4). */
function hetu(ddmmyy: string, sign: string, nnn: string): string {
  return `${ddmmyy}${sign}${nnn}${'0123456789ABCDEFHJKLMNPRSTUVWXY'[Number(`${ddmmyy}${nnn}`) % 31]}`;
}

async function submitAndVerify(right: string, extra: Record<string, unknown> = {}, subject: Record<string, string> = SUBJECT): Promise<{ id: string; reference: string; handler: string }> {
  const res = await request(engine.api.app).post('/api/v1/requests').send({ rights: [right], language: 'fi', subject, ...extra }).expect(201);
  const handler = await engine.signIn('h.kasittelija', ['handler']);
  await engine.waitForStatus(res.body.id, handler, (s) => s.awaiting === 'identity');
  await request(engine.api.app)
    .post(`/api/v1/staff/requests/${res.body.id}/identity`)
    .set('Authorization', handler)
    .send({ decision: 'verified', method: 'in_person', note: 'Henkilöllisyys todettu passista asiakaspalvelussa.' })
    .expect(200);
  return { id: res.body.id, reference: res.body.reference, handler };
}

async function letterText(id: string, handler: string): Promise<string> {
  const detail = await request(engine.api.app).get(`/api/v1/staff/requests/${id}`).set('Authorization', handler).expect(200);
  const letter = (detail.body.documents as { id: string; kind: string }[]).filter((d) => d.kind === 'decision').at(-1)!;
  const pdf = await binary(request(engine.api.app).get(`/api/v1/staff/documents/${letter.id}/content`).set('Authorization', handler)).expect(200);
  return (await pdfText(pdf.body as Buffer)).replace(/\s+/g, ' ');
}

const label = (key: string) => engine.description.categories.find((c) => c.key === key)!.label.fi;

describe('a decision outside LEGAL-RULES.md 3', () => {
  it('objection granted on legal-obligation data: refused by the API with the category and basis, and by the Finnish page in Finnish; nothing changes', async () => {
    const { id, handler } = await submitAndVerify('objection', { objectionGrounds: 'En halua tietojani käsiteltävän.' });
    await engine.waitForStatus(id, handler, (s) => s.awaiting === 'decision');

    const refused = await request(engine.api.app)
      .post(`/api/v1/staff/requests/${id}/decide`)
      .set('Authorization', handler)
      .send({ decisions: [{ category: 'client_basic', outcome: 'granted', ground: 'gdpr_21_1_stopped', reason: 'Asiakas vastustaa käsittelyä.' }] })
      .expect(422);
    expect(refused.body.error.code).toBe('invalid_decision');
    expect(refused.body.error.fields).toEqual([
      expect.objectContaining({
        field: 'decisions[0].ground',
        code: 'decision_not_allowed_for_basis',
        params: { category: 'client_basic', basis: 'legal_obligation', right: 'objection', outcome: 'granted', ground: 'gdpr_21_1_stopped' },
      }),
    ]);

    // The console in Finnish: the refusal names the category and the basis by their Finnish names.
    const staff = await signedInStaff(engine.api.app, 'h.kasittelija', 'handler');
    const page = await staff.get(`/staff/requests/${id}?lang=fi`).expect(200);
    // The form offers for client basic information only the grounds its legal basis allows.
    const select = /<select id="decide-client_basic-ground"[^>]*>([\s\S]*?)<\/select>/.exec(page.text)?.[1] ?? '';
    expect(select).toContain('value="gdpr_21_1_not_public_task"');
    expect(select).not.toContain('value="gdpr_21_1_stopped"');
    const form: Record<string, string> = { csrf: csrfOf(page.text), 'outcome.client_basic': 'granted', 'ground.client_basic': 'gdpr_21_1_stopped', 'reason.client_basic': 'Asiakas vastustaa käsittelyä.' };
    const posted = await staff.post(`/staff/requests/${id}/actions/decide?lang=fi`).type('form').send(form);
    expect(posted.status).toBe(422);
    expect(posted.text).toContain(`${label('client_basic')}: oikeusperuste ”Lakisääteinen velvoite” ei salli ratkaisua`);
    expect(posted.text).not.toContain('is not allowed for objection');

    // Nothing changed: still awaiting the decision, no decision recorded, the register untouched.
    const status = await engine.waitForStatus(id, handler, (s) => s.awaiting === 'decision');
    expect(status.state).toBe('awaiting_decision');
    const decided = await engine.tdb.db.selectFrom('dsr.decisions').select('key').where('request_id', '=', id).where('decided_at', 'is not', null).execute();
    expect(decided).toEqual([]);
    const limits = await engine.tdb.db.selectFrom('dsr.events').select('type').where('request_id', '=', id).where('type', 'in', ['categories_decided', 'register_changed']).execute();
    expect(limits).toEqual([]);
  });
});

describe('a rectification letter (LEGAL-RULES.md 6)', () => {
  it('lists the phone number corrected and the rejected correction with its reasons, nothing else; only recipients of the changed data are told', async () => {
    const person = await engine.tdb.db.selectFrom('register.persons').select(['id', 'phone']).where('hetu', '=', DEMO_HETU).executeTakeFirstOrThrow();
    const { id, reference, handler } = await submitAndVerify('rectification', {
      corrections: [
        { field: 'register.persons.phone', value: '040 765 4321' },
        { field: 'register.education_career.education_level', value: 'Ylempi korkeakoulututkinto' },
      ],
    });
    await engine.waitForStatus(id, handler, (s) => s.awaiting === 'decision');
    await request(engine.api.app)
      .post(`/api/v1/staff/requests/${id}/decide`)
      .set('Authorization', handler)
      .send({ decisions: [], corrections: [{ index: 0, accepted: true }, { index: 1, accepted: false, reason: 'Tutkintotodistuksen mukaan koulutusaste on oikein.' }] })
      .expect(200);
    const ready = await engine.waitForStatus(id, handler, (s) => s.awaiting === 'approval');
    // Before approval the phone number is unchanged.
    expect((await engine.tdb.db.selectFrom('register.persons').select('phone').where('id', '=', person.id).executeTakeFirstOrThrow()).phone).toBe(person.phone);
    await request(engine.api.app).post(`/api/v1/staff/requests/${id}/approve`).set('Authorization', handler).send({ documentId: ready.draftDocumentId }).expect(200);
    await engine.waitForStatus(id, handler, (s) => s.closed === true);
    expect((await engine.tdb.db.selectFrom('register.persons').select('phone').where('id', '=', person.id).executeTakeFirstOrThrow()).phone).toBe('040 765 4321');

    const text = await letterText(id, handler);
    expect(text).toContain('Puhelinnumero');
    expect(text).toContain('040 765 4321');
    expect(text).toContain('Tutkintotodistuksen mukaan koulutusaste on oikein.');
    // No per-category "rectified" for categories nobody asked about.
    expect(text).not.toContain('Oikaistu');
    for (const other of ['photos', 'case_notes', 'decisions', 'work_ability']) expect(text).not.toContain(label(other));

    // GDPR 19: recipients of client basic information only (the rejected correction changed nothing).
    const disclosed = await engine.tdb.db.selectFrom('register.disclosures').select(['recipient_key', 'categories']).where('person_id', '=', person.id).execute();
    const toldOf = [...new Set(disclosed.filter((d) => d.categories.includes('client_basic')).map((d) => d.recipient_key))].sort();
    const authority = (key: string) => engine.description.recipients.find((r) => r.key === key)?.kind === 'authority';
    const notices = engine.smtp.messages.filter((m) => m.to.includes('@recipients.example.org') && m.subject.includes(reference));
    expect(notices.map((m) => m.to.split('@')[0]).sort()).toEqual(toldOf.filter((k) => !authority(k)).map((k) => k.replace(/_/g, '-')));
    for (const m of notices) expect(m.text).not.toContain(label('education_career'));

    // GDPR 19's exception is a person's judgement: the ones without a channel wait, undecided, in the console.
    const waiting = toldOf.filter(authority);
    expect(waiting.length).toBeGreaterThan(0);
    const rows = await engine.tdb.db.selectFrom('dsr.recipient_notifications').selectAll().where('request_id', '=', id).execute();
    for (const key of waiting) expect(rows.find((r) => r.recipient_key === key)).toMatchObject({ status: 'pending', channel: 'none', decided_by: null });
    expect(rows.some((r) => r.decided_by === 'system')).toBe(false);
    const staff = await signedInStaff(engine.api.app, 'h.kasittelija', 'handler');
    const countOf = async () => Number(/id="count-recipientDecisions"><span class="n">(\d+)</.exec((await staff.get('/staff?lang=fi').expect(200)).text)?.[1]);
    const before = await countOf();
    expect(before).toBeGreaterThanOrEqual(waiting.length);

    // The handler decides one on the request page, in Finnish, with reasons.
    const page = await staff.get(`/staff/requests/${id}?lang=fi`).expect(200);
    expect(page.text).toContain('id="form-recipient"');
    const tooShort = await staff.post(`/staff/requests/${id}/actions/recipient?lang=fi`).type('form').send({ csrf: csrfOf(page.text), recipient: waiting[0], reason: 'ei' });
    expect(tooShort.status).toBe(400);
    expect(tooShort.text).toContain('vähintään 10 merkkiä');
    const reason = 'Vastaanottajalle ei ole turvallista kanavaa; ilmoittaminen vaatisi kohtuutonta vaivaa.';
    const fresh = await staff.get(`/staff/requests/${id}?lang=fi`).expect(200);
    await staff.post(`/staff/requests/${id}/actions/recipient?lang=fi`).type('form').send({ csrf: csrfOf(fresh.text), recipient: waiting[0], reason }).expect(303);
    const decided = await engine.tdb.db.selectFrom('dsr.recipient_notifications').selectAll().where('request_id', '=', id).where('recipient_key', '=', waiting[0]).executeTakeFirstOrThrow();
    expect(decided).toMatchObject({ status: 'not_notified', not_notified_reason: reason, decided_by: 'h.kasittelija' });
    expect(await countOf()).toBe(before - 1);
  });
});

describe('a subject with no data in the register (LEGAL-RULES.md 6)', () => {
  it('gets a restriction letter saying no data was found and nothing changed, never "granted"; the handler sees it before approving', async () => {
    const stranger = { firstName: 'Eino', lastName: 'Rekisteritön', hetu: hetu('020304', 'A', '987'), email: 'eino@example.org' };
    expect(await engine.tdb.db.selectFrom('register.persons').select('id').where('hetu', '=', stranger.hetu).executeTakeFirst()).toBeUndefined();
    const { id, handler } = await submitAndVerify('restriction', {}, stranger);
    await engine.waitForStatus(id, handler, (s) => s.awaiting === 'decision');
    await request(engine.api.app).post(`/api/v1/staff/requests/${id}/decide`).set('Authorization', handler).send({ decisions: [] }).expect(200);
    const ready = await engine.waitForStatus(id, handler, (s) => s.awaiting === 'approval');

    const staff = await signedInStaff(engine.api.app, 'h.kasittelija', 'handler');
    const page = await staff.get(`/staff/requests/${id}?lang=fi`).expect(200);
    expect(page.text).toContain('id="preview-not-found"');
    expect(page.text).toContain('Rekisteristä ei löytynyt pyynnön tietoryhmiin kuuluvia tietoja pyytäjästä');

    await request(engine.api.app).post(`/api/v1/staff/requests/${id}/approve`).set('Authorization', handler).send({ documentId: ready.draftDocumentId }).expect(200);
    await engine.waitForStatus(id, handler, (s) => s.closed === true);
    const text = await letterText(id, handler);
    expect(text).toContain('Rekisteristä ei löytynyt sinua koskevia tietoja');
    expect(text).toContain('rekisteriin ei tehty muutoksia');
    expect(text).not.toContain('Pyyntösi hyväksytään');
    expect(text).not.toContain('Käsittelyä rajoitettu');
    expect(text).not.toContain(label('client_basic'));
    const changed = await engine.tdb.db.selectFrom('dsr.events').select('data').where('request_id', '=', id).where('type', '=', 'register_changed').executeTakeFirstOrThrow();
    expect(Number((changed.data as { rows: number }).rows)).toBe(0);
  });
});

describe('applying the approved changes (DESIGN.md "Answers and delivery")', () => {
  it('is safe to retry: two attempts at once change the register once, and the approved workflow finds it done', async () => {
    const person = await engine.tdb.db.selectFrom('register.persons').select('id').where('hetu', '=', DEMO_HETU).executeTakeFirstOrThrow();
    const visible = await engine.tdb.db.selectFrom('register.visibility_consents').select('id').where('person_id', '=', person.id).execute();
    expect(visible.length).toBeGreaterThan(0);
    const { id, handler } = await submitAndVerify('erasure', { categories: ['visibility_consents', 'client_basic'] });
    await engine.waitForStatus(id, handler, (s) => s.awaiting === 'decision');
    await request(engine.api.app).post(`/api/v1/staff/requests/${id}/decide`).set('Authorization', handler).send({ decisions: [] }).expect(200);
    const ready = await engine.waitForStatus(id, handler, (s) => s.awaiting === 'approval');
    expect(await engine.tdb.db.selectFrom('register.visibility_consents').select('id').where('person_id', '=', person.id).execute()).toHaveLength(visible.length);

    // A retried activity, as Temporal would run it after a lost response: twice, at the same time.
    const acts = decisionActivities({ db: engine.tdb.db, description: engine.description, mailer: { sendMail: async () => ({}) }, settings: {} as never });
    const [first, second] = await Promise.all([acts.applyDecisions({ requestId: id }), acts.applyDecisions({ requestId: id })]);
    expect(first).toEqual(second);
    expect(first.changed).toEqual(['visibility_consents']);
    expect(first.rows).toBe(visible.length);
    expect(await engine.tdb.db.selectFrom('register.visibility_consents').select('id').where('person_id', '=', person.id).execute()).toEqual([]);

    await request(engine.api.app).post(`/api/v1/staff/requests/${id}/approve`).set('Authorization', handler).send({ documentId: ready.draftDocumentId }).expect(200);
    await engine.waitForStatus(id, handler, (s) => s.closed === true);
    const changed = await engine.tdb.db.selectFrom('dsr.events').select('business_key').where('request_id', '=', id).where('type', '=', 'register_changed').execute();
    expect(changed).toHaveLength(1);
    const digests = await engine.tdb.db.selectFrom('dsr.audit_log').select('seq').where('request_id', '=', id).where('action', '=', 'register_change_digests').execute();
    expect(digests).toHaveLength(1);
  });
});
