/**
 * Pure, deterministic generators of the synthetic client register: the same seed and index give the
 * same person with the same rows, whatever the batch size. No I/O.
 */
import type { RegisterDescription } from '../../domain/register-description';
import { DAY_MS } from '../../domain/calendar';
import { addClientRecord } from './client-rows';
import type { DisclosureTarget, GeneratorContext, PersonDraft, SeedRows } from './draft';
import { addEmployerContact } from './employer-rows';
import { FIRST_NAMES, LAST_NAMES } from './finnish-names';
import { ascii, isoDay, mobile, personUuid, stamp } from './format';
import { syntheticHetu } from './hetu-space';
import { addParticipation } from './participation-rows';
import { Random } from './random';

export type { DisclosureTarget, GeneratorContext, Locality, PersonDraft, SeedRows } from './draft';

/** The published test code (LEGAL-RULES.md 4) of the demo person every seeded register has. */
export const DEMO_HETU = '131052-308T';
export const DEMO_EMAIL = 'testi.demo@example.com';


export function emptyRows(): SeedRows {
  return {
    'register.persons': [], 'register.employment_situations': [], 'register.education_career': [],
    'register.service_plans': [], 'register.case_notes': [], 'register.process_events': [],
    'register.services_benefits': [], 'register.decisions': [], 'register.event_registrations': [],
    'register.diet_restrictions': [], 'register.work_ability': [], 'register.survey_responses': [],
    'register.workspace_accounts': [], 'register.learning_accounts': [], 'register.remote_accounts': [],
    'register.project_participations': [], 'register.employer_contacts': [], 'register.photo_consents': [],
    'register.visibility_consents': [], 'register.disclosures': [],
  };
}

/**
 * Who may receive what (seed section 14), read from the description: authorities and partners a
 * category lists as recipients. Processors are left out: handing data to a processor is not a
 * disclosure to be logged.
 */
export function disclosureTargets(description: RegisterDescription): DisclosureTarget[] {
  const bases = new Map(description.legalBases.map((b) => [b.key, b]));
  return description.recipients
    .filter((r) => r.kind !== 'processor')
    .map((r) => ({
      recipient: r.key,
      categories: description.categories
        .filter((c) => c.recipients.includes(r.key))
        .map((c) => {
          const basis = bases.get(c.legalBasis);
          const grounds = basis && basis.scope.length > 0 ? basis.scope.map((s) => s.fi) : [basis?.name.fi ?? c.legalBasis];
          return { key: c.key, provisions: grounds.map((g) => `${g} (EU 679/2016, artikla ${basis?.article ?? '?'})`) };
        }),
    }))
    .filter((t) => t.categories.length > 0);
}

const EMAIL_DOMAINS = ['example.com', 'example.net', 'example.org'];

/**
 * Appends person `index` and all their rows to `out`. Index 0 is the demo person (Testi Demo,
 * DEMO_HETU) with rows in every table; 1..N are synthetic people.
 */
export function generatePerson(ctx: GeneratorContext, index: number, out: SeedRows): void {
  const rng = new Random(ctx.seed, index);
  const demo = index === 0;
  const ref = ctx.referenceDate.getTime();
  const firstName = demo ? 'Testi' : rng.pick(FIRST_NAMES);
  const lastName = demo ? 'Demo' : rng.pick(LAST_NAMES);
  const id = personUuid(ctx.seed, index, rng);
  const district = demo ? ctx.locality.districts[0] : rng.pick(ctx.locality.districts);
  const email = demo ? DEMO_EMAIL : rng.chance(0.85) ? `${ascii(firstName)}.${ascii(lastName)}${rng.int(1, 99)}@${rng.pick(EMAIL_DOMAINS)}` : null;
  const phone = demo ? '040 123 4567' : rng.chance(0.9) ? mobile(rng) : null;
  const since = ref - rng.int(30, 8 * 365) * DAY_MS;
  const later = (afterDays: number) => Math.min(ref - DAY_MS, since + (afterDays + rng.int(0, 400)) * DAY_MS);
  const p: PersonDraft = {
    ctx, rng, index, demo, id, firstName, lastName, email, phone, since, ref,
    has: (probability) => demo || rng.chance(probability),
    when: (afterDays = 0) => stamp(later(afterDays), rng),
    day: (afterDays = 0) => isoDay(later(afterDays)),
  };

  out['register.persons'].push({
    id,
    hetu: demo ? DEMO_HETU : syntheticHetu(ctx.hetuSpace, index - 1, rng),
    first_name: firstName,
    last_name: lastName,
    street_address: `${rng.pick(district.streets)} ${rng.int(1, 60)}${rng.chance(0.6) ? ` ${rng.pick(['A', 'B', 'C'])} ${rng.int(1, 40)}` : ''}`,
    postal_code: district.postalCode,
    city: ctx.locality.city,
    email,
    phone,
    created_at: stamp(since, rng),
  });
  addClientRecord(p, out);
  addParticipation(p, out);
  // Employer contacts are not clients: about one per twenty clients, and one sharing the demo's e-mail.
  if (demo || index % 20 === 0) addEmployerContact(ctx, rng, demo ? { firstName, lastName, email: DEMO_EMAIL } : null, p.when(), out);
}
