/**
 * Drives requests through the JSON API the way residents and a handler would: intake with an
 * idempotency key (retried until acknowledged, on either API process), identity verification,
 * the category decisions where the right has them, and approval of the draft, until the request
 * closes. Every call may meet a killed process: a failed call is retried after a short pause.
 */
import { call } from './http';

export interface Acknowledged {
  index: number;
  key: string;
  id: string;
  right: string;
}

export interface DriverOptions {
  apis: () => string[];
  requests: number;
  concurrency: number;
  seed: number;
  rng: () => number;
  /** When the driver gives up on a request that has not closed (the global bound still applies). */
  deadline: number;
  log: (line: string) => void;
}

/** States in which a request waits for a person by design (the driver acts on them). */
export const WAITING_FOR_PERSON = new Set(['awaiting_identity', 'awaiting_information', 'awaiting_payment', 'awaiting_decision', 'awaiting_approval']);

const NOTE = 'Henkilöllisyys todettu passista asiakaspalvelussa.';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function createDriver(o: DriverOptions) {
  const states = new Map<string, { state: string; outcome: string | null }>();
  const acknowledged: Acknowledged[] = [];
  let token = '';
  let done = 0;
  let polling = true;
  /** Complete list calls so far. */
  let polls = 0;

  const api = () => {
    const list = o.apis();
    return list[Math.floor(Math.random() * list.length)];
  };

  async function signIn(): Promise<void> {
    for (;;) {
      const r = await call(api(), 'POST', '/api/v1/auth/dev-sign-in', { body: { user: 'chaos.dpo', roles: ['dpo'] } });
      if (r.status === 200 && typeof r.body.token === 'string') {
        token = r.body.token;
        return;
      }
      await sleep(500);
    }
  }

  /** One list call a second gives every request's stored state (the DPO sees all). */
  async function poll(): Promise<void> {
    while (polling) {
      for (let offset = 0; ; offset += 500) {
        const r = await call(api(), 'GET', `/api/v1/staff/requests?limit=500&offset=${offset}`, { token, timeoutMs: 10_000 });
        if (r.status === 401) await signIn();
        if (r.status !== 200) break;
        const items = r.body.items as { id: string; state: string; outcome: string | null }[];
        for (const item of items) states.set(item.id, { state: item.state, outcome: item.outcome });
        if (items.length < 500) {
          polls += 1;
          break;
        }
      }
      await sleep(1000);
    }
  }

  async function submit(index: number): Promise<Acknowledged | null> {
    const key = `chaos-${o.seed}-${index}`;
    const right = o.rng() < 0.6 ? 'access' : 'erasure';
    const language = (['fi', 'sv', 'en'] as const)[index % 3];
    const body = { rights: [right], language, subject: { firstName: 'Kaaos', lastName: `Testi${index}`, email: `chaos-${index}@example.fi` } };
    while (Date.now() < o.deadline) {
      const r = await call(api(), 'POST', '/api/v1/requests', { body, idempotencyKey: key, timeoutMs: 20_000 });
      if ((r.status === 201 || r.status === 200) && typeof r.body.id === 'string') return { index, key, id: r.body.id, right };
      if (r.status >= 400 && r.status < 500) {
        o.log(`request ${index}: intake refused with ${r.status} ${JSON.stringify(r.body)}`);
        return null;
      }
      await sleep(500 + Math.random() * 1500);
    }
    return null;
  }

  /** Sends a decision; true when the workflow accepted it (or it was already past that state). */
  async function act(id: string, path: string, body: unknown): Promise<number> {
    const r = await call(api(), 'POST', `/api/v1/staff/requests/${id}/${path}`, { token, body, timeoutMs: 30_000 });
    if (r.status === 401) await signIn();
    return r.status;
  }

  async function advance(a: Acknowledged): Promise<void> {
    let lastActed = '';
    let actedAt = 0;
    const polledBefore = polls;
    const acknowledgedAt = Date.now();
    while (Date.now() < o.deadline) {
      const s = states.get(a.id)?.state;
      if (s === 'closed') return;
      // Acknowledged but absent from many lists since: lost; the report counts it, nothing to drive.
      if (!s && polls - polledBefore > 30 && Date.now() - acknowledgedAt > 60_000) {
        o.log(`request ${a.index} (${a.id}) was acknowledged but is not stored`);
        return;
      }
      // One action per state; repeated only if the state has not moved for a while (a lost answer).
      if (s && WAITING_FOR_PERSON.has(s) && (s !== lastActed || Date.now() - actedAt > 8000)) {
        let status = 0;
        if (s === 'awaiting_identity') status = await act(a.id, 'identity', { decision: 'verified', method: 'in_person', note: NOTE });
        else if (s === 'awaiting_decision') status = await act(a.id, 'decide', {});
        else if (s === 'awaiting_approval') {
          const st = await call(api(), 'GET', `/api/v1/staff/requests/${a.id}/status`, { token, timeoutMs: 30_000 });
          const draft = st.status === 200 ? (st.body.draftDocumentId as string | null) : null;
          if (draft) status = await act(a.id, 'approve', { documentId: draft });
        }
        if (status === 200 || status === 409) {
          lastActed = s;
          actedAt = Date.now();
        }
      }
      await sleep(700);
    }
  }

  async function run(): Promise<void> {
    await signIn();
    const poller = poll();
    let next = 0;
    const workers = Array.from({ length: Math.min(o.concurrency, o.requests) }, async () => {
      while (next < o.requests) {
        const index = next++;
        const ack = await submit(index);
        if (ack) {
          acknowledged.push(ack);
          await advance(ack);
        }
        done += 1;
      }
    });
    await Promise.all(workers);
    polling = false;
    await poller;
  }

  return {
    run,
    acknowledged,
    states,
    /** Progress from 0 to 1: acknowledged and closed requests. */
    progress: () => (acknowledged.length + [...acknowledged].filter((a) => states.get(a.id)?.state === 'closed').length + done) / (3 * o.requests),
  };
}
