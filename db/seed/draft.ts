/**
 * The shapes the seed generator and its row builders share (client, participation and employer
 * rows), apart from the generator so that the builders need not import it back.
 */
import type { Insertable } from 'kysely';
import type { RegisterTableName, RegisterTables } from '../tables/register';
import type { HetuSpace } from './hetu-space';
import type { Random } from './random';

/** Rows to insert, per register table. */
export type SeedRows = { [K in RegisterTableName]: Insertable<RegisterTables[K]>[] };

/** Where the synthetic people live and how the controller numbers its records (seed data, per controller). */
export interface Locality {
  city: string;
  diaryPrefix: string;
  districts: { name: string; postalCode: string; streets: string[] }[];
  organisationPrefixes: string[];
}

/** A recipient the register may disclose to, with the categories it may receive and on what provision. */
export interface DisclosureTarget {
  recipient: string;
  /** Each category with the provisions a disclosure of it may cite. */
  categories: { key: string; provisions: string[] }[];
}

export interface GeneratorContext {
  seed: number;
  locality: Locality;
  /** "Today" of the synthetic register: all dates lie before it, so output does not depend on the clock. */
  referenceDate: Date;
  disclosureTargets: DisclosureTarget[];
  hetuSpace: HetuSpace;
}

/** One person being generated: their own random stream and the facts their rows repeat. */
export interface PersonDraft {
  ctx: GeneratorContext;
  rng: Random;
  index: number;
  /** The demo person has a row of every kind, so a demo or test always finds a full record. */
  demo: boolean;
  id: string;
  firstName: string;
  lastName: string;
  email: string | null;
  phone: string | null;
  /** When the client relationship began, and the register's "today" (epoch ms). */
  since: number;
  ref: number;
  /** True with probability p; always for the demo person. */
  has(p: number): boolean;
  /** An instant (ISO 8601) some time after `since` plus `afterDays`, never after "today". */
  when(afterDays?: number): string;
  /** A calendar day (YYYY-MM-DD) chosen the same way. */
  day(afterDays?: number): string;
}
