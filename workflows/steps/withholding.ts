/** Tietosuojalaki 1050/2018 34 §: data of a category withheld from the access copy, the rest still given. */
import { acts } from '../activities';
import type { RequestContext } from '../context';
import type { WithholdItemsInput } from '../messages';
import { transition } from './shared';

/** Records what is withheld and why, and renders a new draft that replaces the one awaiting approval. */
export async function withholdItems(ctx: RequestContext, input: WithholdItemsInput): Promise<{ draftDocumentId: string }> {
  ctx.redrafting = true;
  try {
    ctx.withholdings += 1;
    const version = ctx.withholdings + 1;
    await acts.recordTransition({
      requestId: ctx.requestId,
      businessKey: `withheld:${version}`,
      type: 'items_withheld',
      actor: input.actor,
      reason: input.items.map((i) => i.description).join('; '),
      data: { items: input.items, ground: 'dpa_34_health_or_rights' },
    });
    const draft = await acts.renderLetter({ requestId: ctx.requestId, letter: { kind: 'access_answer', version } });
    ctx.draftDocumentId = draft.documentId;
    await transition(ctx, `draft:${draft.documentId}`, 'draft_ready', 'awaiting_approval', { data: { documentId: draft.documentId, version } });
    return { draftDocumentId: draft.documentId };
  } finally {
    ctx.redrafting = false;
  }
}
