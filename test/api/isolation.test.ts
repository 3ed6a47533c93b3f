/**
 * Tenant isolation over every registered route. Tenant B, holding a key with every tenant
 * scope, aims each route at tenant A's resources (A's indices, leaf hashes, tiles, tenant id
 * and key ids): it gets 403 or 404, or, on routes about "my own log", only its own data,
 * never a byte of A's. Every /v1 route also refuses a missing, malformed, unknown, wrong or
 * revoked key (401) and a key of the wrong kind or scope (403).
 *
 * The set of probed routes must equal the set registered, so a new route without a probe
 * fails this test.
 */
import assert from "node:assert/strict";

import type { LightMyRequestResponse } from "fastify";

import type { RouteAccess } from "../../api";
import { toBase64 } from "../../ledger/verify";
import { sampleEvent } from "../helpers/temp-ledger";
import { call, createTenant, Harness, issueKey, problemOf, startHarness } from "./harness";

type Expect = "denied" | "own";

interface Probe {
  url: string;
  payload?: unknown;
  expect: Expect;
}

/** What B sends to each route, aimed at A's resources. */
function probes(a: TenantA): Record<string, Probe> {
  const entry = { url: `/v1/entries/${a.probeIndex}`, expect: "denied" as const };
  const single = sampleEvent(1, { actor: "globex-actor" });
  return {
    "POST /v1/admin/tenants": {
      url: "/v1/admin/tenants",
      payload: { id: "acme" },
      expect: "denied",
    },
    "GET /v1/admin/tenants": { url: "/v1/admin/tenants", expect: "denied" },
    "GET /v1/admin/tenants/:tenant": { url: "/v1/admin/tenants/acme", expect: "denied" },
    "PATCH /v1/admin/tenants/:tenant": {
      url: "/v1/admin/tenants/acme",
      payload: { disabled: true },
      expect: "denied",
    },
    "POST /v1/admin/tenants/:tenant/keys": {
      url: "/v1/admin/tenants/acme/keys",
      payload: { scopes: ["read"] },
      expect: "denied",
    },
    "GET /v1/admin/tenants/:tenant/keys": { url: "/v1/admin/tenants/acme/keys", expect: "denied" },
    "POST /v1/admin/keys": { url: "/v1/admin/keys", payload: {}, expect: "denied" },
    "GET /v1/admin/keys": { url: "/v1/admin/keys", expect: "denied" },
    "DELETE /v1/admin/keys/:keyId": { url: `/v1/admin/keys/${a.keyId}`, expect: "denied" },
    "GET /v1/admin/backup": { url: "/v1/admin/backup", expect: "denied" },
    "GET /v1/keys": { url: "/v1/keys", expect: "own" },
    "POST /v1/keys": { url: "/v1/keys", payload: { scopes: ["read"] }, expect: "own" },
    "DELETE /v1/keys/:keyId": { url: `/v1/keys/${a.keyId}`, expect: "denied" },
    "POST /v1/entries": { url: "/v1/entries", payload: single, expect: "own" },
    "POST /v1/entries/batch": {
      url: "/v1/entries/batch",
      payload: { events: [single, sampleEvent(2, { actor: "globex-actor" })] },
      expect: "own",
    },
    "GET /v1/entries": { url: `/v1/entries?cursor=${a.cursor}`, expect: "own" },
    "GET /v1/entries/:index": entry,
    "DELETE /v1/entries/:index/event": { ...entry, url: `${entry.url}/event` },
    "GET /v1/entries/:index/receipt": { ...entry, url: `${entry.url}/receipt` },
    "GET /v1/proofs/inclusion": {
      url: `/v1/proofs/inclusion?leafHash=${a.leafHashes[a.probeIndex]}`,
      expect: "denied",
    },
    "GET /v1/proofs/consistency": {
      url: "/v1/proofs/consistency?size1=10&size2=20",
      expect: "denied",
    },
    "GET /v1/checkpoint": { url: "/v1/checkpoint", expect: "own" },
    "GET /v1/log/checkpoint": { url: "/v1/log/checkpoint", expect: "own" },
    "GET /v1/log/tile/:level/*": { url: "/v1/log/tile/0/000.p/20", expect: "denied" },
    "GET /v1/log/tile/entries/*": { url: "/v1/log/tile/entries/000.p/20", expect: "denied" },
  };
}

/** Routes outside /v1 that are public by design. */
const PUBLIC = new Set([
  "GET /healthz",
  "GET /readyz",
  "GET /metrics",
  // The verifier page: static files, the same for everyone, holding no tenant data.
  "GET /verify",
  "GET /verify/*",
]);

interface TenantA {
  key: string;
  keyId: string;
  leafHashes: string[];
  rootBase64: string;
  cursor: string;
  probeIndex: number;
}

describe("API tenant isolation", () => {
  let h: Harness;
  let a: TenantA;
  let bFull: string;
  let bKeys: Record<"read" | "append" | "revoked", string>;

  before(async () => {
    h = await startHarness();
    await createTenant(h, "acme");
    await createTenant(h, "globex");
    const aKey = await issueKey(h, "acme", ["admin"]);
    const events = Array.from({ length: 20 }, (_, i) =>
      sampleEvent(i, { actor: `acme-actor-${i}` }),
    );
    const appended = await call(h.app, {
      method: "POST",
      url: "/v1/entries/batch",
      key: aKey.key,
      payload: { events },
    });
    assert.equal(appended.statusCode, 201);
    const page = await call(h.app, { method: "GET", url: "/v1/entries?limit=10", key: aKey.key });
    a = {
      key: aKey.key,
      keyId: aKey.id,
      leafHashes: (appended.json().entries as { leafHash: string }[]).map((e) => e.leafHash),
      rootBase64: toBase64(h.ledger.checkpoint("acme").rootHash),
      cursor: page.json().nextCursor,
      probeIndex: 15,
    };
    bFull = (await issueKey(h, "globex", ["admin"])).key;
    const revoked = await issueKey(h, "globex", ["read", "append", "prove", "erase"]);
    await h.keys.revoke(revoked.id);
    bKeys = {
      read: (await issueKey(h, "globex", ["read"])).key,
      append: (await issueKey(h, "globex", ["append"])).key,
      revoked: revoked.key,
    };
  });

  after(() => h.close());

  function registered(): { key: string; method: string; url: string; access?: RouteAccess }[] {
    const out = [];
    for (const r of h.routes) {
      const methods = Array.isArray(r.method) ? r.method : [r.method];
      for (const m of methods) {
        out.push({ key: `${m} ${r.url}`, method: m, url: r.url, access: r.config?.access });
      }
    }
    return out;
  }

  // A route key of a HEAD route is probed like its GET twin.
  const probeKey = (key: string) => key.replace(/^HEAD /, "GET ");

  // A's markers in a response, except those B itself sent (a problem's instance and detail
  // may echo the request, which tells B nothing it did not know).
  function assertNoDataOf(res: LightMyRequestResponse, probe: Probe, what: string): void {
    const text = `${res.body}\n${res.rawPayload.toString("hex")}`;
    const sent = `${probe.url} ${JSON.stringify(probe.payload ?? null)}`;
    const markers = ["acme", a.rootBase64, a.keyId, ...a.leafHashes].filter(
      (m) => !sent.includes(m),
    );
    for (const m of markers) assert.ok(!text.includes(m), `${what} leaked ${m}`);
  }

  it("probes exactly the registered routes: every /v1 route, and public routes outside it", () => {
    const table = probes(a);
    const v1 = registered().filter((r) => r.url.startsWith("/v1/"));
    const others = registered().filter((r) => !r.url.startsWith("/v1/"));

    assert.deepEqual(
      [...new Set(v1.map((r) => probeKey(r.key)))].sort(),
      Object.keys(table).sort(),
      "every /v1 route has an isolation probe and every probe a route",
    );
    for (const r of v1) assert.ok(r.access, `${r.key} declares its access`);
    for (const r of others) {
      const isDocs = r.url === "/docs" || r.url.startsWith("/docs/");
      assert.ok(isDocs || PUBLIC.has(probeKey(r.key)), `${r.key} is public on purpose`);
    }
  });

  it("gives tenant B 403 or 404 on A's resources, and only B's own data elsewhere", async () => {
    const table = probes(a);
    const seen = new Set<string>();

    for (const r of registered().filter((x) => x.url.startsWith("/v1/"))) {
      const probe = table[probeKey(r.key)];
      assert.ok(probe, `${r.key} has no isolation probe`);
      const res = await call(h.app, {
        method: r.method as "GET",
        url: probe.url,
        key: bFull,
        payload: probe.payload as object,
      });

      if (probe.expect === "denied") {
        assert.ok([403, 404].includes(res.statusCode), `${r.key}: ${res.statusCode} ${res.body}`);
        if (r.method !== "HEAD") assert.ok(problemOf(res), `${r.key} answers problem JSON`);
      } else {
        assert.ok(res.statusCode >= 200 && res.statusCode < 300, `${r.key}: ${res.statusCode}`);
      }
      assertNoDataOf(res, probe, r.key);
      seen.add(r.key);
    }

    assert.equal(seen.size, registered().filter((x) => x.url.startsWith("/v1/")).length);
  });

  it("leaves A's log, events and keys untouched", async () => {
    assert.equal(h.ledger.checkpoint("acme").size, 20);
    assert.equal(h.ledger.getTenant("acme")?.disabled, false);
    const res = await call(h.app, {
      method: "GET",
      url: `/v1/entries/${a.probeIndex}`,
      key: a.key,
    });
    assert.equal(res.statusCode, 200);
    assert.equal(res.json().event.actor, `acme-actor-${a.probeIndex}`);
    assert.equal(res.json().leafHash, a.leafHashes[a.probeIndex]);
  });

  describe("on every /v1 route", () => {
    const badCredentials: [string, () => Record<string, string>][] = [
      ["no key", () => ({})],
      [
        "a non-bearer scheme",
        () => ({ authorization: `Basic ${Buffer.from("a:b").toString("base64")}` }),
      ],
      ["a malformed key", () => ({ authorization: "Bearer not-a-key" })],
      ["an unknown key", () => ({ authorization: `Bearer al_0123456789abcdef_${"A".repeat(43)}` })],
      ["a wrong secret", () => ({ authorization: `Bearer ${a.key.slice(0, -4)}AAAA` })],
      ["a revoked key", () => ({ authorization: `Bearer ${bKeys.revoked}` })],
    ];

    for (const [what, headers] of badCredentials) {
      it(`answers 401 problem JSON with WWW-Authenticate for ${what}`, async () => {
        const table = probes(a);
        for (const r of registered().filter((x) => x.url.startsWith("/v1/"))) {
          const probe = table[probeKey(r.key)];
          assert.ok(probe, `${r.key} has no isolation probe`);
          const res = await call(h.app, {
            method: r.method as "GET",
            url: probe.url,
            headers: headers(),
            payload: probe.payload as object,
          });

          assert.equal(res.statusCode, 401, `${r.key} with ${what}: ${res.body}`);
          assert.match(String(res.headers["www-authenticate"]), /^Bearer/);
          if (r.method !== "HEAD") assert.equal(problemOf(res)?.code, "API_UNAUTHENTICATED");
        }
      });
    }

    it("answers 403 to a key of the wrong kind or without the route's scope", async () => {
      const table = probes(a);
      for (const r of registered().filter((x) => x.url.startsWith("/v1/"))) {
        const probe = table[probeKey(r.key)];
        assert.ok(probe, `${r.key} has no isolation probe`);
        for (const key of lackingKeys(r.access!)) {
          const res = await call(h.app, {
            method: r.method as "GET",
            url: probe.url,
            key,
            payload: probe.payload as object,
          });

          assert.equal(res.statusCode, 403, `${r.key}: ${res.body}`);
          if (r.method !== "HEAD") assert.equal(problemOf(res)?.code, "API_FORBIDDEN");
        }
      }
    });
  });

  // Keys that must not pass `access`: the other principal kind, and tenant keys whose scopes
  // miss every scope the route lists.
  function lackingKeys(access: RouteAccess): string[] {
    if (access.principal === "operator") return [bFull, bKeys.read];
    const wanted = access.scopes === "tenant-admin" ? [] : access.scopes;
    const out = [h.adminKey];
    if (!wanted.includes("read")) out.push(bKeys.read);
    if (!wanted.includes("append")) out.push(bKeys.append);
    assert.ok(out.length >= 2, "every tenant route has a tenant key lacking its scope");
    return out;
  }
});
