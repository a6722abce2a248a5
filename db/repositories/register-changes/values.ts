/**
 * Converting a proposed correction (GDPR 16), typed into a form as text, to the kind of its column.
 * Errors name the field and the expected form, never the value: it is personal data.
 */
import { DateTime } from 'luxon';
import type { ColumnKind } from '../../tables/register';
import { formatIsoDate, isIsoDate } from '../../../domain/calendar';
import { RectificationValueError } from './errors';

/** A corrected value as it is written to PostgreSQL; null clears the field. */
export type ColumnValue = string | number | Date | string[] | null;

/** Register times without an offset are local times of the controller (LEGAL-RULES.md 1). */
const LOCAL_ZONE = 'Europe/Helsinki';
const INT4_MIN = -2147483648;
const INT4_MAX = 2147483647;
const FINNISH_DATE = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Converts the text to the column's kind; an empty text clears the field. */
export function convertValue(field: string, kind: ColumnKind, input: string): ColumnValue {
  if (typeof input !== 'string') throw new RectificationValueError(field, 'the value must be a text');
  const text = input.trim();
  if (text === '') return null;
  switch (kind) {
    case 'text':
      return text;
    case 'integer':
      return toInteger(field, text);
    case 'date':
      return toDate(field, text);
    case 'timestamptz':
      return toTimestamp(field, text);
    case 'text[]':
      return text
        .split(',')
        .map((item) => item.trim())
        .filter((item) => item !== '');
    case 'uuid':
      if (!UUID.test(text)) throw new RectificationValueError(field, 'must be a UUID');
      return text.toLowerCase();
    case 'bigint':
      if (!/^\d{1,18}$/.test(text)) throw new RectificationValueError(field, 'must be a whole number');
      return text;
  }
}

function toInteger(field: string, text: string): number {
  if (!/^[+-]?\d+$/.test(text)) throw new RectificationValueError(field, 'must be a whole number, e.g. 12');
  const value = Number(text);
  if (value < INT4_MIN || value > INT4_MAX) throw new RectificationValueError(field, 'is too large a number');
  return value;
}

/** `YYYY-MM-DD` or the Finnish `D.M.YYYY`, as `YYYY-MM-DD`. */
function toDate(field: string, text: string): string {
  if (isIsoDate(text)) return text;
  const finnish = FINNISH_DATE.exec(text);
  if (finnish) {
    try {
      return formatIsoDate(Number(finnish[3]), Number(finnish[2]), Number(finnish[1]));
    } catch {
      // falls through to the error below
    }
  }
  throw new RectificationValueError(field, 'must be a real date, YYYY-MM-DD or D.M.YYYY');
}

/** ISO 8601 (an offset wins; without one, Helsinki time) or the Finnish `D.M.YYYY [H:mm]`. */
function toTimestamp(field: string, text: string): Date {
  const candidates = [
    DateTime.fromISO(text, { zone: LOCAL_ZONE }),
    DateTime.fromFormat(text, 'd.M.yyyy H:mm', { zone: LOCAL_ZONE }),
    DateTime.fromFormat(text, 'd.M.yyyy', { zone: LOCAL_ZONE }),
  ];
  const parsed = candidates.find((c) => c.isValid);
  if (!parsed) {
    throw new RectificationValueError(field, 'must be a date and time, ISO 8601 (2024-05-31T14:30+03:00) or D.M.YYYY H:mm');
  }
  return parsed.toJSDate();
}
