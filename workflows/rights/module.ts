/** What a right contributes to the shared procedure: the work that produces its draft answer. */
import type { Right } from '../../domain/request';
import type { RequestContext } from '../context';

export interface RightModule {
  right: Right;
  /** Does the right's own work and returns the id of the draft answer, or null when interrupted. */
  prepareAnswer(ctx: RequestContext): Promise<string | null>;
}
