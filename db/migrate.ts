/** Runs the kysely migrations to the latest version; throws with the failing migration's name. */
import { Migrator, type Kysely } from 'kysely';
import { migrations } from './migrations';
import { grantEngineRole } from './privileges';

/**
 * Migrates as the owner; with `engineRole`, then grants that role the engine's privileges (and no
 * more), so the engine can run as it (README, "Database roles").
 */
export async function migrateToLatest(db: Kysely<any>, options: { engineRole?: string } = {}): Promise<string[]> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    migrationTableSchema: 'public',
  });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    const cause = error instanceof Error ? error.message : String(error);
    throw new Error(`migration ${failed?.migrationName ?? '(unknown)'} failed: ${cause}`);
  }
  if (options.engineRole) await grantEngineRole(db, options.engineRole);
  return (results ?? []).map((r) => r.migrationName);
}
