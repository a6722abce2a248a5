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

describe('a worker killed in the middle of gathering', () => {
  it('has its gathering retried after the 30-second heartbeat timeout, not after the 10-minute start-to-close timeout', async () => {
    let attempts = 0;
    const started = Date.now();
    await harness.withRequest(
      {},
      async ({ recorded, waitForState }) => {
        for (let i = 0; i < 100 && recorded.gathered.length < 2; i++) await new Promise((r) => setTimeout(r, 500));
        await waitForState((s) => s.awaiting === 'approval');
        // Before the dead call itself gave up (40 s): the heartbeat timeout (30 s) moved the work on.
        expect(Date.now() - started).toBeLessThan(38_000);
        expect(attempts).toBe(2);
      },
      {
        // The first attempt's worker "dies": the call neither answers nor heartbeats (it ends only so the test worker can stop).
        fail: (name, args) => {
          if (name !== 'gatherFromSystem' || (args[0] as { system: string }).system !== 'webropol') return null;
          attempts += 1;
          return attempts === 1 ? 'hang' : null;
        },
      },
    );
  });
});
