/**
 * Bad input never reaches the database (issue 9, point 3): every free-text field of the JSON API
 * refuses a NUL byte with a 400 naming the field, and no row is written; dates that the law or
 * sense forbids are refused by name; unreadable bodies get 413/415/400, as JSON in the API and as a
 * page on the forms, never a 500. Real PostgreSQL, Temporal and SMTP (startEngine).
 */
import { gzipSync } from 'node:zlib';
import { sql } from 'kysely';
import request from 'supertest';
import { helsinkiDate } from '../../domain/deadline';
import { startEngine, type Engine } from '../helpers/engine';
import { identifiedByEmail, openDetailsStep } from '../helpers/resident';
import sv from '../../web/locales/sv.json';

jest.setTimeout(180_000);

let engine: Engine;
let handler: string;
/** A real request, waiting for its identity decision, that the staff decisions are aimed at. */
let target: { id: string; reference: string; accessCode: string };

beforeAll(async () => {
  engine = await startEngine({ withPages: true });
  handler = await engine.signIn('h.kasittelija', ['handler']);
  const res = await request(engine.api.app)
    .post('/api/v1/requests')
    .send({ rights: ['access'], language: 'fi', subject: { firstName: 'Aino', lastName: 'Reuna', email: 'aino.reuna@example.fi' } })
    .expect(201);
  target = { id: res.body.id, reference: res.body.reference, accessCode: res.body.accessCode };
  await engine.waitForStatus(target.id, handler, (s) => s.awaiting === 'identity');
});

afterAll(async () => {
  await engine?.stop();
});

/** Rows in every table of the dsr schema: what "nothing stored" is measured with. */
async function dsrRowCounts(): Promise<Record<string, number>> {
  const tables = await sql<{ name: string }>`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'dsr' AND table_type = 'BASE TABLE' ORDER BY 1`.execute(engine.tdb.db);
  const counts: Record<string, number> = {};
  for (const { name } of tables.rows) {
    const r = await sql<{ n: string }>`SELECT count(*) AS n FROM ${sql.table(`dsr.${name}`)}`.execute(engine.tdb.db);
    counts[name] = Number(r.rows[0].n);
  }
  return counts;
}

/**
 * The counts once the workflows of earlier tests' requests have stopped writing (their
 * acknowledgement and identity steps run in the background), so a difference is this test's doing.
 */
async function settledCounts(): Promise<Record<string, number>> {
  let last = await dsrRowCounts();
  for (let i = 0; i < 40; i++) {
    await new Promise((r) => setTimeout(r, 750));
    const now = await dsrRowCounts();
    if (JSON.stringify(now) === JSON.stringify(last)) return now;
    last = now;
  }
  throw new Error('the database did not settle');
}

/** Sets `path` (dotted, with [i]) of a copy of `body` to `value`. */
function withValue(body: Record<string, unknown>, path: string, value: unknown): Record<string, unknown> {
  const copy = structuredClone(body);
  const parts = path.replace(/\[(\d+)\]/g, '.$1').split('.');
  let node: Record<string, unknown> = copy;
  for (const p of parts.slice(0, -1)) node = node[p] as Record<string, unknown>;
  node[parts[parts.length - 1]] = value;
  return copy;
}

const SUBJECT = { firstName: 'Aino', lastName: 'Reuna', email: 'aino.reuna@example.fi', phone: '044 123 4567', hetu: '131052-308T', address: 'Kauppakatu 1\n70100 Kuopio' };
const PUBLIC = { rights: ['rectification'], language: 'fi', subject: SUBJECT, description: 'Korjatkaa osoitteeni.', corrections: [{ field: 'register.persons.address', value: 'Kauppakatu 2', rowId: 'r1', explanation: 'Muutin.' }] };
const OBJECTION = { rights: ['objection'], language: 'fi', subject: SUBJECT, objectionGrounds: 'En halua osallistua kyselyihin.' };
const PORTABILITY = { rights: ['portability'], language: 'fi', subject: SUBJECT, transmitTo: 'https://example.com/in' };
const STAFF = { ...PUBLIC, channel: 'mail', receivedAt: new Date(Date.now() - 86_400_000).toISOString() };
const REASONS = 'Perustelut kirjoitettuna riittävän pitkästi.';

interface Case {
  name: string;
  path: string;
  body: Record<string, unknown>;
  field: string;
  staff?: boolean;
}

/** Every free-text field the JSON API takes, each with the body it is sent in. */
function cases(): Case[] {
  const id = target.id;
  const textOf = (body: Record<string, unknown>, url: string, fields: string[], staff = false): Case[] => fields.map((field) => ({ name: `${url} ${field}`, path: url, body, field, staff }));
  return [
    ...textOf(PUBLIC, '/api/v1/requests', ['subject.firstName', 'subject.lastName', 'subject.email', 'subject.phone', 'subject.hetu', 'subject.address', 'description', 'corrections[0].value', 'corrections[0].rowId', 'corrections[0].explanation', 'corrections[0].field']),
    ...textOf(OBJECTION, '/api/v1/requests', ['objectionGrounds']),
    ...textOf(PORTABILITY, '/api/v1/requests', ['transmitTo']),
    ...textOf(STAFF, '/api/v1/staff/requests', ['subject.firstName', 'subject.lastName', 'subject.address', 'description', 'corrections[0].value', 'corrections[0].explanation', 'receivedAt'], true),
    ...textOf({ reference: target.reference, accessCode: target.accessCode, note: 'Peruutan.' }, '/api/v1/requests/withdraw', ['note', 'reference', 'accessCode']),
    ...textOf({ reference: target.reference, accessCode: target.accessCode }, '/api/v1/requests/status', ['reference', 'accessCode']),
    ...textOf({ decision: 'verified', method: 'in_person', note: REASONS }, `/api/v1/staff/requests/${id}/identity`, ['note'], true),
    ...textOf({ reasons: REASONS }, `/api/v1/staff/requests/${id}/extend`, ['reasons'], true),
    ...textOf({ ground: 'gdpr_12_5_manifestly_unfounded', reasons: REASONS }, `/api/v1/staff/requests/${id}/refuse`, ['reasons'], true),
    ...textOf({ documentId: id, note: REASONS }, `/api/v1/staff/requests/${id}/approve`, ['note'], true),
    ...textOf({ decisions: [{ category: 'photos', outcome: 'granted', ground: 'none', reason: REASONS }], corrections: [{ index: 0, accepted: false, reason: REASONS, rowId: 'r1' }] }, `/api/v1/staff/requests/${id}/decide`, ['decisions[0].category', 'decisions[0].reason', 'corrections[0].reason', 'corrections[0].rowId'], true),
    ...textOf({ items: [{ category: 'case_notes', description: REASONS }] }, `/api/v1/staff/requests/${id}/withhold`, ['items[0].description', 'items[0].category'], true),
    ...textOf({ note: REASONS }, `/api/v1/staff/requests/${id}/withdraw`, ['note'], true),
    ...textOf({ amountCents: 2500, ground: 'gdpr_12_5_excessive', basis: REASONS, payBy: '2099-01-01' }, `/api/v1/staff/requests/${id}/fee`, ['basis', 'payBy'], true),
    ...textOf({ categories: ['case_notes'], liftOn: '2099-01-05', reason: REASONS }, `/api/v1/staff/requests/${id}/restriction-lift`, ['reason', 'categories[0]', 'liftOn'], true),
    ...textOf({ assignee: 'h.kasittelija', reason: REASONS }, `/api/v1/staff/requests/${id}/assignment`, ['reason', 'assignee'], true),
    ...textOf({ reason: REASONS }, `/api/v1/staff/requests/${id}/recipients/tyollisyyspalvelut/not-notified`, ['reason'], true),
    ...textOf({ accessCode: target.accessCode }, '/api/v1/downloads/not-a-real-link-token', ['accessCode']),
  ];
}

describe('a NUL byte in any free-text field', () => {
  it('is refused with a 400 naming the field, and nothing is stored', async () => {
    const before = await settledCounts();
    const refusedWithout: string[] = [];
    for (const c of cases()) {
      const original = c.field.split(/\.|\[|\]/).filter(Boolean).reduce<unknown>((node, p) => (node as Record<string, unknown>)[p], c.body) as string;
      const body = withValue(c.body, c.field, `${original.slice(0, 2)}\u0000${original.slice(2)}`);
      let req = request(engine.api.app).post(c.path).send(body);
      if (c.staff) req = req.set('Authorization', handler);
      const res = await req;
      if (res.status !== 400 || !(res.body.error?.fields as { field: string }[] | undefined)?.some((f) => f.field === c.field)) {
        refusedWithout.push(`${c.name}: ${res.status} ${JSON.stringify(res.body)}`);
      }
    }
    expect(refusedWithout).toEqual([]);
    expect(await dsrRowCounts()).toEqual(before);
    // And the request the decisions were aimed at is where it was.
    expect(await engine.waitForStatus(target.id, handler, (s) => s.awaiting === 'identity')).toBeTruthy();
  });

  it('each other control character is refused too, but a line break only where the field is multi-line', async () => {
    const post = (subject: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
      request(engine.api.app).post('/api/v1/requests').send({ rights: ['access'], language: 'fi', subject: { ...SUBJECT, ...subject }, ...extra });
    for (const ch of ['\u0001', '\u001b', '\u007f', '\u0085', '\u000b']) {
      const res = await post({}, { description: `rivi${ch}toinen` });
      expect([res.status, res.body.error.fields[0].field]).toEqual([400, 'description']);
    }
    const nameWithBreak = await post({ lastName: 'Reuna\nToinen' });
    expect(nameWithBreak.status).toBe(400);
    expect(nameWithBreak.body.error.fields[0]).toEqual({ field: 'subject.lastName', message: 'must be a single line (no line breaks or tabs)' });
    await post({}, { description: 'Ensimmäinen rivi.\r\nToinen rivi.\tSarkaimella.' }).expect(201);
  });
});

describe('the e-form', () => {
  it('shows refused characters next to their fields in the page language, and stores nothing', async () => {
    const resident = await identifiedByEmail(engine.api.app, engine.smtp, 'reuna.asukas@example.fi', 'sv');
    const { formToken, csrf } = await openDetailsStep(resident, ['access'], 'sv');
    const before = await settledCounts();
    const res = await resident
      .post('/request?lang=sv')
      .type('form')
      .send({ formToken, csrf, rights: 'access', firstName: 'Aino\u202E', lastName: 'Reuna', email: 'reuna.asukas@example.fi', description: 'rad\u0000ett' })
      .expect(400);
    for (const id of ['f-firstName', 'f-description']) {
      const at = res.text.indexOf(`id="${id}-error"`);
      expect([id, at > 0 && res.text.slice(at, at + 400).includes(sv.errors.characters)]).toEqual([id, true]);
    }
    expect(await dsrRowCounts()).toEqual(before);
  });
});

describe('Unicode tricks in names', () => {
  it('refuses text-direction overrides and zero-width characters in a name, naming the field', async () => {
    const post = (firstName: string) => request(engine.api.app).post('/api/v1/requests').send({ rights: ['access'], language: 'fi', subject: { ...SUBJECT, firstName } });
    const before = await settledCounts();
    const bidi = await post('Aino\u202Eoniap');
    expect(bidi.status).toBe(400);
    expect(bidi.body.error.fields).toEqual([{ field: 'subject.firstName', message: 'must not contain text-direction control characters' }]);
    // (A leading U+FEFF is trimmed as white space, like any other.)
    for (const trick of ['Ai\u200Bno', 'Ai\u200Dno', 'Ai\u2066no\u2069', 'Ai\uFEFFno', 'Ai\u00ADno', 'Ai\u200Fno']) {
      const res = await post(trick);
      expect([res.status, res.body.error?.fields?.[0]?.field]).toEqual([400, 'subject.firstName']);
    }
    expect(await dsrRowCounts()).toEqual(before);
  });

  it('stores a name NFC-normalised, so one name typed two ways is one name', async () => {
    const res = await request(engine.api.app)
      .post('/api/v1/requests')
      .send({ rights: ['access'], language: 'fi', subject: { ...SUBJECT, firstName: 'A\u0308ino' } })
      .expect(201);
    const stored = await request(engine.api.app).get(`/api/v1/staff/requests/${res.body.id}`).set('Authorization', handler).expect(200);
    expect(stored.body.subject.firstName).toBe('\u00C4ino');
  });
});

describe('dates the law or sense needs', () => {
  const today = helsinkiDate(new Date());
  const yesterday = helsinkiDate(new Date(Date.now() - 86_400_000));

  it('refuses a fee whose pay-by date is today or past, and a restriction lift that is not in the future', async () => {
    const before = await settledCounts();
    for (const payBy of [yesterday, today]) {
      const res = await request(engine.api.app)
        .post(`/api/v1/staff/requests/${target.id}/fee`)
        .set('Authorization', handler)
        .send({ amountCents: 2500, ground: 'gdpr_12_5_excessive', basis: REASONS, payBy });
      expect([res.status, res.body.error.fields]).toEqual([400, [{ field: 'payBy', message: 'must be a date after today' }]]);
    }
    for (const liftOn of [yesterday, today]) {
      const res = await request(engine.api.app)
        .post(`/api/v1/staff/requests/${target.id}/restriction-lift`)
        .set('Authorization', handler)
        .send({ categories: ['case_notes'], liftOn, reason: REASONS });
      expect([res.status, res.body.error.fields]).toEqual([400, [{ field: 'liftOn', message: 'must be a date after today' }]]);
    }
    expect(await dsrRowCounts()).toEqual(before);
  });

  it('refuses a staff-entered receipt time in the future, and takes one in the past', async () => {
    const before = await settledCounts();
    const future = await request(engine.api.app)
      .post('/api/v1/staff/requests')
      .set('Authorization', handler)
      .send({ ...STAFF, receivedAt: new Date(Date.now() + 3_600_000).toISOString() });
    expect([future.status, future.body.error.fields]).toEqual([400, [{ field: 'receivedAt', message: 'must not be in the future' }]]);
    expect(await dsrRowCounts()).toEqual(before);
    const past = await request(engine.api.app)
      .post('/api/v1/staff/requests')
      .set('Authorization', handler)
      .send({ rights: ['access'], language: 'fi', channel: 'mail', subject: SUBJECT, receivedAt: new Date(Date.now() - 3 * 86_400_000).toISOString() });
    expect(past.status).toBe(201);
  });
});

describe('bodies that cannot be read', () => {
  const api = () => request(engine.api.app).post('/api/v1/requests');
  /** Sends a Buffer as it is (superagent would JSON-encode it under a JSON content type). */
  const raw = (body: unknown) => body as string;

  it('answers 413 to a 1 MB JSON body, as JSON', async () => {
    const res = await api().set('Content-Type', 'application/json').send(JSON.stringify({ rights: ['access'], description: 'x'.repeat(1024 * 1024) }));
    expect([res.status, res.type, res.body.error.code]).toEqual([413, 'application/json', 'body_too_large']);
  });

  it('answers 415 to charset=koi8-r and to content-encoding br', async () => {
    const koi = await api().set('Content-Type', 'application/json; charset=koi8-r').send('{"rights":["access"]}');
    expect([koi.status, koi.body.error.code]).toEqual([415, 'unsupported_charset']);
    const br = await api().set('Content-Type', 'application/json').set('Content-Encoding', 'br').serialize(raw).send(Buffer.from([0x0b, 0x02, 0x80, 0x7b, 0x7d, 0x03]));
    expect([br.status, br.body.error.code]).toEqual([415, 'unsupported_encoding']);
  });

  it('answers 400 to a broken gzip body and to broken JSON', async () => {
    const whole = gzipSync(Buffer.from(JSON.stringify({ rights: ['access'], language: 'fi' })));
    const broken = Buffer.concat([whole.subarray(0, 10), Buffer.from('not deflate data at all'), whole.subarray(whole.length - 8)]);
    const gz = await api().set('Content-Type', 'application/json').set('Content-Encoding', 'gzip').serialize(raw).send(broken);
    expect([gz.status, gz.body.error.code]).toEqual([400, 'malformed_body']);
    const json = await api().set('Content-Type', 'application/json').send('{"rights": [');
    expect([json.status, json.body.error.code]).toEqual([400, 'malformed_body']);
  });

  it('a well-formed gzip body is read', async () => {
    const body = gzipSync(Buffer.from(JSON.stringify({ rights: ['access'], language: 'fi', subject: SUBJECT })));
    const res = await api().set('Content-Type', 'application/json').set('Content-Encoding', 'gzip').serialize(raw).send(body);
    expect(res.status).toBe(201);
  });

  it('on the forms, answers with a page in the page language, with the same statuses', async () => {
    const form = (lang: string) => request(engine.api.app).post(`/staff/sign-in?lang=${lang}`);
    const big = await form('sv').type('form').send(`user=${'x'.repeat(200 * 1024)}`);
    expect([big.status, big.type]).toEqual([413, 'text/html']);
    expect(big.text).toContain('Blanketten är för stor');
    const koi = await form('fi').set('Content-Type', 'application/x-www-form-urlencoded; charset=koi8-r').send('user=a');
    expect([koi.status, koi.type]).toEqual([415, 'text/html']);
    expect(koi.text).toContain('Lomaketta ei voitu lukea');
    const br = await form('en').set('Content-Type', 'application/x-www-form-urlencoded').set('Content-Encoding', 'br').send('user=a');
    expect([br.status, br.type]).toEqual([415, 'text/html']);
    const gz = await form('en').set('Content-Type', 'application/x-www-form-urlencoded').set('Content-Encoding', 'gzip').serialize(raw).send(Buffer.from('broken gzip'));
    expect([gz.status, gz.type]).toEqual([400, 'text/html']);
    expect(gz.text).toContain('The form could not be read');
  });
});
