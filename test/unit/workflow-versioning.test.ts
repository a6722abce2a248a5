/**
 * The versioning policy's lint rule: workflow code asks a patch only in the register of patches
 * (workflows/patches.ts), at the first task, with an id recorded with its date and reason.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';

jest.setTimeout(60_000);

/** ESLint as the project runs it (its flat config is an ES module, which jest's runtime cannot load). */
const lint = async (code: string, filePath = 'workflows/example.ts'): Promise<(string | null)[]> => {
  const bin = path.join(__dirname, '..', '..', 'node_modules', '.bin', 'eslint');
  const run = spawnSync(bin, ['--stdin', '--stdin-filename', filePath, '--format', 'json'], { input: code, encoding: 'utf8', cwd: path.join(__dirname, '..', '..') });
  return (JSON.parse(run.stdout) as { messages: { ruleId: string | null }[] }[])[0].messages.map((m) => m.ruleId);
};

describe('the patch rule for workflow code', () => {
  it('refuses a patch id written in place', async () => {
    for (const file of ['workflows/example.ts', 'workflows/patches.ts']) {
      expect(await lint("import { patched } from '@temporalio/workflow';\nexport const x = () => patched('new-step');\n", file)).toContain('no-restricted-syntax');
      expect(await lint("import { deprecatePatch } from '@temporalio/workflow';\nexport const x = () => deprecatePatch('new-step');\n", file)).toContain('no-restricted-syntax');
    }
  });

  it('refuses a patch asked anywhere but the register, even with a registered id', async () => {
    // Asked after a local activity, a patch can be answered differently on replay (patch-timing.test.ts).
    const code = "import { patched } from '@temporalio/workflow';\nimport { PATCHES } from './patches';\nexport const x = () => patched(PATCHES['new-step' as keyof typeof PATCHES]);\n";
    expect(await lint(code, 'workflows/rights/example.ts')).toContain('no-restricted-syntax');
  });

  it('accepts an id from the register, asked in the register', async () => {
    const code = "import { patched } from '@temporalio/workflow';\nexport const PATCHES = { 'new-step': '2027-01-01: what changed' } as const;\nexport const x = () => patched(PATCHES['new-step']);\n";
    expect(await lint(code, 'workflows/patches.ts')).not.toContain('no-restricted-syntax');
  });

  it('applies to workflow code only', async () => {
    expect(await lint("export const x = (patched: (s: string) => boolean) => patched('new-step');\n", 'test/replay/fixtures/example.ts')).not.toContain('no-restricted-syntax');
  });
});
