/** A small JSON client over the API processes: each call goes to one of them, with a timeout; a dead process is just a failed call. */
export interface Reply {
  status: number;
  body: Record<string, unknown>;
}

/** Status 0: no answer (connection refused or reset, timeout). */
export async function call(base: string, method: 'GET' | 'POST', path: string, o: { token?: string; body?: unknown; idempotencyKey?: string; timeoutMs?: number } = {}): Promise<Reply> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (o.body !== undefined) headers['content-type'] = 'application/json';
  if (o.token) headers.authorization = `Bearer ${o.token}`;
  if (o.idempotencyKey) headers['idempotency-key'] = o.idempotencyKey;
  try {
    const res = await fetch(`${base}${path}`, {
      method,
      headers,
      body: o.body === undefined ? undefined : JSON.stringify(o.body),
      signal: AbortSignal.timeout(o.timeoutMs ?? 30_000),
    });
    const text = await res.text();
    let body: Record<string, unknown> = {};
    try {
      body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    } catch {
      body = { text };
    }
    return { status: res.status, body };
  } catch {
    return { status: 0, body: {} };
  }
}
