/**
 * The audit routes through inject: appends (single, batch, idempotent, racing), reads,
 * pagination and filters, erasure, and the size limits around them.
 */
import assert from "node:assert/strict";

import { fromBase64, leafHash, toHex } from "../../ledger/verify";
import { sampleEvent } from "../helpers/temp-ledger";
import { call, createTenant, Harness, issueKey, problemOf, startHarness } from "./harness";

describe("API audit entries", () => {
  let h: Harness;
  let key: string;

  beforeEach(async () => {
    h = await startHarness({ config: { maxBatchEvents: 20, bodyLimitBytes: 96 * 1024 } });
    await createTenant(h, "acme");
    key = (await issueKey(h, "acme", ["append", "read", "erase"])).key;
  });

  afterEach(() => h.close());

  const append = (payload: unknown, headers: Record<string, string> = {}) =>
    call(h.app, { method: "POST", url: "/v1/entries", key, payload: payload as object, headers });
  const batch = (events: unknown[], headers: Record<string, string> = {}) =>
    call(h.app, { method: "POST", url: "/v1/entries/batch", key, payload: { events }, headers });

  describe("POST /v1/entries", () => {
    it("appends durably and answers 201 with the index, leaf hash and covering tree size", async () => {
      const res = await append(sampleEvent(1));

      assert.equal(res.statusCode, 201);
      const body = res.json();
      assert.deepEqual(Object.keys(body).sort(), ["index", "leafHash", "timeMs", "treeSize"]);
      assert.equal(body.index, 0);
      assert.equal(body.treeSize, 1);
      assert.equal(res.headers.location, "/v1/entries/0");
      const stored = await h.ledger.entry("acme", 0);
      assert.equal(toHex(leafHash(stored.leafData)), body.leafHash);
      assert.deepEqual(stored.event, sampleEvent(1));
    });

    for (const field of ["index", "timeMs", "leafHash", "treeSize", "tenant"]) {
      it(`rejects a client-set ${field} with 400 and writes nothing`, async () => {
        const res = await append({ ...sampleEvent(1), [field]: field === "tenant" ? "globex" : 7 });

        assert.equal(res.statusCode, 400);
        assert.equal(problemOf(res)?.code, "API_VALIDATION_FAILED");
        assert.deepEqual(problemOf(res)?.errors, [
          { pointer: `/body/${field}`, message: "is not an accepted property" },
        ]);
        assert.equal(h.ledger.checkpoint("acme").size, 0);
      });
    }

    it("does not coerce types: a numeric string is not a number and a number is not a string", async () => {
      const res = await append({ ...sampleEvent(1), actor: 5 });

      assert.equal(res.statusCode, 400);
      assert.equal(problemOf(res)?.errors?.[0]?.pointer, "/body/actor");
    });

    it("answers 413 API_EVENT_TOO_LARGE for an event over the ledger's 64 KiB", async () => {
      const res = await append({ ...sampleEvent(1), payload: "x".repeat(70_000) });

      assert.equal(res.statusCode, 413);
      assert.equal(problemOf(res)?.code, "API_EVENT_TOO_LARGE");
    });

    it("answers 413 API_BODY_TOO_LARGE for a body over the configured 96 KiB", async () => {
      const res = await append({ ...sampleEvent(1), payload: "x".repeat(100 * 1024) });

      assert.equal(res.statusCode, 413);
      assert.equal(problemOf(res)?.code, "API_BODY_TOO_LARGE");
    });

    it("answers 415 for a body that is not application/json", async () => {
      const res = await call(h.app, {
        method: "POST",
        url: "/v1/entries",
        key,
        headers: { "content-type": "text/plain" },
        payload: JSON.stringify(sampleEvent(1)),
      });

      assert.equal(res.statusCode, 415);
      assert.equal(problemOf(res)?.code, "API_UNSUPPORTED_MEDIA_TYPE");
    });

    it("answers 400 API_BAD_JSON for a body that is not JSON, and for prototype tricks", async () => {
      for (const payload of ['{"actor":', '{"__proto__":{"x":1}}', ""]) {
        const res = await call(h.app, {
          method: "POST",
          url: "/v1/entries",
          key,
          headers: { "content-type": "application/json" },
          payload,
        });

        assert.equal(res.statusCode, 400, payload);
        assert.equal(problemOf(res)?.code, "API_BAD_JSON", payload);
      }
    });

    it("answers 403 API_TENANT_DISABLED once the operator disables the tenant", async () => {
      await call(h.app, {
        method: "PATCH",
        url: "/v1/admin/tenants/acme",
        key: h.adminKey,
        payload: { disabled: true },
      });

      const res = await append(sampleEvent(1));

      assert.equal(res.statusCode, 403);
      assert.equal(problemOf(res)?.code, "API_TENANT_DISABLED");
    });
  });

  describe("POST /v1/entries/batch", () => {
    it("appends all events with consecutive indices in one checkpoint", async () => {
      const events = Array.from({ length: 20 }, (_, i) => sampleEvent(i));

      const res = await batch(events);

      assert.equal(res.statusCode, 201);
      const entries = res.json().entries;
      assert.deepEqual(
        entries.map((e: { index: number }) => e.index),
        Array.from({ length: 20 }, (_, i) => i),
      );
      assert.ok(entries.every((e: { treeSize: number }) => e.treeSize === 20));
    });

    it("writes nothing when one event is bad", async () => {
      const res = await batch([sampleEvent(1), { ...sampleEvent(2), resource: "\ud800" }]);

      assert.equal(res.statusCode, 400);
      assert.equal(problemOf(res)?.code, "API_BAD_EVENT");
      assert.equal(h.ledger.checkpoint("acme").size, 0);
    });

    it("answers 413 API_BATCH_TOO_LARGE beyond the configured 20 events, and 400 for none", async () => {
      const over = await batch(Array.from({ length: 21 }, (_, i) => sampleEvent(i)));
      const none = await batch([]);

      assert.equal(over.statusCode, 413);
      assert.equal(problemOf(over)?.code, "API_BATCH_TOO_LARGE");
      assert.equal(none.statusCode, 400);
      assert.equal(h.ledger.checkpoint("acme").size, 0);
    });

    it("answers 503 API_QUEUE_FULL with Retry-After when the append queue is full", async () => {
      await h.close();
      h = await startHarness({ ledger: { maxQueuedEntries: 10 } });
      await createTenant(h, "acme");
      key = (await issueKey(h, "acme", ["append"])).key;

      const results = await Promise.all(
        Array.from({ length: 30 }, (_, i) => batch([sampleEvent(i), sampleEvent(i + 100)])),
      );

      const full = results.filter((r) => r.statusCode === 503);
      assert.ok(full.length > 0, "some batches were turned away");
      for (const r of full) {
        assert.equal(problemOf(r)?.code, "API_QUEUE_FULL");
        assert.equal(r.headers["retry-after"], "1");
      }
      const ok = results.filter((r) => r.statusCode === 201).length;
      assert.equal(ok + full.length, 30);
      assert.equal(h.ledger.checkpoint("acme").size, 2 * ok);
    });
  });

  describe("Idempotency-Key", () => {
    it("answers a retry with the same key and body with the first answer, writing once", async () => {
      const first = await append(sampleEvent(1), { "idempotency-key": "order-42" });
      const again = await append(sampleEvent(1), { "idempotency-key": "order-42" });

      assert.equal(first.statusCode, 201);
      assert.equal(again.statusCode, 201);
      assert.deepEqual(again.json(), first.json());
      assert.equal(h.ledger.checkpoint("acme").size, 1);
    });

    it("answers 422 for the same key with another body", async () => {
      await append(sampleEvent(1), { "idempotency-key": "order-42" });

      const res = await append(sampleEvent(2), { "idempotency-key": "order-42" });

      assert.equal(res.statusCode, 422);
      assert.equal(problemOf(res)?.code, "API_IDEMPOTENCY_MISMATCH");
      assert.equal(h.ledger.checkpoint("acme").size, 1);
    });

    it("creates one entry when 40 retries of one append race each other", async () => {
      const results = await Promise.all(
        Array.from({ length: 40 }, () => append(sampleEvent(7), { "idempotency-key": "race" })),
      );

      assert.ok(results.every((r) => r.statusCode === 201));
      assert.equal(new Set(results.map((r) => r.body)).size, 1, "every retry got the same body");
      assert.equal(h.ledger.checkpoint("acme").size, 1);
    });

    it("creates one entry per key when retries keep arriving while the first is being written", async () => {
      // Retries are spread over the event-loop turns in which the first append is queued,
      // written and acknowledged, so some look the key up just as the first one lands.
      const keys = 60;
      const all: Promise<{ statusCode: number; body: string }>[] = [];
      for (let k = 0; k < keys; k++) {
        const headers = { "idempotency-key": `spread-${k}` };
        for (let r = 0; r < 8; r++) {
          all.push(append(sampleEvent(k), headers));
          await new Promise((resolve) => setImmediate(resolve));
        }
      }

      const results = await Promise.all(all);

      assert.ok(results.every((r) => r.statusCode === 201));
      for (let k = 0; k < keys; k++) {
        const bodies = new Set(results.slice(k * 8, k * 8 + 8).map((r) => r.body));
        assert.equal(bodies.size, 1, `retries of key ${k} got one answer`);
      }
      assert.equal(h.ledger.checkpoint("acme").size, keys);
    });

    it("creates one batch when racing batch retries mix with racing single appends", async () => {
      const events = [sampleEvent(1), sampleEvent(2), sampleEvent(3)];

      const results = await Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          i % 2 === 0
            ? batch(events, { "idempotency-key": "b-race" })
            : append(sampleEvent(9), { "idempotency-key": "s-race" }),
        ),
      );

      assert.ok(results.every((r) => r.statusCode === 201));
      const batchBodies = new Set(results.filter((_, i) => i % 2 === 0).map((r) => r.body));
      assert.equal(batchBodies.size, 1);
      assert.equal(h.ledger.checkpoint("acme").size, 4, "three batch entries and one single");
    });

    it("rejects malformed keys with 400 API_BAD_IDEMPOTENCY_KEY", async () => {
      for (const k of ["a b", "x".repeat(201), "tab\tkey"]) {
        const res = await append(sampleEvent(1), { "idempotency-key": k });

        assert.equal(res.statusCode, 400, k);
        assert.equal(problemOf(res)?.code, "API_BAD_IDEMPOTENCY_KEY");
      }
      assert.equal(h.ledger.checkpoint("acme").size, 0);
    });
  });

  describe("GET /v1/entries/:index", () => {
    it("returns the entry with its decrypted event and base64 leaf data", async () => {
      const appended = (await append(sampleEvent(3))).json();

      const res = await call(h.app, { method: "GET", url: "/v1/entries/0", key });

      assert.equal(res.statusCode, 200);
      const e = res.json();
      assert.deepEqual(e.event, sampleEvent(3));
      assert.equal(toHex(leafHash(fromBase64(e.leafData))), appended.leafHash);
      assert.equal(e.timeMs, appended.timeMs);
    });

    it("returns every event field as sent, optional ones included", async () => {
      const event = sampleEvent(4, { role: "approver", payload: { nested: [1, { deep: true }] } });
      await append(event);

      const res = await call(h.app, { method: "GET", url: "/v1/entries/0", key });

      assert.deepEqual(res.json().event, event);
    });

    it("answers 404 beyond the log and 400 for non-canonical indices", async () => {
      await append(sampleEvent(3));

      const missing = await call(h.app, { method: "GET", url: "/v1/entries/1", key });
      assert.equal(missing.statusCode, 404);
      assert.equal(problemOf(missing)?.code, "API_ENTRY_NOT_FOUND");
      for (const index of ["-1", "01", "1e0", "0x0", "%200"]) {
        const res = await call(h.app, { method: "GET", url: `/v1/entries/${index}`, key });
        assert.equal(res.statusCode, 400, index);
      }
    });
  });

  describe("GET /v1/entries", () => {
    beforeEach(async () => {
      const events = Array.from({ length: 20 }, (_, i) => sampleEvent(i));
      assert.equal((await batch(events)).statusCode, 201);
    });

    it("pages through every entry with opaque cursors", async () => {
      const seen: number[] = [];
      let url = "/v1/entries?limit=6";
      for (let page = 0; page < 10; page++) {
        const res = await call(h.app, { method: "GET", url, key });
        assert.equal(res.statusCode, 200);
        const body = res.json();
        seen.push(...body.entries.map((e: { index: number }) => e.index));
        if (body.nextCursor === undefined) break;
        url = `/v1/entries?limit=6&cursor=${body.nextCursor}`;
      }

      assert.deepEqual(
        seen,
        Array.from({ length: 20 }, (_, i) => i),
      );
    });

    it("filters by actor and action (sampleEvent: actor user-<i mod 7>, read when i mod 3 = 0)", async () => {
      const res = await call(h.app, {
        method: "GET",
        url: "/v1/entries?actor=user-2&action=write",
        key,
      });

      const indices = res.json().entries.map((e: { index: number }) => e.index);
      assert.deepEqual(indices, [2, 16]);
    });

    it("filters by integration time range [since, until)", async () => {
      const timeMs = (await h.ledger.entry("acme", 0)).timeMs;
      const at = new Date(timeMs).toISOString();
      const after = new Date(timeMs + 1).toISOString();

      const inside = await call(h.app, {
        method: "GET",
        url: `/v1/entries?since=${at}&until=${after}`,
        key,
      });
      const outside = await call(h.app, { method: "GET", url: `/v1/entries?since=${after}`, key });

      assert.equal(inside.json().entries.length, 20);
      assert.equal(outside.json().entries.length, 0);
    });

    it("refuses a cursor replayed with other filters, a forged cursor, and unknown parameters", async () => {
      const first = (await call(h.app, { method: "GET", url: "/v1/entries?limit=5", key })).json();
      const cursor = first.nextCursor;

      const replayed = await call(h.app, {
        method: "GET",
        url: `/v1/entries?cursor=${cursor}&actor=x`,
        key,
      });
      const forged = await call(h.app, {
        method: "GET",
        url: `/v1/entries?cursor=${Buffer.from("c1.3.0000000000000000").toString("base64url")}`,
        key,
      });
      const unknown = await call(h.app, { method: "GET", url: "/v1/entries?tenant=globex", key });

      assert.equal(problemOf(replayed)?.code, "API_BAD_CURSOR");
      assert.equal(problemOf(forged)?.code, "API_BAD_CURSOR");
      assert.equal(replayed.statusCode, 400);
      assert.equal(unknown.statusCode, 400);
      assert.equal(problemOf(unknown)?.errors?.[0]?.pointer, "/querystring/tenant");
    });
  });

  describe("DELETE /v1/entries/:index/event", () => {
    it("erases the event, keeps the leaf, and answers the first erasure time again", async () => {
      const appended = (await append(sampleEvent(5))).json();

      const first = await call(h.app, { method: "DELETE", url: "/v1/entries/0/event", key });
      const again = await call(h.app, { method: "DELETE", url: "/v1/entries/0/event", key });
      const entry = await call(h.app, { method: "GET", url: "/v1/entries/0", key });

      assert.equal(first.statusCode, 200);
      assert.deepEqual(again.json(), first.json());
      assert.equal(entry.json().event, undefined);
      assert.equal(entry.json().erasedAtMs, first.json().erasedAtMs);
      assert.equal(entry.json().leafHash, appended.leafHash);
    });

    it("needs the erase scope (or the tenant's admin scope)", async () => {
      await append(sampleEvent(5));
      const readOnly = (await issueKey(h, "acme", ["read", "append"])).key;
      const tenantAdmin = (await issueKey(h, "acme", ["admin"])).key;

      const refused = await call(h.app, {
        method: "DELETE",
        url: "/v1/entries/0/event",
        key: readOnly,
      });
      const allowed = await call(h.app, {
        method: "DELETE",
        url: "/v1/entries/0/event",
        key: tenantAdmin,
      });

      assert.equal(refused.statusCode, 403);
      assert.equal(allowed.statusCode, 200);
    });
  });
});
