/**
 * The engine as production runs it (DESIGN.md, "Production"): `npm run build`, then the API and the
 * worker as processes of their own, compiled, the worker with its prebuilt workflow bundle. The
 * benchmark drives them from outside, over HTTP and the database, so their CPU and memory are theirs
 * and not the driver's.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';

const ROOT = path.join(__dirname, '..');

/** `npm run build` into dist/; throws with its output if it fails. */
export function buildProduction(): void {
  const build = spawnSync('npm', ['run', 'build'], { cwd: ROOT, encoding: 'utf8', env: process.env });
  if (build.status !== 0) throw new Error(`benchmark: npm run build failed:\n${build.stdout}\n${build.stderr}`);
}

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export interface EngineProcess {
  child: ChildProcess;
  pid: number;
  /** SIGTERM, then SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * `node dist/<script>` with `env`, resolved once it logs `ready` (a line of its pino output);
 * rejects if it exits first. Its output is kept only to name the failure.
 */
export async function startProcess(script: 'api/main.js' | 'worker/main.js', env: Record<string, string>, ready: RegExp, nodeArgs: string[] = []): Promise<EngineProcess> {
  // Node itself, so the pid is the process measured (npm would put a shell between).
  const child = spawn(process.execPath, [...nodeArgs, path.join(ROOT, 'dist', script)], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-20_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  await new Promise<void>((resolve, reject) => {
    const timer = setInterval(() => {
      if (ready.test(output)) {
        clearInterval(timer);
        resolve();
      }
    }, 50);
    child.once('exit', (code) => {
      clearInterval(timer);
      reject(new Error(`benchmark: ${script} exited (${code}) before it was ready:\n${output}`));
    });
  });
  const exited = new Promise<void>((resolve) => (child.exitCode !== null ? resolve() : child.once('exit', () => resolve())));
  return {
    child,
    pid: child.pid!,
    async stop(graceMs = 15_000) {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}
