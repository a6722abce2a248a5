/** The time-skipping Temporal test server for workflow tests, run from the binary scripts/setup.sh cached. */
import { TestWorkflowEnvironment, type TimeSkippingTestWorkflowEnvironmentOptions } from '@temporalio/testing';
import { temporalTestServerPath } from '../../embedded/binaries';

/** Starts a time-skipping test environment; call `teardown()` on it when done. */
export function createTimeSkippingEnv(
  options: Omit<TimeSkippingTestWorkflowEnvironmentOptions, 'server'> = {},
): Promise<TestWorkflowEnvironment> {
  return TestWorkflowEnvironment.createTimeSkipping({
    ...options,
    server: { executable: { type: 'existing-path', path: temporalTestServerPath() } },
  });
}
