/** The workflows the worker registers. */
export { dsrRequestWorkflow } from './request';
export { restrictionLiftWorkflow } from './restriction-lift';
export { retentionPurgeWorkflow } from './retention-purge';
