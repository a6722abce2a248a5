/** The embedded mode's secrets: made once, kept in the data folder (mode 0600), reused on restart. */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface EmbeddedSecrets {
  tokenSecret: string;
  payloadCodecKey: string;
}

export function loadOrCreateSecrets(dataDir: string): EmbeddedSecrets {
  const file = path.join(dataDir, 'secrets.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as EmbeddedSecrets;
  const secrets = { tokenSecret: randomBytes(32).toString('base64url'), payloadCodecKey: randomBytes(32).toString('base64') };
  writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}
