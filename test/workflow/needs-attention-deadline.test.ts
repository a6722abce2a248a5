/**
 * The deadline watch runs on while a request needs attention (DESIGN.md `needs_attention`). In a file
 * of its own: its 29 days on the shared time-skipping server must not meet other tests' workflows.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { startHarness, type Harness } from './harness';

jest.setTimeout(120_000);

let harness: Harness;
let env: TestWorkflowEnvironment;

beforeAll(async () => {
  harness = await startHarness();
  env = harness.env;
});

afterAll(async () => {
  await harness?.teardown();
});

const RETRY = { maximumAttempts: 3, scheduleToCloseMinutes: 60 };

describe('a request that needs attention', () => {
  it('the deadline watch keeps raising reminders and the escalation while the request needs attention', async () => {
    await harness.withRequest(
      {},
      async ({ recorded, waitForState }) => {
        await waitForState((s) => s.state === 'needs_attention');
        await env.sleep('29 days');
        expect(recorded.alarms.map((a) => `${a.kind}:${a.days}`)).toEqual(['reminder:7', 'reminder:2', 'due_today:0']);
        expect((await waitForState((s) => s.state === 'needs_attention')).attention?.step).toBe('renderLetter');
      },
      { fail: (name) => (name === 'renderLetter' ? 'permanent' : null), retry: RETRY },
    );
  });
});
