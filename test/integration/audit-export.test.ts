/**
 * Offline verification (issue 11, point 5): the auditor's export of a request's history, as JSON
 * or as the PDF that embeds it, is checked by `npm run verify-export` run as its own process, with
 * the operator's public key and no database. A good export is valid (exit 0); a changed one, one
 * re-signed with another key, or one made while the log was broken is invalid (exit 1) with the reason.
 */
import { execFile } from 'node:child_process';
import { createPrivateKey, createPublicKey, generateKeyPairSync, sign } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { canonicalJson } from '../../db/repositories/canonical-json';
import { publicKeyBase64, publicKeyId } from '../../db/repositories/audit-keys';
import { signedInStaff } from '../helpers/staff';
import { KEYS, scenario, stopScenarios, tamper, type Scenario } from '../helpers/audit-scenario';

jest.setTimeout(60_000);
afterEach(stopScenarios);

const ROOT = path.join(__dirname, '../..');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'dsr-export-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

const PUBLIC_KEY = publicKeyBase64(createPublicKey(createPrivateKey({ key: Buffer.from(KEYS.AUDIT_SIGNING_KEY, 'base64'), format: 'der', type: 'pkcs8' })));

/** Runs the script as an operator would (npm run verify-export), without any database setting. */
function verifyExport(args: string[]): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' };
    execFile(path.join(ROOT, 'node_modules/.bin/tsx'), ['scripts/verify-export.ts', ...args], { cwd: ROOT, env, timeout: 30_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, out: `${stdout}${stderr}` });
    });
  });
}

async function download(s: Scenario, format: 'json' | 'pdf'): Promise<Buffer> {
  const auditor = await signedInStaff(s.api.app, 'aarne.auditor', 'auditor');
  const res = await auditor
    .get(`/staff/audit/requests/${s.requestId}/history.${format}?lang=en`)
    .expect(200)
    .buffer(true)
    .parse((r, done) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => done(null, Buffer.concat(chunks)));
    });
  return res.body as Buffer;
}

function save(name: string, bytes: Buffer | string): string {
  const file = path.join(work, name);
  fs.writeFileSync(file, bytes);
  return file;
}

test('a good JSON export is valid; changed, re-signed with another key, or checked without the key, it is not', async () => {
  const s = await scenario();
  const bytes = await download(s, 'json');
  const exported = JSON.parse(bytes.toString('utf8')) as Record<string, unknown> & { events: { business_key: string; actor: string }[]; links: unknown[]; checkpoint: { seq: number } };
  expect(exported).toMatchObject({ format: 'dsr-audit-export/1', exportedBy: 'aarne.auditor', integrity: { state: 'intact' } });
  expect(exported.links.length).toBeGreaterThan(60);
  expect(exported.checkpoint.seq).toBeGreaterThanOrEqual(70);
  expect(bytes.toString('utf8')).not.toContain('Aino');

  const good = await verifyExport([save('good.json', bytes), '--public-key', PUBLIC_KEY]);
  expect(good).toEqual({ code: 0, out: expect.stringMatching(/^valid: request DSR-\d{4}-\w+, \d+ links, signed checkpoint at link \d+\n$/) });
  // The key may come from an exported checkpoint file the operator kept.
  const checkpointFile = path.join(s.dir, fs.readdirSync(s.dir)[0]);
  expect((await verifyExport([save('good2.json', bytes), '--public-key', checkpointFile])).code).toBe(0);

  // Someone changes who verified the identity, in the file.
  const changed = structuredClone(exported);
  changed.events.find((e) => e.business_key === 'identity')!.actor = 'joku.muu';
  const tampered = await verifyExport([save('changed.json', JSON.stringify(changed, null, 2)), '--public-key', PUBLIC_KEY]);
  expect(tampered).toEqual({ code: 1, out: 'invalid: the signature does not match the content: the file was changed after export\n' });

  // ... and signs it again with a key of their own, put into the file.
  const mine = generateKeyPairSync('ed25519');
  const { signature: _old, ...body } = { ...changed, publicKey: publicKeyBase64(mine.publicKey) } as Record<string, unknown>;
  const resigned = { ...body, signature: { keyId: publicKeyId(mine.publicKey), signature: sign(null, Buffer.from(canonicalJson(body)), mine.privateKey).toString('base64') } };
  const forged = await verifyExport([save('resigned.json', JSON.stringify(resigned)), '--public-key', PUBLIC_KEY]);
  expect(forged.code).toBe(1);
  expect(forged.out).toMatch(/^invalid: the export is not signed with the given public key/);

  expect((await verifyExport([save('nokey.json', bytes)])).code).toBe(2);
});

test("an export signed with the operator's key but missing links of the request's chain is invalid, whether a middle link or the tail the checkpoint names", async () => {
  const s = await scenario();
  const exported = JSON.parse((await download(s, 'json')).toString('utf8')) as Record<string, unknown> & { links: { chainSeq: number }[]; checkpoint: { heads: { c: string; n: number }[] } };
  expect(exported.checkpoint.heads.find((h) => h.c === s.requestId)).toBeDefined();
  const operatorKey = createPrivateKey({ key: Buffer.from(KEYS.AUDIT_SIGNING_KEY, 'base64'), format: 'der', type: 'pkcs8' });
  /** As the engine would sign it: with the operator's own key, so only the chain checks can catch it. */
  const signed = (links: unknown[]) => {
    const { signature: _s, ...body } = { ...exported, links } as Record<string, unknown>;
    return JSON.stringify({ ...body, signature: { keyId: publicKeyId(createPublicKey(operatorKey)), signature: sign(null, Buffer.from(canonicalJson(body)), operatorKey).toString('base64') } });
  };
  expect((await verifyExport([save('whole.json', signed(exported.links)), '--public-key', PUBLIC_KEY])).code).toBe(0);
  const middle = await verifyExport([save('gap.json', signed(exported.links.filter((l) => l.chainSeq !== 10))), '--public-key', PUBLIC_KEY]);
  expect(middle).toEqual({ code: 1, out: "invalid: the request's chain is not whole: place 10 is missing\n" });
  const head = exported.checkpoint.heads.find((h) => h.c === s.requestId)!.n;
  const tail = await verifyExport([save('tail.json', signed(exported.links.filter((l) => l.chainSeq < head))), '--public-key', PUBLIC_KEY]);
  expect(tail).toEqual({ code: 1, out: `invalid: the request's chain does not reach the head the signed checkpoint records (place ${head})\n` });
});

test('the PDF export embeds the signed export: valid as downloaded; a PDF without one is invalid', async () => {
  const s = await scenario();
  const pdf = await download(s, 'pdf');
  expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  expect(await verifyExport([save('history.pdf', pdf), '--public-key', PUBLIC_KEY])).toMatchObject({ code: 0, out: expect.stringMatching(/^valid: /) });
  const { code, out } = await verifyExport([save('other.pdf', Buffer.from('%PDF-1.7\n%%EOF\n')), '--public-key', PUBLIC_KEY]);
  expect([code, out]).toEqual([1, 'invalid: the PDF carries no signed export\n']);
});

test('an export made while the log was found broken says so, and is invalid', async () => {
  const s = await scenario();
  await tamper(s, (trx) => sql`UPDATE dsr.events SET reason = 'toinen syy' WHERE business_key = 'identity'`.execute(trx).then(() => undefined));
  const bytes = await download(s, 'json');
  const result = await verifyExport([save('broken.json', bytes), '--public-key', PUBLIC_KEY]);
  expect(result.code).toBe(1);
  expect(result.out).toMatch(/^invalid: the engine found the audit log broken when exporting \(link \d+: content_changed\)/);
});
