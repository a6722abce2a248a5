/**
 * `seed`: fills an empty client register with a synthetic one (the demo person Testi Demo,
 * 131052-308T, plus N generated people) for demos, tests and load measurements.
 *
 *   npm run seed -- --persons 10000 --seed 7
 */
import { parseArgs } from 'node:util';
import { SingleBar } from 'cli-progress';
import { sql } from 'kysely';
import { createDb } from '../db/database';
import { HETU_CAPACITY, RegisterNotEmptyError, seedRegister, type SeedProgress } from '../db/seed';
import { DEFAULT_REGISTER_DESCRIPTION_PATH, loadRegisterDescription } from '../config/register-description';
import { REGISTER_COLUMNS } from '../db/tables/register';
import type { RegisterDescription } from '../domain/register-description';

export const USAGE = [
  'usage: npm run seed -- --persons N [--seed S] [--database-url URL] [--description FILE] [--batch-size B]',
  '',
  '  --persons N         synthetic people to create besides the demo person (default 1000,',
  `                      at most ${HETU_CAPACITY})`,
  '  --seed S            same seed, same register (default 1)',
  '  --database-url URL  PostgreSQL to seed, as the owner (default: DATABASE_OWNER_URL, else DATABASE_URL); the schema must be migrated',
  `  --description FILE  register description whose recipients the disclosure log uses`,
  `                      (default: REGISTER_DESCRIPTION or ${DEFAULT_REGISTER_DESCRIPTION_PATH})`,
  '  --batch-size B      people per insert statement (default 5000)',
  '',
  'Seeding only fills an EMPTY register: if register.persons has any row it stops and changes',
  'nothing (a second run would reuse the same synthetic henkilötunnus codes). To reseed, use a',
  'fresh database. The whole load is one transaction: if it fails or is interrupted, the register',
  'stays empty. Every synthetic code has individual number 900-999 (temporary codes).',
].join('\n');

interface Arguments {
  persons: number;
  seed: number;
  databaseUrl: string;
  description: string;
  batchSize: number;
}

/** Parses the command line; returns the usage text to print instead when asked for help. */
export function parseSeedArguments(argv: string[], env: NodeJS.ProcessEnv): Arguments | { help: string } {
  const { values } = parseArgs({
    args: argv,
    options: {
      persons: { type: 'string', default: '1000' },
      seed: { type: 'string', default: '1' },
      'database-url': { type: 'string' },
      description: { type: 'string' },
      'batch-size': { type: 'string', default: '5000' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) return { help: USAGE };
  // The bulk load drops and rebuilds indexes: only the owner may.
  const databaseUrl = values['database-url'] ?? env.DATABASE_OWNER_URL ?? env.DATABASE_URL;
  if (!databaseUrl) throw new UsageError('no database: give --database-url or set DATABASE_OWNER_URL (or DATABASE_URL)');
  return {
    persons: wholeNumber('--persons', values.persons, 0, HETU_CAPACITY),
    seed: wholeNumber('--seed', values.seed, 0, 0xffffffff),
    databaseUrl,
    description: values.description ?? env.REGISTER_DESCRIPTION ?? DEFAULT_REGISTER_DESCRIPTION_PATH,
    batchSize: wholeNumber('--batch-size', values['batch-size'], 1, 100_000),
  };
}

class UsageError extends Error {
  override name = 'UsageError';
}

function wholeNumber(option: string, text: string, min: number, max: number): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < min || n > max) throw new UsageError(`${option} must be a whole number from ${min} to ${max}, got '${text}'`);
  return n;
}

/** Progress on stderr: a bar on a terminal, a line every ten seconds otherwise (logs, CI). */
function progressReporter(total: number): { update(p: SeedProgress): void; stop(): void } {
  if (process.stderr.isTTY) {
    const bar = new SingleBar({
      stream: process.stderr,
      format: 'seeding [{bar}] {percentage}% | {value}/{total} people | {phase}',
      etaBuffer: 20,
    });
    bar.start(total, 0, { phase: 'inserting' });
    return { update: (p) => bar.update(p.done, { phase: p.phase }), stop: () => bar.stop() };
  }
  const started = Date.now();
  let last = 0;
  let phase = '';
  return {
    update: (p) => {
      if (Date.now() - last < 10_000 && p.phase === phase && p.done < p.total) return;
      last = Date.now();
      phase = p.phase;
      const seconds = Math.round((Date.now() - started) / 1000);
      process.stderr.write(`seeding: ${p.phase}, ${p.done}/${p.total} people (${Math.floor((100 * p.done) / p.total)}%), ${seconds} s\n`);
    },
    stop: () => undefined,
  };
}

async function main(argv: string[]): Promise<number> {
  let args: ReturnType<typeof parseSeedArguments>;
  try {
    args = parseSeedArguments(argv, process.env);
  } catch (error) {
    process.stderr.write(`seed: ${(error as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  if ('help' in args) {
    process.stdout.write(`${args.help}\n`);
    return 0;
  }

  let description: RegisterDescription;
  try {
    description = loadRegisterDescription(args.description, REGISTER_COLUMNS);
  } catch (error) {
    process.stderr.write(`seed: ${(error as Error).message}\n`);
    return 1;
  }
  const db = createDb(args.databaseUrl, { max: 2 });
  const progress = progressReporter(args.persons + 1);
  const started = Date.now();
  try {
    const { rows } = await sql<{ t: string | null }>`select to_regclass('register.persons')::text as t`.execute(db);
    if (!rows[0].t) throw new Error('the register schema does not exist: run `npm run migrate` first');
    const result = await seedRegister(db, {
      persons: args.persons,
      seed: args.seed,
      description,
      batchSize: args.batchSize,
      onProgress: (p) => progress.update(p),
    });
    progress.stop();
    const total = Object.values(result.rows).reduce((a, b) => a + b, 0);
    process.stdout.write(`seeded ${result.persons} people, ${total} rows in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
    for (const [table, n] of Object.entries(result.rows)) process.stdout.write(`  ${table.padEnd(32)} ${n}\n`);
    return 0;
  } catch (error) {
    progress.stop();
    const known = error instanceof RegisterNotEmptyError;
    process.stderr.write(`seed: ${known ? (error as Error).message : (error as Error).stack ?? String(error)}\n`);
    return 1;
  } finally {
    await db.destroy();
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
