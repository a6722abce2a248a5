/**
 * The parts the chaos suite runs, each as its own OS process it can SIGKILL and start again on the
 * same port and data: PostgreSQL (the embedded launcher's throwaway cluster), the Temporal dev
 * server (the CLI), the SMTP sink, and the engine's API and worker processes started from source.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { startPostgresCluster, type PostgresCluster } from '../../embedded/postgres-cluster';
import { waitForPort } from '../../embedded/ports';
import { DEV_SERVER_SETTINGS } from '../../embedded/temporal-dev-server';

export type Kind = 'postgres' | 'temporal' | 'smtp' | 'api' | 'worker';

export interface Part {
  name: string;
  kind: Kind;
  start(): Promise<void>;
  /** SIGKILL, no warning. */
  kill(): void;
  /** A clean stop at the end of the run. */
  stop(): Promise<void>;
}

const ROOT = path.resolve(__dirname, '..', '..');

/** A child process whose output goes to a log file (appended across restarts). */
function spawnLogged(command: string, args: string[], env: NodeJS.ProcessEnv, logFile: string, cwd = ROOT): ChildProcess {
  const fd = fs.openSync(logFile, 'a');
  fs.writeSync(fd, `\n--- ${new Date().toISOString()} start\n`);
  try {
    return spawn(command, args, { cwd, env, stdio: ['ignore', fd, fd] });
  } finally {
    fs.closeSync(fd);
  }
}

/** Resolves when the child exits; a kill of an exited child is a no-op. */
function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((resolve) => child.once('exit', () => resolve()));
}

async function stopChild(child: ChildProcess | null): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited(child);
  clearTimeout(timer);
}

/** Exits nobody asked for: a process that dies of its neighbours' faults (issue 9, point 4). */
export const crashes: string[] = [];

/**
 * One of the engine's Node processes (`node --import tsx <script>`), ready when `ready` resolves.
 * An exit the suite did not cause is recorded as a crash, and the process is started again so the
 * run goes on.
 */
export function nodePart(o: { name: string; kind: Kind; script: string; args?: string[]; env: NodeJS.ProcessEnv; logFile: string; ready: () => Promise<void> }): Part {
  let child: ChildProcess | null = null;
  let expected = false;
  const part: Part = {
    name: o.name,
    kind: o.kind,
    async start() {
      expected = false;
      const own = spawnLogged(process.execPath, ['--import', 'tsx', path.join(ROOT, o.script), ...(o.args ?? [])], o.env, o.logFile);
      child = own;
      const died = exited(own).then(() => {
        throw new Error(`${o.name} exited during start-up; see ${o.logFile}`);
      });
      await Promise.race([o.ready(), died]);
      died.catch(() => undefined);
      own.once('exit', (code, signal) => {
        if (expected || child !== own) return;
        crashes.push(`${o.name} exited by itself (code ${code}, signal ${signal}) at ${new Date().toISOString()}`);
        void part.start().catch(() => undefined);
      });
    },
    kill() {
      expected = true;
      child?.kill('SIGKILL');
    },
    stop: () => {
      expected = true;
      return stopChild(child);
    },
  };
  return part;
}

/** PostgreSQL: SIGKILL goes to the postmaster (its backends notice and exit); a restart reuses port and data. */
export function postgresPart(dataDir: string, logFile: string, onStarted: (cluster: PostgresCluster) => void): Part {
  let cluster: PostgresCluster | null = null;
  let port: number | undefined;
  return {
    name: 'postgres',
    kind: 'postgres',
    async start() {
      // Backends of a killed postmaster can hold its shared memory for a moment: try again then.
      for (let attempt = 1; ; attempt++) {
        try {
          // Durable settings (fsync, synchronous commit): a throwaway cluster's async commit would lose
          // the last acknowledged commits to a SIGKILL, which no production database does.
          cluster = await startPostgresCluster({ dataDir, port, persistent: true });
          break;
        } catch (error) {
          fs.appendFileSync(logFile, `start attempt ${attempt} failed: ${(error as Error).message}\n`);
          if (attempt >= 10) throw error;
          await new Promise((r) => setTimeout(r, 1000));
        }
      }
      port = cluster.port;
      onStarted(cluster);
    },
    kill() {
      const pidFile = path.join(dataDir, 'postmaster.pid');
      const pid = fs.existsSync(pidFile) ? Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]) : NaN;
      if (Number.isInteger(pid) && pid > 0) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    },
    async stop() {
      await cluster?.stop().catch(() => undefined);
    },
  };
}

/** The Temporal dev server from the CLI, its state in a SQLite file that survives the kill. */
export function temporalPart(cli: string, dataDir: string, port: number, uiPort: number, logFile: string): Part {
  let child: ChildProcess | null = null;
  return {
    name: 'temporal',
    kind: 'temporal',
    async start() {
      fs.mkdirSync(dataDir, { recursive: true });
      const args = ['server', 'start-dev', '--headless', '--ip', '127.0.0.1', '--port', String(port), '--ui-port', String(uiPort), '--db-filename', path.join(dataDir, 'temporal.db'), '--log-level', 'error', ...DEV_SERVER_SETTINGS];
      child = spawnLogged(cli, args, process.env, logFile, dataDir);
      await waitForPort(port, '127.0.0.1', 60_000);
    },
    kill() {
      child?.kill('SIGKILL');
    },
    stop: () => stopChild(child),
  };
}
