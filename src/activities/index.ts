/**
 * The activity factory: all I/O of the request workflows, built from narrow dependencies.
 * Workflow code imports only the type of what this returns.
 */
import { deliveryActivities } from './delivery';
import type { ActivityDeps } from './deps';
import { gatherActivities } from './gather';
import { letterActivities } from './letters';
import { requestActivities } from './requests';

export function createActivities(deps: ActivityDeps) {
  return {
    ...requestActivities(deps),
    ...gatherActivities(deps),
    ...letterActivities(deps),
    ...deliveryActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
export type { ActivityDeps, ActivitySettings, Mailer } from './deps';
