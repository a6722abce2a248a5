/**
 * Part of `npm run build`, run as dist/scripts/build-workflow-bundle.js: bundles the compiled
 * workflow code ahead of time into dist/workflow-bundle.js, which the production worker loads
 * instead of running webpack at start-up.
 */
import { bundleWorkflowCode } from '@temporalio/worker';
import { writeFileSync } from 'node:fs';
import path from 'node:path';

async function main(): Promise<void> {
  const out = path.join(__dirname, '..', 'workflow-bundle.js');
  const { code } = await bundleWorkflowCode({ workflowsPath: require.resolve('../workflows'), logger: quietLogger });
  writeFileSync(out, code);
  console.log(`workflow bundle: ${path.relative(process.cwd(), out)} (${Math.round(code.length / 1024)} KiB)`);
}

const noop = (): void => undefined;
const quietLogger = { trace: noop, debug: noop, info: noop, log: noop, warn: console.warn, error: console.error };

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
