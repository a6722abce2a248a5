/** Prometheus metrics: HTTP traffic, intake and workflow starts. Labels never carry personal data. */
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    httpRequests: new Histogram({
      name: 'dsr_http_request_duration_seconds',
      help: 'HTTP request duration by route and status',
      labelNames: ['method', 'route', 'status'] as const,
      registers: [registry],
    }),
    submissions: new Counter({ name: 'dsr_submissions_total', help: 'Requests accepted at intake, by right and channel', labelNames: ['right', 'channel'] as const, registers: [registry] }),
    downloads: new Counter({ name: 'dsr_downloads_total', help: 'Answer downloads, by result', labelNames: ['result'] as const, registers: [registry] }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
