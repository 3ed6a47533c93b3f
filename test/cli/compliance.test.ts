/**
 * `anchorlog verify-compliance` and `anchorlog policy-root` as the real binary, on the
 * compliance scenario's real bundles (real Groth16 proofs over the shipped development
 * setup). The scenario's chain is Hardhat's in-process network; a small JSON-RPC bridge
 * serves it on 127.0.0.1 so the child processes reach it as they would any node.
 */
import { expect } from "chai";
import { once } from "node:events";
import { writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";

import hre from "hardhat";

import { scenario, type Scenario } from "../compliance/scenario";
import { tempDir } from "../helpers/temp-ledger";
import { runCli, writeJson, type CliRun } from "./cli-harness";

/** Serves Hardhat's in-process network over HTTP JSON-RPC. */
async function bridge(): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (d) => (body += d));
    req.on("end", async () => {
      const call = JSON.parse(body) as { id: unknown; method: string; params?: unknown[] };
      let answer: Record<string, unknown>;
      try {
        const result = await hre.network.provider.request({
          method: call.method,
          params: call.params ?? [],
        });
        answer = { jsonrpc: "2.0", id: call.id, result };
      } catch (err) {
        answer = { jsonrpc: "2.0", id: call.id, error: { code: -32000, message: String(err) } };
      }
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify(answer));
    });
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

describe("anchorlog verify-compliance and policy-root", function () {
  this.timeout(300_000);

  let s: Scenario;
  let rpc: { url: string; server: Server };
  let cleanup: () => void;
  const runs: Record<string, CliRun> = {};

  before(async () => {
    s = await scenario();
    rpc = await bridge();
    const d = tempDir("anchorlog-cli-compliance-");
    cleanup = d.cleanup;
    const file = (name: string, value: unknown) => writeJson(join(d.dir, name), value);
    const keys = join(d.dir, "keys.txt");
    writeFileSync(keys, s.trustedKeys.join("\n") + "\n");
    const bundle = file("bundle.json", s.bundle);
    const sample = file("sample.json", s.sample);
    const policy = file("policy.json", s.docs.policy);
    const permissive = file("permissive.json", s.docs.permissivePolicy);
    const signals = [...s.bundle.publicSignals];
    signals[3 + s.bundle.params.operations] = String(
      BigInt(signals[3 + s.bundle.params.operations]) + 1n,
    );
    const tampered = file("tampered.json", { ...s.bundle, publicSignals: signals });
    const badPolicy = file("bad-policy.json", { version: 1, roles: [], grants: [{}] });
    const verify = (f: string, ...extra: string[]) =>
      runCli(["--json", "verify-compliance", f, "--key", keys, ...extra]);

    const started: Record<string, Promise<CliRun>> = {
      window: verify(bundle, "--rpc", rpc.url, "--policy", policy),
      offline: verify(bundle),
      sample: verify(sample, "--rpc", rpc.url),
      permissive: verify(bundle, "--rpc", rpc.url, "--policy", permissive),
      tampered: verify(tampered, "--rpc", rpc.url),
      sampleOffline: verify(sample),
      root: runCli(["--json", "policy-root", policy]),
      badRoot: runCli(["policy-root", badPolicy]),
    };
    for (const [name, run] of Object.entries(started)) runs[name] = await run;
  });

  after(async () => {
    rpc?.server.close();
    cleanup?.();
  });

  it("verifies a window bundle against the chain and the reviewed policy (exit 0)", () => {
    const doc = runs.window.json();

    expect(runs.window.status, runs.window.stderr).to.equal(0);
    expect(doc.steps.map((x: { step: string }) => x.step)).to.deep.equal([
      "format",
      "vkey",
      "window",
      "commitments",
      "times",
      "checkpoint",
      "inclusion",
      "epoch-path",
      "epoch-root",
      "roots",
      "groth16",
    ]);
    expect(doc.steps.every((x: { verdict: string }) => x.verdict === "ok")).to.equal(true);
    expect(runs.window.stderr).to.match(/development verification key, which is INSECURE/);
  });

  it("reports the anchored root 'not checked' without --rpc", () => {
    const steps = runs.offline.json().steps;

    expect(runs.offline.status).to.equal(0);
    expect(steps.find((x: { step: string }) => x.step === "epoch-root").verdict).to.equal(
      "not checked",
    );
  });

  it("verifies a sampling audit and each of its windows", () => {
    const doc = runs.sample.json();

    expect(runs.sample.status, runs.sample.stderr).to.equal(0);
    expect(doc.windows).to.have.length(s.sample.windows.length);
    expect(doc.windows.every((w: { ok: boolean }) => w.ok)).to.equal(true);
  });

  it("fails a bundle whose anchored policy root is not the reviewed policy's", () => {
    const last = runs.permissive.json().steps.at(-1);

    expect(runs.permissive.status).to.equal(1);
    expect(last).to.include({ step: "roots", verdict: "failed" });
  });

  it("fails a bundle with an operation time changed", () => {
    const failed = runs.tampered
      .json()
      .steps.find((x: { verdict: string }) => x.verdict === "failed");

    expect(runs.tampered.status).to.equal(1);
    expect(failed.step).to.be.oneOf(["times", "groth16"]);
  });

  it("refuses a sampling audit without a chain, and a malformed policy (exit 2)", () => {
    expect(runs.sampleOffline.status).to.equal(2);
    expect(runs.sampleOffline.stderr).to.match(/needs --rpc/);
    expect(runs.badRoot.status).to.equal(2);
    expect(runs.badRoot.stderr.trim().split("\n")).to.have.length(1);
  });

  it("recomputes the policy root the bundle's anchor carries", () => {
    const doc = runs.root.json();

    expect(runs.root.status, runs.root.stderr).to.equal(0);
    expect(doc.circuits.dev.policyRoot).to.equal(s.bundle.anchor.policyRoot);
  });
});
