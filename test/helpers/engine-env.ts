/**
 * The environment a test engine runs with: a fresh token secret and payload key each time, the
 * servers on loopback, the reconciler quiet, logs silent, embedded mode. Tests add or override
 * what they are about.
 */
import { randomBytes } from 'node:crypto';

export function testEngineEnv(databaseUrl: string, overrides: Record<string, string> = {}): Record<string, string> {
  return {
    DATABASE_URL: databaseUrl,
    TEMPORAL_ADDRESS: '127.0.0.1:7233',
    SMTP_URL: 'smtp://127.0.0.1:2525',
    STAFF_NOTIFY_EMAIL: 'tietosuojavastaava@example.fi',
    AUTH_TOKEN_SECRET: randomBytes(32).toString('hex'),
    PAYLOAD_CODEC_KEY: randomBytes(32).toString('base64'),
    RECONCILE_INTERVAL_SECONDS: '3600',
    LOG_LEVEL: 'silent',
    DSR_MODE: 'embedded',
    ...overrides,
  };
}
