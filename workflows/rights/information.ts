/**
 * The answers that need no data copy: confirmation whether data is processed (GDPR 15(1)), the
 * information about processing (GDPR 13/14, the privacy notice from the register description) and
 * questions about automated decisions (GDPR 22: the register makes none).
 */
import { acts, gatherActs } from '../activities';
import type { RequestContext } from '../context';
import { transition } from '../steps/shared';
import type { RightModule } from './module';

export const confirmationRight: RightModule = {
  right: 'confirmation',
  async prepareAnswer(ctx: RequestContext) {
    const { found } = await acts.matchSubject({ requestId: ctx.requestId });
    await transition(ctx, 'subject_matched', 'subject_matched', 'in_progress', { data: { found } });
    // Whether anything is processed includes tables matched by e-mail (employer contacts).
    // Gathered like the access right's copy, with the same time allowed per source system.
    await Promise.all(ctx.systems.map((system) => gatherActs.gatherFromSystem({ requestId: ctx.requestId, system })));
    return (await acts.renderLetter({ requestId: ctx.requestId, letter: { kind: 'confirmation' } })).documentId;
  },
};

export const informationRight: RightModule = {
  right: 'information',
  async prepareAnswer(ctx: RequestContext) {
    return (await acts.renderLetter({ requestId: ctx.requestId, letter: { kind: 'privacy_notice' } })).documentId;
  },
};

export const automatedDecisionsRight: RightModule = {
  right: 'automated_decisions',
  async prepareAnswer(ctx: RequestContext) {
    return (await acts.renderLetter({ requestId: ctx.requestId, letter: { kind: 'automated_decisions' } })).documentId;
  },
};
