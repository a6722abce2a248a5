/** The rights this engine handles, each by its own module. */
import type { Right } from '../../domain/request';
import { accessRight } from './access';
import type { RightModule } from './module';

export const RIGHT_MODULES: Partial<Record<Right, RightModule>> = {
  access: accessRight,
};
