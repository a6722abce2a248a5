/**
 * Reads a register description file (YAML) at start-up. Kept apart from the schema module because
 * it touches the file system, which deterministic (workflow) code must not import.
 */
import fs from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { RegisterDescriptionError, type RegisterDescription } from '../domain/register-description';
import type { RegisterColumnCatalog } from '../domain/register-description-checks';
import { parseRegisterDescription } from '../domain/register-description-parse';

/** The description shipped with the project, relative to the working directory. */
export const DEFAULT_REGISTER_DESCRIPTION_PATH = 'config/register-description.kuopio.yaml';

/**
 * Loads and validates the YAML description at `path` against the register's tables (the caller passes
 * `REGISTER_COLUMNS` from db/tables/register); throws RegisterDescriptionError naming the file.
 */
export function loadRegisterDescription(path: string, tables: RegisterColumnCatalog): RegisterDescription {
  let raw: string;
  try {
    raw = fs.readFileSync(path, 'utf8');
  } catch (err) {
    throw new RegisterDescriptionError(path, [{ path: '(file)', message: `cannot be read: ${(err as Error).message}` }]);
  }
  let value: unknown;
  try {
    // Plain YAML 1.2: no custom tags, so '2024-05-21' stays a string and nothing executes.
    value = parseYaml(raw, { prettyErrors: true, uniqueKeys: true });
  } catch (err) {
    throw new RegisterDescriptionError(path, [{ path: '(file)', message: `is not valid YAML: ${(err as Error).message}` }]);
  }
  return parseRegisterDescription(value, { source: path, tables });
}
