/**
 * The token/link secret rotates like the payload key: what was signed under the old secret stays
 * valid while that secret is in the ring, and stops being valid once it leaves.
 */
import { parseKeyRing, tokenSecret } from '../../config/key-ring';
import { createTokenService } from '../../services/staff-auth';
import { accessCodeFor, accessCodeGiven, hashAccessCode } from '../../services/access-code';
import { issueFormToken, isFormToken } from '../../web/form-token';
import { csrfMatches, csrfToken } from '../../web/staff/session';

const s1 = 'a'.repeat(40);
const s2 = 'b'.repeat(40);
const ring1 = parseKeyRing(`t1:${s1}`, tokenSecret);
const ring21 = parseKeyRing(`t2:${s2},t1:${s1}`, tokenSecret);
const ring2 = parseKeyRing(`t2:${s2}`, tokenSecret);

describe('the token secret ring', () => {
  it('a staff token issued under t1 is accepted by the ring [t2, t1] and refused by [t2]', async () => {
    const { token } = await createTokenService(ring1, 5).issue({ id: 'h.handler', roles: ['handler'] });
    expect(JSON.parse(Buffer.from(token.split('.')[0], 'base64url').toString()).kid).toBe('t1');
    await expect(createTokenService(ring21, 5).verify(token)).resolves.toEqual({ id: 'h.handler', roles: ['handler'] });
    await expect(createTokenService(ring2, 5).verify(token)).rejects.toThrow(/no longer in the ring/);
  });

  it('a token whose kid names t2 but was signed with t1 is refused', async () => {
    const forgedRing = parseKeyRing(`t2:${s1}`, tokenSecret);
    const { token } = await createTokenService(forgedRing, 5).issue({ id: 'x', roles: ['admin'] });
    await expect(createTokenService(ring21, 5).verify(token)).rejects.toThrow();
  });

  it('a token from before rings (no kid, plain secret) is accepted while its secret is in the ring', async () => {
    const { token } = await createTokenService(s1, 5).issue({ id: 'dpo', roles: ['dpo'] });
    const legacyRing = parseKeyRing(`t2:${s2},default:${s1}`, tokenSecret);
    await expect(createTokenService(legacyRing, 5).verify(token)).resolves.toMatchObject({ id: 'dpo' });
  });

  it('a form token and a CSRF token made under t1 pass with [t2, t1], not with [t2]', () => {
    const form = issueFormToken(s1);
    expect(isFormToken(ring21, form)).toBe(true);
    expect(isFormToken(ring2, form)).toBe(false);
    const csrf = csrfToken(s1, 'binding');
    expect(csrfMatches(ring21, 'binding', csrf)).toBe(true);
    expect(csrfMatches(ring2, 'binding', csrf)).toBe(false);
  });

  it('a replayed submission shows the access code it was first given, though the secret rotated since', () => {
    const first = accessCodeFor(ring1, 'sub-1');
    expect(accessCodeFor(ring21, 'sub-1')).not.toBe(first);
    expect(accessCodeGiven(ring21, 'sub-1', hashAccessCode(first))).toBe(first);
    expect(accessCodeGiven(ring2, 'sub-1', hashAccessCode(first))).toBeNull();
  });
});
