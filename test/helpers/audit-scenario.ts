/**
 * An engine for the audit integrity tests: a fresh database (engine and owner roles), the API with
 * fixed audit keys and a checkpoint folder, e-mails captured, and a request whose history has
 * events, a decision and a document among 70 links, verified once (a signed checkpoint at the head).
 */
import { randomBytes, generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql, type Kysely } from 'kysely';
import request from 'supertest';
import type { SendMailOptions } from 'nodemailer';
import { loadConfig } from '../../config/settings';
import { createLogger } from '../../config/logger';
import { loadRegisterDescription } from '../../config/register-description';
import { REGISTER_COLUMNS } from '../../db/tables/register';
import type { Database } from '../../db/database';
import { buildApiServer, type ApiServer } from '../../api/server';
import { webRoutes } from '../../web/routes';
import { appendAudit } from '../../db/repositories/audit';
import { recordTransition } from '../../db/repositories/events';
import { recordDecision, storeProposals } from '../../db/repositories/decisions';
import { storeDocument } from '../../db/repositories/documents';
import { createTestDatabase, type TestDatabase } from './db';
import { recordingGateway } from './recording-gateway';

/** The keys of this engine, as an operator would set them (outside the database). */
export const KEYS = {
  AUDIT_HMAC_KEY: randomBytes(32).toString('base64'),
  AUDIT_HMAC_KEY_ID: 'tamper-test-1',
  AUDIT_SIGNING_KEY: generateKeyPairSync('ed25519').privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64'),
};
export const LINKS_BEFORE_CHECKPOINT = 70;

export interface Scenario {
  tdb: TestDatabase;
  api: ApiServer;
  dir: string;
  auth: string;
  mails: SendMailOptions[];
  requestId: string;
  documentId: string;
  stop(): Promise<void>;
}

const open: Scenario[] = [];

/** A fresh engine with a request (events, a decision, a document) and 70+ links, verified once. */
export async function scenario(): Promise<Scenario> {
  const tdb = await createTestDatabase();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dsr-tamper-'));
  const mails: SendMailOptions[] = [];
  const config = loadConfig({
    DSR_MODE: 'embedded',
    AUTH_DEV_SIGN_IN: 'true',
    DATABASE_URL: tdb.url,
    TEMPORAL_ADDRESS: '127.0.0.1:7233',
    SMTP_URL: 'smtp://127.0.0.1:2525',
    STAFF_NOTIFY_EMAIL: 'tietosuojavastaava@example.fi',
    AUTH_TOKEN_SECRET: randomBytes(32).toString('hex'),
    PAYLOAD_CODEC_KEY: randomBytes(32).toString('base64'),
    AUDIT_CHECKPOINT_DIR: dir,
    RECONCILE_INTERVAL_SECONDS: '3600',
    LOG_LEVEL: 'silent',
    ...KEYS,
  });
  const api = buildApiServer({
    config,
    db: tdb.db,
    description: loadRegisterDescription(config.registerDescriptionPath, REGISTER_COLUMNS),
    logger: createLogger('silent'),
    gateway: recordingGateway([]),
    mailer: { sendMail: async (m: SendMailOptions) => void mails.push(m), close: () => undefined },
    extraRouters: (ctx) => [webRoutes(ctx)],
  });
  const submitted = await api.ctx.intake.submit({
    rights: ['access'],
    language: 'fi',
    channel: 'e_form',
    receivedAt: new Date('2025-03-05T10:00:00Z'),
    identityMethod: null,
    subject: { firstName: 'Aino', lastName: 'Testinen', email: 'aino@example.fi' },
    idempotencyKey: null,
    enteredBy: 'subject',
  });
  const requestId = submitted.requests[0].id;
  await recordTransition(tdb.db, { requestId, businessKey: 'identity', type: 'identity_verified', actor: 'kasittelija.1', reason: 'Passi tarkistettu' });
  await storeProposals(tdb.db, requestId, [{ key: 'contact_details', kind: 'category', outcome: 'granted', ground: 'gdpr_15_1_access' }]);
  await tdb.db.transaction().execute((trx) =>
    recordDecision(trx, requestId, { key: 'contact_details', outcome: 'granted', ground: 'gdpr_15_1_access', reason: null, decidedBy: 'tsv.1', at: new Date() }),
  );
  const document = await storeDocument(tdb.db, { requestId, businessKey: 'answer', kind: 'access_answer', language: 'fi', filename: 'vastaus.pdf', mediaType: 'application/pdf', content: Buffer.from('%PDF-1.7\n% the answer\n') });
  const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM dsr.audit_log`.execute(tdb.db);
  for (let i = rows[0].n; i < LINKS_BEFORE_CHECKPOINT; i++) {
    await tdb.db.transaction().execute((trx) => appendAudit(trx, { actor: 'kasittelija.2', action: 'staff_viewed_request', requestId, details: { i } }));
  }
  const token = await request(api.app).post('/api/v1/auth/dev-sign-in').send({ user: 'aarne.auditor', roles: ['auditor'] }).expect(200);
  const auth = `Bearer ${token.body.token as string}`;
  const first = await request(api.app).get('/api/v1/audit/chain').set('Authorization', auth).expect(200);
  expect(first.body).toMatchObject({ valid: true, state: 'intact', entries: LINKS_BEFORE_CHECKPOINT, recorded: { seq: LINKS_BEFORE_CHECKPOINT } });
  const s: Scenario = {
    tdb,
    api,
    dir,
    auth,
    mails,
    requestId,
    documentId: document.id,
    async stop() {
      await api.close();
      await tdb.destroy();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  open.push(s);
  return s;
}

/** Stops every scenario started (an afterEach). */
export async function stopScenarios(): Promise<void> {
  for (const s of open.splice(0)) await s.stop();
}

/** What the default check says now. */
export async function defaultCheck(s: Scenario): Promise<{ valid: boolean; state: string; problem?: string; brokenAt?: number }> {
  const res = await request(s.api.app).get('/api/v1/audit/chain').set('Authorization', s.auth).expect(200);
  return res.body as { valid: boolean; state: string; problem?: string; brokenAt?: number };
}

/** The insider at work: superuser, triggers off for the transaction. */
export async function tamper(s: Scenario, work: (trx: Kysely<Database>) => Promise<void>): Promise<void> {
  await s.tdb.adminDb.transaction().execute(async (trx) => {
    await sql`SET LOCAL session_replication_role = replica`.execute(trx);
    await work(trx);
  });
}

