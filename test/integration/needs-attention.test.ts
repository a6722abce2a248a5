/**
 * A failed step is a state people see, against the real engine (PostgreSQL, the Temporal dev server,
 * SMTP on loopback): a letter that cannot be written (its language has no catalog) puts the request
 * in needs_attention instead of retrying; the DPO's alarm e-mail names the step; the console counts
 * and filters it; the request page names the step and the error and offers the retry; once the cause
 * is fixed, the retry through the page resumes the work where it stopped.
 */
import request from 'supertest';
import { startEngine, type Engine } from '../helpers/engine';
import { csrfOf, signedInStaff } from '../helpers/staff';

jest.setTimeout(180_000);

const SUBJECT = { firstName: 'Testi', lastName: 'Demo', hetu: '131052-308T', email: 'testi.demo@example.fi' };

let engine: Engine;

beforeAll(async () => {
  engine = await startEngine({ withPages: true, env: { ACTIVITY_MAX_ATTEMPTS: '2' } });
});

afterAll(async () => {
  await engine?.stop();
});

const setLanguage = (id: string, language: string) => engine.tdb.db.updateTable('dsr.requests').set({ language }).where('id', '=', id).execute();

describe('a step that fails for good in the real engine', () => {
  it('needs attention, alarms, is counted and filtered, and resumes from the page once fixed', async () => {
    const submitted = await request(engine.api.app).post('/api/v1/requests').set('Idempotency-Key', 'it-attention-1').send({ rights: ['access'], language: 'fi', subject: SUBJECT }).expect(201);
    const { id, reference } = submitted.body as { id: string; reference: string };
    await engine.smtp.waitFor((m) => m.headers.get('x-dsr-kind') === 'acknowledgement' && m.text.includes(reference));
    const auth = await engine.signIn('hanna.handler', ['handler']);
    await engine.waitForStatus(id, auth, (s) => s.awaiting === 'identity');

    // The cause: a language no catalog has, so the answer letter cannot be written.
    await setLanguage(id, 'xx');
    await request(engine.api.app)
      .post(`/api/v1/staff/requests/${id}/identity`)
      .set('Authorization', auth)
      .send({ decision: 'verified', method: 'handler_verified', note: 'Henkilöllisyys tarkistettu passista.' })
      .expect(200);
    const failed = await engine.waitForStatus(id, auth, (s) => s.state === 'needs_attention');
    expect(failed).toMatchObject({ awaiting: 'retry', attention: { step: 'renderLetter' } });
    const attention = failed.attention as { errorType: string; message: string };
    expect(attention.errorType).toBe('MissingCatalogTextError');
    expect(attention.message).not.toMatch(/Testi|Demo|131052/);

    // The workflow says needs_attention at once; the projection follows when its activity has run.
    const readRow = () => engine.tdb.db.selectFrom('dsr.requests').select(['state', 'attention_step', 'attention_error_type', 'attention_since']).where('id', '=', id).executeTakeFirstOrThrow();
    let row = await readRow();
    for (let i = 0; i < 50 && row.state !== 'needs_attention'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      row = await readRow();
    }
    expect(row).toMatchObject({ state: 'needs_attention', attention_step: 'renderLetter', attention_error_type: 'MissingCatalogTextError' });
    expect(row.attention_since).not.toBeNull();

    const alarm = await engine.smtp.waitFor((m) => m.headers.get('x-dsr-kind') === 'step_failed');
    expect(alarm.to).toContain('tietosuojavastaava@example.fi');
    expect(alarm.subject).toContain(reference);
    // Named in the staff language's words (the code stays on the request page's technical details).
    expect(alarm.text).toContain('Kirjeen laatiminen');
    expect(alarm.text).not.toContain('renderLetter');
    expect(alarm.text).not.toMatch(/Testi|Demo|131052/);

    const hanna = await signedInStaff(engine.api.app, 'hanna.handler', 'handler');
    const consolePage = (await hanna.get('/staff?lang=en').expect(200)).text;
    expect(/id="count-needsAttention"><span class="n">(\d+)<\/span>/.exec(consolePage)?.[1]).toBe('1');
    const filtered = (await hanna.get('/staff?lang=en&state=needs_attention').expect(200)).text;
    expect(filtered).toContain(`data-reference="${reference}"`);

    const page = (await hanna.get(`/staff/requests/${id}?lang=en`).expect(200)).text;
    expect(page).toContain('id="attention"');
    // The step and the failure in the page's words; their codes only among the technical details.
    expect(page).toContain('<dd>Drawing up a letter</dd>');
    expect(page).toContain('<dd>A text is missing from the message catalog</dd>');
    expect(page).toMatch(/<details><summary>Technical details for operators<\/summary><p><code>renderLetter<\/code> · <code>MissingCatalogTextError<\/code>/);
    const pageFi = (await hanna.get(`/staff/requests/${id}?lang=fi`).expect(200)).text;
    expect(pageFi).toContain('<dd>Kirjeen laatiminen</dd>');
    expect(pageFi).toContain('<dd>Kirjeen tai viestin tekstiä puuttuu tekstiluettelosta</dd>');
    expect(page).toContain('id="form-retry"');

    // Fixed, then retried through the page: the work resumes where it stopped.
    await setLanguage(id, 'fi');
    await hanna.post(`/staff/requests/${id}/actions/retry?lang=en`).type('form').send({ note: 'Kieli korjattu.', csrf: csrfOf(page) }).expect(303);
    const ready = await engine.waitForStatus(id, auth, (s) => s.awaiting === 'approval');
    expect(ready.attention).toBeNull();
    const after = await engine.tdb.db.selectFrom('dsr.requests').select(['state', 'attention_step']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(after).toEqual({ state: 'awaiting_approval', attention_step: null });
    const events = await engine.tdb.db.selectFrom('dsr.events').select(['type', 'actor']).where('request_id', '=', id).orderBy('id').execute();
    const types = events.map((e) => e.type);
    expect(types.filter((t) => t === 'needs_attention')).toHaveLength(1);
    expect(events.find((e) => e.type === 'step_retried')?.actor).toBe('hanna.handler');
    expect(types.indexOf('step_retried')).toBeLessThan(types.indexOf('draft_ready'));

    // A second retry has nothing to retry: refused by the validator, through the JSON API.
    const again = await request(engine.api.app).post(`/api/v1/staff/requests/${id}/retry-step`).set('Authorization', auth).send({});
    expect(again.status).toBeGreaterThanOrEqual(400);
    expect(again.status).toBeLessThan(500);
  });
});
