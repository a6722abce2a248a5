/**
 * Staff decisions as typed workflow updates: the name of a decision fixes the input it takes (checked
 * by the compiler: the `@ts-expect-error` lines fail the type check if a wrong input were accepted),
 * and an untrusted body is parsed by that decision's schema, naming the bad field.
 */
import { parseDecision } from '../../services/decision-inputs';
import { ApiError } from '../../services/errors';
import type { WorkflowGateway } from '../../services/workflow-gateway';

/** Never called: it exists for the compiler to check the calls in it. */
export function typedCalls(gateway: WorkflowGateway): void {
  void gateway.decide('r', 'extendDeadline', { actor: 'h.handler', reasons: 'Pyyntöjä on poikkeuksellisen paljon.' });
  // @ts-expect-error an extension must state its reasons (GDPR 12(3))
  void gateway.decide('r', 'extendDeadline', { actor: 'h.handler' });
  // @ts-expect-error a refusal's ground is one of the refusal grounds, not free text
  void gateway.decide('r', 'refuseRequest', { actor: 'h.handler', ground: 'because', reasons: 'Perusteet kirjeessä.', scope: 'whole' });
  // @ts-expect-error the input of one decision is not the input of another
  void gateway.decide('r', 'approveAnswer', { actor: 'h.handler', reasons: 'Pyyntöjä on poikkeuksellisen paljon.' });
  const result: Promise<{ extendedDeadline: string }> = gateway.decide('r', 'extendDeadline', { actor: 'h.handler', reasons: 'Pyyntöjä on paljon.' });
  void result;
}

describe('a staff decision parsed for its workflow update', () => {
  it('carries the acting staff member and the parsed fields', () => {
    expect(parseDecision('extendDeadline', { reasons: '  Pyyntöjä on poikkeuksellisen paljon. ' }, 'h.handler')).toEqual({
      actor: 'h.handler',
      reasons: 'Pyyntöjä on poikkeuksellisen paljon.',
    });
    expect(parseDecision('refuseRequest', { ground: 'gdpr_12_5_excessive', reasons: 'Sama pyyntö viidettä kertaa.' }, 'dpo')).toEqual({
      actor: 'dpo',
      ground: 'gdpr_12_5_excessive',
      reasons: 'Sama pyyntö viidettä kertaa.',
      scope: 'whole',
    });
  });

  it('refuses a body that does not fit, naming the field, with a 400', () => {
    const refused = (() => {
      try {
        parseDecision('extendDeadline', { reasons: 'lyhyt' }, 'h.handler');
      } catch (error) {
        return error;
      }
      return null;
    })();
    expect(refused).toBeInstanceOf(ApiError);
    expect((refused as ApiError).status).toBe(400);
    expect((refused as ApiError).message).toMatch(/^reasons: must state the reasons \(at least 10 characters\)/);
    expect(() => parseDecision('recordPayment', { amount: 5 }, 'h.handler')).toThrow(/unknown field\(s\): amount/);
  });
});
