/** Strong e-ID: which identification claims make a resident's identity, and at which level of assurance. */
import { identityFromClaims } from '../../web/identify-oidc';

const CLAIMS = { given_name: 'Testi', family_name: 'Demo', 'urn:oid:1.2.246.21': '131052-308t', acr: 'http://ftn.ficora.fi/2017/loa3' };
const ANY_LEVEL = { hetuClaim: 'urn:oid:1.2.246.21', acrValues: [] };
const LOA3 = { hetuClaim: 'urn:oid:1.2.246.21', acrValues: ['http://ftn.ficora.fi/2017/loa3'] };

test('names and a valid henkilötunnus make the identity (the code in upper case)', () => {
  expect(identityFromClaims(CLAIMS, ANY_LEVEL)).toEqual({ method: 'strong_eid', hetu: '131052-308T', firstName: 'Testi', lastName: 'Demo' });
});

test('an invalid or missing henkilötunnus, or a missing name, makes none', () => {
  expect(identityFromClaims({ ...CLAIMS, 'urn:oid:1.2.246.21': '131052-308A' }, ANY_LEVEL)).toBeNull();
  expect(identityFromClaims({ ...CLAIMS, 'urn:oid:1.2.246.21': undefined }, ANY_LEVEL)).toBeNull();
  expect(identityFromClaims({ ...CLAIMS, family_name: '' }, ANY_LEVEL)).toBeNull();
});

test('with levels of assurance configured, the ID token must carry one of them', () => {
  expect(identityFromClaims(CLAIMS, LOA3)).not.toBeNull();
  expect(identityFromClaims({ ...CLAIMS, acr: 'http://ftn.ficora.fi/2017/loa2' }, LOA3)).toBeNull();
  expect(identityFromClaims({ ...CLAIMS, acr: undefined }, LOA3)).toBeNull();
});
