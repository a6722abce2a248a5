/**
 * Restriction-lift workflows for the replay corpus: one still sleeping until its day, one lifted, one
 * whose notice is refused (recorded as needing attention, the restriction kept).
 */
import { ApplicationFailure } from '@temporalio/activity';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkflowHandle } from '@temporalio/client';

export interface LiftScenario {
  name: string;
  liftInDays: number;
  activities(liftAtMs: number): object;
  drive(d: { handle: WorkflowHandle; env: TestWorkflowEnvironment }): Promise<void>;
}

/** Fake lift activities that record nothing but answer like the real ones. */
export function liftActivities(liftAtMs: number, calls: string[] = []) {
  return {
    loadLiftPlan: async () => ({ categories: ['case_notes'], liftOn: new Date(liftAtMs).toISOString().slice(0, 10), liftAtMs }),
    renderLetter: async ({ letter }: { letter: { kind: string } }) => {
      calls.push(`render:${letter.kind}`);
      return { documentId: 'notice-1', sha256: 'f'.repeat(64) };
    },
    deliverDocument: async () => {
      calls.push('deliver');
      return { channel: 'email' };
    },
    recordTransition: async ({ type }: { type: string }) => {
      calls.push(`event:${type}`);
      return true;
    },
    liftRestriction: async () => {
      calls.push('lift');
      return { rows: 4 };
    },
  };
}

const notified = async (calls: string[]) => {
  for (let i = 0; i < 200 && !calls.includes('event:restriction_lift_notified'); i++) await new Promise((r) => setTimeout(r, 50));
};

export const LIFT_SCENARIOS: LiftScenario[] = (() => {
  const sleepingCalls: string[] = [];
  return [
    {
      name: 'restriction-lift-sleeping-open',
      liftInDays: 400,
      activities: (at) => liftActivities(at, sleepingCalls),
      async drive({ env }) {
        await notified(sleepingCalls);
        await env.sleep('30 days');
      },
    },
    {
      name: 'restriction-lift-notice-refused',
      liftInDays: 14,
      activities: (at) => ({
        ...liftActivities(at),
        renderLetter: async () => {
          throw ApplicationFailure.nonRetryable('the lift notice was refused', 'LetterRefusedError');
        },
        recordAttention: async () => undefined,
      }),
      async drive({ handle }) {
        await handle.result().catch(() => undefined);
      },
    },
    {
      name: 'restriction-lift-lifted',
      liftInDays: 14,
      activities: (at) => liftActivities(at),
      async drive({ handle }) {
        await handle.result();
      },
    },
  ];
})();
