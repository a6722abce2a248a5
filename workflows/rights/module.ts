/** What a right contributes to the shared procedure: the work that produces its draft answer. */
import type { Right } from '../../domain/request';
import type { RequestContext } from '../context';

export interface RightModule {
  right: Right;
  /** Does the right's own work and returns the id of the draft answer, or null when interrupted. */
  prepareAnswer(ctx: RequestContext): Promise<string | null>;
  /**
   * Carries out what the approved answer says, before it is delivered: the irreversible register
   * changes and what follows from them (DESIGN.md "Answers and delivery").
   */
  carryOut?(ctx: RequestContext): Promise<void>;
}
