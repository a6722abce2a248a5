/**
 * The register of workflow code patches (README, "Changing workflow code"). Requests stay open for
 * months and restriction lifts sleep for years, and every open workflow replays its history on the
 * code deployed today: a change that would take another path through recorded events goes behind
 * `patched(PATCHES.id)`. Each entry says when it was introduced and what it changed; once no
 * workflow started before that date is open, the patch becomes `deprecatePatch(PATCHES.id)`, and
 * later the old branch and the entry are removed. The lint rule takes only ids from here.
 */
export const PATCHES = {
  // 'example-id': '2027-01-15: what the new code does differently',
  'changes-after-approval': '2026-12-07: register changes are previewed with the draft and applied only after the approval (carryOut)',
  'local-short-steps':
    '2026-12-07: receipt is one step (receiveRequest: load, received, awaiting identity), then the acknowledgement; approveDocument and deliverDocument record their own events; the short database steps and single e-mails run as local activities',
} as const satisfies Record<string, string>;

export type PatchId = keyof typeof PATCHES;
