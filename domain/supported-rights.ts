/** The rights whose procedure the engine runs; intake refuses others with a clear message. */
import { RIGHTS, type Right } from './request';

export const SUPPORTED_RIGHTS: readonly Right[] = RIGHTS;
