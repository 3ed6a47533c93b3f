/**
 * What surrounds the routes: health and readiness, metrics, the OpenAPI document, security
 * headers, per-tenant rate limits, internal errors, and what reaches the logs.
 */
import assert from "node:assert/strict";
import { Writable } from "node:stream";

import { createLogger } from "../../api";
import type { KvStore } from "../../ledger";
import { sampleEvent } from "../helpers/temp-ledger";
import {
  call,
  createTenant,
  Harness,
  issueKey,
  problemOf,
  secretOf,
  startHarness,
} from "./harness";

/** Collects pino lines in memory. */
function logSink(): {
  stream: Writable;
  lines: () => Record<string, unknown>[];
  text: () => string;
} {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  const text = () => chunks.join("");
  const lines = () =>
    text()
      .split("\n")
      .filter((l) => l.length > 0)
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  return { stream, lines, text };
}

describe("API service", () => {
  describe("health, readiness, metrics and docs", () => {
    let h: Harness;

    beforeEach(async () => {
      h = await startHarness({ config: { metricsToken: "scrape-token-0123456789" } });
    });

    afterEach(() => h.close());

    it("answers /healthz and /readyz, and /readyz turns 503 once the ledger is closed", async () => {
      const health = await call(h.app, { method: "GET", url: "/healthz" });
      const ready = await call(h.app, { method: "GET", url: "/readyz" });
      await h.ledger.close();
      const closed = await call(h.app, { method: "GET", url: "/readyz" });
      const stillAlive = await call(h.app, { method: "GET", url: "/healthz" });

      assert.deepEqual(health.json(), { status: "ok" });
      assert.deepEqual(ready.json(), { status: "ready", queueDepth: 0 });
      assert.equal(closed.statusCode, 503);
      assert.equal(problemOf(closed)?.code, "API_NOT_READY");
      assert.equal(stillAlive.statusCode, 200);
    });

    it("exports request, commit, queue and checkpoint-age metrics behind the metrics token", async () => {
      await createTenant(h, "acme");
      const key = (await issueKey(h, "acme", ["append", "read"])).key;
      await call(h.app, {
        method: "POST",
        url: "/v1/entries/batch",
        key,
        payload: { events: [sampleEvent(1), sampleEvent(2), sampleEvent(3)] },
      });
      await call(h.app, { method: "GET", url: "/v1/entries/9", key });

      const refused = await call(h.app, { method: "GET", url: "/metrics" });
      const res = await call(h.app, {
        method: "GET",
        url: "/metrics",
        headers: { authorization: "Bearer scrape-token-0123456789" },
      });

      assert.equal(refused.statusCode, 401);
      assert.equal(res.statusCode, 200);
      const text = res.body;
      assert.match(
        text,
        /anchorlog_http_requests_total\{method="POST",route="\/v1\/entries\/batch",status="201"\} 1/,
      );
      assert.match(
        text,
        /anchorlog_http_requests_total\{method="GET",route="\/v1\/entries\/:index",status="404"\} 1/,
      );
      assert.match(
        text,
        /anchorlog_http_request_duration_seconds_count\{method="POST",route="\/v1\/entries\/batch",status="201"\} 1/,
      );
      assert.match(text, /anchorlog_append_request_events_sum 3/);
      assert.match(text, /anchorlog_commit_batch_entries_sum 3/);
      assert.match(text, /anchorlog_commit_duration_seconds_count 1/);
      assert.match(text, /anchorlog_append_queue_entries 0/);
      assert.match(text, /anchorlog_checkpoint_age_seconds\{tenant="acme"\} \d/);
      assert.match(text, /process_cpu_user_seconds_total/);
    });

    it("serves an OpenAPI 3.1 document covering every /v1 route, and Swagger UI", async () => {
      const doc = (await call(h.app, { method: "GET", url: "/docs/json" })).json();
      const ui = await call(h.app, { method: "GET", url: "/docs/" });

      assert.equal(doc.openapi, "3.1.0");
      const documented = new Set<string>();
      for (const [path, ops] of Object.entries(doc.paths as Record<string, object>)) {
        for (const method of Object.keys(ops)) documented.add(`${method.toUpperCase()} ${path}`);
      }
      const toOpenApi = (url: string) =>
        url.replace(/:([a-zA-Z]+)/g, "{$1}").replace(/\*$/, "{tilePath}");
      for (const r of h.routes.filter((x) => x.url.startsWith("/v1/") && x.method !== "HEAD")) {
        assert.ok(
          documented.has(`${r.method} ${toOpenApi(r.url)}`),
          `${r.method} ${r.url} documented`,
        );
      }
      assert.deepEqual(doc.components.securitySchemes.bearerAuth, {
        type: "http",
        scheme: "bearer",
        description: "al_<id>_<secret>",
      });
      assert.equal(ui.statusCode, 200);
      assert.match(ui.body, /swagger/i);
    });

    it("sends security headers and a request id that problems repeat", async () => {
      const res = await call(h.app, { method: "GET", url: "/v1/checkpoint" });

      assert.equal(res.headers["x-content-type-options"], "nosniff");
      assert.match(String(res.headers["content-security-policy"]), /default-src 'self'/);
      // Plain-HTTP deployments (localhost, TLS proxies) must not have their docs upgraded.
      assert.doesNotMatch(String(res.headers["content-security-policy"]), /upgrade-insecure/);
      assert.equal(problemOf(res)?.requestId, res.headers["x-request-id"]);
    });
  });

  describe("rate limits", () => {
    let h: Harness;

    beforeEach(async () => {
      h = await startHarness({ config: { rateLimit: { max: 3, windowMs: 3_600_000 } } });
      await h.ledger.createTenant("acme");
      await h.ledger.createTenant("globex");
    });

    afterEach(() => h.close());

    // Keys come from the store directly: the operator's own requests count against its budget.
    const tenantKey = async (tenant: string) =>
      (await h.keys.issue({ tenant, scopes: ["read"] })).key;

    it("gives each tenant its own budget, shared by all of its keys, and answers 429 with Retry-After", async () => {
      const acme1 = await tenantKey("acme");
      const acme2 = await tenantKey("acme");
      const globex = await tenantKey("globex");
      const get = (key: string) => call(h.app, { method: "GET", url: "/v1/checkpoint", key });

      const within = [await get(acme1), await get(acme2), await get(acme1)];
      const over = await get(acme2);
      const other = await get(globex);
      const health = await call(h.app, { method: "GET", url: "/healthz" });

      assert.deepEqual(
        within.map((r) => r.statusCode),
        [200, 200, 200],
      );
      assert.equal(over.statusCode, 429);
      assert.equal(problemOf(over)?.code, "API_RATE_LIMITED");
      assert.ok(Number(over.headers["retry-after"]) > 0);
      assert.equal(other.statusCode, 200);
      assert.equal(health.statusCode, 200);
    });

    it("does not count requests refused for their credentials", async () => {
      for (let i = 0; i < 5; i++) {
        const res = await call(h.app, { method: "GET", url: "/v1/checkpoint", key: "al_bad" });
        assert.equal(res.statusCode, 401);
      }
      const key = await tenantKey("acme");

      const res = await call(h.app, { method: "GET", url: "/v1/checkpoint", key });

      assert.equal(res.statusCode, 200);
    });
  });

  describe("internal errors and logs", () => {
    let h: Harness;
    let sink: ReturnType<typeof logSink>;
    let failReads: boolean;

    beforeEach(async () => {
      sink = logSink();
      failReads = false;
      h = await startHarness({
        logger: createLogger({ level: "debug", destination: sink.stream }),
        wrapStore: (store: KvStore): KvStore => ({
          ...store,
          get: (k) => store.get(k),
          getMany: (keys) =>
            failReads ? Promise.reject(new Error("disk on fire")) : store.getMany(keys),
          batch: (ops, o) => store.batch(ops, o),
          entries: (r) => store.entries(r),
          compact: (a, b) => store.compact(a, b),
          close: () => store.close(),
        }),
      });
      await createTenant(h, "acme");
    });

    afterEach(() => h.close());

    it("answers 500 problem JSON that reveals nothing, and logs the cause at error level", async () => {
      const key = (await issueKey(h, "acme", ["append", "read"])).key;
      await call(h.app, { method: "POST", url: "/v1/entries", key, payload: sampleEvent(1) });
      failReads = true;

      const res = await call(h.app, { method: "GET", url: "/v1/entries/0", key });

      assert.equal(res.statusCode, 500);
      assert.equal(problemOf(res)?.code, "API_INTERNAL");
      assert.ok(!res.body.includes("disk on fire"));
      const errors = sink.lines().filter((l) => l.level === 50);
      assert.ok(errors.some((l) => JSON.stringify(l.err).includes("disk on fire")));
      assert.ok(errors.every((l) => l.reqId === problemOf(res)?.requestId));
    });

    it("never logs keys, Authorization headers, bodies or event contents", async () => {
      const issued = await call(h.app, {
        method: "POST",
        url: "/v1/admin/tenants/acme/keys",
        key: h.adminKey,
        payload: { scopes: ["admin"] },
      });
      const key = issued.json().key as string;
      const secretEvent = sampleEvent(1, {
        actor: "actor-marker-7f3a",
        payload: "payload-marker-9c1e",
      });
      await call(h.app, {
        method: "POST",
        url: "/v1/entries",
        key,
        payload: secretEvent,
        headers: { "idempotency-key": "idem-marker-55aa" },
      });
      await call(h.app, { method: "GET", url: "/v1/entries?actor=actor-marker-7f3a", key });
      await call(h.app, { method: "GET", url: "/v1/checkpoint", key: `${key.slice(0, -3)}xyz` });

      const text = sink.text();
      assert.ok(sink.lines().length > 5, "requests were logged");
      for (const secret of [
        key,
        secretOf(key),
        h.adminKey,
        secretOf(h.adminKey),
        "Bearer",
        "actor-marker-7f3a",
        "payload-marker-9c1e",
        "idem-marker-55aa",
      ]) {
        assert.ok(!text.includes(secret), `log holds ${secret.slice(0, 12)}…`);
      }
      const requestLines = sink.lines().filter((l) => l.msg === "request answered");
      assert.ok(
        requestLines.every((l) => typeof l.reqId === "string" && typeof l.route === "string"),
      );
    });
  });
});
