/**
 * The commands that read the chain, as the real binary against a real Hardhat node with
 * real registries and a real anchoring worker: anchored receipts, the monitor's anchor
 * check, restore's refusal of a backup behind anchored history, and fsck's chain check.
 */
import { expect } from "chai";
import { copyFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";

import type { Ledger } from "../../ledger";
import { AnchorWorker } from "../../ledger/anchor/anchor-worker";
import type { RegistryDeployment } from "../../ledger/anchor/deploy";
import type { LocalNode } from "../../ledger/anchor/local-node";
import type { Receipt } from "../../ledger/verify/receipt";
import { ANCHORER_KEY, deployOn, startChain } from "../anchor/worker-harness";
import { openTestLedger, sampleEvent, tempDir } from "../helpers/temp-ledger";
import { appendEvents, openDataDir, runCli, serve, writeJson, type Served } from "./cli-harness";

describe("anchorlog commands on a chain", function () {
  this.timeout(240_000);

  let node: LocalNode;
  let r1: RegistryDeployment;
  let r2: RegistryDeployment;
  const cleanups: (() => void)[] = [];
  const newDir = () => {
    const d = tempDir("anchorlog-cli-chain-");
    cleanups.push(d.cleanup);
    return d.dir;
  };
  let dataDir: string;
  let ledger: Ledger;
  let worker: AnchorWorker;
  let served: Served;
  let other: { ledger: Ledger; worker: AnchorWorker };
  let key: string;
  let receipt: Receipt;

  const workerFor = (l: Ledger, registry: RegistryDeployment) =>
    AnchorWorker.open({
      ledger: l,
      rpcUrl: node.rpcUrl,
      privateKey: ANCHORER_KEY,
      registry: { chainId: registry.chainId, address: registry.address },
      epochMs: 1,
    });
  // One tick sends an epoch, the next sees it confirmed (the node mines one block per
  // transaction and one confirmation is asked for).
  const anchor = async (w: AnchorWorker) => {
    await w.tick();
    await w.tick();
  };

  before(async () => {
    node = await startChain();
    r1 = await deployOn(node.rpcUrl);
    r2 = await deployOn(node.rpcUrl);

    dataDir = newDir();
    ledger = await openDataDir(dataDir);
    await ledger.createTenant("acme");
    await ledger.createTenant("globex");
    await appendEvents(ledger, "acme", 5);
    await appendEvents(ledger, "globex", 3);
    worker = await workerFor(ledger, r1);
    await anchor(worker);
    receipt = await worker.anchoredReceipt("acme", 2);
    key = ledger.verifierKey("acme");
    served = await serve(ledger, (t, i) => worker.anchoredReceipt(t, i));

    // Another operator's log anchors epoch 1 of the second registry with another root.
    const otherLedger = await openTestLedger(newDir());
    await otherLedger.createTenant("acme");
    await otherLedger.append("acme", sampleEvent(1));
    other = { ledger: otherLedger, worker: await workerFor(otherLedger, r2) };
    await anchor(other.worker);
  });

  after(async () => {
    await served?.close();
    await worker?.close();
    await ledger?.close();
    await other?.worker.close();
    await other?.ledger.close();
    await node?.stop();
    for (const c of cleanups) c();
  });

  it("verifies an anchored receipt's path offline and its root on chain with --rpc", async () => {
    const file = writeJson(join(newDir(), "anchored.json"), receipt);

    const [offline, online] = await Promise.all([
      runCli(["--json", "verify", file, "--key", key]),
      runCli(["--json", "verify", file, "--key", key, "--rpc", node.rpcUrl]),
    ]);

    expect(receipt.status).to.equal("anchored");
    expect(offline.status, offline.stderr).to.equal(0);
    const steps = offline.json().receipts[0].steps;
    expect(steps.at(-2)).to.include({ step: "epoch", verdict: "ok" });
    expect(steps.at(-1)).to.include({ step: "chain", verdict: "not checked" });
    expect(online.status, online.stderr).to.equal(0);
    expect(online.json().receipts[0].steps.at(-1)).to.include({ step: "chain", verdict: "ok" });
  });

  it("fails a tampered anchor at the epoch or chain step (exit 1)", async () => {
    const flip = (hex: string) => hex.slice(0, -1) + (hex.endsWith("0") ? "1" : "0");
    const list = [
      { ...receipt, anchor: { ...receipt.anchor!, epochRoot: flip(receipt.anchor!.epochRoot) } },
      { ...receipt, anchor: { ...receipt.anchor!, registry: r2.address } },
      { ...receipt, anchor: { ...receipt.anchor!, epoch: 7 } },
    ];
    const file = writeJson(join(newDir(), "tampered.json"), list);

    const run = await runCli(["--json", "verify", file, "--key", key, "--rpc", node.rpcUrl]);

    expect(run.status).to.equal(1);
    const last = run
      .json()
      .receipts.map((r: { steps: { step: string; code: string }[] }) => r.steps.at(-1));
    expect(last[0]).to.include({ step: "epoch", verdict: "failed", code: "ANCHOR_ROOT_MISMATCH" });
    expect(last[1]).to.include({ step: "chain", verdict: "failed", code: "ANCHOR_ROOT_MISMATCH" });
    expect(last[2]).to.include({
      step: "chain",
      verdict: "failed",
      code: "ANCHOR_EPOCH_NOT_ANCHORED",
    });
  });

  it("monitors anchors: agreement with the trusted registry, a mismatch with another", async () => {
    const readKey = await served.tenantKey("acme", ["read"]);
    const args = (registry: string, state: string) => [
      "--json",
      "monitor",
      "--url",
      served.url,
      "--key",
      key,
      "--state",
      join(newDir(), state),
      "--rpc",
      node.rpcUrl,
      "--registry",
      registry,
    ];
    const env = { env: { ANCHORLOG_API_KEY: readKey } };

    const [agrees, differs] = await Promise.all([
      runCli(args(r1.address, "r1.json"), env),
      runCli(args(r2.address, "r2.json"), env),
    ]);

    expect(agrees.status, agrees.stderr).to.equal(0);
    expect(agrees.json().anchor).to.include({ size: 5, epoch: 1 });
    expect(differs.status).to.equal(1);
    expect(differs.json().problem.kind).to.equal("anchor-mismatch");
    expect(differs.json().problem.detail).to.match(/chain step: .*receipt names registry/);
  });

  it("refuses to restore a backup behind anchored history, unless forced; fsck agrees", async () => {
    const backupFile = join(newDir(), "old.backup");
    const backup = await runCli(["--json", "backup", "--out", backupFile, "--url", served.url], {
      env: { ANCHORLOG_ADMIN_KEY: served.adminKey },
    });
    await appendEvents(ledger, "acme", 5, 5);
    await anchor(worker);
    await served.close();
    await worker.close();
    await ledger.close();
    const empty = newDir();
    mkdirSync(join(empty, "keys"), { mode: 0o700 });
    for (const f of ["master.key", "signing.key"]) {
      copyFileSync(join(dataDir, "keys", f), join(empty, "keys", f));
    }

    // The store takes one process at a time; the empty folder's restore runs beside them.
    const chainCheck = runCli([
      "--json",
      "restore",
      backupFile,
      "--data-dir",
      empty,
      "--rpc",
      node.rpcUrl,
    ]);
    const checked = await runCli(["--json", "fsck", "--data-dir", dataDir, "--rpc", node.rpcUrl]);
    const fromStore = await runCli(["--json", "restore", backupFile, "--data-dir", dataDir]);
    const fromChain = await chainCheck;
    const forced = await runCli([
      "--json",
      "restore",
      backupFile,
      "--data-dir",
      dataDir,
      "--force",
    ]);
    const after = await runCli(["--json", "fsck", "--data-dir", dataDir, "--rpc", node.rpcUrl]);

    expect(backup.status, backup.stderr).to.equal(0);
    expect(backup.json().header.anchored).to.include({ epoch: 1, registry: r1.address });
    expect(checked.status, checked.stdout).to.equal(0);
    expect(checked.json().anchors).to.include({ epochsChecked: 2, checkedOnChain: 2 });
    expect(fromStore.status, fromStore.stderr).to.equal(1);
    expect(fromStore.json().losses).to.deep.include({
      tenant: "acme",
      anchoredSize: 10,
      backupSize: 5,
      detail: "acme: anchored size 10 (epoch 2), backup size 5",
    });
    expect(fromChain.status).to.equal(1);
    expect(fromChain.json().losses[0].detail).to.match(/holds epochs up to 2; .* up to epoch 1/);
    expect(forced.status, forced.stderr).to.equal(0);
    expect(forced.json().losses).to.have.length(1);
    expect(after.status, after.stdout).to.equal(0);
    expect(after.json().anchors).to.include({ epochsChecked: 1, checkedOnChain: 1 });
  });
});
