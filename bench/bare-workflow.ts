/**
 * The baseline of the Temporal benchmarks: a workflow with no steps that closes on one update.
 * Starting it is a bare workflow start; updating it is a bare update-driven close.
 */
import { condition, defineUpdate, setHandler } from '@temporalio/workflow';

export const closeBareUpdate = defineUpdate<void>('closeBare');

export async function bareWorkflow(): Promise<void> {
  let closed = false;
  setHandler(closeBareUpdate, () => {
    closed = true;
  });
  await condition(() => closed);
}
