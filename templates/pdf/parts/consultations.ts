/**
 * Who consulted the subject's data, when and why (CJEU C-579/21; KHO:2025:51): the source systems'
 * usage logs and the engine's own record of staff views of the request. Employees are named only
 * when the register description says so; otherwise the letter says why they are not.
 */
import type { AccessAnswerLetter } from '../../types';
import type { LetterContext } from '../layout';
import type { LetterWriter, RowsOptions } from '../writer';

const ROWS: RowsOptions = { labelWidth: 110, size: 9 };

/** Draws the consultations and the staff views; nothing when the register keeps no usage log. */
export function drawConsultations(w: LetterWriter, letter: AccessAnswerLetter, { t }: LetterContext): void {
  const consultations = letter.consultations;
  if (consultations) {
    w.section(() => {
      w.heading(t('consultations.heading'), 2);
      if (consultations.length === 0) {
        w.paragraph(t('consultations.none'));
        return;
      }
      w.paragraph(t('consultations.intro'));
      w.rows(
        consultations.map((c) => ({
          label: c.at,
          value: c.employee ? t('consultations.entryBy', { system: c.system, purpose: c.purpose, employee: c.employee }) : t('consultations.entry', { system: c.system, purpose: c.purpose }),
        })),
        ROWS,
      );
      if (letter.consultationEmployeesWithheld) w.paragraph(t('consultations.noEmployees'));
    });
  }
  const views = letter.staffViews ?? [];
  if (views.length > 0) {
    w.section(() => {
      w.heading(t('consultations.staffViewsHeading'), 2);
      w.paragraph(t('consultations.staffViewsIntro'));
      w.rows(
        views.map((v) => ({ label: v.at, value: v.employee ? t('consultations.staffViewBy', { employee: v.employee }) : t('consultations.staffView') })),
        ROWS,
      );
    });
  }
}
