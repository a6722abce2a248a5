import { ConfigError, loadConfig } from '../../src/config';

const valid = {
  DATABASE_URL: 'postgres://dsr@127.0.0.1:5432/dsr',
  TEMPORAL_ADDRESS: '127.0.0.1:7233',
  SMTP_URL: 'smtp://127.0.0.1:25',
  STAFF_NOTIFY_EMAIL: 'tietosuojavastaava@example.fi',
  AUTH_TOKEN_SECRET: 'x'.repeat(32),
  PAYLOAD_CODEC_KEY: Buffer.alloc(32, 1).toString('base64'),
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

  it('refuses the dev sign-in outside the embedded mode', () => {
    expect(() => loadConfig({ ...valid, AUTH_DEV_SIGN_IN: 'true' })).toThrow(/AUTH_DEV_SIGN_IN/);
    expect(loadConfig({ ...valid, AUTH_DEV_SIGN_IN: 'true', DSR_MODE: 'embedded' }).auth.devSignIn).toBe(true);
  });
});
