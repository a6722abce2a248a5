/**
 * The Temporal CLI's dev server as a child process, for the embedded `npm start` and the
 * integration tests. Its state lives in a SQLite file in `dataDir`, so a restart resumes the open
 * workflows; every port it opens is bound to 127.0.0.1.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { temporalCliPath } from './binaries';
import { freePort, isPortFree, waitForPort } from './ports';

const HOST = '127.0.0.1';
const STOP_GRACE_MS = 10_000;

export interface TemporalDevServerOptions {
  /** Holds the state (`temporal.db`), the server's output (`temporal.log`) and its pid file. */
  dataDir: string;
  /** gRPC frontend port. Default: the previous run's if still free (stable URLs), else a free one. */
  port?: number;
  /** Web UI port. Default: the previous run's if still free, else a free one. */
  uiPort?: number;
  /** Namespace to create at start; "default" always exists. */
  namespace?: string;
  /** How long to wait for the frontend to answer. Default 60 s (the first start creates the database). */
  readyTimeoutMs?: number;
}

export interface TemporalDevServer {
  /** host:port of the gRPC frontend, for `Connection.connect({ address })`. */
  address: string;
  uiUrl: string;
  namespace: string;
  logFile: string;
  /** SIGTERM, then SIGKILL after a grace period; safe to call twice. */
  stop(): Promise<void>;
}

/**
 * The server settings the engine is measured and tested with (README, "Temporal server settings"):
 * eager activity execution, so the activities a workflow task schedules (an access request's nine
 * gatherings, then its letter) start with the task's completion instead of one by one through the
 * task queue: 45-50 ms less from identity verified to the draft of a 1,000-row answer.
 */
export const DEV_SERVER_SETTINGS: readonly string[] = ['--dynamic-config-value', 'system.enableActivityEagerExecution=true'];

/** Starts `temporal server start-dev` on loopback and resolves once its frontend answers. */
export async function startTemporalDevServer(options: TemporalDevServerOptions): Promise<TemporalDevServer> {
  const dataDir = path.resolve(options.dataDir);
  await fsp.mkdir(dataDir, { recursive: true });
  await stopLeftoverServer(dataDir);
  // Ports we pick ourselves can be taken by someone else before the server binds them: retry then.
  const attempts = options.port === undefined || options.uiPort === undefined ? 3 : 1;
  for (let attempt = 1; ; attempt++) {
    try {
      const ports = await choosePorts(dataDir, options, attempt === 1);
      const server = await startOnce(dataDir, { ...options, ...ports });
      await fsp.writeFile(portsFile(dataDir), JSON.stringify(ports) + '\n');
      return server;
    } catch (err) {
      if (attempt >= attempts || !(err instanceof PortTakenError)) throw err;
    }
  }
}

class PortTakenError extends Error {}

async function choosePorts(
  dataDir: string,
  options: TemporalDevServerOptions,
  tryPrevious: boolean,
): Promise<{ port: number; uiPort: number }> {
  const previous = tryPrevious ? await previousPorts(dataDir) : {};
  const pick = async (wanted: number | undefined, last: number | undefined) =>
    wanted ?? (last !== undefined && (await isPortFree(last)) ? last : await freePort());
  const port = await pick(options.port, previous.port);
  let uiPort = await pick(options.uiPort, previous.uiPort);
  while (uiPort === port) uiPort = await freePort();
  return { port, uiPort };
}

async function previousPorts(dataDir: string): Promise<{ port?: number; uiPort?: number }> {
  try {
    const { port, uiPort } = JSON.parse(await fsp.readFile(portsFile(dataDir), 'utf8'));
    const valid = (n: unknown) => (Number.isInteger(n) && (n as number) > 0 ? (n as number) : undefined);
    return { port: valid(port), uiPort: valid(uiPort) };
  } catch {
    return {};
  }
}

async function startOnce(
  dataDir: string,
  options: TemporalDevServerOptions & { port: number; uiPort: number },
): Promise<TemporalDevServer> {
  const cli = temporalCliPath();
  const { port, uiPort } = options;
  const namespace = options.namespace ?? 'default';
  const logFile = path.join(dataDir, 'temporal.log');
  const args = [
    'server', 'start-dev',
    '--ip', HOST, '--ui-ip', HOST,
    '--port', String(port), '--ui-port', String(uiPort),
    '--db-filename', path.join(dataDir, 'temporal.db'),
    '--log-level', 'warn',
    ...DEV_SERVER_SETTINGS,
  ];
  if (namespace !== 'default') args.push('--namespace', namespace);

  const logFd = fs.openSync(logFile, 'a');
  let child: ChildProcess;
  try {
    fs.writeSync(logFd, `\n--- ${new Date().toISOString()} temporal ${args.join(' ')}\n`);
    // The output goes straight to the file, so it keeps being written even if we die first.
    // Its own process group: a Ctrl-C in the terminal reaches only us, and we stop the server after the
    // worker has drained, not before.
    child = spawn(cli, args, { stdio: ['ignore', logFd, logFd], cwd: dataDir, detached: true });
  } finally {
    fs.closeSync(logFd);
  }
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code, signal) => resolve(code ?? (signal ? null : 0)));
    child.once('error', () => resolve(-1));
  });
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  if (child.pid) await fsp.writeFile(pidFile(dataDir), `${child.pid}\n`);

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      process.removeListener('exit', killOnExit);
      await terminate(child, exited);
      const recorded = await fsp.readFile(pidFile(dataDir), 'utf8').catch(() => '');
      if (recorded.trim() === String(child.pid)) await fsp.rm(pidFile(dataDir), { force: true });
    })());

  const address = `${HOST}:${port}`;
  const abort = new AbortController();
  const died = exited.then(async (code) => {
    if (abort.signal.aborted) return;
    const log = await logTail(logFile);
    const text = `the Temporal dev server exited (code ${code}) before it answered on ${address}\n${log}`;
    throw /address already in use/i.test(log) ? new PortTakenError(text) : new Error(text);
  });
  died.catch(() => undefined); // observed through the race below
  try {
    await Promise.race([waitUntilServing(address, namespace, options.readyTimeoutMs ?? 60_000, abort.signal), died]);
  } catch (err) {
    await stop();
    throw err;
  } finally {
    abort.abort();
  }
  return { address, uiUrl: `http://${HOST}:${uiPort}`, namespace, logFile, stop };
}

/** Waits until the frontend accepts connections and knows the namespace. */
async function waitUntilServing(
  address: string,
  namespace: string,
  timeoutMs: number,
  signal: AbortSignal,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const port = Number(address.split(':').pop());
  await waitForPort(port, HOST, timeoutMs, signal);
  while (!signal.aborted) {
    let connection: Connection | undefined;
    try {
      connection = await Connection.connect({ address, connectTimeout: 2_000 });
      await connection.workflowService.describeNamespace({ namespace });
      return;
    } catch (err) {
      if (signal.aborted) return;
      if (Date.now() > deadline) {
        throw new Error(`the Temporal dev server at ${address} did not become ready: ${String(err)}`, { cause: err });
      }
      await new Promise((r) => setTimeout(r, 250));
    } finally {
      await connection?.close().catch(() => undefined);
    }
  }
}

async function terminate(child: ChildProcess, exited: Promise<unknown>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timedOut = await Promise.race([
    exited.then(() => false),
    new Promise<boolean>((r) => setTimeout(() => r(true), STOP_GRACE_MS).unref()),
  ]);
  if (timedOut) {
    child.kill('SIGKILL');
    await exited;
  }
}

/**
 * A dev server left running by a process that died without stopping it would hold the SQLite file;
 * stop it (only if the pid still belongs to a `temporal server start-dev` on this data directory).
 */
async function stopLeftoverServer(dataDir: string): Promise<void> {
  const pid = Number((await fsp.readFile(pidFile(dataDir), 'utf8').catch(() => '')).trim());
  if (!Number.isInteger(pid) || pid <= 0) return;
  let cmdline = '';
  try {
    cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
  } catch {
    // gone, or no /proc: nothing we can safely stop
  }
  if (cmdline.includes('start-dev') && cmdline.includes(path.join(dataDir, 'temporal.db'))) {
    process.kill(pid, 'SIGTERM');
    const deadline = Date.now() + STOP_GRACE_MS;
    while (isAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    if (isAlive(pid)) process.kill(pid, 'SIGKILL');
  }
  await fsp.rm(pidFile(dataDir), { force: true });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function portsFile(dataDir: string): string {
  return path.join(dataDir, 'temporal.ports.json');
}

function pidFile(dataDir: string): string {
  return path.join(dataDir, 'temporal.pid');
}

async function logTail(logFile: string, lines = 20): Promise<string> {
  const text = await fsp.readFile(logFile, 'utf8').catch(() => '');
  return text ? `last lines of ${logFile}:\n${text.trimEnd().split('\n').slice(-lines).join('\n')}` : '';
}
