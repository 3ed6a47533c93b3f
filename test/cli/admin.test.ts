/**
 * `anchorlog tenants` and `anchorlog keys` as the real binary against a real service.
 */
import { expect } from "chai";

import type { Ledger } from "../../ledger";
import { openTestLedger, tempDir } from "../helpers/temp-ledger";
import { runCli, serve, type Served } from "./cli-harness";

describe("anchorlog tenants and keys", function () {
  this.timeout(120_000);

  let ledger: Ledger;
  let served: Served;
  let cleanup: () => void;
  const admin = (args: string[]) =>
    runCli(["--json", ...args, "--url", served.url], {
      env: { ANCHORLOG_ADMIN_KEY: served.adminKey },
    });

  before(async () => {
    const d = tempDir("anchorlog-cli-admin-");
    cleanup = d.cleanup;
    ledger = await openTestLedger(d.dir);
    served = await serve(ledger);
  });

  after(async () => {
    await served.close();
    await ledger.close();
    cleanup();
  });

  it("creates, lists, disables and enables tenants", async () => {
    const created = await admin(["tenants", "create", "acme"]);
    const [again, disabled] = await Promise.all([
      admin(["tenants", "create", "acme"]),
      admin(["tenants", "disable", "acme"]),
    ]);
    const listed = await admin(["tenants", "list"]);
    const enabled = await admin(["tenants", "enable", "acme"]);

    expect(created.status, created.stderr).to.equal(0);
    expect(created.json().tenant.verifierKey).to.equal(ledger.verifierKey("acme"));
    expect(again.status).to.equal(1);
    expect(again.json().error.message).to.match(/409 .*\[API_TENANT_EXISTS\]/);
    expect(disabled.json().tenant.disabled).to.equal(true);
    expect(listed.json().tenants.map((t: { id: string }) => t.id)).to.deep.equal(["acme"]);
    expect(enabled.json().tenant.disabled).to.equal(false);
    expect(ledger.getTenant("acme")?.disabled).to.equal(false);
  });

  it("issues a tenant key that works, lists it, and revokes it", async () => {
    await ledger.createTenant("globex");

    const issued = await admin(["keys", "create", "--tenant", "globex", "--scopes", "read,append"]);
    const { key, info } = issued.json();
    const listed = await admin(["keys", "list", "--tenant", "globex"]);
    const before = await fetch(`${served.url}/v1/checkpoint`, {
      headers: { authorization: `Bearer ${key}` },
    });
    const revoked = await admin(["keys", "revoke", info.id]);
    const after = await fetch(`${served.url}/v1/checkpoint`, {
      headers: { authorization: `Bearer ${key}` },
    });

    expect(issued.status, issued.stderr).to.equal(0);
    expect(info).to.include({ tenant: "globex" });
    expect([...info.scopes].sort()).to.deep.equal(["append", "read"]);
    expect(listed.json().keys.map((k: { id: string }) => k.id)).to.deep.equal([info.id]);
    expect(before.status).to.equal(200);
    expect(revoked.json().key.revokedMs).to.be.a("number");
    expect(after.status).to.equal(401);
  });

  it("needs an operator key: none is a usage error (2), a wrong one is refused (1)", async () => {
    const [none, wrong] = await Promise.all([
      runCli(["tenants", "list", "--url", served.url], { env: { ANCHORLOG_ADMIN_KEY: "" } }),
      runCli(["tenants", "list", "--url", served.url, "--admin-key", "al_0123456789abcdef_x"]),
    ]);

    expect(none.status).to.equal(2);
    expect(none.stderr).to.match(/--admin-key/);
    expect(wrong.status).to.equal(1);
    expect(wrong.stderr).to.match(/401 .*\[API_UNAUTHENTICATED\]/);
  });
});
