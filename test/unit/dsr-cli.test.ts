import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { runDsrCli } from '../../scripts/dsr';

const ROOT = path.resolve(__dirname, '../..');

function run(...argv: string[]): { code: number; out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  const code = runDsrCli(argv, (line) => out.push(line), (line) => err.push(line));
  return { code, out, err };
}

function spawnDsr(args: string[], env: NodeJS.ProcessEnv = {}): { status: number | null; stdout: string } {
  const result = spawnSync('npx', ['tsx', 'scripts/dsr.ts', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, ...env },
    timeout: 60_000,
  });
  return { status: result.status, stdout: result.stdout };
}

describe('dsr deadline', () => {
  it('prints one JSON line per timestamp with the receipt date, deadline and extended deadline, exit 0', () => {
    const { code, out, err } = run('deadline', '2025-03-05T10:00:00+02:00', '2025-01-31T23:30:00Z', '2025-01-31T12:00:00Z');
    expect(out).toEqual([
      '{"receivedOn":"2025-03-05","deadline":"2025-04-07","extendedDeadline":"2025-06-05"}',
      '{"receivedOn":"2025-02-01","deadline":"2025-03-03","extendedDeadline":"2025-05-02"}',
      '{"receivedOn":"2025-01-31","deadline":"2025-02-28","extendedDeadline":"2025-04-30"}',
    ]);
    expect(err).toEqual([]);
    expect(code).toBe(0);
  });

  it('answers a malformed timestamp with an error line, keeps going, and exits 1', () => {
    const { code, out } = run('deadline', '2025-03-05T10:00:00', '2025-08-31T12:00:00+03:00', '2025-02-30T10:00:00Z');
    const lines = out.map((line) => JSON.parse(line));
    expect(lines).toEqual([
      { input: '2025-03-05T10:00:00', error: expect.stringMatching(/no offset/) },
      { receivedOn: '2025-08-31', deadline: '2025-09-30', extendedDeadline: '2025-12-01' },
      { input: '2025-02-30T10:00:00Z', error: expect.stringMatching(/not a real date/) },
    ]);
    expect(code).toBe(1);
  });
});

describe('dsr hetu', () => {
  it('prints {"valid":true} for valid codes without echoing them, exit 0', () => {
    const { code, out } = run('hetu', '131052-308T', '100190Y999P');
    expect(out).toEqual(['{"valid":true}', '{"valid":true}']);
    expect(code).toBe(0);
  });

  it('prints the reason for an invalid code in argument order and exits 1', () => {
    const { code, out } = run('hetu', '131052-308U', '131052-308T', '310290-123T');
    expect(out).toEqual([
      '{"valid":false,"reason":"check character does not match"}',
      '{"valid":true}',
      '{"valid":false,"reason":"birth date does not exist"}',
    ]);
    expect(code).toBe(1);
  });
});

describe('dsr usage', () => {
  it.each([
    ['no command', []],
    ['an unknown command', ['deadlines', '2025-03-05T10:00:00Z']],
    ['deadline without arguments', ['deadline']],
    ['hetu without arguments', ['hetu']],
    ['a command named like an object property', ['toString', 'x']],
  ])('%s prints usage on stderr, nothing on stdout, exit 2', (_case, argv) => {
    const { code, out, err } = run(...argv);
    expect(code).toBe(2);
    expect(out).toEqual([]);
    expect(err.join('\n')).toMatch(/usage: dsr/);
  });

  it('--help prints usage on stdout and exits 0', () => {
    const { code, out } = run('--help');
    expect(code).toBe(0);
    expect(out.join('\n')).toMatch(/usage: dsr/);
  });
});

describe('the real dsr command', () => {
  jest.setTimeout(120_000);

  it('prints exactly the JSON lines on stdout and exits 0 for good timestamps', () => {
    const { status, stdout } = spawnDsr(['deadline', '2025-03-05T10:00:00+02:00', '2025-01-31T23:30:00Z']);
    expect(stdout).toBe(
      '{"receivedOn":"2025-03-05","deadline":"2025-04-07","extendedDeadline":"2025-06-05"}\n' +
        '{"receivedOn":"2025-02-01","deadline":"2025-03-03","extendedDeadline":"2025-05-02"}\n',
    );
    expect(status).toBe(0);
  });

  it('exits 1 after printing every line when one timestamp is malformed, whatever the host time zone', () => {
    const { status, stdout } = spawnDsr(['deadline', 'garbage', '2025-08-31T12:00:00Z'], { TZ: 'Pacific/Kiritimati' });
    const lines = stdout.trimEnd().split('\n').map((line) => JSON.parse(line));
    expect(lines).toEqual([
      { input: 'garbage', error: expect.stringMatching(/not an ISO-8601 timestamp/) },
      { receivedOn: '2025-08-31', deadline: '2025-09-30', extendedDeadline: '2025-12-01' },
    ]);
    expect(status).toBe(1);
  });

  it('exits 2 with nothing on stdout when no command is given', () => {
    expect(spawnDsr([])).toEqual({ status: 2, stdout: '' });
  });
});
