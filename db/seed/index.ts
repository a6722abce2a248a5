/**
 * Seeding a synthetic client register: the demo person plus N synthetic people, generated in
 * batches of one insert statement each, all in one transaction. Refuses a register that already
 * holds people, because the synthetic henkilötunnus codes of a second run would collide.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../database';
import type { RegisterTableName } from '../tables/register';
import type { RegisterDescription } from '../../domain/register-description';
import { DEFAULT_REGISTER_DESCRIPTION_PATH, loadRegisterDescription } from '../../config/register-description';
import { REGISTER_COLUMNS } from '../tables/register';
import { disclosureTargets, emptyRows, generatePerson, type GeneratorContext, type Locality } from './generate';
import { HETU_CAPACITY, hetuSpace } from './hetu-space';
import { deferIndexesAndForeignKeys } from './bulk-load';
import { seedConsultations } from './consultations';
import { insertRows } from './insert';
import defaultLocality from './locality.kuopio.json';

export { DEMO_EMAIL, DEMO_HETU } from './generate';
export { HETU_CAPACITY } from './hetu-space';

/** "Today" of a seeded register unless told otherwise: fixed, so a seed always gives the same data. */
export const DEFAULT_REFERENCE_DATE = new Date('2025-06-30T00:00:00Z');

export interface SeedProgress {
  /** Inserting people, then rebuilding indexes and checking foreign keys, then updating statistics. */
  phase: 'inserting' | 'indexing' | 'analysing';
  /** People (the demo person included) inserted so far. */
  done: number;
  total: number;
}

export interface SeedOptions {
  /** Synthetic people besides the demo person. */
  persons: number;
  /** Same seed, same register. Default 1. */
  seed?: number;
  /** Disclosures go to recipients of this description. Default: REGISTER_DESCRIPTION or the shipped file. */
  description?: RegisterDescription;
  locality?: Locality;
  /** People per insert statement. Default 5000. */
  batchSize?: number;
  referenceDate?: Date;
  onProgress?: (progress: SeedProgress) => void;
}

export interface SeedResult {
  persons: number;
  rows: Record<RegisterTableName, number>;
  /** Entries of the source systems' usage logs (register.consultations). */
  consultations: number;
}

/** The register already holds people; seeding adds only to an empty register. */
export class RegisterNotEmptyError extends Error {
  override name = 'RegisterNotEmptyError';
}

/** True when register.persons has no rows. */
export async function registerIsEmpty(db: Kysely<Database>): Promise<boolean> {
  const { rows } = await sql<{ found: boolean }>`select exists (select 1 from register.persons) as found`.execute(db);
  return !rows[0].found;
}

/** Seeds an empty register with the demo person and `persons` synthetic people; returns row counts. */
export async function seedRegister(db: Kysely<Database>, options: SeedOptions): Promise<SeedResult> {
  const { persons, seed = 1, batchSize = 5000, onProgress } = options;
  if (!Number.isInteger(persons) || persons < 0) throw new RangeError(`persons must be a whole number >= 0, got ${persons}`);
  if (persons > HETU_CAPACITY) throw new RangeError(`persons must be at most ${HETU_CAPACITY} (the synthetic henkilötunnus space)`);
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`batchSize must be a whole number >= 1, got ${batchSize}`);
  const description = options.description ?? loadRegisterDescription(process.env.REGISTER_DESCRIPTION ?? DEFAULT_REGISTER_DESCRIPTION_PATH, REGISTER_COLUMNS);
  const ctx: GeneratorContext = {
    seed,
    locality: options.locality ?? defaultLocality,
    referenceDate: options.referenceDate ?? DEFAULT_REFERENCE_DATE,
    disclosureTargets: disclosureTargets(description),
    hetuSpace: hetuSpace(seed),
  };
  const total = persons + 1;
  const rows = Object.fromEntries(Object.keys(emptyRows()).map((t) => [t, 0])) as Record<RegisterTableName, number>;

  let consultations = 0;
  // One transaction: a load that fails or is interrupted leaves an empty register to seed again.
  await db.transaction().execute(async (trx) => {
    // Nobody else may add people while we check that there are none.
    await sql`lock table register.persons in exclusive mode`.execute(trx);
    if (!(await registerIsEmpty(trx))) {
      throw new RegisterNotEmptyError('the register already holds people; seed an empty database (seeding never adds to existing data)');
    }
    const restore = await deferIndexesAndForeignKeys(trx);
    let inFlight: Promise<void> | undefined;
    for (let start = 0; start < total; start += batchSize) {
      const end = Math.min(total, start + batchSize);
      const batch = await generateBatch(ctx, start, end);
      await inFlight;
      // The next batch is generated while this one is inserted.
      inFlight = insertRows(trx, batch).then((counts) => {
        for (const [table, n] of Object.entries(counts)) rows[table as RegisterTableName] += n;
        onProgress?.({ phase: 'inserting', done: end, total });
      });
      // Marks a failure as handled until it is awaited above, so it is not an unhandled rejection.
      inFlight.catch(() => undefined);
    }
    await inFlight;
    onProgress?.({ phase: 'indexing', done: total, total });
    await restore();
    consultations = await seedConsultations(trx, description, seed, ctx.referenceDate);
  });
  onProgress?.({ phase: 'analysing', done: total, total });
  for (const table of Object.keys(rows)) await sql`analyze ${sql.table(table)}`.execute(db);
  if (consultations > 0) await sql`analyze register.consultations`.execute(db);
  return { persons: total, rows, consultations };
}

/** Generates people [start, end), yielding now and then so an insert in flight can use the socket. */
async function generateBatch(ctx: GeneratorContext, start: number, end: number) {
  const batch = emptyRows();
  for (let index = start; index < end; index++) {
    generatePerson(ctx, index, batch);
    if ((index - start) % 250 === 249) await new Promise((resolve) => setImmediate(resolve));
  }
  return batch;
}
