/**
 * Letters render on worker threads: the bytes are the same as rendering in the process, and the
 * event loop keeps turning while a long letter renders (it would not, rendering in-process).
 */
import { renderLetter } from '../../templates';
import { createRenderPool, type RenderPool } from '../../worker/render-pool';
import { accessAnswerWithRecords } from '../../bench/letters';
import { sampleAcknowledgement } from '../fixtures/letter-samples';

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
