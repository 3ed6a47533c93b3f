import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

import { buildApp } from "../../api";
import { Ledger } from "../../ledger";
import { openTestLedger, tempDir } from "../helpers/temp-ledger";
import { TEST_API_CONFIG } from "./harness";

describe("API verifier page", () => {
  let dir: ReturnType<typeof tempDir>;
  let ledger: Ledger;
  let app: Awaited<ReturnType<typeof buildApp>>;

  before(async () => {
    dir = tempDir();
    const page = join(dir.dir, "page");
    mkdirSync(join(page, "assets"), { recursive: true });
    writeFileSync(join(page, "index.html"), "<!doctype html><title>verify</title>");
    writeFileSync(join(page, "assets", "main-abc123.js"), "console.log(1)");
    writeFileSync(join(dir.dir, "secret.txt"), "not part of the page");
    ledger = await openTestLedger(dir.dir);
    app = await buildApp({ ledger, config: TEST_API_CONFIG, verifierPageDir: page });
  });

  after(async () => {
    await app.close();
    await ledger.close();
    dir.cleanup();
  });

  it("redirects /verify to /verify/ so the page's relative paths resolve", async () => {
    const res = await app.inject({ method: "GET", url: "/verify" });
    assert.equal(res.statusCode, 301);
    assert.equal(res.headers.location, "/verify/");
  });

  it("serves the index without a key, with the page's own content security policy", async () => {
    const res = await app.inject({ method: "GET", url: "/verify/" });

    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers["content-type"]), /^text\/html/);
    assert.match(String(res.headers["content-security-policy"]), /connect-src 'self' http: https:/);
    assert.match(String(res.headers["content-security-policy"]), /wasm-unsafe-eval/);
    assert.equal(res.headers["cache-control"], "no-cache");
  });

  it("serves hashed assets as immutable", async () => {
    const res = await app.inject({ method: "GET", url: "/verify/assets/main-abc123.js" });

    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers["cache-control"]), /immutable/);
    assert.equal(res.body, "console.log(1)");
  });

  it("answers problem JSON 404 for anything else, including paths that climb out", async () => {
    for (const url of [
      "/verify/secret.txt",
      "/verify/../secret.txt",
      "/verify/assets/../../secret.txt",
      "/verify/assets/x.exe",
    ]) {
      const res = await app.inject({ method: "GET", url });
      assert.equal(res.statusCode, 404, url);
      assert.match(String(res.headers["content-type"]), /application\/problem\+json/, url);
      assert.doesNotMatch(res.body, /not part of the page/);
    }
  });
});
