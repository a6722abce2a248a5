/**
 * Validating a register description: its structure by the schema, then its cross-references against
 * the register's tables and columns, which the caller passes in (domain/ knows no database).
 */
import { formatPath, registerDescriptionSchema, RegisterDescriptionError, type RegisterDescription } from './register-description';
import { crossReferenceIssues, type DescriptionIssue, type RegisterColumnCatalog } from './register-description-checks';

export interface ParseOptions {
  /** Named in error messages, usually the file path. */
  source?: string;
  /** The tables and columns the description may name: the register schema's (db/tables/register). */
  tables: RegisterColumnCatalog;
}

/** Validates a register description (structure, then cross-references) and returns it deeply frozen. */
export function parseRegisterDescription(value: unknown, options: ParseOptions): RegisterDescription {
  const source = options.source ?? 'register description';
  const parsed = registerDescriptionSchema.safeParse(value, {
    // A missing field reads better as "is required" than as a type mismatch with undefined.
    error: (issue) => (issue.code === 'invalid_type' && issue.input === undefined ? 'is required' : undefined),
  });
  if (!parsed.success) {
    throw new RegisterDescriptionError(
      source,
      parsed.error.issues.flatMap((issue) =>
        // A misspelt field is reported at its own path, so the reader sees which one.
        issue.code === 'unrecognized_keys'
          ? issue.keys.map((k) => ({ path: formatPath([...issue.path, k]), message: 'is not a known field' }))
          : [{ path: formatPath(issue.path), message: issue.message }],
      ),
    );
  }
  const issues: DescriptionIssue[] = crossReferenceIssues(parsed.data, options.tables);
  if (issues.length > 0) {
    throw new RegisterDescriptionError(
      source,
      issues.map((issue) => ({ path: formatPath(issue.path), message: issue.message })),
    );
  }
  return deepFreeze(parsed.data);
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
