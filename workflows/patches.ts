/**
 * The register of workflow code patches (README, "Changing workflow code"). Requests stay open for
 * months and restriction lifts sleep for years, and every open workflow replays its history on the
 * code deployed today: a change that would take another path through recorded events goes behind a
 * patch. Each entry says when it was introduced and what it changed; once no workflow started
 * before that date is open, `patchesAtStart` asks it with `deprecatePatch` instead and the old
 * branch is removed; later the id and the entry go too. The lint rule keeps `patched` and
 * `deprecatePatch` in this file.
 *
 * Every patch is asked once, in the workflow's first task, before anything is awaited
 * (`patchesAtStart`), and the procedure branches on the answer kept in its context. A patch asked
 * later, after a local activity, can be asked before its marker is known when the history is
 * replayed: a local activity that outlasts the workflow task's heartbeat ends that task, and the
 * code after it runs in the next one, where the marker is recorded; on replay the local activity
 * resolves from its marker inside the first task, `patched` answers false there, and the replay
 * takes the old branch against a history of the new one (test/workflow/patch-timing.test.ts).
 */
import { patched } from '@temporalio/workflow';

export const PATCHES = {
  // 'example-id': '2027-01-15: what the new code does differently',
  'changes-after-approval': '2026-12-07: register changes are previewed with the draft and applied only after the approval (carryOut)',
  'local-short-steps':
    '2026-12-07: receipt is one step (receiveRequest: load, received, awaiting identity), then the acknowledgement; approveDocument and deliverDocument record their own events; the short database steps and single e-mails run as local activities',
} as const satisfies Record<string, string>;

export type PatchId = keyof typeof PATCHES;

/**
 * Asks every patch, in the register's order; call it first in the workflow function. A new
 * workflow answers true to each and records its markers in its first task; a replayed one answers
 * true exactly for the markers its first task recorded. A workflow started before a patch keeps
 * the old branch to its end.
 */
export function patchesAtStart(): Record<PatchId, boolean> {
  const answers = {} as Record<PatchId, boolean>;
  for (const id of Object.keys(PATCHES) as PatchId[]) answers[id] = patched(PATCHES[id]);
  return answers;
}

/**
 * Only for histories recorded before patches were asked at the start (before-patches-at-start/): asks
 * `id` where that code asked it. The SDK answers false during replay without keeping the answer
 * while the marker is not known, so this second question still finds a marker recorded later.
 */
export function askedWhereRecorded(id: PatchId): boolean {
  return patched(PATCHES[id]);
}
