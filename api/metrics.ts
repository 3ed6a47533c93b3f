/**
 * Prometheus metrics of the service: requests by route template and status, append sizes,
 * group-commit batches (fed by the ledger's onCommit), queue depth and checkpoint age per
 * tenant. Each app has its own registry, so several apps in one process never collide.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";

import type { CommitInfo, Ledger } from "../ledger";

/** The metrics of one service; create with {@link createApiMetrics}. */
export interface ApiMetrics {
  readonly registry: Registry;
  /** Pass as the ledger's `onCommit` option so commit batches are counted. */
  readonly onCommit: (info: CommitInfo) => void;
  /** Records one answered request. `route` is the template, e.g. "/v1/entries/:index". */
  observeRequest(method: string, route: string, status: number, seconds: number): void;
  /** Records the number of events of one accepted append request. */
  observeAppend(events: number): void;
  /** Starts reporting the queue depth and checkpoint ages of `ledger` on each scrape. */
  watchLedger(ledger: Ledger): void;
}

const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];
const SIZE_BUCKETS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000];

/** Creates the metrics of one service, with Node's process metrics in the same registry. */
export function createApiMetrics(): ApiMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });

  const requests = new Counter({
    name: "anchorlog_http_requests_total",
    help: "HTTP requests answered, by method, route template and status",
    labelNames: ["method", "route", "status"] as const,
    registers: [registry],
  });
  const latency = new Histogram({
    name: "anchorlog_http_request_duration_seconds",
    help: "Time from request to response, by method, route template and status",
    labelNames: ["method", "route", "status"] as const,
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  const appendEvents = new Histogram({
    name: "anchorlog_append_request_events",
    help: "Events per accepted append request (1 for single appends)",
    buckets: SIZE_BUCKETS,
    registers: [registry],
  });
  const commitEntries = new Histogram({
    name: "anchorlog_commit_batch_entries",
    help: "Entries written per group commit",
    buckets: SIZE_BUCKETS,
    registers: [registry],
  });
  const commitSeconds = new Histogram({
    name: "anchorlog_commit_duration_seconds",
    help: "Time from staging a group commit to it being durable",
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  const commitTenants = new Histogram({
    name: "anchorlog_commit_batch_tenants",
    help: "Tenants per group commit",
    buckets: SIZE_BUCKETS,
    registers: [registry],
  });

  return {
    registry,
    onCommit(info) {
      commitEntries.observe(info.entries);
      commitSeconds.observe(info.durationMs / 1000);
      commitTenants.observe(info.tenants);
    },
    observeRequest(method, route, status, seconds) {
      const labels = { method, route, status: String(status) };
      requests.inc(labels);
      latency.observe(labels, seconds);
    },
    observeAppend(events) {
      appendEvents.observe(events);
    },
    watchLedger(ledger) {
      watchLedger(registry, ledger);
    },
  };
}

function watchLedger(registry: Registry, ledger: Ledger): void {
  new Gauge({
    name: "anchorlog_append_queue_entries",
    help: "Entries waiting in the group-commit queue",
    registers: [registry],
    collect() {
      this.set(ledger.queueDepth);
    },
  });

  new Gauge({
    name: "anchorlog_checkpoint_age_seconds",
    help: "Seconds since each tenant's latest checkpoint was signed (tenants with entries)",
    labelNames: ["tenant"] as const,
    registers: [registry],
    collect() {
      this.reset();
      if (!ledger.isOpen) return;
      const now = Date.now();
      for (const t of ledger.listTenants()) {
        const signedAt = ledger.checkpointSignedAtMs(t.id);
        if (signedAt > 0) this.set({ tenant: t.id }, (now - signedAt) / 1000);
      }
    },
  });
}
