/** Every migration, in order. A static list so bundlers and tsx need no file-system discovery. */
import type { Migration } from 'kysely';
import * as m0001 from './0001_register';
import * as m0002 from './0002_dsr';

export const migrations: Record<string, Migration> = {
  '0001_register': m0001,
  '0002_dsr': m0002,
};
