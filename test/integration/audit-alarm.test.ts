/**
 * A broken chain stays loud (issue 11, point 4): once a verification finds a break, the DPO gets one
 * e-mail, every auditor and DPO page shows the alarm, and no page or API says "intact" again until
 * an admin records an incident note, which is itself a link; a per-request view checks that
 * request's links against the signed checkpoint and raises the alarm on its own.
 */
import fs from 'node:fs';
import { sql } from 'kysely';
import { appendAudit } from '../../db/repositories/audit';
import { integrityDeps } from '../../services/audit-deps';
import { startCheckpointer } from '../../services/audit-integrity';
import request from 'supertest';
import auditEn from '../../web/staff/locales/audit.en.json';
import { translator } from '../../templates/i18n';
import { csrfOf, signedInStaff } from '../helpers/staff';
import { defaultCheck, scenario, stopScenarios, tamper, type Scenario } from '../helpers/audit-scenario';

const A = auditEn.audit;

// Each case builds a fresh engine and database: seconds, on a busy machine.
jest.setTimeout(30_000);
afterEach(stopScenarios);

/** The insider changes who verified the identity, and later puts it back. */
const editEvent = (s: Scenario) => tamper(s, (trx) => sql`UPDATE dsr.events SET actor = 'joku.muu' WHERE business_key = 'identity'`.execute(trx).then(() => undefined));
const restoreEvent = (s: Scenario) => tamper(s, (trx) => sql`UPDATE dsr.events SET actor = 'kasittelija.1' WHERE business_key = 'identity'`.execute(trx).then(() => undefined));

async function noteIncident(s: Scenario, note: string) {
  const admin = await signedInStaff(s.api.app, 'ylla.pitaja', 'admin');
  const page = await admin.get('/staff/audit?lang=en').expect(200);
  expect(page.text).toContain('id="incident-form"');
  return admin.post('/staff/audit/incident?lang=en').type('form').send({ note, csrf: csrfOf(page.text.slice(page.text.indexOf('id="incident-form"'))) });
}

test('the first check that finds a break mails the DPO once, naming the link and the problem, and every auditor and DPO page shows it', async () => {
  const s = await scenario();
  await editEvent(s);
  expect(await defaultCheck(s)).toMatchObject({ valid: false, state: 'broken', problem: 'content_changed' });
  expect(await defaultCheck(s)).toMatchObject({ valid: false, state: 'broken' });
  expect(s.mails).toHaveLength(1);
  const t = translator('fi');
  expect(s.mails[0]).toMatchObject({ to: 'tietosuojavastaava@example.fi', subject: t('email.audit_chain_broken.subject') });
  expect(String(s.mails[0].text)).toContain(t('email.audit_chain_broken.problem.content_changed'));
  expect(String(s.mails[0].text)).not.toContain('Aino');

  const dpo = await signedInStaff(s.api.app, 'tsv.1', 'dpo');
  for (const path of ['/staff', '/staff/audit', `/staff/audit/requests/${s.requestId}`]) {
    const page = await dpo.get(`${path}?lang=en`).expect(200);
    expect([path, page.text.includes('id="audit-alarm"')]).toEqual([path, true]);
    expect(page.text).toContain(A.chain.problems.content_changed);
  }
  const auditor = await signedInStaff(s.api.app, 'aarne.auditor', 'auditor');
  expect((await auditor.get('/staff/audit?lang=en').expect(200)).text).toContain('data-state="broken"');
  // A handler acts on requests, not on the audit log: the banner is for those who must act on it.
  const handler = await signedInStaff(s.api.app, 'kasittelija.5', 'handler');
  expect((await handler.get('/staff?lang=en').expect(200)).text).not.toContain('id="audit-alarm"');
});

test('putting the row back does not make the chain intact again: the alarm stays until an admin records an incident note, which is a link', async () => {
  const s = await scenario();
  await editEvent(s);
  await defaultCheck(s);
  await restoreEvent(s);
  // The chain verifies again, but what was found stays found.
  expect(await defaultCheck(s)).toMatchObject({ valid: false, state: 'broken', alarm: { problem: 'content_changed' } });
  const auditor = await signedInStaff(s.api.app, 'aarne.auditor', 'auditor');
  const before = await auditor.get('/staff/audit?lang=en').expect(200);
  expect(before.text).toContain('data-state="broken"');
  expect(before.text).not.toContain(A.chain.valid.slice(0, 30));
  // Only an admin records the note.
  const form = await auditor.get('/staff/audit?lang=en');
  await auditor.post('/staff/audit/incident?lang=en').type('form').send({ note: 'Tarkistettu ja korjattu varmuuskopiosta.', csrf: csrfOf(form.text) }).expect(403);
  expect((await noteIncident(s, 'lyhyt')).status).toBe(400);

  const noted = await noteIncident(s, 'Tapahtuman tekijä oli muutettu; palautettu varmuuskopiosta, poliisille ilmoitettu.');
  expect(noted.status).toBe(200);
  const seq = Number(/recorded as link (\d+)/.exec(noted.text)?.[1]);
  const link = await s.tdb.db.selectFrom('dsr.audit_log').selectAll().where('seq', '=', String(seq)).executeTakeFirstOrThrow();
  expect(link).toMatchObject({ actor: 'ylla.pitaja', action: 'audit_incident_noted' });
  expect(link.details).toMatchObject({ problem: 'content_changed', note: 'Tapahtuman tekijä oli muutettu; palautettu varmuuskopiosta, poliisille ilmoitettu.' });
  expect(await defaultCheck(s)).toMatchObject({ valid: true, state: 'intact' });
  const after = await auditor.get('/staff/audit?lang=en').expect(200);
  expect(after.text).not.toContain('id="audit-alarm"');
  expect(after.text).toContain('data-state="intact"');
});

test('a break that remains after the note is shown as recorded, never as intact, and mails no one again', async () => {
  const s = await scenario();
  await editEvent(s);
  await defaultCheck(s);
  expect((await noteIncident(s, 'Havaittu muutos tutkitaan; rivi jätetään todisteeksi.')).status).toBe(200);
  expect(await defaultCheck(s)).toMatchObject({ valid: false, state: 'incident_recorded', problem: 'content_changed' });
  const auditor = await signedInStaff(s.api.app, 'aarne.auditor', 'auditor');
  const page = await auditor.get('/staff/audit?lang=en').expect(200);
  expect(page.text).toContain('data-state="incident_recorded"');
  expect(page.text).not.toContain('id="audit-alarm"');
  expect(s.mails).toHaveLength(1);
  // A new, different break is a new alarm.
  await tamper(s, (trx) => sql`UPDATE dsr.decisions SET outcome = 'refused'`.execute(trx).then(() => undefined));
  await tamper(s, (trx) => sql`UPDATE dsr.events SET actor = 'kasittelija.1' WHERE business_key = 'identity'`.execute(trx).then(() => undefined));
  expect(await defaultCheck(s)).toMatchObject({ valid: false, state: 'broken', problem: 'content_changed' });
  expect(s.mails).toHaveLength(2);
});

test("a per-request view checks that request's links against the signed checkpoint, and raises the alarm itself", async () => {
  const s = await scenario();
  const res = await request(s.api.app).get(`/api/v1/audit/requests/${s.requestId}`).set('Authorization', s.auth).expect(200);
  expect(res.body.auditChain).toMatchObject({ valid: true, state: 'intact', checkpoint: { seq: 70 } });
  // The document of the request replaced, its sha256 column updated along.
  await tamper(s, async (trx) => {
    const forged = Buffer.from('%PDF-1.7\n% another answer\n');
    await sql`UPDATE dsr.documents SET content = ${forged}, sha256 = encode(sha256(${forged}), 'hex') WHERE id = ${s.documentId}`.execute(trx);
  });
  const broken = await request(s.api.app).get(`/api/v1/audit/requests/${s.requestId}`).set('Authorization', s.auth).expect(200);
  expect(broken.body.auditChain).toMatchObject({ valid: false, state: 'broken', problem: 'content_changed' });
  expect(s.mails).toHaveLength(1);
  // Shortening the chain below the checkpoint is seen from any request's view too.
  await tamper(s, (trx) => sql`DELETE FROM dsr.audit_log WHERE seq > 60`.execute(trx).then(() => undefined));
  const auditor = await signedInStaff(s.api.app, 'aarne.auditor', 'auditor');
  const page = await auditor.get(`/staff/audit/requests/${s.requestId}?lang=en`).expect(200);
  expect(page.text).toContain('data-state="broken"');
});

test('at intervals, with no one looking, the whole chain is verified: a grown chain gets a signed checkpoint, a broken one raises the alarm', async () => {
  const s = await scenario();
  const checkpointer = startCheckpointer(integrityDeps(s.api.ctx), 100);
  try {
    await s.tdb.db.transaction().execute((trx) => appendAudit(trx, { actor: 'kasittelija.3', action: 'staff_viewed_request', requestId: s.requestId, details: {} }));
    const head = await s.tdb.db.selectFrom('dsr.audit_log').select(['seq']).orderBy('seq', 'desc').limit(1).executeTakeFirstOrThrow();
    const name = `checkpoint-${head.seq.padStart(12, '0')}-`;
    await until(() => fs.readdirSync(s.dir).some((f) => f.startsWith(name)));
    await editEvent(s);
    await until(() => s.mails.length === 1);
    expect(await s.tdb.db.selectFrom('dsr.audit_alarms').select(['problem']).execute()).toEqual([{ problem: 'content_changed' }]);
  } finally {
    checkpointer.stop();
  }
});

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !condition(); i++) await new Promise((r) => setTimeout(r, 100));
  expect(condition()).toBe(true);
}

test("the search page checks the chains that changed since the last checkpoint: a forged link there is found by the page itself, and the DPO is mailed", async () => {
  const s = await scenario();
  const auditor = await signedInStaff(s.api.app, 'aarne.auditor', 'auditor');
  // A link put at the end of the request's chain, after the checkpoint, without the key.
  await tamper(s, async (trx) => {
    const head = await trx.selectFrom('dsr.audit_log').selectAll().where('chain', '=', s.requestId).orderBy('chain_seq', 'desc').limit(1).executeTakeFirstOrThrow();
    await trx
      .insertInto('dsr.audit_log')
      .values({ ...head, seq: String(Number(head.seq) + 1000), chain_seq: String(Number(head.chain_seq) + 1), actor: 'joku.muu', prev_hash: head.hash, hash: 'f'.repeat(64), details: JSON.stringify({}), tx: undefined })
      .execute();
  });
  const page = await auditor.get('/staff/audit?lang=en').expect(200);
  expect(page.text).toContain('id="chain-status" data-valid="false" data-state="broken"');
  expect(page.text).toContain(A.chain.problems.link_forged);
  expect(s.mails).toHaveLength(1);
});

test('a break in a chain that has not changed since the checkpoint is not in the search page\'s reach: the whole-log check finds it, and the page then shows it', async () => {
  const s = await scenario();
  const auditor = await signedInStaff(s.api.app, 'aarne.auditor', 'auditor');
  await tamper(s, (trx) => sql`UPDATE dsr.audit_log SET actor = 'joku.muu' WHERE chain = ${s.requestId} AND chain_seq = 20`.execute(trx).then(() => undefined));
  // The page walks only what changed since the checkpoint (here: the system chain's sign-in links).
  expect((await auditor.get('/staff/audit?lang=en').expect(200)).text).toContain('data-state="intact"');
  expect(await defaultCheck(s)).toMatchObject({ valid: false, state: 'broken', problem: 'link_forged' });
  expect((await auditor.get('/staff/audit?lang=en').expect(200)).text).toContain('data-state="broken"');
});
