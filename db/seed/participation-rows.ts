/**
 * What a synthetic client takes part in and consents to beyond the client record: events and
 * trainings (with diet restrictions), work ability, surveys, platform accounts, photo and
 * visibility consents, and the disclosures of their data (seed sections 7, 10, 14).
 */
import { DAY_MS } from '../../domain/calendar';
import { ascii, isoDay, stamp } from './format';
import type { PersonDraft, SeedRows } from './draft';
import * as T from './texts';

/** Appends the person's participation, consent and disclosure rows to `out`. */
export function addParticipation(p: PersonDraft, out: SeedRows): void {
  const registrations = p.demo ? 2 : p.rng.int(0, 2);
  for (let i = 0; i < registrations; i++) {
    const [kind, name] = p.rng.pick(T.EVENTS);
    const eventDay = p.since + (i * 90 + p.rng.int(10, 600)) * DAY_MS;
    const registered = stamp(eventDay - p.rng.int(3, 20) * DAY_MS, p.rng);
    out['register.event_registrations'].push({
      person_id: p.id, created_at: registered,
      event_kind: kind,
      event_name: name,
      event_date: isoDay(eventDay),
      registered_at: registered,
      attended_at: eventDay < p.ref && p.rng.chance(0.75) ? stamp(eventDay, p.rng) : null,
    });
    if (p.has(0.15) && !(p.demo && i > 0)) {
      out['register.diet_restrictions'].push({ person_id: p.id, created_at: registered, restriction: p.rng.pick(T.DIETS), consent_given_at: registered, consent_withdrawn_at: null });
    }
  }

  if (p.has(0.1)) {
    const on = p.day(60);
    const consent = `${on}T09:30:00.000Z`;
    out['register.work_ability'].push({
      person_id: p.id, created_at: consent,
      assessed_on: on,
      assessment: p.rng.pick(T.WORK_ABILITY_ASSESSMENTS),
      health_information: p.rng.pick(T.HEALTH_INFORMATION),
      consent_given_at: consent,
      consent_withdrawn_at: p.rng.chance(0.05) ? p.when(300) : null,
    });
  }

  if (p.has(0.3)) {
    const at = p.when(100);
    out['register.survey_responses'].push({
      person_id: p.id, created_at: at,
      survey_name: `${p.rng.pick(T.SURVEYS)} ${at.slice(0, 4)}`,
      answered_at: at,
      rating: p.rng.int(1, 5),
      feedback: p.rng.chance(0.6) ? p.rng.pick(T.FEEDBACK) : null,
    });
  }

  const username = `${ascii(p.firstName)}.${ascii(p.lastName)}${p.index === 0 ? '' : p.index}`;
  if (p.has(0.15)) {
    const created = p.when(30);
    out['register.workspace_accounts'].push({
      person_id: p.id, created_at: created,
      workspace: p.rng.pick(T.WORKSPACES),
      username,
      email: p.email,
      last_login_at: p.rng.chance(0.8) ? p.when(200) : null,
      closed_at: p.rng.chance(0.3) ? p.when(500) : null,
    });
  }
  if (p.has(0.12)) {
    const enrolled = p.when(40);
    out['register.learning_accounts'].push({
      person_id: p.id, created_at: enrolled,
      username,
      email: p.email,
      course: p.rng.pick(T.COURSES),
      enrolled_at: enrolled,
      completed_at: p.rng.chance(0.5) ? p.when(300) : null,
    });
  }
  if (p.has(0.1)) {
    out['register.remote_accounts'].push({ person_id: p.id, created_at: p.when(20), username, email: p.email, last_session_at: p.rng.chance(0.7) ? p.when(250) : null });
  }

  if (p.has(0.04)) {
    const given = p.when(120);
    out['register.photo_consents'].push({
      person_id: p.id, created_at: given,
      consent_name: `${p.firstName} ${p.lastName}`,
      consent_phone: p.phone,
      photo_ref: `kuvat/${given.slice(0, 4)}/tyollisyyspalvelut-${String(p.index).padStart(7, '0')}.jpg`,
      consent_given_at: given,
      consent_withdrawn_at: p.rng.chance(0.1) ? p.when(400) : null,
    });
  }

  if (p.has(0.4)) {
    const given = p.when(10);
    out['register.visibility_consents'].push({
      person_id: p.id, created_at: given,
      visible_to: p.rng.pick(T.VISIBILITY_TARGETS),
      consent_given_at: given,
      consent_withdrawn_at: p.rng.chance(0.1) ? p.when(400) : null,
    });
  }

  if (p.has(0.6) && p.ctx.disclosureTargets.length > 0) {
    for (let i = 0, n = p.demo ? 3 : p.rng.int(1, 3); i < n; i++) {
      const target = p.demo ? p.ctx.disclosureTargets[i % p.ctx.disclosureTargets.length] : p.rng.pick(p.ctx.disclosureTargets);
      const disclosed = p.rng.sample(target.categories, p.rng.int(1, 3));
      const at = p.when(i * 100);
      out['register.disclosures'].push({
        person_id: p.id, created_at: at,
        recipient_key: target.recipient,
        disclosed_at: at,
        categories: disclosed.map((c) => c.key),
        legal_provision: p.rng.pick(disclosed[0].provisions),
      });
    }
  }

}
