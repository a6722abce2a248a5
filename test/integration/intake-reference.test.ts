/**
 * A request reference is six characters of 32 drawn at random: over a year's submissions two draws
 * meet now and then. Over real PostgreSQL: when the reference drawn for a submission is already
 * taken, intake draws another and stores the submission, instead of failing it.
 */
import { createLogger } from '../../config/logger';
import { createIntake, newReference, type SubmissionInput } from '../../services/intake';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { recordingGateway } from '../helpers/recording-gateway';

jest.setTimeout(60_000);

let tdb: TestDatabase;

beforeAll(async () => {
  tdb = await createTestDatabase();
});

afterAll(async () => {
  await tdb?.destroy();
});

function submission(n: number): SubmissionInput {
  return {
    rights: ['access'],
    language: 'fi',
    channel: 'e_form',
    receivedAt: new Date(),
    identityMethod: null,
    subject: { firstName: 'Viite', lastName: 'Testi', email: `viite.${n}@example.com` },
    idempotencyKey: null,
    enteredBy: 'subject',
  };
}

it('a reference already taken is drawn again: the submission is stored under a new one, once', async () => {
  const started: string[] = [];
  let taken: string | null = null;
  let repeats = 0;
  // The draw after the first submission repeats its reference once; later draws are random again.
  const reference = (receivedOn: string) => {
    if (taken === null || repeats > 0) return newReference(receivedOn);
    repeats += 1;
    return taken;
  };
  const intake = createIntake({ db: tdb.db, gateway: recordingGateway(started), logger: createLogger('silent'), secret: 'a'.repeat(64), extendedMonths: 3, reference });
  const first = await intake.submit(submission(1));
  taken = first.requests[0].reference;

  const second = await intake.submit(submission(2));
  expect(repeats).toBe(1);
  expect(second.replayed).toBe(false);
  expect(second.requests[0].reference).not.toBe(taken);
  const rows = await tdb.db.selectFrom('dsr.requests').select(['id', 'reference']).execute();
  expect(rows.map((r) => r.reference).sort()).toEqual([taken, second.requests[0].reference].sort());
  const events = await tdb.db.selectFrom('dsr.events').select('type').where('request_id', '=', second.requests[0].id).execute();
  expect(events.map((e) => e.type)).toEqual(['submitted']);
  await intake.drain(5000);
  expect(started).toEqual([first.requests[0].id, second.requests[0].id]);
});
