/**
 * GDPR 15, right of access, as a DPO would describe it: find the subject in the register; gather
 * their data from every source system; put the copy and the information items into a letter;
 * the draft then waits for a handler's approval.
 */
import { acts, gatherActs } from '../activities';
import type { RequestContext } from '../context';
import { transition } from '../steps/shared';
import type { RightModule } from './module';

async function prepareAccessAnswer(ctx: RequestContext): Promise<string> {
  const { found } = await acts.matchSubject({ requestId: ctx.requestId });
  await transition(ctx, 'subject_matched', 'subject_matched', 'in_progress', { data: { found } });

  // One activity per source system, in parallel: a slow system does not hold up the others' retries.
  // Tables matched by e-mail (employer contacts) are gathered even when no client record matched.
  const gathered = await Promise.all(ctx.systems.map((system) => gatherActs.gatherFromSystem({ requestId: ctx.requestId, system })));
  const rows = gathered.reduce((sum, g) => sum + g.rowCount, 0);
  const redactions = gathered.reduce((sum, g) => sum + g.redactions, 0);
  await transition(ctx, 'data_gathered', 'data_gathered', 'in_progress', { data: { systems: ctx.systems.length, rows, redactions } });

  const draft = await acts.renderLetter({ requestId: ctx.requestId, letter: { kind: 'access_answer' } });
  return draft.documentId;
}

export const accessRight: RightModule = {
  right: 'access',
  prepareAnswer: prepareAccessAnswer,
};
