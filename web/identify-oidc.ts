/**
 * Strong electronic identification of residents over OpenID Connect (Suomi.fi or another provider):
 * the relying party for the configured provider, and the identity its claims give. The names and
 * the henkilötunnus come from the provider and nowhere else; a missing or invalid henkilötunnus
 * gives no identity at all (LEGAL-RULES.md 2: strong e-ID verifies identity, a bare code does not).
 */
import type { ServiceContext } from '../services/context';
import { createOidcRelyingParty, type OidcFailure, type OidcRelyingParty } from './oidc';
import type { ResidentOidcConfig } from '../config/settings';
import { normaliseHetu, validateHetu } from '../domain/hetu';
import type { ResidentIdentity } from '../domain/resident-identity';
import type { OidcProblem } from './identify-pages';

export const OIDC_CALLBACK_PATH = '/identify/oidc/callback';
const OIDC_COOKIE = 'dsr_resident_oidc';

/** The relying party of the residents' provider; null when strong e-ID is not configured. */
export function residentRelyingParty(ctx: ServiceContext): OidcRelyingParty | null {
  const config = ctx.config.oidc.resident;
  if (!config) return null;
  return createOidcRelyingParty({
    config,
    redirectUri: `${ctx.config.http.publicBaseUrl}${OIDC_CALLBACK_PATH}`,
    cookieName: OIDC_COOKIE,
    cookiePath: OIDC_CALLBACK_PATH,
    secret: ctx.config.linkSecret,
    // The level of assurance strong identification needs; the answer's acr is checked too, since a browser can change this.
    ...(config.acrValues.length ? { authorizationParams: { acr_values: config.acrValues.join(' ') } } : {}),
  });
}

/** The same limits the e-form's name fields have (api/schemas.ts). */
function claimName(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const name = value.trim();
  return name.length >= 1 && name.length <= 100 ? name : null;
}

/** The verified identity in the provider's claims, or null when any part is missing or invalid. */
export function identityFromClaims(claims: Record<string, unknown>, config: Pick<ResidentOidcConfig, 'hetuClaim' | 'acrValues'>): Extract<ResidentIdentity, { method: 'strong_eid' }> | null {
  if (config.acrValues.length && !(typeof claims.acr === 'string' && config.acrValues.includes(claims.acr))) return null;
  const firstName = claimName(claims.given_name);
  const lastName = claimName(claims.family_name);
  const hetu = claims[config.hetuClaim];
  if (!firstName || !lastName || typeof hetu !== 'string' || !validateHetu(hetu).valid) return null;
  return { method: 'strong_eid', hetu: normaliseHetu(hetu), firstName, lastName };
}

/** Which page tells the resident about a failed sign-in, with its HTTP status. */
export function problemOf(failure: OidcFailure): { problem: OidcProblem; status: number } {
  switch (failure) {
    case 'denied':
      return { problem: 'denied', status: 403 };
    case 'unavailable':
      return { problem: 'down', status: 503 };
    default:
      return { problem: 'failed', status: 400 };
  }
}
