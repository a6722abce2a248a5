/**
 * Letters render on worker threads: the bytes are the same as rendering in the process, and the
 * event loop keeps turning while a long letter renders (it would not, rendering in-process).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { renderLetter } from '../../templates';
import { createRenderPool, type RenderPool } from '../../worker/render-pool';
import { accessAnswerWithRecords } from '../../bench/letters';
import { sampleAcknowledgement } from '../fixtures/letter-samples';

const ROOT = path.resolve(__dirname, '..', '..');

let pool: RenderPool;
beforeAll(() => {
  pool = createRenderPool(1);
});
afterAll(() => pool.close());

test('a letter rendered on a thread has the same bytes as one rendered in the process', async () => {
  const letter = sampleAcknowledgement('sv');
  const [threaded, inProcess] = await Promise.all([pool.render(letter), renderLetter(letter)]);
  expect(Buffer.isBuffer(threaded)).toBe(true);
  expect(threaded.equals(inProcess)).toBe(true);
});

/** How many 10 ms timer ticks the event loop ran while `work` was pending. */
async function ticksDuring(work: () => Promise<unknown>): Promise<number> {
  let ticks = 0;
  const timer = setInterval(() => ticks++, 10);
  try {
    await work();
  } finally {
    clearInterval(timer);
  }
  return ticks;
}

test('while a long access answer renders on a thread, the event loop keeps serving', async () => {
  const letter = accessAnswerWithRecords(3000);
  await pool.render(sampleAcknowledgement('fi')); // the thread has started and parsed its fonts
  const inProcess = await ticksDuring(() => renderLetter(letter));
  const threaded = await ticksDuring(() => pool.render(letter));
  // In the process the drawing is one synchronous stretch: the timer barely runs.
  expect(inProcess).toBeLessThan(5);
  expect(threaded).toBeGreaterThan(10);
}, 120_000);

test('the worker, started with the node options of `npm run worker`, renders a 10,000-record answer on its threads', () => {
  // A V8 heap bound is one for the whole process: set on the worker, it would bind the rendering
  // threads too, and a large answer would fail to render (a request stuck in needs_attention).
  const script = (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts.worker;
  const words = script.split(/\s+/);
  expect(words[0]).toBe('node');
  const nodeOptions = words.slice(1, -1);
  const code = `
    const { createRenderPool } = require(${JSON.stringify(path.join(ROOT, 'worker', 'render-pool.ts'))});
    const { accessAnswerWithRecords } = require(${JSON.stringify(path.join(ROOT, 'bench', 'letters.ts'))});
    const pool = createRenderPool(1);
    pool.render(accessAnswerWithRecords(10000)).then(
      (pdf) => { console.log('bytes ' + pdf.length); return pool.close(); },
      (e) => { console.log('failed ' + e.code); process.exitCode = 1; return pool.close(); });`;
  const run = spawnSync(process.execPath, [...nodeOptions, '--require', require.resolve('tsx/cjs'), '-e', code], { encoding: 'utf8', timeout: 180_000 });
  expect(run.stdout).toMatch(/^bytes \d{7,}/);
  expect(run.status).toBe(0);
}, 200_000);
