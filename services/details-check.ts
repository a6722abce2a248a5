/**
 * Checks the right-specific details of a submission against the register description: a correction
 * must name a field the notice declares, a category must exist. Nothing is stored before this passes.
 */
import type { RegisterDescription } from '../domain/register-description';
import { ApiError } from './errors';

export function checkDetailsAgainstDescription(
  description: RegisterDescription,
  body: { corrections?: { field: string }[]; categories?: string[] },
): void {
  const fields: { field: string; message: string }[] = [];
  body.corrections?.forEach((c, i) => {
    const [schema, table, column] = c.field.split('.');
    const described = description.categories.some((cat) =>
      cat.tables.some((t) => t.table === `${schema}.${table}` && t.fields.some((f) => f.column === column)),
    );
    if (!described) fields.push({ field: `corrections[${i}].field`, message: `'${c.field}' is not a field of the register` });
  });
  body.categories?.forEach((key, i) => {
    if (!description.categories.some((c) => c.key === key)) fields.push({ field: `categories[${i}]`, message: `'${key}' is not a category of the register` });
  });
  if (fields.length > 0) throw new ApiError(400, 'validation_failed', fields.map((f) => `${f.field}: ${f.message}`).join('; '), fields);
}
