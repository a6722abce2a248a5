/**
 * A private PostgreSQL cluster run from the local server binaries: the embedded `npm start` keeps
 * one in `.data/pg`, the integration tests start a throwaway one in a temporary folder.
 * It listens on 127.0.0.1 only, with trust authentication, as superuser `postgres`; the engine
 * itself connects as the roles `createEngineDatabase` makes (an owner for migrations, a lesser engine role).
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { postgresBinDir } from './binaries';
import { freePort, isPortFree } from './ports';

const execFileAsync = promisify(execFile);

/** PostgreSQL refuses to run as root; as root we run it as this OS user (Debian's package creates it). */
const SERVICE_USER = 'postgres';
const SUPERUSER = 'postgres';
const START_TIMEOUT_S = 60;

export interface PostgresClusterOptions {
  /** The cluster's data directory (PGDATA); initialised when it does not exist or is empty. */
  dataDir: string;
  /** TCP port on 127.0.0.1. Default: the port of the previous run for a persistent cluster if still free, else a free one. */
  port?: number;
  /** false for a throwaway cluster: durability is switched off for speed (fsync, synchronous_commit, full_page_writes). */
  persistent: boolean;
}

export interface PostgresCluster {
  /** Connection URL of the `postgres` database as the `postgres` superuser. */
  url: string;
  port: number;
  dataDir: string;
  /** The server's log file. */
  logFile: string;
  /** Fast shutdown (`pg_ctl stop -m fast`); safe to call twice. */
  stop(): Promise<void>;
}

interface Layout {
  bin: string;
  dataDir: string;
  socketDir: string;
  logFile: string;
  portFile: string;
  /** The OS user to run the server binaries as, or null to run them as ourselves. */
  runAs: string | null;
}

/** Starts (initialising first if new) a PostgreSQL cluster in `dataDir` and waits until it accepts connections. */
export async function startPostgresCluster(options: PostgresClusterOptions): Promise<PostgresCluster> {
  const layout = await prepareLayout(options.dataDir);
  if (isInitialised(layout.dataDir)) {
    await assertSameMajorVersion(layout);
  } else {
    await initCluster(layout, options.persistent);
  }

  const running = await runningPostmaster(layout.dataDir);
  if (running && (options.port === undefined || options.port === running.port)) {
    // A previous run died without stopping its server: adopt it rather than fail.
    return await handle(layout, running.port);
  }
  if (running) await pgCtl(layout, ['stop', '-D', layout.dataDir, '-m', 'fast', '-w', '-s']);

  const port = options.port ?? (await defaultPort(layout, options.persistent));
  try {
    await pgCtl(layout, [
      'start', '-D', layout.dataDir, '-l', layout.logFile, '-w', '-t', String(START_TIMEOUT_S), '-s',
      '-o', `-p ${port}`,
    ]);
  } catch (err) {
    throw new Error(`PostgreSQL in ${layout.dataDir} did not start: ${message(err)}\n${await logTail(layout.logFile)}`, {
      cause: err,
    });
  }
  if (options.persistent) await fsp.writeFile(layout.portFile, `${port}\n`);
  return await handle(layout, port);
}

async function handle(layout: Layout, port: number): Promise<PostgresCluster> {
  const url = `postgres://${SUPERUSER}@127.0.0.1:${port}/postgres`;
  await waitUntilAccepting(url, layout.logFile);
  let stopping: Promise<void> | undefined;
  return {
    url,
    port,
    dataDir: layout.dataDir,
    logFile: layout.logFile,
    stop: () => (stopping ??= stopCluster(layout)),
  };
}

async function stopCluster(layout: Layout): Promise<void> {
  if (!fs.existsSync(path.join(layout.dataDir, 'postmaster.pid'))) return;
  await pgCtl(layout, ['stop', '-D', layout.dataDir, '-m', 'fast', '-w', '-t', String(START_TIMEOUT_S), '-s']);
}

/** Resolves paths, creates the folders and, as root, hands them to the service user. */
async function prepareLayout(dataDirOption: string): Promise<Layout> {
  const bin = postgresBinDir();
  if (!bin) {
    throw new Error(
      'PostgreSQL server binaries (initdb, pg_ctl) were not found: run `npm run setup` as root to install ' +
        "Debian's postgresql package, set POSTGRES_BIN_DIR, or set DATABASE_URL to an existing server.",
    );
  }
  const dataDir = path.resolve(dataDirOption);
  const parent = path.dirname(dataDir);
  // The socket lives beside the data dir, not in /var/run/postgresql, so no system folder is needed.
  const socketDir = path.join(parent, `${path.basename(dataDir)}-socket`);
  const runAs = process.getuid?.() === 0 ? SERVICE_USER : null;

  await fsp.mkdir(dataDir, { recursive: true, mode: 0o700 });
  await fsp.mkdir(socketDir, { recursive: true, mode: 0o700 });
  if (runAs) {
    const { uid, gid } = await osUser(runAs);
    for (const dir of [dataDir, socketDir]) {
      const stat = await fsp.stat(dir);
      if (stat.uid !== uid) await fsp.chown(dir, uid, gid);
    }
    await assertReachable(runAs, dataDir);
  }
  return {
    bin,
    dataDir,
    socketDir,
    logFile: path.join(dataDir, 'postgres.log'),
    portFile: path.join(dataDir, 'dsr-engine.port'),
    runAs,
  };
}

function isInitialised(dataDir: string): boolean {
  if (fs.existsSync(path.join(dataDir, 'PG_VERSION'))) return true;
  if (fs.readdirSync(dataDir).length > 0) {
    throw new Error(`${dataDir} is neither empty nor a PostgreSQL data directory; refusing to initialise it`);
  }
  return false;
}

async function initCluster(layout: Layout, persistent: boolean): Promise<void> {
  const args = ['-D', layout.dataDir, '-U', SUPERUSER, '--auth=trust', '-E', 'UTF8'];
  if (!persistent) args.push('--no-sync');
  try {
    // C.UTF-8 keeps sorting byte-wise but lets lower()/upper() handle ä, ö and å.
    await run(layout, 'initdb', [...args, '--locale=C.UTF-8']);
  } catch {
    await run(layout, 'initdb', [...args, '--locale=C']);
  }
  const settings = [
    '',
    '# dsr-engine: loopback only, socket beside the data directory.',
    "listen_addresses = '127.0.0.1'",
    `unix_socket_directories = '${layout.socketDir.replace(/'/g, "''")}'`,
  ];
  if (!persistent) {
    settings.push(
      '# dsr-engine: throwaway cluster, durability traded for speed.',
      'fsync = off',
      'synchronous_commit = off',
      'full_page_writes = off',
      'max_connections = 200',
    );
  }
  await fsp.appendFile(path.join(layout.dataDir, 'postgresql.conf'), settings.join('\n') + '\n');
}

async function assertSameMajorVersion(layout: Layout): Promise<void> {
  const dataVersion = (await fsp.readFile(path.join(layout.dataDir, 'PG_VERSION'), 'utf8')).trim();
  const { stdout } = await execFileAsync(path.join(layout.bin, 'postgres'), ['--version']);
  const binVersion = /(\d+)(?:\.\d+)*/.exec(stdout)?.[1];
  if (binVersion && binVersion !== dataVersion) {
    throw new Error(
      `${layout.dataDir} holds a PostgreSQL ${dataVersion} cluster but the server binaries in ${layout.bin} are ` +
        `version ${binVersion}: remove the folder, or point POSTGRES_BIN_DIR at PostgreSQL ${dataVersion}.`,
    );
  }
}

/**
 * The live postmaster of `dataDir`, if any. A postmaster.pid whose process is gone (a crash, a
 * killed container) is removed so that the next start does not trip over it.
 */
async function runningPostmaster(dataDir: string): Promise<{ pid: number; port: number } | null> {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  let lines: string[];
  try {
    lines = (await fsp.readFile(pidFile, 'utf8')).split('\n');
  } catch {
    return null;
  }
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (Number.isInteger(pid) && pid > 0 && isPostgresProcess(pid) && Number.isInteger(port) && port > 0) {
    return { pid, port };
  }
  await fsp.rm(pidFile, { force: true });
  return null;
}

function isPostgresProcess(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('postgres');
  } catch {
    return true; // no /proc to ask: trust the signal check
  }
}

/** The previous run's port for a persistent cluster (stable URLs across restarts) if it is still free. */
async function defaultPort(layout: Layout, persistent: boolean): Promise<number> {
  if (persistent) {
    const previous = Number((await fsp.readFile(layout.portFile, 'utf8').catch(() => '')).trim());
    if (Number.isInteger(previous) && previous > 0 && (await isPortFree(previous))) return previous;
  }
  return freePort();
}

async function waitUntilAccepting(url: string, logFile: string, timeoutMs = START_TIMEOUT_S * 1000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const client = new Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
    try {
      await client.connect();
      await client.query('SELECT 1');
      return;
    } catch (err) {
      if (Date.now() > deadline) {
        const log = await logTail(logFile);
        throw new Error(`PostgreSQL at ${url} does not accept connections: ${message(err)}\n${log}`, { cause: err });
      }
      await new Promise((r) => setTimeout(r, 200));
    } finally {
      await client.end().catch(() => undefined);
    }
  }
}

function pgCtl(layout: Layout, args: string[]): Promise<string> {
  return run(layout, 'pg_ctl', args);
}

/** Runs one of the server binaries, as the service user when we are root. */
async function run(layout: Layout, program: string, args: string[]): Promise<string> {
  const executable = path.join(layout.bin, program);
  const [file, argv] = layout.runAs
    ? ['runuser', ['-u', layout.runAs, '--', executable, ...args]]
    : [executable, args];
  try {
    // cwd "/" so the service user is never left in a folder it may not enter.
    const { stdout } = await execFileAsync(file, argv, { cwd: '/', maxBuffer: 10 * 1024 * 1024 });
    return stdout;
  } catch (err) {
    const e = err as { stderr?: string; stdout?: string };
    const output = `${e.stderr ?? ''}${e.stdout ?? ''}`.trim();
    throw new Error(`${program} ${args.join(' ')} failed: ${output || message(err)}`, { cause: err });
  }
}

async function osUser(name: string): Promise<{ uid: number; gid: number }> {
  try {
    const [uid, gid] = await Promise.all([
      execFileAsync('id', ['-u', name]).then((r) => Number(r.stdout.trim())),
      execFileAsync('id', ['-g', name]).then((r) => Number(r.stdout.trim())),
    ]);
    return { uid, gid };
  } catch (err) {
    throw new Error(
      `running as root, PostgreSQL must run as the OS user "${name}", which does not exist ` +
        "(Debian's postgresql package creates it; or run as a non-root user).",
      { cause: err },
    );
  }
}

async function assertReachable(user: string, dir: string): Promise<void> {
  try {
    await execFileAsync('runuser', ['-u', user, '--', 'test', '-w', dir], { cwd: '/' });
  } catch (err) {
    throw new Error(
      `the "${user}" OS user cannot write ${dir}: PostgreSQL cannot run as root, so every folder above ` +
        'the data directory must be traversable by that user (e.g. chmod o+x on them), or choose another place.',
      { cause: err },
    );
  }
}

async function logTail(logFile: string, lines = 20): Promise<string> {
  const text = await fsp.readFile(logFile, 'utf8').catch(() => '');
  return text ? `last lines of ${logFile}:\n${text.trimEnd().split('\n').slice(-lines).join('\n')}` : '';
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** The two roles of a database the engine uses: the owner runs migrations, the engine role runs the engine. */
export interface EngineDatabase {
  /** As the owner role: for migrations (DATABASE_OWNER_URL). */
  ownerUrl: string;
  /** As the engine role: for the engine (DATABASE_URL). */
  engineUrl: string;
  engineRole: string;
}

export const OWNER_ROLE = 'dsr_owner';
export const ENGINE_ROLE = 'dsr_engine';

/**
 * Creates (when missing) the owner role, the engine role and `database` owned by the owner, through
 * a superuser connection. The engine role is an ordinary login: no superuser, no CREATEROLE, owns
 * nothing; migrations grant it the rest (db/privileges.ts). Roles are cluster-wide, so the test
 * databases of a run share them.
 */
export async function createEngineDatabase(superuserUrl: string, database: string): Promise<EngineDatabase> {
  const client = new Client({ connectionString: superuserUrl });
  await client.connect();
  try {
    for (const role of [OWNER_ROLE, ENGINE_ROLE]) {
      const found = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role]);
      // Concurrent test workers may race here; a duplicate is as good as our own.
      if (found.rowCount === 0) await client.query(`CREATE ROLE ${role} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION`).catch(ignoreDuplicate);
    }
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (exists.rowCount === 0) await client.query(`CREATE DATABASE "${database.replace(/"/g, '""')}" OWNER ${OWNER_ROLE}`);
  } finally {
    await client.end();
  }
  const at = (user: string) => {
    const url = new URL(superuserUrl);
    url.username = user;
    url.password = '';
    url.pathname = `/${database}`;
    return url.toString();
  };
  return { ownerUrl: at(OWNER_ROLE), engineUrl: at(ENGINE_ROLE), engineRole: ENGINE_ROLE };
}

function ignoreDuplicate(err: unknown): void {
  const code = (err as { code?: string }).code;
  if (code !== '42710' && code !== '23505') throw err;
}
