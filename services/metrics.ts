/** Prometheus metrics: HTTP traffic, intake and workflow starts. Labels never carry personal data. */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** `startsWaiting`: intake's workflow starts in flight or waiting, read when scraped. */
export function createMetrics(sources: { startsWaiting?: () => number } = {}) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const startsWaiting = sources.startsWaiting;
  if (startsWaiting) {
    new Gauge({
      name: 'dsr_workflow_starts_waiting',
      help: 'Submissions answered whose workflow start is in flight or waiting in this process (past the backlog, 5,000 by default, an answer waits for its own start)',
      registers: [registry],
      collect() {
        this.set(startsWaiting());
      },
    });
  }
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
