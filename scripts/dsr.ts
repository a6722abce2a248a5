/**
 * `dsr`: answers the legal-clock and henkilötunnus questions from the command line, one JSON line
 * per argument on stdout, so that handlers and scripts can check a date or a code without the
 * engine running.
 *
 *   npm run --silent dsr -- deadline 2025-03-05T10:00:00+02:00
 *   npm run --silent dsr -- hetu 131052-308T
 */
import { computeDeadlines, parseTimestamp } from '../domain/deadline';
import { validateHetu } from '../domain/hetu';

/** Receives one line of output, without its newline. */
export type LineWriter = (line: string) => void;

/** Exit codes: 0 all arguments fine, 1 some argument rejected, 2 wrong usage. */
export const EXIT_OK = 0;
export const EXIT_REJECTED = 1;
export const EXIT_USAGE = 2;

export const USAGE = [
  'usage: dsr <command> <argument> [<argument> ...]',
  '',
  'commands:',
  '  deadline TS [TS ...]      receipt date, deadline and extended deadline of a request received at TS',
  '                            (ISO-8601 with Z or an offset, e.g. 2025-03-05T10:00:00+02:00)',
  '  hetu CODE [CODE ...]      whether each henkilötunnus is valid',
  '',
  'One JSON line per argument on stdout. Exit code 0 when all are valid, 1 when any is not, 2 on wrong usage.',
].join('\n');

type Command = (argument: string) => { line: object; ok: boolean };

const COMMANDS: Readonly<Record<string, Command>> = {
  deadline: deadlineLine,
  hetu: hetuLine,
};

/** Runs the command line on the arguments after the script name; returns the exit code. */
export function runDsrCli(argv: readonly string[], out: LineWriter, err: LineWriter): number {
  const [name, ...args] = argv;
  if (name === '--help' || name === '-h' || name === 'help') {
    out(USAGE);
    return EXIT_OK;
  }
  const command = name !== undefined && Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!command) return usageError(err, name === undefined ? 'no command given' : `unknown command '${name}'`);
  if (args.length === 0) return usageError(err, `'${name}' needs at least one argument`);
  let exitCode = EXIT_OK;
  for (const argument of args) {
    const { line, ok } = command(argument);
    out(JSON.stringify(line));
    if (!ok) exitCode = EXIT_REJECTED;
  }
  return exitCode;
}

function deadlineLine(text: string): { line: object; ok: boolean } {
  try {
    const { receivedOn, deadline, extendedDeadline } = computeDeadlines(parseTimestamp(text));
    return { line: { receivedOn, deadline, extendedDeadline }, ok: true };
  } catch (error) {
    return { line: { input: text, error: error instanceof Error ? error.message : String(error) }, ok: false };
  }
}

// The code itself is never echoed (LEGAL-RULES.md 4): lines follow the order of the arguments.
function hetuLine(code: string): { line: object; ok: boolean } {
  const result = validateHetu(code);
  return result.valid ? { line: { valid: true }, ok: true } : { line: { valid: false, reason: result.reason }, ok: false };
}

function usageError(err: LineWriter, problem: string): number {
  err(`dsr: ${problem}`);
  err(USAGE);
  return EXIT_USAGE;
}

if (require.main === module) {
  // exitCode rather than exit(): lets stdout drain when it is a pipe.
  process.exitCode = runDsrCli(
    process.argv.slice(2),
    (line) => process.stdout.write(`${line}\n`),
    (line) => process.stderr.write(`${line}\n`),
  );
}
