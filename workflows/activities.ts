/** Activity proxies for workflow code, typed from the activity factory (type import only). */
import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';

/** Register reads, rendering and bookkeeping: short, retried with backoff until they succeed. */
export const acts = proxyActivities<Activities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '1 second', maximumInterval: '5 minutes', nonRetryableErrorTypes: ['RequestNotFoundError'] },
});

/** Gathering from a source system may take longer on a large register. */
export const gatherActs = proxyActivities<Activities>({
  startToCloseTimeout: '10 minutes',
  retry: { initialInterval: '2 seconds', maximumInterval: '5 minutes' },
});
