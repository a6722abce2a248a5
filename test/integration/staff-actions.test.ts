/**
 * The console's action forms against the real engine (PostgreSQL, the Temporal dev server, SMTP on
 * loopback): a handler verifies identity and approves through the forms; bad input and the
 * workflow's refusals come back to the form with their reasons and change nothing; handlers see only
 * their own, the open unassigned and the closed ones they handled, the DPO sees and reassigns all;
 * every view is recorded.
 */
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import type { StaffUser } from '../../services/staff-auth';
import { assignRequest } from '../../services/staff-actions';
import { getRequestSummary } from '../../db/repositories/requests';
import { startEngine, type Engine } from '../helpers/engine';
import { csrfOf, signedInStaff } from '../helpers/staff';
import { helsinkiDate } from '../../domain/deadline';
import { codesIn, pageText } from '../helpers/page-language';
import actionsEn from '../../web/staff/locales/actions.en.json';
import actionsFi from '../../web/staff/locales/actions.fi.json';

/** A Helsinki calendar date `n` days from now: dates the forms require to lie ahead stay ahead. */
const inDays = (n: number) => helsinkiDate(new Date(Date.now() + n * 86_400_000));
/** An ISO date as the pages print it (7.12.2026). */
const printed = (iso: string) => iso.split('-').reverse().map(Number).join('.');

jest.setTimeout(180_000);

const SUBJECT = { firstName: 'Testi', lastName: 'Demo', hetu: '131052-308T', email: 'testi.demo@example.fi' };

let engine: Engine;

beforeAll(async () => {
  engine = await startEngine({ withPages: true });
});

afterAll(async () => {
  await engine?.stop();
});

const signedIn = (user: string, role: string) => signedInStaff(engine.api.app, user, role);

async function submitAccess(idempotencyKey: string, subject = SUBJECT): Promise<{ id: string; reference: string }> {
  const res = await request(engine.api.app)
    .post('/api/v1/requests')
    .set('Idempotency-Key', idempotencyKey)
    .send({ rights: ['access'], language: 'fi', subject })
    .expect(201);
  return { id: res.body.id, reference: res.body.reference };
}

async function state(id: string): Promise<{ state: string; assigned_to: string | null; extended_at: Date | null }> {
  return engine.tdb.db.selectFrom('dsr.requests').select(['state', 'assigned_to', 'extended_at']).where('id', '=', id).executeTakeFirstOrThrow();
}

/** Posts an action form from the request page, with the page's CSRF token. */
async function act(agent: TestAgent, id: string, action: string, fields: Record<string, string | string[]>) {
  const page = await agent.get(`/staff/requests/${id}?lang=en`).expect(200);
  return agent.post(`/staff/requests/${id}/actions/${action}?lang=en`).type('form').send({ ...fields, csrf: csrfOf(page.text) });
}

describe('acting on a request through the console', () => {
  let id: string;
  let reference: string;
  let hanna: TestAgent;

  beforeAll(async () => {
    ({ id, reference } = await submitAccess('it-actions-1'));
    hanna = await signedIn('hanna.handler', 'handler');
    const auth = await engine.signIn('hanna.handler', ['handler']);
    await engine.waitForStatus(id, auth, (s) => s.awaiting === 'identity');
  });

  it('offers the identity form while identity awaits a decision, and takes nothing without a CSRF token', async () => {
    const page = await hanna.get(`/staff/requests/${id}?lang=en`).expect(200);
    expect(page.text).toContain('id="form-identity"');
    expect(page.text).not.toContain('id="form-approve"');
    expect(page.text).toContain('Take this request');
    await hanna.post(`/staff/requests/${id}/actions/identity?lang=en`).type('form').send({ decision: 'verified', note: 'Checked against the register.' }).expect(403);
    expect((await state(id)).state).toBe('awaiting_identity');
  });

  it('shows a too short note next to its field and changes nothing', async () => {
    const res = await act(hanna, id, 'identity', { decision: 'verified', method: 'handler_verified', note: 'ok' });
    expect(res.status).toBe(400);
    expect(res.text).toContain('id="identity-note-error"');
    expect(res.text).toContain('at least 10 characters');
    expect(res.text).toContain('aria-invalid="true"');
    // The posted values come back.
    expect(res.text).toMatch(/<textarea id="identity-note" name="note"[^>]*>ok<\/textarea>/);
    expect(await state(id)).toMatchObject({ state: 'awaiting_identity', assigned_to: null });
  });

  it('verifies identity: the handler takes the request, and the workflow moves on', async () => {
    const res = await act(hanna, id, 'identity', { decision: 'verified', method: 'handler_verified', note: 'Henkilöllisyys tarkistettu puhelimessa.' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/staff/requests/${id}?done=identity&lang=en#actions`);
    expect((await state(id)).assigned_to).toBe('hanna.handler');
    const auth = await engine.signIn('hanna.handler', ['handler']);
    await engine.waitForStatus(id, auth, (s) => s.awaiting === 'approval');
    const page = await hanna.get(`/staff/requests/${id}?lang=en&done=identity`).expect(200);
    expect(page.text).toContain('id="action-done"');
    expect(page.text).toContain('id="form-approve"');
    expect(page.text).toContain('id="draft-link"');
  });

  it('extends once; a second extension is refused by the workflow with its reason, and nothing changes', async () => {
    const first = await act(hanna, id, 'extend', { reasons: 'Pyyntö koskee useita järjestelmiä ja laajaa aineistoa.' });
    expect(first.status).toBe(303);
    const extendedAt = (await state(id)).extended_at;
    expect(extendedAt).not.toBeNull();
    // A second handler's stale page still has the form: the workflow's validator refuses it.
    const page = await hanna.get(`/staff/requests/${id}?lang=en`).expect(200);
    expect(page.text).not.toContain('id="form-extend"');
    const again = await hanna.post(`/staff/requests/${id}/actions/extend?lang=en`).type('form').send({ reasons: 'Toinen jatkopyyntö samasta syystä.', csrf: csrfOf(page.text) });
    expect(again.status).toBe(409);
    expect(again.text).toContain('id="form-extend-error"');
    expect(again.text).toContain('already been extended');
    expect((await state(id)).extended_at).toEqual(extendedAt);
  });

  it('hides the request from another handler, and shows it to the DPO, who can reassign it', async () => {
    const other = await signedIn('olli.other', 'handler');
    const forbidden = await other.get(`/staff/requests/${id}?lang=en`).expect(403);
    expect(forbidden.text).toContain('hanna.handler');
    const list = await other.get('/staff?lang=en&status=all').expect(200);
    expect(list.text).not.toContain(reference);
    const refused = await other.post(`/staff/requests/${id}/actions/approve?lang=en`).type('form').send({ documentId: id, csrf: csrfOf(list.text) });
    expect(refused.status).toBe(403);

    const dpo = await signedIn('dora.dpo', 'dpo');
    const all = await dpo.get('/staff?lang=en&assignee=hanna.handler').expect(200);
    expect(all.text).toContain(reference);
    const bad = await act(dpo, id, 'assign', { assignee: 'Not Valid!', reason: '' });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('id="assign-assignee-error"');
    expect((await state(id)).assigned_to).toBe('hanna.handler');
    const moved = await act(dpo, id, 'assign', { assignee: 'olli.other', reason: 'Hanna on lomalla.' });
    expect(moved.status).toBe(303);
    expect((await state(id)).assigned_to).toBe('olli.other');
    await other.get(`/staff/requests/${id}?lang=en`).expect(200);
    await hanna.get(`/staff/requests/${id}?lang=en`).expect(403);
    const events = await engine.tdb.db.selectFrom('dsr.events').select(['type', 'actor', 'reason']).where('request_id', '=', id).where('type', '=', 'assigned').execute();
    expect(events).toEqual(expect.arrayContaining([expect.objectContaining({ actor: 'dora.dpo', reason: 'Hanna on lomalla.' })]));
  });

  it('approves the draft through the form, and the request closes', async () => {
    const olli = await signedIn('olli.other', 'handler');
    const page = await olli.get(`/staff/requests/${id}?lang=en`).expect(200);
    const documentId = /name="documentId" value="([^"]+)"/.exec(page.text)?.[1];
    expect(documentId).toBeDefined();
    const stale = await olli.post(`/staff/requests/${id}/actions/approve?lang=en`).type('form').send({ documentId: id, csrf: csrfOf(page.text) });
    expect(stale.status).toBe(422);
    expect(stale.text).toContain('is not the current draft answer');
    const res = await olli.post(`/staff/requests/${id}/actions/approve?lang=en`).type('form').send({ documentId, csrf: csrfOf(page.text) });
    expect(res.status).toBe(303);
    const auth = await engine.signIn('olli.other', ['handler']);
    await engine.waitForStatus(id, auth, (s) => s.closed === true);
    const closed = await olli.get(`/staff/requests/${id}?lang=en`).expect(200);
    expect(closed.text).toContain('id="no-actions"');
  });

  it('records every staff view of the request in the audit log', async () => {
    const views = await engine.tdb.db.selectFrom('dsr.audit_log').select(['actor']).where('request_id', '=', id).where('action', '=', 'staff_viewed_request').execute();
    expect(new Set(views.map((v) => v.actor))).toEqual(new Set(['hanna.handler', 'olli.other', 'dora.dpo']));
  });
});

describe('deciding per category through the form', () => {
  it('preselects the proposal, refuses an override without reasons, and records one with reasons', async () => {
    const res = await request(engine.api.app)
      .post('/api/v1/requests')
      .set('Idempotency-Key', 'it-actions-erasure')
      .send({ rights: ['erasure'], language: 'fi', subject: SUBJECT, categories: ['case_notes', 'diet_restrictions'] })
      .expect(201);
    const id = res.body.id as string;
    const auth = await engine.signIn('eero.eraser', ['handler']);
    await engine.waitForStatus(id, auth, (s) => s.awaiting === 'identity');
    const eero = await signedIn('eero.eraser', 'handler');
    expect((await act(eero, id, 'identity', { decision: 'verified', method: 'in_person', note: 'Henkilöllisyys todettu käynnillä passista.' })).status).toBe(303);
    await engine.waitForStatus(id, auth, (s) => s.awaiting === 'decision');

    const page = await eero.get(`/staff/requests/${id}?lang=en`).expect(200);
    expect(page.text).toContain('id="form-decide"');
    // Case notes rest on a legal obligation: the proposal is to keep them (GDPR 17(3)(b)).
    expect(page.text).toMatch(/<select id="decide-case_notes-outcome"[^>]*>.*<option value="refused" selected="selected">/s);
    expect(page.text).toMatch(/<select id="decide-case_notes-ground"[^>]*>.*<option value="gdpr_17_3_b_legal_obligation" selected="selected">/s);

    const override = { 'outcome.case_notes': 'granted', 'ground.case_notes': 'gdpr_17_1_d_unlawful', 'reason.case_notes': '' };
    const refused = await act(eero, id, 'decide', override);
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('id="form-decide-error"');
    // Next to the field, in the page's words: not the validator's path and developer English.
    expect(refused.text).toContain(actionsEn.actions.fieldErrors['decide-reason']);
    expect(refused.text).toContain('id="decide-case_notes-reason-error"');
    expect(refused.text).not.toContain('decisions[');
    const pageFi = await eero.get(`/staff/requests/${id}?lang=fi`).expect(200);
    const refusedFi = await eero.post(`/staff/requests/${id}/actions/decide?lang=fi`).type('form').send({ ...override, csrf: csrfOf(pageFi.text) });
    expect(refusedFi.status).toBe(422);
    expect(refusedFi.text).toContain(actionsFi.actions.fieldErrors['decide-reason']);
    expect(codesIn(pageText(refusedFi.text), engine.description, 'fi')).toEqual([]);
    // The handler's choices come back as posted.
    expect(refused.text).toMatch(/<select id="decide-case_notes-outcome"[^>]*>.*<option value="granted" selected="selected">/s);
    expect(await engine.tdb.db.selectFrom('dsr.decisions').select('decided_at').where('request_id', '=', id).where('decided_at', 'is not', null).execute()).toHaveLength(0);

    const done = await act(eero, id, 'decide', { ...override, 'reason.case_notes': 'Merkinnät on kirjattu virheellisesti toisen asiakkaan tiedoista.' });
    expect(done.status).toBe(303);
    // The workflow records the decision through an activity, just after the update is accepted.
    const decision = () => engine.tdb.db.selectFrom('dsr.decisions').select(['key', 'outcome', 'decided_by', 'reason']).where('request_id', '=', id).where('key', '=', 'case_notes').executeTakeFirstOrThrow();
    let decided = await decision();
    for (let i = 0; i < 100 && decided.decided_by === 'engine'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      decided = await decision();
    }
    expect(decided).toMatchObject({ outcome: 'granted', decided_by: 'eero.eraser', reason: 'Merkinnät on kirjattu virheellisesti toisen asiakkaan tiedoista.' });
    // The form also posted diet restrictions with their proposal untouched: a confirmation, not an override.
    const decidedEvent = () => engine.tdb.db.selectFrom('dsr.events').select('data').where('request_id', '=', id).where('type', '=', 'categories_decided').executeTakeFirst();
    for (let i = 0; i < 100 && !(await decidedEvent()); i++) await new Promise((r) => setTimeout(r, 100));
    expect((await decidedEvent())?.data).toMatchObject({ overrides: 1 });
    const diet = await engine.tdb.db.selectFrom('dsr.decisions').selectAll().where('request_id', '=', id).where('key', '=', 'diet_restrictions').executeTakeFirstOrThrow();
    expect({ outcome: diet.outcome, ground: diet.ground, reason: diet.reason }).toEqual({ outcome: diet.proposed_outcome, ground: diet.proposed_ground, reason: null });
  });
});

/** A request of the right whose identity a handler verified through the API; it then waits for the next step. */
async function submitAndVerify(key: string, right: string, extra: Record<string, unknown> = {}): Promise<{ id: string; auth: string }> {
  const res = await request(engine.api.app).post('/api/v1/requests').set('Idempotency-Key', key).send({ rights: [right], language: 'fi', subject: SUBJECT, ...extra }).expect(201);
  const auth = await engine.signIn('kaisa.kasittelija', ['handler']);
  await engine.waitForStatus(res.body.id, auth, (s) => s.awaiting === 'identity');
  await request(engine.api.app)
    .post(`/api/v1/staff/requests/${res.body.id}/identity`)
    .set('Authorization', auth)
    .send({ decision: 'verified', method: 'in_person', note: 'Henkilöllisyys todettu passista asiakaspalvelussa.' })
    .expect(200);
  return { id: res.body.id, auth };
}

async function events(id: string): Promise<string[]> {
  const rows = await engine.tdb.db.selectFrom('dsr.events').select('type').where('request_id', '=', id).orderBy('id').execute();
  return rows.map((r) => r.type);
}

describe('the other action forms', () => {
  let kaisa: TestAgent;

  beforeAll(async () => {
    kaisa = await signedIn('kaisa.kasittelija', 'handler');
  });

  it('refuses a request: the ground is required, then the refusal closes it', async () => {
    const { id, auth } = await submitAndVerify('it-actions-refuse', 'access');
    await engine.waitForStatus(id, auth, (s) => s.awaiting === 'approval');
    const missing = await act(kaisa, id, 'refuse', { ground: '', scope: 'whole', reasons: 'Sama pyyntö on tehty kolmesti kuukauden sisällä.' });
    expect(missing.status).toBe(400);
    expect(missing.text).toContain('id="refuse-ground-error"');
    // A refused secondary form stays unfolded.
    expect(missing.text).toContain('<details class="action" id="more-refuse" open="open">');
    const done = await act(kaisa, id, 'refuse', { ground: 'gdpr_12_5_excessive', scope: 'whole', reasons: 'Sama pyyntö on tehty kolmesti kuukauden sisällä.' });
    expect(done.status).toBe(303);
    await engine.waitForStatus(id, auth, (s) => s.closed === true);
    const row = await engine.tdb.db.selectFrom('dsr.requests').select(['outcome']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.outcome).toBe('refused');
  });

  it('announces a fee in euros, offers the payment, records it', async () => {
    const { id, auth } = await submitAndVerify('it-actions-fee', 'access');
    await engine.waitForStatus(id, auth, (s) => s.awaiting === 'approval');
    const bad = await act(kaisa, id, 'fee', { amount: 'kaksikymmentä', ground: 'gdpr_12_5_excessive', basis: 'Neljäs samanlainen pyyntö tänä vuonna.', payBy: inDays(30) });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('id="fee-amount-error"');
    // A date typed as the pages print dates is taken; an impossible one is refused next to its field.
    const impossible = await act(kaisa, id, 'fee', { amount: '25,50', ground: 'gdpr_12_5_excessive', basis: 'Neljäs samanlainen pyyntö tänä vuonna.', payBy: '31.2.2026' });
    expect(impossible.status).toBe(400);
    expect(impossible.text).toContain('id="fee-payBy-error"');
    const done = await act(kaisa, id, 'fee', { amount: '25,50', ground: 'gdpr_12_5_excessive', basis: 'Neljäs samanlainen pyyntö tänä vuonna.', payBy: printed(inDays(30)) });
    expect(done.status).toBe(303);
    await engine.waitForStatus(id, auth, (s) => s.feePending === true);
    const fee = await engine.tdb.db.selectFrom('dsr.fees').select(['amount_cents', 'pay_by']).where('request_id', '=', id).executeTakeFirstOrThrow();
    expect(Number(fee.amount_cents)).toBe(2550);
    expect(String(fee.pay_by)).toBe(inDays(30));
    const page = await kaisa.get(`/staff/requests/${id}?lang=en`).expect(200);
    expect(page.text).toContain('id="form-payment"');
    expect((await act(kaisa, id, 'payment', {})).status).toBe(303);
    await engine.waitForStatus(id, auth, (s) => s.feePending === false);
  });

  it('withholds items from an access copy, and records a withdrawal', async () => {
    const { id, auth } = await submitAndVerify('it-actions-withhold', 'access');
    const first = await engine.waitForStatus(id, auth, (s) => s.awaiting === 'approval');
    const done = await act(kaisa, id, 'withhold', { category: 'case_notes', description: 'Terveydentilaa koskeva lausunto vuodelta 2024.' });
    expect(done.status).toBe(303);
    await engine.waitForStatus(id, auth, (s) => s.awaiting === 'approval' && s.draftDocumentId !== first.draftDocumentId);
    expect(await events(id)).toContain('items_withheld');
    expect((await act(kaisa, id, 'withdraw', { note: 'Peruttu puhelimessa.' })).status).toBe(303);
    await engine.waitForStatus(id, auth, (s) => s.closed === true);
    expect(await events(id)).toContain('withdrawn');
  });

  it('lifts a restriction: offered once it is closed, with the categories restricted; the date is required', async () => {
    const { id, auth } = await submitAndVerify('it-actions-lift', 'restriction', { categories: ['case_notes'] });
    await engine.waitForStatus(id, auth, (s) => s.awaiting === 'decision');
    expect((await act(kaisa, id, 'decide', {})).status).toBe(303);
    const ready = await engine.waitForStatus(id, auth, (s) => s.awaiting === 'approval');
    expect((await act(kaisa, id, 'approve', { documentId: String(ready.draftDocumentId) })).status).toBe(303);
    await engine.waitForStatus(id, auth, (s) => s.closed === true);
    let page = await kaisa.get(`/staff/requests/${id}?lang=en`).expect(200);
    for (let i = 0; i < 50 && !page.text.includes('id="form-lift"'); i++) {
      await new Promise((r) => setTimeout(r, 100));
      page = await kaisa.get(`/staff/requests/${id}?lang=en`).expect(200);
    }
    expect(page.text).toContain('id="lift-categories-case_notes"');
    const bad = await act(kaisa, id, 'lift', { categories: 'case_notes', liftOn: 'huomenna', reason: 'Asiakkaan oikaisu on käsitelty loppuun.' });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('id="lift-liftOn-error"');
    const past = await act(kaisa, id, 'lift', { categories: 'case_notes', liftOn: inDays(-1), reason: 'Asiakkaan oikaisu on käsitelty loppuun.' });
    expect(past.status).toBe(400);
    expect(past.text).toContain('The date must be after today.');
    const control = await act(kaisa, id, 'lift', { categories: 'case_notes', liftOn: inDays(10), reason: 'Asiakkaan oikaisu\u0000 on käsitelty.' });
    expect(control.status).toBe(400);
    expect(control.text).toContain('id="lift-reason-error"');
    expect(control.text).toContain('characters that cannot be accepted');
    const done = await act(kaisa, id, 'lift', { categories: 'case_notes', liftOn: printed(inDays(40)), reason: 'Asiakkaan oikaisu on käsitelty loppuun.' });
    expect(done.status).toBe(303);
    expect(await events(id)).toContain('restriction_lift_planned');
    const planned = await engine.tdb.db.selectFrom('dsr.events').select('data').where('request_id', '=', id).where('type', '=', 'restriction_lift_planned').executeTakeFirstOrThrow();
    expect(planned.data).toMatchObject({ liftOn: inDays(40) });
  });
});

describe('the staff JSON API applies the same rules', () => {
  it('lists only own and unassigned requests to a handler and refuses others’ requests', async () => {
    const { id } = await submitAccess('it-actions-2');
    const taker = await engine.signIn('tiina.taker', ['handler']);
    const other = await engine.signIn('ulla.other', ['handler']);
    await request(engine.api.app).post(`/api/v1/staff/requests/${id}/assignment`).set('Authorization', other).send({ assignee: 'tiina.taker' }).expect(403);
    await request(engine.api.app).post(`/api/v1/staff/requests/${id}/assignment`).set('Authorization', taker).send({ assignee: 'tiina.taker' }).expect(200);
    const listed = await request(engine.api.app).get('/api/v1/staff/requests').set('Authorization', other).expect(200);
    expect((listed.body.items as { id: string }[]).map((i) => i.id)).not.toContain(id);
    const mine = await request(engine.api.app).get('/api/v1/staff/requests').set('Authorization', taker).expect(200);
    expect((mine.body.items as { id: string }[]).map((i) => i.id)).toContain(id);
    const refused = await request(engine.api.app).get(`/api/v1/staff/requests/${id}`).set('Authorization', other).expect(403);
    expect(refused.body.error.code).toBe('assigned_elsewhere');
    await request(engine.api.app).post(`/api/v1/staff/requests/${id}/extend`).set('Authorization', other).send({ reasons: 'Laaja pyyntö, useita järjestelmiä.' }).expect(403);
  });

  it('keeps a request the DPO alone handled to its end closed to handlers: page, JSON API and its letter (issue 11)', async () => {
    // Its own address: one address gets only SUBMISSIONS_PER_ADDRESS (10) submissions a day.
    const { id } = await submitAccess('it-actions-dpo-closed', { ...SUBJECT, email: 'dpo.suljettu@example.fi' });
    const dpo = await engine.signIn('dora.dpo', ['dpo']);
    await engine.waitForStatus(id, dpo, (s) => s.awaiting === 'identity');
    await request(engine.api.app)
      .post(`/api/v1/staff/requests/${id}/refuse`)
      .set('Authorization', dpo)
      .send({ ground: 'gdpr_12_5_manifestly_unfounded', reasons: 'Sama pyyntö on käsitelty kolme kertaa tässä kuussa.' })
      .expect(200);
    let documents: { id: string }[] = [];
    for (let i = 0; i < 150 && (documents.length === 0 || (await getRequestSummary(engine.tdb.db, id))?.closedAt === null); i++) {
      await new Promise((r) => setTimeout(r, 200));
      documents = await engine.tdb.db.selectFrom('dsr.documents').select('id').where('request_id', '=', id).execute();
    }
    const summary = (await getRequestSummary(engine.tdb.db, id))!;
    expect(summary.closedAt).not.toBeNull();
    expect(summary.assignedTo).toBeNull();
    expect(documents.length).toBeGreaterThan(0);

    const handler = await engine.signIn('ville.vieras', ['handler']);
    const refused = await request(engine.api.app).get(`/api/v1/staff/requests/${id}`).set('Authorization', handler).expect(403);
    expect(refused.body.error.code).toBe('not_handled');
    expect(JSON.stringify(refused.body)).not.toContain(SUBJECT.hetu);
    await request(engine.api.app).get(`/api/v1/staff/documents/${documents[0].id}/content`).set('Authorization', handler).expect(403);
    const listed = await request(engine.api.app).get('/api/v1/staff/requests?open=false').set('Authorization', handler).expect(200);
    expect((listed.body.items as { id: string }[]).map((i) => i.id)).not.toContain(id);
    const ville = await signedIn('ville.vieras', 'handler');
    const page = await ville.get(`/staff/requests/${id}?lang=en`).expect(403);
    expect(page.text).not.toContain(SUBJECT.hetu);
    await ville.get(`/staff/documents/${documents[0].id}`).expect(403);
    // The DPO still sees it all.
    await request(engine.api.app).get(`/api/v1/staff/documents/${documents[0].id}/content`).set('Authorization', dpo).expect(200);
  });

  it('lets only one of two handlers take a request at the same moment', async () => {
    const { id } = await submitAccess('it-actions-race');
    const [a, b] = await Promise.all([engine.signIn('anna.a', ['handler']), engine.signIn('bertta.b', ['handler'])]);
    const answers = await Promise.all([
      request(engine.api.app).post(`/api/v1/staff/requests/${id}/assignment`).set('Authorization', a).send({ assignee: 'anna.a' }),
      request(engine.api.app).post(`/api/v1/staff/requests/${id}/assignment`).set('Authorization', b).send({ assignee: 'bertta.b' }),
    ]);
    const statuses = answers.map((r) => r.status).sort();
    expect(statuses[0]).toBe(200);
    expect([403, 409]).toContain(statuses[1]);
    const winner = answers[0].status === 200 ? 'anna.a' : 'bertta.b';
    expect((await state(id)).assigned_to).toBe(winner);
    const assigned = await engine.tdb.db.selectFrom('dsr.events').select('actor').where('request_id', '=', id).where('type', '=', 'assigned').execute();
    expect(assigned.map((e) => e.actor)).toEqual([winner]);
  });

  it('refuses an assignment decided on a stale view: when someone took the request meanwhile, nothing changes', async () => {
    const { id } = await submitAccess('it-actions-stale-assign');
    const seen = (await getRequestSummary(engine.tdb.db, id))!;
    expect(seen.assignedTo).toBeNull();
    const anna: StaffUser = { id: 'anna.a', roles: ['handler'] };
    const bertta: StaffUser = { id: 'bertta.b', roles: ['handler'] };
    await assignRequest(engine.tdb.db, anna, seen, 'anna.a');
    // Bertta's page still shows the request unassigned.
    const stale = assignRequest(engine.tdb.db, bertta, seen, 'bertta.b');
    await expect(stale).rejects.toMatchObject({ status: 409, code: 'assigned_meanwhile' });
    expect((await state(id)).assigned_to).toBe('anna.a');
    const assigned = await engine.tdb.db.selectFrom('dsr.events').select('actor').where('request_id', '=', id).where('type', '=', 'assigned').execute();
    expect(assigned.map((e) => e.actor)).toEqual(['anna.a']);
  });

  it('does not give a handler a request whose action the workflow refused', async () => {
    const { id } = await submitAccess('it-actions-refused-take');
    const handler = await engine.signIn('veikko.v', ['handler']);
    await engine.waitForStatus(id, handler, (s) => s.awaiting === 'identity');
    const refused = await request(engine.api.app).post(`/api/v1/staff/requests/${id}/approve`).set('Authorization', handler).send({ documentId: id });
    expect(refused.status).toBe(409);
    expect((await state(id)).assigned_to).toBeNull();
  });
});
