/**
 * Configuration: one typed, frozen object, validated at start-up. A missing or malformed variable
 * stops the start with a message naming the variable. Tests build their own with `buildConfig`.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { z } from 'zod';
import { aes256Key, parseKeyRing, singleKeyRing, tokenSecret, type KeyCheck, type KeyRing } from './key-ring';

const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
const intFrom = (min: number) => z.coerce.number().int().min(min);

/** A key ring variable, `id:key,id:key` with the current key first (see key-ring.ts). */
function ring(check: KeyCheck) {
  return z.string().transform((text, ctx) => {
    try {
      return parseKeyRing(text, check);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: `must be id:key,id:key with the current key first; ${(error as Error).message}` });
      return z.NEVER;
    }
  });
}

/** Each ring comes from its ring variable or, as a one-key ring, from the older single-key variable: exactly one of them. */
const RING_VARIABLES = [
  ['PAYLOAD_CODEC_KEYS', 'PAYLOAD_CODEC_KEY'],
  ['AUTH_TOKEN_SECRETS', 'AUTH_TOKEN_SECRET'],
] as const;

function ringVariableProblems(env: Record<string, string | undefined>): string[] {
  return RING_VARIABLES.flatMap(([many, one]) => {
    if (env[many] === undefined && env[one] === undefined) return [`  ${many}: is not set (nor the single-key ${one})`];
    if (env[many] !== undefined && env[one] !== undefined) return [`  ${one}: set either ${many} or ${one}, not both (put the key into the ring)`];
    return [];
  });
}

const envSchema = z.object({
  DSR_MODE: z.enum(['embedded', 'production']).default('production'),
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL'),
  TEMPORAL_ADDRESS: z.string().regex(/^[^\s:]+:\d+$/, 'must be host:port'),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('dsr'),
  HTTP_HOST: z.string().min(1).default('127.0.0.1'),
  HTTP_PORT: intFrom(0).max(65535).default(8080),
  PUBLIC_BASE_URL: z.url().optional(),
  SMTP_URL: z.string().regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL'),
  MAIL_FROM: z.string().min(3).default('tietosuoja@localhost'),
  MAIL_MESSAGE_ID_DOMAIN: z.string().min(1).default('dsr.localhost'),
  STAFF_NOTIFY_EMAIL: z.string().email('must be an e-mail address'),
  AUTH_TOKEN_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  AUTH_TOKEN_SECRETS: ring(tokenSecret).optional(),
  AUTH_DEV_SIGN_IN: bool.default(false),
  AUTH_SESSION_MINUTES: intFrom(1).default(60),
  PAYLOAD_CODEC_KEY: z
    .string()
    .refine((v) => aes256Key(v) === null, 'must be 32 bytes, base64-encoded (several keys go in PAYLOAD_CODEC_KEYS=id:key,id:key)')
    .optional(),
  PAYLOAD_CODEC_KEYS: ring(aes256Key).optional(),
  REGISTER_DESCRIPTION: z.string().min(1).default('config/register-description.kuopio.yaml'),
  DEADLINE_EXTENDED_MONTHS: intFrom(1).max(3).default(3),
  DEADLINE_PAUSE_WHILE_AWAITING_IDENTITY: bool.default(false),
  REMINDER_DAYS_BEFORE: z
    .string()
    .regex(/^\d+(,\d+)*$/, 'must be a comma-separated list of whole days, e.g. 7,2')
    .default('7,2'),
  OVERDUE_REPEAT_DAYS: intFrom(1).default(1),
  IDENTITY_REMINDER_DAYS: intFrom(1).default(14),
  IDENTITY_CLOSE_DAYS: intFrom(1).default(14),
  DOWNLOAD_LINK_DAYS: intFrom(1).default(14),
  DOWNLOAD_MAX_FAILED_ATTEMPTS: intFrom(1).default(5),
  RECONCILE_INTERVAL_SECONDS: intFrom(1).default(30),
  WORKER_MAX_CACHED_WORKFLOWS: intFrom(0).default(100),
  RETENTION_DOCUMENT_DAYS: intFrom(0).max(3650).default(30),
  RETENTION_PURGE_EVERY_HOURS: intFrom(1).max(168).default(24),
  TEMPORAL_RETENTION_DAYS: intFrom(1).max(3650).default(30),
  ACTIVITY_MAX_ATTEMPTS: intFrom(1).max(100).default(12),
  ACTIVITY_RETRY_MINUTES: intFrom(1).max(7 * 24 * 60).default(60),
  TRANSMISSION_HOSTS: z
    .string()
    .regex(/^([a-z0-9.-]+(:\d+)?)(,[a-z0-9.-]+(:\d+)?)*$/, 'must be a comma-separated list of host or host:port')
    .optional(),
  RECIPIENT_CA_FILE: z.string().min(1).optional(),
  STAFF_OIDC_ISSUER: z.url().optional(),
  STAFF_OIDC_CLIENT_ID: z.string().min(1).optional(),
  STAFF_OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  STAFF_OIDC_SCOPES: z.string().regex(/^openid( [A-Za-z0-9_:./-]+)*$/, 'must be space-separated scopes starting with openid').default('openid profile'),
  STAFF_OIDC_ROLES_CLAIM: z.string().min(1).default('roles'),
  STAFF_OIDC_ROLE_MAP: z
    .string()
    .regex(/^[^=,]+=(handler|dpo|auditor|admin)(,[^=,]+=(handler|dpo|auditor|admin))*$/, 'must be a comma-separated list of claim-value=role (handler, dpo, auditor, admin)')
    .optional(),
  RESIDENT_OIDC_ISSUER: z.url().optional(),
  RESIDENT_OIDC_CLIENT_ID: z.string().min(1).optional(),
  RESIDENT_OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  RESIDENT_OIDC_SCOPES: z.string().regex(/^openid( [A-Za-z0-9_:./-]+)*$/, 'must be space-separated scopes starting with openid').default('openid profile'),
  RESIDENT_OIDC_HETU_CLAIM: z.string().min(1).default('urn:oid:1.2.246.21'),
  RESIDENT_OIDC_ACR_VALUES: z.string().regex(/^\S+( \S+)*$/, 'must be space-separated authentication context classes').optional(),
  RESIDENT_CODE_MINUTES: intFrom(1).max(60).default(10),
  RESIDENT_CODE_MAX_ATTEMPTS: intFrom(1).max(20).default(5),
  RESIDENT_SESSION_MINUTES: intFrom(1).max(240).default(30),
  RESIDENT_CODES_PER_ADDRESS: intFrom(1).default(3),
  ACCESS_CODE_MAX_FAILED: intFrom(1).default(5),
  ACCESS_CODE_MAX_FAILED_PER_CLIENT: intFrom(1).default(20),
  ACCESS_CODE_LOCK_MINUTES: intFrom(1).default(60),
  SUBMISSIONS_PER_ADDRESS: intFrom(1).default(10),
  SUBMISSION_WINDOW_HOURS: intFrom(1).default(24),
  // The audit log's keys live here, outside the database (README: "The audit log's keys").
  AUDIT_HMAC_KEY: z.string().refine((v) => Buffer.from(v, 'base64').length >= 32, 'must be at least 32 bytes, base64-encoded').optional(),
  AUDIT_HMAC_KEY_ID: z.string().regex(/^[A-Za-z0-9._-]{1,40}$/, 'must be 1-40 letters, digits, dots, dashes or underscores').default('k1'),
  AUDIT_HMAC_OLD_KEYS: z
    .string()
    .regex(/^[A-Za-z0-9._-]+:[A-Za-z0-9+/=]+(,[A-Za-z0-9._-]+:[A-Za-z0-9+/=]+)*$/, 'must be a comma-separated list of id:base64-key')
    .optional(),
  AUDIT_SIGNING_KEY: z.string().min(40, 'must be an Ed25519 private key, PKCS#8 DER, base64-encoded').optional(),
  AUDIT_OLD_PUBLIC_KEYS: z.string().regex(/^[A-Za-z0-9+/=]+(,[A-Za-z0-9+/=]+)*$/, 'must be a comma-separated list of base64 SPKI keys').optional(),
  AUDIT_CHECKPOINT_DIR: z.string().min(1).optional(),
  AUDIT_CHECKPOINT_MINUTES: intFrom(1).default(60),
  AUDIT_LEGACY_UNTIL_SEQ: intFrom(0).default(0),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export interface Config {
  mode: 'embedded' | 'production';
  databaseUrl: string;
  temporal: { address: string; namespace: string; taskQueue: string };
  http: { host: string; port: number; publicBaseUrl: string };
  mail: { smtpUrl: string; from: string; messageIdDomain: string; staffNotify: string };
  /** `tokenSecret` is the ring's current secret (signs); `tokenRing` holds every secret still accepted. */
  auth: { tokenSecret: string; tokenRing: KeyRing; devSignIn: boolean; sessionMinutes: number };
  /** AES-256-GCM keys (base64) for Temporal payloads: the current one encrypts, any decrypts by key id. */
  payloadCodecKeys: KeyRing;
  registerDescriptionPath: string;
  deadlines: { extendedMonths: number; pauseWhileAwaitingIdentity: boolean };
  reminders: { daysBefore: number[]; overdueRepeatDays: number };
  /** GDPR 12(6): reminder after this many days without the identity information, closure this many days later. */
  identity: { reminderDays: number; closeDays: number };
  downloads: { linkDays: number; maxFailedAttempts: number };
  reconcileIntervalSeconds: number;
  /** Workflows a worker keeps in memory between tasks; others are replayed from history when they wake. */
  workerMaxCachedWorkflows: number;
  /**
   * GDPR 5(1)(e): answer documents and exports are deleted `documentDays` after their download
   * window ends; the purge runs every `purgeEveryHours`; Temporal keeps closed workflows'
   * histories `temporalDays` (set on the embedded dev server's namespace; the operator's in production).
   */
  retention: { documentDays: number; purgeEveryHours: number; temporalDays: number };
  /** Transient activity failures retry with backoff this many times, within this many minutes; then the step needs attention. */
  activityRetry: { maximumAttempts: number; scheduleToCloseMinutes: number };
  /** GDPR 20(2): the other controllers' hosts that direct transmission may go to; none, none allowed. */
  transmissionHosts: string[];
  /** A CA trusted (besides the system roots) for recipients' and controllers' HTTPS endpoints. */
  recipientCaFile: string | null;
  /** OpenID Connect clients: staff sign-in (roles from a claim) and residents' strong e-ID; null when not configured. */
  oidc: { staff: StaffOidcConfig | null; resident: ResidentOidcConfig | null };
  /** Residents without strong e-ID confirm their e-mail address with a one-time code. */
  resident: { codeMinutes: number; codeMaxAttempts: number; sessionMinutes: number };
  /** Guessing and flooding limits, shared by every API process through PostgreSQL (services/rate-limits.ts). */
  limits: {
    codeFailuresPerReference: number;
    codeFailuresPerClient: number;
    codeLockMinutes: number;
    submissionsPerAddress: number;
    submissionWindowHours: number;
    residentCodesPerAddress: number;
  };
  audit: AuditSettings;
  logLevel: string;
}

/** The audit log's keys as set (db/repositories/audit-keys.ts builds the key ring from them). */
export interface AuditKeySettings {
  /** The id of the key new links are made with, and the key itself (base64, at least 32 bytes). */
  hmacKeyId: string;
  hmacKey: string;
  /** Earlier HMAC keys by id, still needed to verify the links they made. */
  oldHmacKeys: Record<string, string>;
  /** The Ed25519 private key that signs checkpoints (PKCS#8 DER, base64). */
  signingKey: string;
  /** Earlier signing keys' public halves (SPKI DER, base64), to verify older checkpoints. */
  oldPublicKeys: string[];
  /** Links up to this number may be unkeyed (written before keyed links existed); 0: none may. */
  legacyUntilSeq: number;
}

/** The audit log's keys (outside the database), where signed checkpoints are exported, and how often. */
export interface AuditSettings extends AuditKeySettings {
  /** A folder an operator ships elsewhere; null: checkpoints are kept in the database only. */
  checkpointDir: string | null;
  checkpointMinutes: number;
  /** True when the keys were made up for this process (embedded mode without keys set). */
  ephemeral: boolean;
}

export interface OidcClientConfig {
  issuer: string;
  clientId: string;
  clientSecret: string;
  scopes: string[];
}

export interface StaffOidcConfig extends OidcClientConfig {
  /** The ID token / userinfo claim that carries the user's roles or groups. */
  rolesClaim: string;
  /** The claim's values mapped to roles; empty: the values are the role names themselves. */
  roleMap: Record<string, 'handler' | 'dpo' | 'auditor' | 'admin'>;
}

export interface ResidentOidcConfig extends OidcClientConfig {
  /** The claim that carries the henkilötunnus (Suomi.fi: urn:oid:1.2.246.21). */
  hetuClaim: string;
  /**
   * The levels of assurance that count as strong identification (e.g. Suomi.fi's
   * http://ftn.ficora.fi/2017/loa3): asked for as acr_values and required in the ID token's acr.
   * Empty: the provider's own level is accepted.
   */
  acrValues: string[];
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Validates an environment into a frozen Config; throws ConfigError naming every bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Readonly<Config> {
  const parsed = envSchema.safeParse(env);
  const ringProblems = ringVariableProblems(env);
  if (!parsed.success || ringProblems.length > 0) {
    const lines = (parsed.error?.issues ?? []).map((i) => `  ${i.path.join('.')}: ${env[String(i.path[0])] === undefined ? 'is not set' : i.message}`);
    throw new ConfigError(`invalid configuration:\n${[...lines, ...ringProblems].join('\n')}`);
  }
  const e = parsed.data;
  const tokenRing = e.AUTH_TOKEN_SECRETS ?? singleKeyRing(e.AUTH_TOKEN_SECRET!);
  if (e.DSR_MODE === 'production' && e.AUTH_DEV_SIGN_IN) {
    throw new ConfigError('invalid configuration:\n  AUTH_DEV_SIGN_IN: the dev sign-in is allowed only when DSR_MODE=embedded');
  }
  const audit = auditSettings(e);
  return deepFreeze({
    mode: e.DSR_MODE,
    databaseUrl: e.DATABASE_URL,
    temporal: { address: e.TEMPORAL_ADDRESS, namespace: e.TEMPORAL_NAMESPACE, taskQueue: e.TEMPORAL_TASK_QUEUE },
    http: { host: e.HTTP_HOST, port: e.HTTP_PORT, publicBaseUrl: (e.PUBLIC_BASE_URL ?? `http://${e.HTTP_HOST}:${e.HTTP_PORT}`).replace(/\/$/, '') },
    mail: { smtpUrl: e.SMTP_URL, from: e.MAIL_FROM, messageIdDomain: e.MAIL_MESSAGE_ID_DOMAIN, staffNotify: e.STAFF_NOTIFY_EMAIL },
    auth: { tokenSecret: tokenRing.current.secret, tokenRing, devSignIn: e.AUTH_DEV_SIGN_IN, sessionMinutes: e.AUTH_SESSION_MINUTES },
    payloadCodecKeys: e.PAYLOAD_CODEC_KEYS ?? singleKeyRing(e.PAYLOAD_CODEC_KEY!),
    registerDescriptionPath: e.REGISTER_DESCRIPTION,
    deadlines: { extendedMonths: e.DEADLINE_EXTENDED_MONTHS, pauseWhileAwaitingIdentity: e.DEADLINE_PAUSE_WHILE_AWAITING_IDENTITY },
    reminders: { daysBefore: e.REMINDER_DAYS_BEFORE.split(',').map(Number).sort((a, b) => b - a), overdueRepeatDays: e.OVERDUE_REPEAT_DAYS },
    identity: { reminderDays: e.IDENTITY_REMINDER_DAYS, closeDays: e.IDENTITY_CLOSE_DAYS },
    downloads: { linkDays: e.DOWNLOAD_LINK_DAYS, maxFailedAttempts: e.DOWNLOAD_MAX_FAILED_ATTEMPTS },
    reconcileIntervalSeconds: e.RECONCILE_INTERVAL_SECONDS,
    workerMaxCachedWorkflows: e.WORKER_MAX_CACHED_WORKFLOWS,
    retention: { documentDays: e.RETENTION_DOCUMENT_DAYS, purgeEveryHours: e.RETENTION_PURGE_EVERY_HOURS, temporalDays: e.TEMPORAL_RETENTION_DAYS },
    activityRetry: { maximumAttempts: e.ACTIVITY_MAX_ATTEMPTS, scheduleToCloseMinutes: e.ACTIVITY_RETRY_MINUTES },
    transmissionHosts: e.TRANSMISSION_HOSTS ? e.TRANSMISSION_HOSTS.split(',') : [],
    recipientCaFile: e.RECIPIENT_CA_FILE ?? null,
    oidc: {
      staff: oidcClient(e, 'STAFF', (c) => ({
        ...c,
        rolesClaim: e.STAFF_OIDC_ROLES_CLAIM,
        roleMap: Object.fromEntries((e.STAFF_OIDC_ROLE_MAP ?? '').split(',').filter(Boolean).map((pair) => pair.split('=') as [string, 'handler']).map(([k, v]) => [k.trim(), v])),
      })),
      resident: oidcClient(e, 'RESIDENT', (c) => ({ ...c, hetuClaim: e.RESIDENT_OIDC_HETU_CLAIM, acrValues: e.RESIDENT_OIDC_ACR_VALUES?.split(' ') ?? [] })),
    },
    resident: { codeMinutes: e.RESIDENT_CODE_MINUTES, codeMaxAttempts: e.RESIDENT_CODE_MAX_ATTEMPTS, sessionMinutes: e.RESIDENT_SESSION_MINUTES },
    limits: {
      codeFailuresPerReference: e.ACCESS_CODE_MAX_FAILED,
      codeFailuresPerClient: e.ACCESS_CODE_MAX_FAILED_PER_CLIENT,
      codeLockMinutes: e.ACCESS_CODE_LOCK_MINUTES,
      submissionsPerAddress: e.SUBMISSIONS_PER_ADDRESS,
      submissionWindowHours: e.SUBMISSION_WINDOW_HOURS,
      residentCodesPerAddress: e.RESIDENT_CODES_PER_ADDRESS,
    },
    audit,
    logLevel: e.LOG_LEVEL,
  });
}

/**
 * Production needs the audit keys and the checkpoint folder set. The embedded mode (and tests) may
 * leave the keys out: this process then makes its own, which verify only what it writes itself.
 */
function auditSettings(e: z.infer<typeof envSchema>): AuditSettings {
  if (e.DSR_MODE === 'production') {
    const missing = (['AUDIT_HMAC_KEY', 'AUDIT_SIGNING_KEY', 'AUDIT_CHECKPOINT_DIR'] as const).filter((n) => !e[n]);
    if (missing.length > 0) throw new ConfigError(`invalid configuration:\n${missing.map((m) => `  ${m}: is not set`).join('\n')}`);
  }
  const ephemeral = !e.AUDIT_HMAC_KEY || !e.AUDIT_SIGNING_KEY;
  const signingKey = e.AUDIT_SIGNING_KEY ?? generateKeyPairSync('ed25519').privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64');
  return {
    hmacKeyId: e.AUDIT_HMAC_KEY ? e.AUDIT_HMAC_KEY_ID : `ephemeral-${randomBytes(6).toString('hex')}`,
    hmacKey: e.AUDIT_HMAC_KEY ?? randomBytes(32).toString('base64'),
    oldHmacKeys: Object.fromEntries((e.AUDIT_HMAC_OLD_KEYS ?? '').split(',').filter(Boolean).map((pair) => [pair.slice(0, pair.indexOf(':')), pair.slice(pair.indexOf(':') + 1)])),
    signingKey,
    oldPublicKeys: (e.AUDIT_OLD_PUBLIC_KEYS ?? '').split(',').filter(Boolean),
    legacyUntilSeq: e.AUDIT_LEGACY_UNTIL_SEQ,
    checkpointDir: e.AUDIT_CHECKPOINT_DIR ?? null,
    checkpointMinutes: e.AUDIT_CHECKPOINT_MINUTES,
    ephemeral,
  };
}

/** An OIDC client's settings: all of issuer, client id and secret, or none of them. */
function oidcClient<T>(e: z.infer<typeof envSchema>, prefix: 'STAFF' | 'RESIDENT', extend: (c: OidcClientConfig) => T): T | null {
  const issuer = e[`${prefix}_OIDC_ISSUER`];
  const clientId = e[`${prefix}_OIDC_CLIENT_ID`];
  const clientSecret = e[`${prefix}_OIDC_CLIENT_SECRET`];
  if (!issuer && !clientId && !clientSecret) return null;
  if (!issuer || !clientId || !clientSecret) {
    const missing = [!issuer && 'ISSUER', !clientId && 'CLIENT_ID', !clientSecret && 'CLIENT_SECRET'].filter(Boolean).map((n) => `${prefix}_OIDC_${n}`);
    throw new ConfigError(`invalid configuration:\n${missing.map((m) => `  ${m}: is not set (the other ${prefix}_OIDC_ settings are)`).join('\n')}`);
  }
  return extend({ issuer, clientId, clientSecret, scopes: e[`${prefix}_OIDC_SCOPES`].split(' ') });
}

function deepFreeze<T>(value: T): Readonly<T> {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
