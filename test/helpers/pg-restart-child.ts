/**
 * A child process for the database-outage test: it holds a transaction open on a pooled client
 * (checked out, idle in transaction) while the parent restarts PostgreSQL under it. Without an
 * error listener on that client, pg's 'error' event (57P01, admin shutdown) would kill this process.
 * Protocol on stdout/stdin: prints `in-transaction`, waits for a line, then prints what happened.
 */
import readline from 'node:readline';
import { sql } from 'kysely';
import { createDb } from '../../db/database';

async function main(): Promise<void> {
  const warnings: string[] = [];
  const db = createDb(process.argv[2], { max: 2, logger: { warn: (_o: unknown, message?: string) => void warnings.push(String(message)) } as never });
  const lines = readline.createInterface({ input: process.stdin });
  const nextLine = () => new Promise<void>((resolve) => lines.once('line', () => resolve()));
  try {
    await db.transaction().execute(async (trx) => {
      await sql`SELECT 1`.execute(trx);
      process.stdout.write('in-transaction\n');
      await nextLine();
      await sql`SELECT 1`.execute(trx);
    });
    process.stdout.write('transaction: committed\n');
  } catch (error) {
    process.stdout.write(`transaction: failed ${(error as { code?: string }).code ?? (error as Error).message}\n`);
  }
  const { rows } = await sql<{ one: number }>`SELECT 1 AS one`.execute(db);
  process.stdout.write(`next query: ${rows[0].one === 1 ? 'ok' : 'wrong'}\n`);
  process.stdout.write(`warnings: ${warnings.length}\n`);
  lines.close();
  await db.destroy();
}

main().catch((error) => {
  process.stdout.write(`crashed: ${(error as Error).message}\n`);
  process.exit(2);
});
