/**
 * `needs_attention` (DESIGN.md "Lifecycle"): a step whose activity failed for good (a permanent
 * failure, or a transient one whose bounded retries ran out) is not retried in silence and does not
 * fail the workflow. The request moves to `needs_attention`, naming the step, the failure's type and
 * its value-free message; the handler and the DPO get an alarm; the step waits there until a person
 * retries it (retryStepUpdate) and then runs again where it stopped. The deadline watch runs on.
 */
import { ActivityFailure, ApplicationFailure, condition } from '@temporalio/workflow';
import { attentionActs, type StepGuard } from '../activities';
import type { RequestContext } from '../context';
import type { RetryStepInput } from '../messages';

/** Runs `run` (one activity call, named `step`); on a failure for good, waits for a person's retry and runs it again. */
export async function step<T>(ctx: RequestContext, name: string, run: () => Promise<T>): Promise<T> {
  for (;;) {
    try {
      return await run();
    } catch (error) {
      if (!(error instanceof ActivityFailure)) throw error;
      const retried = ctx.retries;
      await needsAttention(ctx, name, error);
      await condition(() => ctx.retries > retried);
    }
  }
}

/** The guard every activity call of a request workflow goes through. */
export function stepGuardFor(ctx: RequestContext): StepGuard {
  return (name, run) => step(ctx, name, run);
}

/** Records the failed step once per episode (parallel steps failing together share it) and raises the alarm. */
async function needsAttention(ctx: RequestContext, stepName: string, error: ActivityFailure): Promise<void> {
  if (ctx.attention) return;
  const { errorType, message } = describe(error);
  ctx.attentionEpisodes += 1;
  ctx.attention = { step: stepName, errorType, message, since: new Date().toISOString(), resumeState: ctx.state, episode: ctx.attentionEpisodes };
  ctx.state = 'needs_attention';
  const { episode } = ctx.attention;
  try {
    await attentionActs.recordAttention({ requestId: ctx.requestId, ...ctx.attention });
    ctx.alarmsRaised.push(`attention:${episode}`);
  } catch (recordingFailed) {
    // Even the record refused (it retries transient failures itself): the workflow still waits, and its status says why.
    if (!(recordingFailed instanceof ActivityFailure)) throw recordingFailed;
  }
}

/** A person retries the failed step: recorded first, then every waiting step runs again. */
export async function retryStep(ctx: RequestContext, input: RetryStepInput): Promise<{ step: string }> {
  // Cleared before anything is awaited, so a second retry sent meanwhile is refused by the validator.
  const attention = ctx.attention!;
  ctx.attention = null;
  ctx.state = attention.resumeState;
  try {
    await attentionActs.resolveAttention({ requestId: ctx.requestId, episode: attention.episode, step: attention.step, resumeState: attention.resumeState, actor: input.actor, note: input.note ?? null });
  } catch (error) {
    // The retry could not be recorded: the request still needs attention, and the caller is told.
    ctx.attention = attention;
    ctx.state = 'needs_attention';
    throw error;
  }
  ctx.retries += 1;
  return { step: attention.step };
}

/** The failure's type and message as activities/failures.ts made them (codes and names, no values). */
function describe(error: ActivityFailure): { errorType: string; message: string } {
  const cause = error.cause;
  if (cause instanceof ApplicationFailure) return { errorType: cause.type ?? 'ApplicationFailure', message: cause.message.slice(0, 300) };
  // A timeout (schedule-to-close, heartbeat) or a cancellation: its class names the kind.
  if (cause) return { errorType: cause.name, message: cause.message.slice(0, 300) };
  return { errorType: 'ActivityFailure', message: error.message.slice(0, 300) };
}
