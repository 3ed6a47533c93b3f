import { expect } from "chai";

import type { Ledger } from "../../ledger";
import { readEpochRootFromChain, type ChainEpochRootReader } from "../../ledger/anchor";
import { AnchorWorker } from "../../ledger/anchor/anchor-worker";
import type { AnchorWorkerOptions } from "../../ledger/anchor/anchor-worker-options";
import { deployRegistry, type RegistryDeployment } from "../../ledger/anchor/deploy";
import type { LocalNode } from "../../ledger/anchor/local-node";
import { verifyAnchoredReceipt } from "../../ledger/verify/anchor-check";
import type { Receipt } from "../../ledger/verify/receipt";
import {
  ANCHORER_KEY,
  appendMany,
  deployOn,
  EventRecorder,
  ledgerWith,
  startChain,
} from "./worker-harness";

// A development chain is reset by stopping its node and starting a fresh one on the same
// port: same URL, same chain id, no blocks, no registry.
describe("AnchorWorker when the development chain is reset", function () {
  this.timeout(120_000);

  let node: LocalNode;
  let deployment: RegistryDeployment;
  let ledger: Ledger;
  let cleanup: () => Promise<void>;
  const workers: AnchorWorker[] = [];
  const readers: ChainEpochRootReader[] = [];

  before(async () => {
    node = await startChain({ miningIntervalMs: 200 });
    deployment = await deployOn(node.rpcUrl);
    ({ ledger, cleanup } = await ledgerWith(["acme", "beta"]));
  });

  after(async () => {
    for (const worker of workers) await worker.close();
    for (const reader of readers) reader.destroy();
    await cleanup();
    await node.stop();
  });

  async function openWorker(events: EventRecorder, options: Partial<AnchorWorkerOptions>) {
    const worker = await AnchorWorker.open({
      ledger,
      rpcUrl: node.rpcUrl,
      privateKey: ANCHORER_KEY,
      registry: { chainId: deployment.chainId, address: deployment.address },
      epochMs: 200,
      pollMs: 50,
      rpcTimeoutMs: 5_000,
      backoff: { initialMs: 50, maxMs: 200 },
      onEvent: events.listener,
      ...options,
    });
    workers.push(worker);
    return worker;
  }

  async function verify(receipt: Receipt) {
    const reader = readEpochRootFromChain(node.rpcUrl);
    readers.push(reader);
    return verifyAnchoredReceipt(receipt, {
      trustedKeys: [ledger.verifierKey("acme")],
      readEpochRoot: reader,
    });
  }

  let oldReceipt: Receipt;

  it("reports ANCHOR_REGISTRY_GONE once and keeps its records", async () => {
    const events = new EventRecorder();
    const worker = await openWorker(events, {});
    const anchored = events.next("epoch-confirmed");
    worker.start();
    await appendMany(ledger, "acme", 2);
    await appendMany(ledger, "beta", 1);
    await anchored;
    oldReceipt = await worker.anchoredReceipt("acme", 1);
    expect((await verify(oldReceipt)).ok).to.equal(true);

    const gone = events.next("registry-gone");
    const port = node.port;
    await node.stop();
    node = await startChain({ miningIntervalMs: 200, port });
    const { error, redeploying } = await gone;

    expect(error.code).to.equal("ANCHOR_REGISTRY_GONE");
    expect(error.data).to.include({ reason: "no-code", registry: deployment.address });
    expect(redeploying).to.equal(false);
    // It keeps retrying, and says it once.
    const retries = events.all("retrying").length;
    while (events.all("retrying").length < retries + 3) await events.next("retrying");
    expect(events.all("registry-gone")).to.have.length(1);
    expect(worker.status().lastError?.code).to.equal("ANCHOR_REGISTRY_GONE");
    expect(await worker.records.record(1)).to.include({ epoch: 1, status: "confirmed" });
    await worker.close();
  });

  it("redeploys in dev mode, orphans old records, re-anchors the latest checkpoints", async () => {
    await appendMany(ledger, "acme", 2);
    const events = new EventRecorder();
    const worker = await openWorker(events, {
      devRedeploy: true,
      deploy: (signer) => deployRegistry(signer),
    });
    const redeployed = events.next("registry-redeployed");
    const anchored = events.next("epoch-confirmed");

    worker.start();
    const { deployment: fresh, orphaned } = await redeployed;
    const confirmed = await anchored;

    // The fresh chain gives the same deployer the same address at the same nonce; the
    // generation tells the two registries apart.
    expect(fresh).to.include({ generation: 2, registry: deployment.address });
    expect(orphaned).to.equal(1);
    expect(await worker.records.record(1)).to.include({ status: "orphaned" });
    // Epochs start again at 1 in the new registry, over every log's latest checkpoint.
    expect(confirmed).to.include({ epoch: 1, leafCount: 2 });
    const latest = ledger.checkpoint("acme").size;
    const receipt = await worker.anchoredReceipt("acme", 1);
    expect(receipt).to.deep.include({ status: "anchored", treeSize: latest });
    expect((await verify(receipt)).ok).to.equal(true);

    // The receipt from the old registry names an epoch 1 that now holds another root.
    const stale = await verify(oldReceipt);
    expect(stale.steps.at(-1)).to.include({
      step: "chain",
      ok: false,
      code: "ANCHOR_ROOT_MISMATCH",
    });
  });
});
