/**
 * The API key store on a real LevelDB store: issuing, verifying, revoking, and what lands
 * on disk.
 */
import assert from "node:assert/strict";
import { join } from "node:path";

import { isLedgerError, KvStore, openLevelStore } from "../../ledger";
import { ApiKeyStore, generateApiKey, isApiKeyFormat } from "../../ledger/tenancy/api-keys";
import { tempDir } from "../helpers/temp-ledger";
import { secretOf } from "./harness";

describe("ApiKeyStore", () => {
  let dir: ReturnType<typeof tempDir>;
  let store: KvStore;
  let keys: ApiKeyStore;

  beforeEach(async () => {
    dir = tempDir();
    store = await openLevelStore(join(dir.dir, "db"));
    keys = await ApiKeyStore.open(store);
  });

  afterEach(async () => {
    await store.close();
    dir.cleanup();
  });

  it("issues keys in the al_<id>_<secret> format that verify to their principal", async () => {
    const { key, info } = await keys.issue({ tenant: "acme", scopes: ["read", "append"] });

    assert.ok(isApiKeyFormat(key));
    assert.equal(key.split("_")[1], info.id);
    const verdict = keys.verify(key);
    assert.ok(verdict.ok);
    assert.deepEqual(verdict.key, info);
    assert.deepEqual(info.scopes, ["append", "read"], "scopes in catalog order");
  });

  it("tells malformed, unknown, wrong and revoked keys apart", async () => {
    const { key, info } = await keys.issue({ tenant: "acme", scopes: ["read"] });
    const wrong = `${key.slice(0, -1)}${key.endsWith("A") ? "B" : "A"}`;

    assert.deepEqual(keys.verify("al_nope"), { ok: false, reason: "malformed" });
    assert.deepEqual(keys.verify(42), { ok: false, reason: "malformed" });
    assert.equal((keys.verify(generateApiKey()) as { reason: string }).reason, "unknown");
    assert.deepEqual(keys.verify(wrong), { ok: false, reason: "mismatch", id: info.id });
    await keys.revoke(info.id);
    assert.deepEqual(keys.verify(key), { ok: false, reason: "revoked", id: info.id });
  });

  it("keeps keys and revocations across a reopen, and stores no secret", async () => {
    const a = await keys.issue({ tenant: "acme", scopes: ["read"] });
    const b = await keys.issue({ tenant: null, scopes: ["admin"], label: "ops" });
    await keys.revoke(a.info.id);

    const reopened = await ApiKeyStore.open(store);

    assert.equal(reopened.verify(a.key).ok, false);
    assert.ok(reopened.verify(b.key).ok);
    assert.deepEqual(reopened.list(null), [b.info]);
    for await (const [, value] of store.entries({ gte: "apikey", lt: "apikez" })) {
      const text = Buffer.from(value).toString("utf8");
      for (const key of [a.key, b.key]) assert.ok(!text.includes(secretOf(key)));
    }
  });

  it("keeps the first revocation time", async () => {
    const { info } = await keys.issue({ tenant: "acme", scopes: ["read"] });

    const first = await keys.revoke(info.id, 1000);
    const again = await keys.revoke(info.id, 2000);

    assert.equal(first?.revokedMs, 1000);
    assert.equal(again?.revokedMs, 1000);
    assert.equal(await keys.revoke("0123456789abcdef"), undefined);
  });

  it("adopts a configured key once, and refuses the same id with another secret or principal", async () => {
    const key = generateApiKey();
    const first = await keys.adopt(key, { tenant: null, scopes: ["admin"] });
    const again = await keys.adopt(key, { tenant: null, scopes: ["admin"] });
    const [, id] = key.split("_");
    const other = `al_${id}_${secretOf(generateApiKey())}`;

    assert.deepEqual(again, first);
    await assert.rejects(keys.adopt(other, { tenant: null, scopes: ["admin"] }), RangeError);
    await assert.rejects(keys.adopt(key, { tenant: "acme", scopes: ["read"] }), RangeError);
  });

  it("checks scopes against the principal and the tenant id", async () => {
    await assert.rejects(keys.issue({ tenant: null, scopes: ["read"] }), RangeError);
    await assert.rejects(keys.issue({ tenant: null, scopes: ["admin", "read"] }), RangeError);
    await assert.rejects(keys.issue({ tenant: "acme", scopes: [] }), RangeError);
    await assert.rejects(keys.issue({ tenant: "acme", scopes: ["root" as never] }), RangeError);
    await assert.rejects(keys.issue({ tenant: "Not Valid", scopes: ["read"] }), (e) =>
      isLedgerError(e, "LEDGER_BAD_TENANT_ID"),
    );
  });

  it("lists keys by principal", async () => {
    const a = await keys.issue({ tenant: "acme", scopes: ["read"] });
    const g = await keys.issue({ tenant: "globex", scopes: ["read"] });
    const o = await keys.issue({ tenant: null, scopes: ["admin"] });

    assert.deepEqual(keys.list("acme"), [a.info]);
    assert.deepEqual(keys.list("globex"), [g.info]);
    assert.deepEqual(keys.list(null), [o.info]);
    assert.equal(keys.list().length, 3);
  });
});
