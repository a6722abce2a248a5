/** The right-specific part of a request as intake stored it (dsr.requests.details). */
import { z } from 'zod';

const detailsSchema = z.object({
  description: z.string().optional(),
  /** Limits the request to these categories (erasure, restriction, consent withdrawal); all when absent. */
  categories: z.array(z.string()).optional(),
  /** GDPR 16: the subject's proposed corrections, each a described field `schema.table.column`. */
  corrections: z
    .array(z.object({ field: z.string(), value: z.string(), rowId: z.string().nullable().optional(), explanation: z.string().optional() }))
    .default([]),
  /** GDPR 20(2): another controller's endpoint for direct transmission. */
  transmitTo: z.string().nullable().default(null),
  /** GDPR 21(1): the subject's grounds relating to their particular situation. */
  objectionGrounds: z.string().optional(),
});

export type RequestDetails = z.infer<typeof detailsSchema> & { corrections: { field: string; value: string; rowId?: string | null; explanation?: string }[] };

export function parseRequestDetails(value: unknown): RequestDetails {
  return detailsSchema.parse(value ?? {}) as RequestDetails;
}
