/**
 * The embedded mode's secrets: made once, kept in the data folder (mode 0600), reused on restart.
 * They include the audit log's keys (the HMAC key of the links, the Ed25519 key of the
 * checkpoints), which must live outside the database; a file from before they existed gets them added.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface EmbeddedSecrets {
  tokenSecret: string;
  payloadCodecKey: string;
  auditHmacKeyId: string;
  auditHmacKey: string;
  /** Ed25519, PKCS#8 DER, base64. */
  auditSigningKey: string;
}

export function loadOrCreateSecrets(dataDir: string): EmbeddedSecrets {
  const file = path.join(dataDir, 'secrets.json');
  const stored: Partial<EmbeddedSecrets> = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Partial<EmbeddedSecrets>) : {};
  const secrets: EmbeddedSecrets = {
    tokenSecret: stored.tokenSecret ?? randomBytes(32).toString('base64url'),
    payloadCodecKey: stored.payloadCodecKey ?? randomBytes(32).toString('base64'),
    auditHmacKeyId: stored.auditHmacKeyId ?? 'embedded-1',
    auditHmacKey: stored.auditHmacKey ?? randomBytes(32).toString('base64'),
    auditSigningKey: stored.auditSigningKey ?? generateKeyPairSync('ed25519').privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64'),
  };
  if (Object.keys(stored).length !== Object.keys(secrets).length) writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}
