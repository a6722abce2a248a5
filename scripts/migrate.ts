/**
 * `npm run migrate`: brings the database at DATABASE_URL to the latest schema. Needs only
 * DATABASE_URL; prints the migrations it ran (none when the schema is current).
 */
import { createDb } from '../db/database';
import { migrateToLatest } from '../db/migrate';

async function main(): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (!url || !/^postgres(ql)?:\/\//.test(url)) {
    throw new Error('invalid configuration:\n  DATABASE_URL: ' + (url ? 'must be a postgres:// URL' : 'is not set'));
  }
  const db = createDb(url, { max: 2 });
  try {
    const ran = await migrateToLatest(db);
    console.log(ran.length ? `migrated: ${ran.join(', ')}` : 'migrated: the schema is current');
  } finally {
    await db.destroy();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
