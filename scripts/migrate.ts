/**
 * `npm run migrate`: brings the database to the latest schema as its owner, then grants the
 * engine's role what the engine needs and no more (README, "Database roles").
 * - DATABASE_OWNER_URL: the owner role's URL (runs the migrations); without it, DATABASE_URL.
 * - DATABASE_ENGINE_ROLE: the engine's role to grant to; by default the user of DATABASE_URL when
 *   it differs from the owner's. Without one, nothing is granted and the engine runs as the owner,
 *   which the README warns against.
 * Prints the migrations it ran (none when the schema is current) and the role it granted to.
 */
import { createDb } from '../db/database';
import { migrateToLatest } from '../db/migrate';

const POSTGRES_URL = /^postgres(ql)?:\/\//;

async function main(): Promise<void> {
  const engineUrl = process.env.DATABASE_URL;
  const ownerUrl = process.env.DATABASE_OWNER_URL ?? engineUrl;
  const problems = [
    ['DATABASE_OWNER_URL', process.env.DATABASE_OWNER_URL],
    ['DATABASE_URL', engineUrl],
  ]
    .filter(([, v]) => v !== undefined && !POSTGRES_URL.test(v))
    .map(([n]) => `  ${n}: must be a postgres:// URL`);
  if (!ownerUrl) problems.push('  DATABASE_OWNER_URL: is not set (nor DATABASE_URL)');
  if (problems.length > 0) throw new Error(`invalid configuration:\n${problems.join('\n')}`);
  const engineRole = process.env.DATABASE_ENGINE_ROLE ?? userOf(engineUrl, ownerUrl!);
  const db = createDb(ownerUrl!, { max: 2 });
  try {
    const ran = await migrateToLatest(db, { engineRole });
    console.log(ran.length ? `migrated: ${ran.join(', ')}` : 'migrated: the schema is current');
    console.log(engineRole ? `granted the engine's privileges to role ${engineRole}` : 'warning: no engine role (DATABASE_ENGINE_ROLE) given; the engine would run as the owner');
  } finally {
    await db.destroy();
  }
}

function userOf(engineUrl: string | undefined, ownerUrl: string): string | undefined {
  if (!engineUrl) return undefined;
  const engine = decodeURIComponent(new URL(engineUrl).username);
  return engine && engine !== decodeURIComponent(new URL(ownerUrl).username) ? engine : undefined;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
