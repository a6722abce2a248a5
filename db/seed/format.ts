/** Formatting helpers of the synthetic register: dates, instants, names, phone numbers, ids. */
import { DAY_MS } from '../../domain/calendar';
import type { Random } from './random';

/** A Finnish mobile number of the 040 series, as written: 040 123 4567. */
export function mobile(rng: Random): string {
  return `040 ${rng.int(100, 999)} ${rng.int(1000, 9999)}`;
}

/** A name as it goes into an e-mail address or username. */
export function ascii(name: string): string {
  return name
    .toLowerCase()
    .replace(/[äå]/g, 'a')
    .replace(/ö/g, 'o')
    .replace(/[^a-z-]/g, '');
}

/**
 * A version-8 (custom) UUID whose first 48 bits grow with the index, so a bulk load appends to the
 * primary-key and person_id indexes instead of writing all over them.
 */
export function personUuid(seed: number, index: number, rng: Random): string {
  const high = ((seed >>> 0) % 0x10000) * 0x100000000 + index;
  const h = high.toString(16).padStart(12, '0').slice(-12);
  const variant = (8 + rng.int(0, 3)).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${rng.hex(3)}-${variant}${rng.hex(3)}-${rng.hex(12)}`;
}

const dayNames: string[] = [];

/** 'YYYY-MM-DD' of a UTC instant; cached per day, as a large seed formats millions of dates. */
export function isoDay(ms: number): string {
  const day = Math.floor(ms / DAY_MS);
  const offset = day + 40_000; // index from 1860 on, so negative day numbers fit too
  return (dayNames[offset] ??= new Date(day * DAY_MS).toISOString().slice(0, 10));
}

const TWO_DIGITS = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));

/** An instant on that day during office hours (05-14 UTC, 8-17 Helsinki), as ISO 8601. */
export function stamp(dayMs: number, rng: Random): string {
  const minute = rng.int(5 * 60, 14 * 60 + 59);
  return `${isoDay(dayMs)}T${TWO_DIGITS[Math.floor(minute / 60)]}:${TWO_DIGITS[minute % 60]}:${TWO_DIGITS[rng.int(0, 59)]}.000Z`;
}
