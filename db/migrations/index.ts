/** Every migration, in order. A static list so bundlers and tsx need no file-system discovery. */
import type { Migration } from 'kysely';
import * as m0001 from './0001_register';
import * as m0002 from './0002_dsr';
import * as m0003 from './0003_processing_limits';
import * as m0004 from './0004_recipient_notifications';
import * as m0005 from './0005_decisions';
import * as m0006 from './0006_resident_identity';
import * as m0007 from './0007_audit_checkpoints';
import * as m0008 from './0008_needs_attention';
import * as m0009 from './0009_audit_integrity';
import * as m0010 from './0010_staff_access_limits';
import * as m0011 from './0011_retention';
import * as m0012 from './0012_erasure_unlinked';
import * as m0013 from './0013_consultation_log';
import * as m0014 from './0014_recorded_purge';
import * as m0015 from './0015_audit_chains';

export const migrations: Record<string, Migration> = {
  '0001_register': m0001,
  '0002_dsr': m0002,
  '0003_processing_limits': m0003,
  '0004_recipient_notifications': m0004,
  '0005_decisions': m0005,
  '0006_resident_identity': m0006,
  '0007_audit_checkpoints': m0007,
  '0008_needs_attention': m0008,
  '0009_audit_integrity': m0009,
  '0010_staff_access_limits': m0010,
  '0011_retention': m0011,
  '0012_erasure_unlinked': m0012,
  '0013_consultation_log': m0013,
  '0014_recorded_purge': m0014,
  '0015_audit_chains': m0015,
};
