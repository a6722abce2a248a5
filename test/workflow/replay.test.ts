/**
 * Replays the recorded histories (test/replay/histories, `npm run record-histories`) against the
 * current workflow code. A history that no longer replays is an open request that the change would
 * break on the next deploy (a non-determinism error): such a change must go behind `patched()`
 * (README, "Changing workflow code"). Shown once with a deliberate change, with and without a patch.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { DeterminismViolationError } from '@temporalio/workflow';
import { Worker, bundleWorkflowCode, type ReplayResult, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { RIGHTS } from '../../domain/request';
import { historyFromFile } from '../replay/record';
import { REQUEST_SCENARIOS } from '../replay/scenarios';
import { LIFT_SCENARIOS } from '../replay/lift-scenarios';
import { replayCuts } from './task-splits';

jest.setTimeout(300_000);

const HISTORIES = path.join(__dirname, '..', 'replay', 'histories');
const silent = { log: () => undefined, trace: () => undefined, debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

/** Every *.json under the corpus folder, older releases' subfolders included. */
function corpusFiles(dir = HISTORIES): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return corpusFiles(full);
    return e.name.endsWith('.json') ? [full] : [];
  });
}

const files = corpusFiles();
const nameOf = (file: string) => path.relative(HISTORIES, file).replace(/\.json$/, '');
const histories = (only?: (name: string) => boolean) =>
  files.filter((f) => !only || only(nameOf(f))).map((f) => ({ workflowId: nameOf(f), history: historyFromFile(readFileSync(f, 'utf8')) }));

async function replay(bundle: WorkflowBundleWithSourceMap, only?: (name: string) => boolean): Promise<Map<string, ReplayResult>> {
  const results = new Map<string, ReplayResult>();
  for await (const result of Worker.runReplayHistories({ workflowBundle: bundle, replayName: 'corpus' }, histories(only))) results.set(result.workflowId, result);
  return results;
}

const bundleOf = (workflowsPath: string) => bundleWorkflowCode({ workflowsPath, logger: silent });

describe('the recorded histories', () => {
  let results: Map<string, ReplayResult>;
  beforeAll(async () => {
    results = await replay(await bundleOf(require.resolve('../../workflows')));
  });

  it('hold one history per scenario, covering every right, and open requests as well as closed ones', () => {
    const names = files.map(nameOf).map((n) => path.basename(n));
    for (const s of [...REQUEST_SCENARIOS, ...LIFT_SCENARIOS]) expect(names).toContain(s.name);
    const rights = new Set(REQUEST_SCENARIOS.map((s) => s.overrides?.right ?? 'access'));
    expect([...rights].sort()).toEqual([...RIGHTS].sort());
    expect(REQUEST_SCENARIOS.filter((s) => s.open).length).toBeGreaterThanOrEqual(3);
  });

  it.each(files.map(nameOf))('%s replays against the current workflow code', (name) => {
    const result = results.get(name);
    expect(result).toBeDefined();
    expect(result!.error?.message).toBeUndefined();
  });
});

describe('the histories of the current code, with a workflow task cut after any local step', () => {
  // What a worker under load writes when a task's heartbeat falls just after a local step finished
  // (task-splits.ts). Histories recorded before patches were asked at the first task
  // (before-patches-at-start/) asked changes-after-approval after a local step and fail one such
  // cut: that is the flaw patch-timing.test.ts shows. The current corpus must replay every cut.
  const current = files.filter((f) => path.dirname(f) === HISTORIES);

  it('replay, wherever the cut falls', async () => {
    const bundle = await bundleOf(require.resolve('../../workflows'));
    const named = current.map((f) => ({ name: nameOf(f), history: historyFromFile(readFileSync(f, 'utf8')) }));
    const { variants, failed } = await replayCuts(bundle, named);
    expect(current.length).toBeGreaterThanOrEqual(REQUEST_SCENARIOS.length);
    expect(variants).toBeGreaterThan(current.length * 3);
    expect(failed).toEqual([]);
  });
});

describe('a workflow change under open requests', () => {
  // The fixtures copy the lift's plain path only, not its failure handling: shown on the two lifts that took that path.
  const lift = (name: string) => name === 'restriction-lift-sleeping-open' || name === 'restriction-lift-lifted';

  it('an activity call added before an existing one fails the replay of the recorded lifts', async () => {
    const results = await replay(await bundleOf(require.resolve('../replay/fixtures/lift-incompatible')), lift);
    expect(results.size).toBe(2);
    for (const result of results.values()) expect(result.error).toBeInstanceOf(DeterminismViolationError);
  });

  it('the same change behind patched() replays cleanly', async () => {
    const results = await replay(await bundleOf(require.resolve('../replay/fixtures/lift-patched')), lift);
    expect(results.size).toBe(2);
    for (const result of results.values()) expect(result.error).toBeUndefined();
  });
});
