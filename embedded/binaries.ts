/**
 * Where the external servers live: the Temporal CLI (dev server), the time-skipping test server and
 * PostgreSQL's server binaries. Environment variables win; otherwise the paths that
 * `scripts/setup.sh` built and recorded in `<cache>/paths.env`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** The cache folder of `scripts/setup.sh`: `$DSR_CACHE_DIR`, else `~/.cache/dsr-engine`. */
export function cacheDir(): string {
  return process.env.DSR_CACHE_DIR || path.join(os.homedir(), '.cache', 'dsr-engine');
}

/** Path of the Temporal CLI (`temporal server start-dev`): `$TEMPORAL_CLI_PATH`, else the cached build. */
export function temporalCliPath(): string {
  return resolveExecutable('TEMPORAL_CLI_PATH', 'the Temporal CLI (dev server)');
}

/** Path of the time-skipping test server executable: `$TEMPORAL_TEST_SERVER_PATH`, else the cached wrapper. */
export function temporalTestServerPath(): string {
  return resolveExecutable('TEMPORAL_TEST_SERVER_PATH', 'the Temporal time-skipping test server');
}

/**
 * The folder holding `initdb`, `pg_ctl` and `postgres`: `$POSTGRES_BIN_DIR`, else Debian's newest
 * `/usr/lib/postgresql/<version>/bin`, else wherever `initdb` is on the PATH; null if none.
 */
export function postgresBinDir(): string | null {
  const fromEnv = process.env.POSTGRES_BIN_DIR;
  if (fromEnv && isExecutable(path.join(fromEnv, 'initdb'))) return fromEnv;
  const debian = newestDebianPostgresBin('/usr/lib/postgresql');
  if (debian) return debian;
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir && isExecutable(path.join(dir, 'initdb'))) return dir;
  }
  return null;
}

function newestDebianPostgresBin(root: string): string | null {
  let versions: string[];
  try {
    versions = fs.readdirSync(root).filter((name) => /^\d+$/.test(name));
  } catch {
    return null;
  }
  versions.sort((a, b) => Number(b) - Number(a));
  for (const version of versions) {
    const bin = path.join(root, version, 'bin');
    if (isExecutable(path.join(bin, 'initdb'))) return bin;
  }
  return null;
}

function resolveExecutable(envName: string, what: string): string {
  const fromEnv = process.env[envName];
  if (fromEnv) {
    if (!isExecutable(fromEnv)) throw new Error(`${envName}=${fromEnv} is not an executable file`);
    return fromEnv;
  }
  const cached = readPathsEnv()[envName];
  if (cached && isExecutable(cached)) return cached;
  throw new Error(
    `${what} was not found. Run \`npm run setup\` (bash scripts/setup.sh) to build it into ${cacheDir()}, ` +
      `or set ${envName} to an existing executable.`,
  );
}

/** Reads the `KEY='value'` lines of `<cache>/paths.env`; missing file means no entries. */
function readPathsEnv(): Record<string, string> {
  let text: string;
  try {
    text = fs.readFileSync(path.join(cacheDir(), 'paths.env'), 'utf8');
  } catch {
    return {};
  }
  const entries: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const match = /^([A-Z_][A-Z0-9_]*)=(?:'([^']*)'|(.*))$/.exec(line.trim());
    if (match) entries[match[1]] = match[2] ?? match[3];
  }
  return entries;
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}
