/** The workflows the worker registers. */
export { dsrRequestWorkflow } from './request';
