/**
 * A service manager stops `npm start` with SIGTERM (or a terminal with SIGINT) and expects every process
 * it started to be gone and the exit code to be 0: the Temporal dev server child and the PostgreSQL
 * cluster included.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../embedded/ports';

jest.setTimeout(240_000);

const ROOT = path.join(__dirname, '..', '..');

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return !fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.startsWith('Z');
  } catch {
    return false;
  }
}

/** Every process whose parent chain leads to `root`, read from /proc. */
function descendants(root: number): number[] {
  const parents = new Map<number, number>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // exited meanwhile
    }
  }
  const found: number[] = [];
  const walk = (pid: number) => {
    for (const [child, parent] of parents) {
      if (parent !== pid) continue;
      found.push(child);
      walk(child);
    }
  };
  walk(root);
  return found;
}

function waitForOutput(child: ChildProcess, text: string, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`no "${text}" within ${timeoutMs} ms:\n${seen}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      seen += chunk.toString();
      if (!seen.includes(text)) return;
      clearTimeout(timer);
      resolve();
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => (clearTimeout(timer), reject(new Error(`exited with ${code} before "${text}":\n${seen}`))));
  });
}

function exitOf(child: ChildProcess, timeoutMs: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`did not exit within ${timeoutMs} ms`)), timeoutMs);
    child.once('exit', (code, signal) => (clearTimeout(timer), resolve({ code, signal })));
  });
}

async function until(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 200));
  }
  return check();
}

let dataDir: string;
let child: ChildProcess | undefined;
/** What the run started, so that a failing run leaves nothing behind either. */
let leftovers: number[] = [];

beforeAll(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dsr-embedded-stop-'));
  fs.chmodSync(dataDir, 0o755); // as root the cluster runs as the "postgres" OS user
});

afterAll(async () => {
  for (const pid of [child?.pid ?? 0, ...leftovers]) if (pid > 0 && isAlive(pid)) process.kill(pid, 'SIGTERM');
  await until(() => leftovers.every((pid) => !isAlive(pid)), 15_000);
  fs.rmSync(dataDir, { recursive: true, force: true });
});

// The second run starts on the first one's data folder, as a restart by a service manager would.
test.each(['SIGTERM', 'SIGINT'] as const)('%s to the process `npm start` started stops the Temporal dev server and PostgreSQL, and exits 0', async (stopSignal) => {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env, DSR_DATA_DIR: dataDir, HTTP_PORT: String(port), PUBLIC_BASE_URL: `http://127.0.0.1:${port}` };
  for (const name of ['DATABASE_URL', 'TEMPORAL_ADDRESS', 'SMTP_URL']) delete env[name];
  child = spawn('npm', ['start', '--silent'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  await waitForOutput(child, 'Press Ctrl-C to stop.', 200_000);

  const started = descendants(child.pid!);
  const postmaster = Number(fs.readFileSync(path.join(dataDir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0]);
  const temporal = Number(fs.readFileSync(path.join(dataDir, 'temporal', 'temporal.pid'), 'utf8').trim());
  leftovers = [...started, postmaster];
  expect(started).toContain(temporal);
  expect(isAlive(postmaster)).toBe(true);

  child.kill(stopSignal);
  const { code, signal } = await exitOf(child, 60_000);
  expect({ code, signal }).toEqual({ code: 0, signal: null });
  expect(await until(() => !isAlive(temporal) && !isAlive(postmaster), 15_000)).toBe(true);
  expect(started.filter(isAlive)).toEqual([]);
  expect(fs.existsSync(path.join(dataDir, 'pg', 'postmaster.pid'))).toBe(false);
});
