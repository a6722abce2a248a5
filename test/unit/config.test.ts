import { generateKeyPairSync } from 'node:crypto';
import { ConfigError, loadConfig } from '../../config/settings';

const signingKey = generateKeyPairSync('ed25519').privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64');

const valid = {
  DATABASE_URL: 'postgres://dsr@127.0.0.1:5432/dsr',
  TEMPORAL_ADDRESS: '127.0.0.1:7233',
  SMTP_URL: 'smtp://127.0.0.1:25',
  STAFF_NOTIFY_EMAIL: 'tietosuojavastaava@example.fi',
  AUTH_TOKEN_SECRET: 'x'.repeat(32),
  PAYLOAD_CODEC_KEY: Buffer.alloc(32, 1).toString('base64'),
  AUDIT_HMAC_KEY: Buffer.alloc(32, 2).toString('base64'),
  AUDIT_SIGNING_KEY: signingKey,
  AUDIT_CHECKPOINT_DIR: '/var/lib/dsr/checkpoints',
};

describe('configuration', () => {
  it('fills the defaults the legal rules name: extension of 3 months from receipt, no clock pause, reminders 7 and 2 days before', () => {
    const config = loadConfig(valid);
    expect(config.deadlines).toEqual({ extendedMonths: 3, pauseWhileAwaitingIdentity: false });
    expect(config.reminders).toEqual({ daysBefore: [7, 2], overdueRepeatDays: 1 });
    expect(config.mode).toBe('production');
    expect(Object.isFrozen(config.http)).toBe(true);
  });

  it('names every missing or malformed variable', () => {
    const { DATABASE_URL: _d, ...rest } = valid;
    const attempt = () => loadConfig({ ...rest, TEMPORAL_ADDRESS: 'nohost', PAYLOAD_CODEC_KEY: 'c2hvcnQ=' });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(/DATABASE_URL: is not set/);
    expect(attempt).toThrow(/TEMPORAL_ADDRESS: must be host:port/);
    expect(attempt).toThrow(/PAYLOAD_CODEC_KEY: must be 32 bytes/);
  });

  it('in production needs the audit keys and the checkpoint folder, which live outside the database', () => {
    const { AUDIT_HMAC_KEY: _h, AUDIT_SIGNING_KEY: _s, AUDIT_CHECKPOINT_DIR: _c, ...rest } = valid;
    const attempt = () => loadConfig(rest);
    expect(attempt).toThrow(/AUDIT_HMAC_KEY: is not set[\s\S]*AUDIT_SIGNING_KEY: is not set[\s\S]*AUDIT_CHECKPOINT_DIR: is not set/);
    expect(() => loadConfig({ ...valid, AUDIT_HMAC_KEY: 'c2hvcnQ=' })).toThrow(/AUDIT_HMAC_KEY: must be at least 32 bytes/);
    const audit = loadConfig(valid).audit;
    expect(audit).toMatchObject({ hmacKeyId: 'k1', signingKey, checkpointDir: '/var/lib/dsr/checkpoints', checkpointMinutes: 60, ephemeral: false });
    // Embedded without keys: this process makes its own, and says so.
    expect(loadConfig({ ...rest, DSR_MODE: 'embedded' }).audit).toMatchObject({ ephemeral: true, checkpointDir: null });
  });

  it('refuses the dev sign-in outside the embedded mode', () => {
    expect(() => loadConfig({ ...valid, AUTH_DEV_SIGN_IN: 'true' })).toThrow(/AUTH_DEV_SIGN_IN/);
    expect(loadConfig({ ...valid, AUTH_DEV_SIGN_IN: 'true', DSR_MODE: 'embedded' }).auth.devSignIn).toBe(true);
  });

  describe('OpenID Connect clients', () => {
    const staff = { STAFF_OIDC_ISSUER: 'https://login.kuopio.fi/realms/staff', STAFF_OIDC_CLIENT_ID: 'dsr', STAFF_OIDC_CLIENT_SECRET: 's3cret' };

    it('are off (null) when none of their settings is given', () => {
      expect(loadConfig(valid).oidc).toEqual({ staff: null, resident: null });
    });

    it('with partial settings, fail naming each missing variable', () => {
      const attempt = () => loadConfig({ ...valid, STAFF_OIDC_ISSUER: staff.STAFF_OIDC_ISSUER });
      expect(attempt).toThrow(ConfigError);
      expect(attempt).toThrow(/STAFF_OIDC_CLIENT_ID: is not set/);
      expect(attempt).toThrow(/STAFF_OIDC_CLIENT_SECRET: is not set/);
      expect(attempt).not.toThrow(/STAFF_OIDC_ISSUER/);
      expect(() => loadConfig({ ...valid, RESIDENT_OIDC_CLIENT_SECRET: 'x' })).toThrow(/RESIDENT_OIDC_ISSUER: is not set[\s\S]*RESIDENT_OIDC_CLIENT_ID: is not set/);
    });

    it('staff: scopes and roles claim default to "openid profile" and roles; without a role map the values are the roles', () => {
      expect(loadConfig({ ...valid, ...staff }).oidc.staff).toEqual({
        issuer: staff.STAFF_OIDC_ISSUER,
        clientId: 'dsr',
        clientSecret: 's3cret',
        scopes: ['openid', 'profile'],
        rolesClaim: 'roles',
        roleMap: {},
      });
    });

    it('staff: the role map parses into claim value → role, group names with spaces included', () => {
      const config = loadConfig({ ...valid, ...staff, STAFF_OIDC_ROLES_CLAIM: 'groups', STAFF_OIDC_ROLE_MAP: 'DSR Handlers=handler,tietosuojavastaava=dpo,audit=auditor' });
      expect(config.oidc.staff?.rolesClaim).toBe('groups');
      expect(config.oidc.staff?.roleMap).toEqual({ 'DSR Handlers': 'handler', tietosuojavastaava: 'dpo', audit: 'auditor' });
      expect(Object.isFrozen(config.oidc.staff?.roleMap)).toBe(true);
    });

    it('staff: a role map naming an unknown role, or scopes without openid, fail naming the variable', () => {
      expect(() => loadConfig({ ...valid, ...staff, STAFF_OIDC_ROLE_MAP: 'staff=superuser' })).toThrow(/STAFF_OIDC_ROLE_MAP: must be a comma-separated list of claim-value=role/);
      expect(() => loadConfig({ ...valid, ...staff, STAFF_OIDC_SCOPES: 'profile email' })).toThrow(/STAFF_OIDC_SCOPES: must be space-separated scopes starting with openid/);
      expect(() => loadConfig({ ...valid, ...staff, STAFF_OIDC_ISSUER: 'not a url' })).toThrow(/STAFF_OIDC_ISSUER:/);
    });

    it('resident: the henkilötunnus claim defaults to Suomi.fi’s urn:oid:1.2.246.21; scopes are split', () => {
      const config = loadConfig({ ...valid, RESIDENT_OIDC_ISSUER: 'https://tunnistus.example.fi', RESIDENT_OIDC_CLIENT_ID: 'dsr', RESIDENT_OIDC_CLIENT_SECRET: 'x', RESIDENT_OIDC_SCOPES: 'openid profile personal_identity_code' });
      expect(config.oidc.resident).toMatchObject({ hetuClaim: 'urn:oid:1.2.246.21', scopes: ['openid', 'profile', 'personal_identity_code'] });
      expect(config.oidc.staff).toBeNull();
    });
  });

  it('retention (GDPR 5(1)(e)) defaults: documents 30 days after the download window, a daily purge, 30 days of closed histories', () => {
    expect(loadConfig(valid).retention).toEqual({ documentDays: 30, purgeEveryHours: 24, temporalDays: 30 });
    expect(() => loadConfig({ ...valid, RETENTION_DOCUMENT_DAYS: '-1' })).toThrow(/RETENTION_DOCUMENT_DAYS/);
    expect(() => loadConfig({ ...valid, RETENTION_PURGE_EVERY_HOURS: '0' })).toThrow(/RETENTION_PURGE_EVERY_HOURS/);
  });

  describe('key rings (PAYLOAD_CODEC_KEYS, AUTH_TOKEN_SECRETS)', () => {
    const k1 = Buffer.alloc(32, 1).toString('base64');
    const k2 = Buffer.alloc(32, 2).toString('base64');
    const { PAYLOAD_CODEC_KEY: _p, AUTH_TOKEN_SECRET: _a, ...noKeys } = valid;

    it('reads id:key,id:key with the first as the current key', () => {
      const config = loadConfig({ ...noKeys, PAYLOAD_CODEC_KEYS: `k2:${k2},k1:${k1}`, AUTH_TOKEN_SECRETS: `t2:${'b'.repeat(40)},t1:${'a'.repeat(40)}` });
      expect(config.payloadCodecKeys.current).toEqual({ id: 'k2', secret: k2 });
      expect(config.payloadCodecKeys.keys.map((k) => k.id)).toEqual(['k2', 'k1']);
      expect(config.auth.tokenSecret).toBe('b'.repeat(40));
      expect(config.auth.tokenRing.keys.map((k) => k.id)).toEqual(['t2', 't1']);
    });

    it('keeps the single-key variables as a ring of one key with the id "default"', () => {
      const config = loadConfig(valid);
      expect(config.payloadCodecKeys.keys).toEqual([{ id: 'default', secret: valid.PAYLOAD_CODEC_KEY }]);
      expect(config.auth.tokenRing.current).toEqual({ id: 'default', secret: valid.AUTH_TOKEN_SECRET });
    });

    it.each([
      ['a comma-separated list in the single-key variable', { ...noKeys, AUTH_TOKEN_SECRET: valid.AUTH_TOKEN_SECRET, PAYLOAD_CODEC_KEY: `${k2},${k1}` }, /PAYLOAD_CODEC_KEY: must be 32 bytes, base64-encoded \(several keys go in PAYLOAD_CODEC_KEYS/],
      ['a ring entry without an id', { ...noKeys, AUTH_TOKEN_SECRET: valid.AUTH_TOKEN_SECRET, PAYLOAD_CODEC_KEYS: `k2:${k2},${k1}` }, /PAYLOAD_CODEC_KEYS: must be id:key,id:key .*entry 2: must be id:key/],
      ['a repeated key id', { ...noKeys, AUTH_TOKEN_SECRET: valid.AUTH_TOKEN_SECRET, PAYLOAD_CODEC_KEYS: `k1:${k2},k1:${k1}` }, /PAYLOAD_CODEC_KEYS: .*key id k1 appears twice/],
      ['a short key', { ...noKeys, AUTH_TOKEN_SECRET: valid.AUTH_TOKEN_SECRET, PAYLOAD_CODEC_KEYS: `k2:c2hvcnQ=` }, /PAYLOAD_CODEC_KEYS: .*key id k2\): must be 32 bytes/],
      ['an empty trailing entry', { ...noKeys, AUTH_TOKEN_SECRET: valid.AUTH_TOKEN_SECRET, PAYLOAD_CODEC_KEYS: `k2:${k2},` }, /PAYLOAD_CODEC_KEYS: .*entry 2/],
      ['both the ring and the single key', { ...valid, PAYLOAD_CODEC_KEYS: `k2:${k2}` }, /PAYLOAD_CODEC_KEY: set either PAYLOAD_CODEC_KEYS or PAYLOAD_CODEC_KEY, not both/],
      ['neither', { ...noKeys, AUTH_TOKEN_SECRET: valid.AUTH_TOKEN_SECRET }, /PAYLOAD_CODEC_KEYS: is not set \(nor the single-key PAYLOAD_CODEC_KEY\)/],
      ['a token secret ring with a short secret', { ...noKeys, PAYLOAD_CODEC_KEY: k1, AUTH_TOKEN_SECRETS: `t1:short` }, /AUTH_TOKEN_SECRETS: .*key id t1\): must be at least 32 characters/],
    ])('stops the start naming the variable: %s', (_case, env, message) => {
      expect(() => loadConfig(env)).toThrow(ConfigError);
      expect(() => loadConfig(env)).toThrow(message);
    });

    it('never echoes key material in its message', () => {
      const secret = randomKey();
      expect(() => loadConfig({ ...noKeys, AUTH_TOKEN_SECRET: valid.AUTH_TOKEN_SECRET, PAYLOAD_CODEC_KEYS: `k1:${secret},k1:${secret}` })).toThrow(
        expect.objectContaining({ message: expect.not.stringContaining(secret) }),
      );
    });
  });
});

function randomKey(): string {
  return Buffer.from(Array.from({ length: 32 }, (_, i) => (i * 37 + 11) % 256)).toString('base64');
}
