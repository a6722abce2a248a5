/**
 * Contact persons of company and employer clients (seed section 10). They are not register persons:
 * no henkilötunnus, matched by e-mail.
 */
import { FIRST_NAMES, LAST_NAMES } from './finnish-names';
import { ascii, mobile } from './format';
import type { GeneratorContext, SeedRows } from './draft';
import type { Random } from './random';
import * as T from './texts';

/** Appends an employer client's contact person; `who` fixes the name and e-mail (the demo's). */
export function addEmployerContact(
  ctx: GeneratorContext,
  rng: Random,
  who: { firstName: string; lastName: string; email: string } | null,
  at: string,
  out: SeedRows,
): void {
  const firstName = who?.firstName ?? rng.pick(FIRST_NAMES);
  const lastName = who?.lastName ?? rng.pick(LAST_NAMES);
  const organisation = organisationName(ctx, rng);
  const domain = `${ascii(organisation.split(' ').slice(0, -1).join('')).replace(/[^a-z]/g, '')}.example.com`;
  out['register.employer_contacts'].push({
    email: who?.email ?? `${ascii(firstName)}.${ascii(lastName)}@${domain}`,
    first_name: firstName,
    last_name: lastName,
    job_title: rng.pick(T.CONTACT_TITLES),
    phone: mobile(rng),
    organisation,
    headcount: rng.int(1, 400),
    site: `${ctx.locality.city}, ${rng.pick(ctx.locality.districts).name}`,
    event_details:
      who || rng.chance(0.5)
        ? `Avoimet työpaikat: ${rng.sample(T.OPEN_JOBS, 2).join(', ')}; koulutustarve: ${rng.pick(T.TRAINING_NEEDS)}${rng.chance(0.3) ? `; ruokarajoite: ${rng.pick(T.DIETS).toLowerCase()}` : ''}`
        : null,
    created_at: at,
  });
}

/** A synthetic company or organisation name of the locality. */
export function organisationName(ctx: GeneratorContext, rng: Random): string {
  return `${rng.pick(ctx.locality.organisationPrefixes)} ${rng.pick(T.ORGANISATION_TRADES)} ${rng.pick(T.ORGANISATION_FORMS)}`;
}
