/**
 * The tampering suite (issue 11, point 6). The tamperer is an insider with the database's superuser
 * (the owner's powers and more: triggers off through session_replication_role) but without the
 * keys, which live outside the database. Each case starts from a fresh engine whose chain was
 * verified once (a signed checkpoint at its head, stored and exported), changes the database, and
 * asks the default check, GET /api/v1/audit/chain, which must say the chain is broken and why.
 */
import { randomBytes } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/database';
import { randomUUID } from 'node:crypto';
import { appendAudit, linkHash, toEntry, type AuditEntry } from '../../db/repositories/audit';
import { auditKeys } from '../../db/repositories/audit-keys';
import { defaultCheck, LINKS_BEFORE_CHECKPOINT, scenario, stopScenarios, tamper, type Scenario } from '../helpers/audit-scenario';

// Each case builds a fresh engine and database: seconds, on a busy machine.
jest.setTimeout(30_000);
afterEach(stopScenarios);

async function links(trx: Kysely<Database>): Promise<AuditEntry[]> {
  return (await trx.selectFrom('dsr.audit_log').selectAll().orderBy('seq').execute()).map(toEntry);
}

/** Writes `e` over the link that has number `seq` now. */
async function write(trx: Kysely<Database>, seq: number, e: AuditEntry): Promise<void> {
  await trx
    .updateTable('dsr.audit_log')
    .set({ seq: String(e.seq), at: e.at, actor: e.actor, action: e.action, request_id: e.requestId, details: JSON.stringify(e.details), prev_hash: e.prevHash, hash: e.hash, key_id: e.keyId, ref_kind: e.ref?.kind ?? null, ref_key: e.ref?.key ?? null, content_sha256: e.contentSha256, chain: e.chain, chain_seq: e.chainSeq === null ? null : String(e.chainSeq) })
    .where('seq', '=', String(seq))
    .execute();
}

/** Inserts `e` as a new link. */
async function insert(trx: Kysely<Database>, e: AuditEntry): Promise<void> {
  await trx
    .insertInto('dsr.audit_log')
    .values({ seq: String(e.seq), at: e.at, actor: e.actor, action: e.action, request_id: e.requestId, details: JSON.stringify(e.details), prev_hash: e.prevHash, hash: e.hash, key_id: e.keyId, ref_kind: e.ref?.kind ?? null, ref_key: e.ref?.key ?? null, content_sha256: e.contentSha256, chain: e.chain, chain_seq: e.chainSeq === null ? null : String(e.chainSeq) })
    .execute();
}

/**
 * Recomputes every hash from position `from` on, as a tamperer without the key can: the keyless
 * (legacy) form, which is the only one they can compute, with the back-links made to fit within
 * each link's chain.
 */
async function rehashFrom(trx: Kysely<Database>, from: number): Promise<void> {
  const prevOf = new Map<string, string>();
  const all = (await links(trx)).sort((a, b) => (a.chain ?? '').localeCompare(b.chain ?? '') || (a.chainSeq ?? a.seq) - (b.chainSeq ?? b.seq));
  for (const e of all) {
    const chain = e.chain ?? '';
    if (e.seq >= from) {
      const prev = prevOf.get(chain) ?? '0'.repeat(64);
      const forged = { ...e, keyId: null, prevHash: prev };
      forged.hash = linkHash(auditKeys(), prev, forged)!;
      await write(trx, e.seq, forged);
      prevOf.set(chain, forged.hash);
    } else prevOf.set(chain, e.hash);
  }
}

/** Renumbers every link after `link` by `delta`: seq over the whole log, chain_seq within its chain (through a detour: both are unique). */
async function renumber(trx: Kysely<Database>, link: AuditEntry, delta: number): Promise<void> {
  await sql`UPDATE dsr.audit_log SET seq = -(seq + ${delta}) WHERE seq > ${link.seq}`.execute(trx);
  await sql`UPDATE dsr.audit_log SET seq = -seq WHERE seq < 0`.execute(trx);
  await sql`UPDATE dsr.audit_log SET chain_seq = chain_seq + 1000000 + ${delta} WHERE chain = ${link.chain} AND chain_seq > ${link.chainSeq}`.execute(trx);
  await sql`UPDATE dsr.audit_log SET chain_seq = chain_seq - 1000000 WHERE chain = ${link.chain} AND chain_seq > 1000000`.execute(trx);
}

/** The link at `seq` now. */
async function linkAt(trx: Kysely<Database>, seq: number): Promise<AuditEntry> {
  return toEntry(await trx.selectFrom('dsr.audit_log').selectAll().where('seq', '=', String(seq)).executeTakeFirstOrThrow());
}

/** Links added after the scenario's checkpoint, for `requestId` (null: the system chain), and checked: a newer checkpoint. */
async function grow(s: Scenario, requestId: string | null, n: number): Promise<void> {
  for (let i = 0; i < n; i++) await s.tdb.db.transaction().execute((trx) => appendAudit(trx, { actor: 'kasittelija.4', action: 'staff_viewed_request', requestId, details: { i } }));
  expect(await defaultCheck(s)).toMatchObject({ valid: true, state: 'intact' });
}

const MIDDLE = 30;

const cases: [string, (s: Scenario) => Promise<void>, RegExp][] = [
  [
    'change a middle link',
    (s) => tamper(s, (trx) => sql`UPDATE dsr.audit_log SET actor = 'joku.muu' WHERE seq = ${MIDDLE}`.execute(trx).then(() => undefined)),
    /^link_forged$/,
  ],
  [
    'change a middle link and recompute every later hash',
    (s) =>
      tamper(s, async (trx) => {
        await sql`UPDATE dsr.audit_log SET actor = 'joku.muu' WHERE seq = ${MIDDLE}`.execute(trx);
        await rehashFrom(trx, MIDDLE);
      }),
    /^unkeyed_link$/,
  ],
  ['delete a middle link', (s) => tamper(s, (trx) => trx.deleteFrom('dsr.audit_log').where('seq', '=', String(MIDDLE)).execute().then(() => undefined)), /^sequence_gap$/],
  [
    'delete a middle link and renumber the rest, back-links made to fit',
    (s) =>
      tamper(s, async (trx) => {
        const prev = await linkAt(trx, MIDDLE - 1);
        const gone = await linkAt(trx, MIDDLE);
        await trx.deleteFrom('dsr.audit_log').where('seq', '=', String(MIDDLE)).execute();
        await renumber(trx, gone, -1);
        await sql`UPDATE dsr.audit_log SET prev_hash = ${prev.hash} WHERE seq = ${MIDDLE}`.execute(trx);
      }),
    /^link_forged$/,
  ],
  [
    'delete a middle link, renumber and recompute every later hash',
    (s) =>
      tamper(s, async (trx) => {
        const gone = await linkAt(trx, MIDDLE);
        await trx.deleteFrom('dsr.audit_log').where('seq', '=', String(MIDDLE)).execute();
        await renumber(trx, gone, -1);
        await rehashFrom(trx, MIDDLE);
      }),
    /^unkeyed_link$/,
  ],
  ['delete the last link', (s) => tamper(s, (trx) => trx.deleteFrom('dsr.audit_log').where('seq', '=', String(LINKS_BEFORE_CHECKPOINT)).execute().then(() => undefined)), /^chain_shorter_than_checkpoint$/],
  ['delete the last 50 links', (s) => tamper(s, (trx) => trx.deleteFrom('dsr.audit_log').where('seq', '>', String(LINKS_BEFORE_CHECKPOINT - 50)).execute().then(() => undefined)), /^chain_shorter_than_checkpoint$/],
  [
    'delete the last 50 links and every checkpoint row in the database (the exported file remains)',
    (s) =>
      tamper(s, async (trx) => {
        await trx.deleteFrom('dsr.audit_log').where('seq', '>', String(LINKS_BEFORE_CHECKPOINT - 50)).execute();
        await trx.deleteFrom('dsr.audit_checkpoints').execute();
      }),
    /^chain_shorter_than_checkpoint$/,
  ],
  [
    'reorder two links',
    (s) =>
      tamper(s, async (trx) => {
        const all = await links(trx);
        const [a, b] = [all[MIDDLE - 1], all[MIDDLE + 4]];
        // Each takes the other's place: its number in the log and in its chain.
        await write(trx, a.seq, { ...b, seq: -1, chainSeq: a.chainSeq, hash: `${b.hash}-moving` });
        await write(trx, b.seq, { ...a, seq: b.seq, chainSeq: b.chainSeq });
        await write(trx, -1, { ...b, seq: a.seq, chainSeq: a.chainSeq });
      }),
    /^(back_link_mismatch|link_forged)$/,
  ],
  [
    'append a forged link with a made-up keyed hash',
    (s) =>
      tamper(s, async (trx) => {
        const head = (await links(trx)).at(-1)!;
        await insert(trx, { ...head, seq: head.seq + 1, chainSeq: head.chainSeq! + 1, actor: 'joku.muu', prevHash: head.hash, hash: randomBytes(32).toString('hex'), ref: null, contentSha256: null });
      }),
    /^link_forged$/,
  ],
  [
    'append a forged link hashed the keyless way',
    (s) =>
      tamper(s, async (trx) => {
        const head = (await links(trx)).at(-1)!;
        await insert(trx, { ...head, seq: head.seq + 1, chainSeq: head.chainSeq! + 1, actor: 'joku.muu', action: 'x', details: {}, prevHash: head.hash, hash: 'placeholder', keyId: null, ref: null, contentSha256: null });
        await rehashFrom(trx, head.seq + 1);
      }),
    /^unkeyed_link$/,
  ],
  [
    'insert a forged link in the middle, without rehashing',
    (s) =>
      tamper(s, async (trx) => {
        const prev = await linkAt(trx, MIDDLE - 1);
        await renumber(trx, prev, 1);
        await insert(trx, { ...prev, seq: MIDDLE, chainSeq: prev.chainSeq! + 1, actor: 'joku.muu', action: 'staff_viewed_request', details: {}, prevHash: prev.hash, hash: randomBytes(32).toString('hex'), ref: null, contentSha256: null });
      }),
    /^link_forged$/,
  ],
  [
    'insert a forged link in the middle, rehashing everything after it',
    (s) =>
      tamper(s, async (trx) => {
        const prev = await linkAt(trx, MIDDLE - 1);
        await renumber(trx, prev, 1);
        await insert(trx, { ...prev, seq: MIDDLE, chainSeq: prev.chainSeq! + 1, actor: 'joku.muu', action: 'staff_viewed_request', details: {}, prevHash: prev.hash, hash: 'placeholder', keyId: null, ref: null, contentSha256: null });
        await rehashFrom(trx, MIDDLE);
      }),
    /^unkeyed_link$/,
  ],
  ['truncate the links', (s) => tamper(s, (trx) => sql`TRUNCATE dsr.audit_log`.execute(trx).then(() => undefined)), /^chain_shorter_than_checkpoint$/],
  [
    'truncate the links and the checkpoints',
    (s) =>
      tamper(s, async (trx) => {
        await sql`TRUNCATE dsr.audit_log, dsr.audit_checkpoints`.execute(trx);
      }),
    /^chain_shorter_than_checkpoint$/,
  ],
  [
    'alter the stored checkpoint to a shorter chain',
    (s) => tamper(s, (trx) => sql`UPDATE dsr.audit_checkpoints SET seq = seq - 10`.execute(trx).then(() => undefined)),
    /^checkpoint_forged$/,
  ],
  [
    'forge a checkpoint row (made-up signature)',
    (s) =>
      tamper(s, async (trx) => {
        const c = await trx.selectFrom('dsr.audit_checkpoints').selectAll().executeTakeFirstOrThrow();
        await trx.insertInto('dsr.audit_checkpoints').values({ seq: String(Number(c.seq) - 5), hash: c.hash, from_genesis: true, key_id: c.key_id, signature: randomBytes(64).toString('base64') }).execute();
      }),
    /^checkpoint_forged$/,
  ],
  [
    'forge an unsigned checkpoint row',
    (s) => tamper(s, (trx) => sql`INSERT INTO dsr.audit_checkpoints (seq, hash, from_genesis, key_id, signature) VALUES (1, 'x', true, '', '')`.execute(trx).then(() => undefined)),
    /^checkpoint_forged$/,
  ],
  [
    "edit an event row (its actor and reason)",
    (s) => tamper(s, (trx) => sql`UPDATE dsr.events SET actor = 'joku.muu', reason = 'toinen syy' WHERE business_key = 'identity'`.execute(trx).then(() => undefined)),
    /^content_changed$/,
  ],
  [
    'edit a decision row',
    (s) => tamper(s, (trx) => sql`UPDATE dsr.decisions SET outcome = 'refused', reason = 'keksitty' WHERE key = 'contact_details'`.execute(trx).then(() => undefined)),
    /^content_changed$/,
  ],
  [
    'replace a document and its sha256',
    (s) =>
      tamper(s, async (trx) => {
        const forged = Buffer.from('%PDF-1.7\n% another answer\n');
        await sql`UPDATE dsr.documents SET content = ${forged}, sha256 = encode(sha256(${forged}), 'hex'), byte_size = ${forged.length} WHERE id = ${s.documentId}`.execute(trx);
      }),
    /^content_changed$/,
  ],
  [
    "clear a document's content without the purge mark",
    (s) => tamper(s, (trx) => sql`UPDATE dsr.documents SET content = ''::bytea WHERE id = ${s.documentId}`.execute(trx).then(() => undefined)),
    /^content_changed$/,
  ],
  [
    "clear a document's content and mark it purged, with no purge link naming it",
    (s) => tamper(s, (trx) => sql`UPDATE dsr.documents SET content = ''::bytea, purged_at = now() WHERE id = ${s.documentId}`.execute(trx).then(() => undefined)),
    /^content_changed$/,
  ],
  [
    'insert a forged event row that no link records',
    (s) =>
      tamper(s, (trx) =>
        sql`INSERT INTO dsr.events (request_id, business_key, type, state, actor, at, reason, data) VALUES (${s.requestId}, 'forged', 'identity_verified', NULL, 'kasittelija.1', now(), 'Passi tarkistettu', '{}')`.execute(trx).then(() => undefined),
      ),
    /^unlinked_row$/,
  ],
  [
    'insert a forged document that no link records',
    (s) =>
      tamper(s, async (trx) => {
        const forged = Buffer.from('%PDF-1.7\n% a forged letter\n');
        await sql`INSERT INTO dsr.documents (id, request_id, business_key, kind, language, filename, media_type, content, sha256, byte_size) VALUES (gen_random_uuid(), ${s.requestId}, 'forged', 'access_answer', 'fi', 'x.pdf', 'application/pdf', ${forged}, encode(sha256(${forged}), 'hex'), ${forged.length})`.execute(trx);
      }),
    /^unlinked_row$/,
  ],
  ['delete an event row', (s) => tamper(s, (trx) => sql`DELETE FROM dsr.events WHERE business_key = 'identity'`.execute(trx).then(() => undefined)), /^content_missing$/],
  // The shape since migration 0015: one chain per request, checkpoints chained and naming heads.
  ["delete a whole request's chain", (s) => tamper(s, (trx) => trx.deleteFrom('dsr.audit_log').where('chain', '=', s.requestId).execute().then(() => undefined)), /^chain_shorter_than_checkpoint$/],
  [
    "delete a chain's last link, older than the newest checkpoint (other chains grew and were checkpointed since)",
    async (s) => {
      await grow(s, null, 3);
      await grow(s, randomUUID(), 2);
      await tamper(s, async (trx) => {
        const head = await trx.selectFrom('dsr.audit_log').select('seq').where('chain', '=', s.requestId).orderBy('chain_seq', 'desc').limit(1).executeTakeFirstOrThrow();
        await trx.deleteFrom('dsr.audit_log').where('seq', '=', head.seq).execute();
      });
    },
    /^chain_shorter_than_checkpoint$/,
  ],
  [
    "rewrite a link's chain (moved to the system chain, at its end)",
    (s) =>
      tamper(s, async (trx) => {
        const moved = await linkAt(trx, MIDDLE);
        const system = await trx.selectFrom('dsr.audit_log').select((eb) => eb.fn.max('chain_seq').as('n')).where('chain', '=', 'system').executeTakeFirst();
        await write(trx, moved.seq, { ...moved, chain: 'system', chainSeq: Number(system?.n ?? 0) + 1, requestId: null });
      }),
    /^(sequence_gap|link_forged)$/,
  ],
  [
    "rewrite a link's chain_seq (two neighbours swap places, back-links made to fit)",
    (s) =>
      tamper(s, async (trx) => {
        const [a, b] = [await linkAt(trx, MIDDLE), await linkAt(trx, MIDDLE + 1)];
        await write(trx, a.seq, { ...a, chainSeq: 1_000_000 });
        await write(trx, b.seq, { ...b, chainSeq: a.chainSeq, prevHash: a.prevHash });
        await write(trx, a.seq, { ...a, chainSeq: b.chainSeq, prevHash: b.hash });
      }),
    /^(link_forged|back_link_mismatch)$/,
  ],
  [
    "copy a link into another request's chain, at its end",
    async (s) => {
      const other = randomUUID();
      await grow(s, other, 3);
      await tamper(s, async (trx) => {
        // The insider drops what stands in the way: a hash appears once in the log.
        await sql`ALTER TABLE dsr.audit_log DROP CONSTRAINT audit_log_hash_key`.execute(trx);
        const copied = await linkAt(trx, MIDDLE);
        const head = toEntry(await trx.selectFrom('dsr.audit_log').selectAll().where('chain', '=', other).orderBy('chain_seq', 'desc').limit(1).executeTakeFirstOrThrow());
        await insert(trx, { ...copied, seq: head.seq + 1000, chain: other, chainSeq: head.chainSeq! + 1, requestId: other, prevHash: head.hash });
      });
    },
    /^link_forged$/,
  ],
  [
    'delete an older checkpoint row (the exported files still name it)',
    async (s) => {
      await grow(s, null, 2);
      await tamper(s, (trx) => trx.deleteFrom('dsr.audit_checkpoints').where('number', '=', '1').execute().then(() => undefined));
    },
    /^checkpoint_missing$/,
  ],
  [
    'delete the newest checkpoint row (its exported file remains)',
    async (s) => {
      await grow(s, null, 2);
      await tamper(s, (trx) => trx.deleteFrom('dsr.audit_checkpoints').where('number', '=', '2').execute().then(() => undefined));
    },
    /^checkpoint_missing$/,
  ],
  [
    "edit a checkpoint row's heads (a chain made shorter)",
    (s) => tamper(s, (trx) => sql`UPDATE dsr.audit_checkpoints SET heads = jsonb_build_array(heads->0 || '{"n": 3}'::jsonb) WHERE number = 1`.execute(trx).then(() => undefined)),
    /^checkpoint_forged$/,
  ],
];

test('untouched, the default check finds the chain intact (so each case below can fail)', async () => {
  const s = await scenario();
  expect(await defaultCheck(s)).toMatchObject({ valid: true, state: 'intact' });
});

test.each(cases)('%s: the default check finds it', async (_what, act, problem) => {
  const s = await scenario();
  await act(s);
  const found = await defaultCheck(s);
  expect(found.valid).toBe(false);
  expect(found.state).toBe('broken');
  expect(found.problem).toMatch(problem);
});

test("disabling the trigger as the engine's role is refused, and the chain stays intact", async () => {
  const s = await scenario();
  await expect(sql`ALTER TABLE dsr.audit_log DISABLE TRIGGER audit_log_no_update`.execute(s.tdb.db)).rejects.toThrow(/must be owner/);
  await expect(sql`SET session_replication_role = replica`.execute(s.tdb.db)).rejects.toThrow(/permission denied/);
  expect(await defaultCheck(s)).toMatchObject({ valid: true, state: 'intact' });
});
