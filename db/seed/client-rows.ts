/**
 * A synthetic client's record in the client system (seed section 10): employment situation,
 * education and career, plans, case notes, process, services and benefits, decisions, projects.
 */
import { DAY_MS } from '../../domain/calendar';
import { FIRST_NAMES, LAST_NAMES } from './finnish-names';
import { isoDay } from './format';
import { organisationName } from './employer-rows';
import type { PersonDraft, SeedRows } from './draft';
import * as T from './texts';

/** Appends the person's client record rows to `out`. */
export function addClientRecord(p: PersonDraft, out: SeedRows): void {
  for (let i = 0, n = 1 + (p.rng.chance(0.4) ? 1 : 0); i < n; i++) {
    const status = p.rng.pick(T.EMPLOYMENT_STATUSES);
    out['register.employment_situations'].push({
      person_id: p.id, created_at: p.when(i * 200),
      recorded_on: p.day(i * 200),
      employment_status: status,
      work_details: p.rng.chance(0.4) ? p.rng.pick(T.WORK_DETAILS) : null,
      unemployment_months: status === 'Työtön työnhakija' ? p.rng.int(1, 48) : null,
      outside_labour_market: status === 'Työvoiman ulkopuolella' || p.rng.chance(0.1) ? p.rng.pick(T.OUTSIDE_LABOUR_MARKET) : null,
    });
  }

  const firstJob = p.rng.pick(T.JOB_TITLES_HELD);
  out['register.education_career'].push({
    person_id: p.id, created_at: p.when(),
    education_level: p.rng.pick(T.EDUCATION_LEVELS),
    education_history: p.rng.sample(T.QUALIFICATIONS, p.rng.int(1, 2)).map((q) => `${q} (${p.rng.int(1975, 2023)})`).join('; '),
    work_history: p.rng.chance(0.85) ? `${firstJob} ${p.rng.int(2000, 2015)}–${p.rng.int(2016, 2024)}; ${p.rng.pick(T.JOB_TITLES_HELD).toLowerCase()} ${p.rng.int(2016, 2024)}` : null,
  });

  for (let i = 0, n = p.demo ? 2 : p.rng.int(0, 2); i < n; i++) {
    const from = p.day(i * 180);
    out['register.service_plans'].push({
      person_id: p.id, created_at: `${from}T09:00:00.000Z`,
      plan_type: p.rng.pick(T.PLAN_TYPES),
      service_need: p.rng.pick(T.SERVICE_NEEDS),
      measures: p.rng.pick(T.PLAN_MEASURES),
      follow_up: p.rng.pick(T.FOLLOW_UPS),
      valid_from: from,
      valid_until: p.rng.chance(0.7) ? isoDay(Date.parse(from) + p.rng.int(90, 365) * DAY_MS) : null,
    });
  }

  for (let i = 0, n = p.demo ? 4 : p.rng.int(1, 3); i < n; i++) {
    // The demo person's notes always name other people, so redaction (GDPR 15(4)) can be seen at work.
    const template = p.demo ? T.CASE_NOTE_TEMPLATES[[2, 4, 8, 5][i]] : p.rng.pick(T.CASE_NOTE_TEMPLATES);
    const otherFirst = p.rng.pick(FIRST_NAMES);
    const other = `${otherFirst} ${p.rng.pick(LAST_NAMES)}`;
    const mentions = [
      ...(template.includes('{other}') ? [other] : []),
      ...(template.includes('{otherFirst}') ? [otherFirst] : []),
    ];
    const at = p.when(i * 60);
    out['register.case_notes'].push({
      person_id: p.id, created_at: at,
      written_at: at,
      author_role: p.rng.pick(T.AUTHOR_ROLES),
      note: template.replaceAll('{other}', other).replaceAll('{otherFirst}', otherFirst).replaceAll('{field}', p.rng.pick(T.FIELDS_OF_WORK)),
      mentions,
    });
  }

  const stages = p.demo ? 4 : p.rng.int(1, 3);
  for (let i = 0; i < stages; i++) {
    const [stage, description] = T.PROCESS_STAGES[Math.min(i, T.PROCESS_STAGES.length - 1)];
    const on = isoDay(Math.min(p.ref - DAY_MS, p.since + i * p.rng.int(20, 120) * DAY_MS));
    out['register.process_events'].push({ person_id: p.id, created_at: `${on}T10:00:00.000Z`, occurred_on: on, event_type: stage, description });
  }

  if (p.has(0.6)) {
    for (let i = 0, n = p.rng.int(1, 2); i < n; i++) {
      const from = p.day(i * 120);
      out['register.services_benefits'].push({
        person_id: p.id, created_at: `${from}T08:00:00.000Z`,
        name: p.rng.pick(T.SERVICES_AND_BENEFITS),
        provider: p.rng.chance(0.5) ? organisationName(p.ctx, p.rng) : null,
        starts_on: from,
        ends_on: p.rng.chance(0.6) ? isoDay(Date.parse(from) + p.rng.int(30, 365) * DAY_MS) : null,
        details: p.rng.chance(0.3) ? p.rng.pick(['3 päivää viikossa', 'Osa-aikainen', 'Jatkettu kolmella kuukaudella']) : null,
      });
    }
  }

  if (p.has(0.5)) {
    for (let i = 0, n = p.rng.int(1, 2); i < n; i++) {
      const on = p.day(i * 150);
      const [decisionType, summary] = p.rng.pick(T.DECISION_TYPES);
      out['register.decisions'].push({
        person_id: p.id, created_at: `${on}T12:00:00.000Z`,
        diary_number: `${p.ctx.locality.diaryPrefix}/${p.rng.int(100, 9999)}/${on.slice(0, 4)}`,
        decided_on: on,
        decision_type: decisionType,
        outcome: p.rng.pick(T.DECISION_OUTCOMES),
        decision_maker: p.rng.pick(T.DECISION_MAKERS),
        summary,
      });
    }
  }


  if (p.has(0.25)) {
    const from = p.day(90);
    out['register.project_participations'].push({
      person_id: p.id, created_at: `${from}T08:30:00.000Z`,
      project_name: p.rng.pick(T.PROJECTS),
      measure: p.rng.pick(T.PROJECT_MEASURES),
      started_on: from,
      ended_on: p.rng.chance(0.6) ? isoDay(Math.min(p.ref - DAY_MS, Date.parse(from) + p.rng.int(60, 300) * DAY_MS)) : null,
    });
  }

}
