/** The rights this engine handles, each by its own module. */
import type { Right } from '../../domain/request';
import { accessRight } from './access';
import { consentWithdrawalRight, erasureRight, objectionRight, portabilityRight, rectificationRight, restrictionRight } from './category';
import { automatedDecisionsRight, confirmationRight, informationRight } from './information';
import type { RightModule } from './module';

export const RIGHT_MODULES: Record<Right, RightModule> = {
  access: accessRight,
  rectification: rectificationRight,
  erasure: erasureRight,
  restriction: restrictionRight,
  portability: portabilityRight,
  objection: objectionRight,
  consent_withdrawal: consentWithdrawalRight,
  confirmation: confirmationRight,
  information: informationRight,
  automated_decisions: automatedDecisionsRight,
};
