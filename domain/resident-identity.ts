/**
 * Who a resident on the resident pages has shown themselves to be. Strong electronic identification
 * verifies the person (GDPR 12(6) needs no more); a one-time code only shows that the resident reads
 * mail at an address, so a handler still verifies the person before answering.
 */
export const RESIDENT_IDENTITY_METHODS = ['strong_eid', 'email'] as const;
export type ResidentIdentityMethod = (typeof RESIDENT_IDENTITY_METHODS)[number];

export type ResidentIdentity =
  | { method: 'strong_eid'; hetu: string; firstName: string; lastName: string }
  | { method: 'email'; email: string };

/** Whose requests "my requests" lists: by henkilötunnus after strong e-ID, by address after an e-mail code. */
export type RequestOwner = { hetu: string } | { email: string };

/** The owner a verified identity stands for. */
export function ownerOf(identity: ResidentIdentity): RequestOwner {
  return identity.method === 'strong_eid' ? { hetu: identity.hetu } : { email: identity.email };
}
