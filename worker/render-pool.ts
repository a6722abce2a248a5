/**
 * Letters render on worker threads (piscina), never on the event loop that runs workflow tasks,
 * activities and, in the embedded mode, the HTTP server: a long access answer takes seconds of
 * CPU, and status requests must not wait for it.
 */
import os from 'node:os';
import path from 'node:path';
import { Piscina } from 'piscina';
import type { Letter } from '../templates/types';

export interface RenderPool {
  render(letter: Letter): Promise<Buffer>;
  close(): Promise<void>;
}

/**
 * A pool of `threads` rendering threads (default: one fewer than the cores, at least one). Run
 * from source, the threads load the TypeScript through tsx; compiled, the JavaScript beside this.
 */
export function createRenderPool(threads = Math.max(1, os.availableParallelism() - 1)): RenderPool {
  const compiled = __filename.endsWith('.js');
  const pool = new Piscina({
    filename: path.join(__dirname, '..', 'templates', compiled ? 'render-thread.js' : 'render-thread.ts'),
    execArgv: compiled ? [] : ['--require', require.resolve('tsx/cjs')],
    minThreads: 1,
    maxThreads: threads,
    // A thread that rendered keeps its parsed fonts for the next letter; idle ones go after a minute.
    idleTimeout: 60_000,
  });
  return {
    async render(letter) {
      const bytes = (await pool.run(letter)) as Uint8Array;
      return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    },
    close: () => pool.destroy(),
  };
}
