/** A workflow gateway for page tests: it records the workflows started and refuses everything else. */
import type { WorkflowGateway } from '../../services/workflow-gateway';

export function recordingGateway(started: string[]): WorkflowGateway {
  return {
    async start(requestId) {
      started.push(requestId);
      return true;
    },
    async decide() {
      throw new Error('no decisions in these tests');
    },
    async startRestrictionLift() {
      throw new Error('no restriction lifts in these tests');
    },
    async status() {
      throw new Error('no status queries in these tests');
    },
  };
}
