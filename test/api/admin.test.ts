/**
 * Operator routes (tenants, keys) and tenant administrators' self-service key routes,
 * through inject.
 */
import assert from "node:assert/strict";

import { TEST_ORIGIN_PREFIX } from "../helpers/temp-ledger";
import {
  call,
  createTenant,
  Harness,
  issueKey,
  problemOf,
  secretOf,
  startHarness,
} from "./harness";

const KEY_FORMAT = /^al_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/;

describe("API administration", () => {
  let h: Harness;

  beforeEach(async () => {
    h = await startHarness();
  });

  afterEach(() => h.close());

  const admin = (method: "GET" | "POST" | "PATCH" | "DELETE", url: string, payload?: object) =>
    call(h.app, { method, url, key: h.adminKey, payload });

  describe("tenants", () => {
    it("creates a tenant with its own origin and verifier key, never showing its data key", async () => {
      const res = await admin("POST", "/v1/admin/tenants", { id: "acme" });

      assert.equal(res.statusCode, 201);
      assert.equal(res.headers.location, "/v1/admin/tenants/acme");
      const t = res.json();
      assert.deepEqual(Object.keys(t).sort(), [
        "createdMs",
        "disabled",
        "id",
        "origin",
        "treeSize",
        "verifierKey",
      ]);
      assert.equal(t.origin, `${TEST_ORIGIN_PREFIX}/acme`);
      assert.equal(t.verifierKey, h.ledger.verifierKey("acme"));
      assert.ok(!res.body.includes(h.ledger.getTenant("acme")!.wrappedKey));
    });

    it("lists and reads tenants, and answers 404 for an unknown one", async () => {
      await createTenant(h, "globex");
      await createTenant(h, "acme");

      const list = await admin("GET", "/v1/admin/tenants");
      const one = await admin("GET", "/v1/admin/tenants/globex");
      const missing = await admin("GET", "/v1/admin/tenants/initech");

      assert.deepEqual(
        list.json().tenants.map((t: { id: string }) => t.id),
        ["acme", "globex"],
      );
      assert.equal(one.json().id, "globex");
      assert.equal(missing.statusCode, 404);
      assert.equal(problemOf(missing)?.code, "API_TENANT_NOT_FOUND");
    });

    it("answers 409 for a duplicate and 400 for a malformed id", async () => {
      await createTenant(h, "acme");

      const dup = await admin("POST", "/v1/admin/tenants", { id: "acme" });
      const bad = await admin("POST", "/v1/admin/tenants", { id: "Not Valid" });

      assert.equal(dup.statusCode, 409);
      assert.equal(problemOf(dup)?.code, "API_TENANT_EXISTS");
      assert.equal(bad.statusCode, 400);
    });

    it("disables and re-enables a tenant: appends stop and resume, reads go on", async () => {
      await createTenant(h, "acme");
      const key = (await issueKey(h, "acme", ["append", "read"])).key;
      const event = { actor: "a", action: "b", resource: "c", timestamp: "2026-12-03T13:05:44Z" };
      await call(h.app, { method: "POST", url: "/v1/entries", key, payload: event });

      const off = await admin("PATCH", "/v1/admin/tenants/acme", { disabled: true });
      const refused = await call(h.app, {
        method: "POST",
        url: "/v1/entries",
        key,
        payload: event,
      });
      const read = await call(h.app, { method: "GET", url: "/v1/entries/0", key });
      const on = await admin("PATCH", "/v1/admin/tenants/acme", { disabled: false });
      const accepted = await call(h.app, {
        method: "POST",
        url: "/v1/entries",
        key,
        payload: event,
      });

      assert.equal(off.json().disabled, true);
      assert.equal(refused.statusCode, 403);
      assert.equal(read.statusCode, 200);
      assert.equal(on.json().disabled, false);
      assert.equal(accepted.statusCode, 201);
    });
  });

  describe("keys", () => {
    beforeEach(() => createTenant(h, "acme"));

    it("issues a tenant key shown once, stored only as a digest, listed without secrets", async () => {
      const res = await admin("POST", "/v1/admin/tenants/acme/keys", {
        scopes: ["read", "append"],
        label: "ci",
      });

      assert.equal(res.statusCode, 201);
      assert.equal(res.headers["cache-control"], "no-store");
      const { key, info } = res.json();
      assert.match(key, KEY_FORMAT);
      assert.deepEqual(info.scopes, ["append", "read"]);
      assert.equal(info.tenant, "acme");
      const secret = secretOf(key);
      const list = await admin("GET", "/v1/admin/tenants/acme/keys");
      assert.equal(list.json().keys.length, 1);
      assert.ok(!list.body.includes(secret));
      for await (const [, value] of h.ledger.store.entries({ gte: "apikey", lt: "apikez" })) {
        assert.ok(!Buffer.from(value).toString("utf8").includes(secret), "no secret at rest");
      }
    });

    it("refuses unknown scopes and keys for unknown tenants", async () => {
      const scope = await admin("POST", "/v1/admin/tenants/acme/keys", { scopes: ["root"] });
      const none = await admin("POST", "/v1/admin/tenants/acme/keys", { scopes: [] });
      const tenant = await admin("POST", "/v1/admin/tenants/initech/keys", { scopes: ["read"] });

      assert.equal(scope.statusCode, 400);
      assert.equal(none.statusCode, 400);
      assert.equal(tenant.statusCode, 404);
    });

    it("revokes a key: it stops working at once and stays listed as revoked", async () => {
      const issued = await issueKey(h, "acme", ["read"]);
      const before = await call(h.app, { method: "GET", url: "/v1/checkpoint", key: issued.key });

      const revoked = await admin("DELETE", `/v1/admin/keys/${issued.id}`);
      const after = await call(h.app, { method: "GET", url: "/v1/checkpoint", key: issued.key });

      assert.equal(before.statusCode, 200);
      assert.equal(revoked.statusCode, 200);
      assert.ok(revoked.json().revokedMs > 0);
      assert.equal(after.statusCode, 401);
      const listed = (await admin("GET", "/v1/admin/tenants/acme/keys")).json().keys;
      assert.equal(listed[0].revokedMs, revoked.json().revokedMs);
    });

    it("issues further operator keys, and never revokes the last active one", async () => {
      const second = await admin("POST", "/v1/admin/keys", { label: "backup" });
      const secondKey = second.json().key;
      const secondId = second.json().info.id;
      const ids = (await admin("GET", "/v1/admin/keys"))
        .json()
        .keys.map((k: { id: string }) => k.id);
      const firstId = ids.find((id: string) => id !== secondId);

      const first = await admin("DELETE", `/v1/admin/keys/${firstId}`);
      const last = await call(h.app, {
        method: "DELETE",
        url: `/v1/admin/keys/${secondId}`,
        key: secondKey,
      });

      assert.equal(second.json().info.tenant, null);
      assert.deepEqual(second.json().info.scopes, ["admin"]);
      assert.equal(first.statusCode, 200);
      assert.equal(last.statusCode, 409);
      assert.equal(problemOf(last)?.code, "API_LAST_ADMIN_KEY");
    });

    it("answers 404 when revoking an unknown key", async () => {
      const res = await admin("DELETE", "/v1/admin/keys/0123456789abcdef");

      assert.equal(res.statusCode, 404);
      assert.equal(problemOf(res)?.code, "API_KEY_NOT_FOUND");
    });
  });

  describe("tenant self-service keys", () => {
    beforeEach(async () => {
      await createTenant(h, "acme");
      await createTenant(h, "globex");
    });

    it("lets a tenant administrator issue, list and revoke its own tenant's keys", async () => {
      const tenantAdmin = (await issueKey(h, "acme", ["admin"])).key;
      const own = (k: string) => ({ method: "GET" as const, url: "/v1/keys", key: k });

      const issued = await call(h.app, {
        method: "POST",
        url: "/v1/keys",
        key: tenantAdmin,
        payload: { scopes: ["prove"], label: "auditor" },
      });
      const listed = await call(h.app, own(tenantAdmin));
      const revoked = await call(h.app, {
        method: "DELETE",
        url: `/v1/keys/${issued.json().info.id}`,
        key: tenantAdmin,
      });

      assert.equal(issued.statusCode, 201);
      assert.equal(issued.json().info.tenant, "acme");
      assert.equal(listed.json().keys.length, 2);
      assert.equal(revoked.statusCode, 200);
      const auditor = await call(h.app, {
        method: "GET",
        url: "/v1/checkpoint",
        key: issued.json().key,
      });
      assert.equal(auditor.statusCode, 401);
    });

    it("treats another tenant's key as absent (404) and refuses keys without the admin scope", async () => {
      const acmeAdmin = (await issueKey(h, "acme", ["admin"])).key;
      const globexKey = await issueKey(h, "globex", ["read"]);
      const acmeReader = (await issueKey(h, "acme", ["read", "append", "prove", "erase"])).key;

      const foreign = await call(h.app, {
        method: "DELETE",
        url: `/v1/keys/${globexKey.id}`,
        key: acmeAdmin,
      });
      const lacking = await call(h.app, { method: "GET", url: "/v1/keys", key: acmeReader });

      assert.equal(foreign.statusCode, 404);
      assert.equal(lacking.statusCode, 403);
      assert.equal(h.keys.get(globexKey.id)?.revokedMs, undefined);
    });
  });
});
