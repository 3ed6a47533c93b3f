import { expect } from "chai";
import { Contract, keccak256, toUtf8Bytes } from "ethers";

import type { Ledger } from "../../ledger";
import {
  readEpochRootFromChain,
  REGISTRY_ABI,
  type ChainEpochRootReader,
} from "../../ledger/anchor";
import { AnchorWorker } from "../../ledger/anchor/anchor-worker";
import type { RegistryDeployment } from "../../ledger/anchor/deploy";
import type { LocalNode } from "../../ledger/anchor/local-node";
import { verifyAnchoredReceipt } from "../../ledger/verify/anchor-check";
import type { Receipt } from "../../ledger/verify/receipt";
import {
  ANCHORER_KEY,
  appendMany,
  deployOn,
  EventRecorder,
  ledgerWith,
  rpc,
  startChain,
  walletOn,
} from "./worker-harness";

// A reorg on a Hardhat node: evm_snapshot before an anchor, evm_revert after it was
// confirmed. The reverted blocks, and the anchor transaction in them, are gone.
describe("AnchorWorker when a reorg removes a confirmed anchor", function () {
  this.timeout(120_000);

  let node: LocalNode;
  let reader: ChainEpochRootReader;
  let deployment: RegistryDeployment;
  let ledger: Ledger;
  let cleanup: () => Promise<void>;
  let worker: AnchorWorker;
  let events: EventRecorder;

  before(async () => {
    node = await startChain({ miningIntervalMs: 200 });
    reader = readEpochRootFromChain(node.rpcUrl);
  });

  after(async () => {
    reader.destroy();
    await node.stop();
  });

  beforeEach(async () => {
    deployment = await deployOn(node.rpcUrl);
    ({ ledger, cleanup } = await ledgerWith(["acme", "beta"]));
    events = new EventRecorder();
    worker = await AnchorWorker.open({
      ledger,
      rpcUrl: node.rpcUrl,
      privateKey: ANCHORER_KEY,
      registry: { chainId: deployment.chainId, address: deployment.address },
      confirmations: 2,
      epochMs: 200,
      pollMs: 50,
      rpcTimeoutMs: 5_000,
      onEvent: events.listener,
    });
  });

  afterEach(async () => {
    await worker.close();
    await cleanup();
  });

  function verify(receipt: Receipt) {
    return verifyAnchoredReceipt(receipt, {
      trustedKeys: [ledger.verifierKey("acme")],
      readEpochRoot: reader,
    });
  }

  /** Anchors epoch 1, snapshots the chain, then anchors epoch 2 over 2 more acme entries. */
  async function anchorTwoEpochs(): Promise<{ snapshot: string; receipt: Receipt }> {
    const first = events.next("epoch-confirmed", (e) => e.epoch === 1);
    worker.start();
    await appendMany(ledger, "acme", 2);
    await appendMany(ledger, "beta", 1);
    await first;
    const snapshot = String(await rpc(node.rpcUrl, "evm_snapshot"));

    const second = events.next("epoch-confirmed", (e) => e.epoch === 2);
    await appendMany(ledger, "acme", 2);
    await second;
    const receipt = await worker.anchoredReceipt("acme", 3);
    expect(receipt.anchor?.epoch).to.equal(2);
    return { snapshot, receipt };
  }

  it("re-sends the lost epoch with the same root, so its receipts stay valid", async () => {
    const { snapshot, receipt: before } = await anchorTwoEpochs();
    const reorg = events.next("reorg", (e) => e.epoch === 2);
    const resend = events.next("epoch-resent", (e) => e.epoch === 2);
    const reconfirmed = events.next("epoch-confirmed", (e) => e.epoch === 2);

    await rpc(node.rpcUrl, "evm_revert", [snapshot]);

    const seen = await reorg;
    expect(seen.now).to.equal(null);
    expect(seen.was.blockHash).to.equal(before.anchor?.blockHash);
    const resent = await resend;
    await reconfirmed;

    const after = await worker.anchoredReceipt("acme", 3);
    expect(after.anchor?.txHash).to.equal(resent.txHash);
    expect(after.anchor?.epochRoot).to.equal(before.anchor?.epochRoot);
    expect((await verify(before)).ok).to.equal(true);
    expect((await verify(after)).ok).to.equal(true);
    expect(events.all("epoch-lost")).to.have.length(0);
  });

  it("anchors the current checkpoints as a new epoch when the lost one was taken", async () => {
    const { snapshot, receipt: before } = await anchorTwoEpochs();
    await worker.stop();
    await rpc(node.rpcUrl, "evm_revert", [snapshot]);
    // Before the worker looks again, the same account anchors another root as epoch 2.
    const wallet = walletOn(node.rpcUrl);
    const foreignRoot = keccak256(toUtf8Bytes("another root for epoch 2"));
    const registry = new Contract(deployment.address, REGISTRY_ABI as string[], wallet);
    await (await registry.anchor(2, foreignRoot)).wait();
    wallet.close();

    await worker.tick();

    const [lost] = events.all("epoch-lost");
    expect(lost.epoch).to.equal(2);
    expect(lost.error.code).to.equal("ANCHOR_EPOCH_TAKEN");
    expect(lost.error.data).to.include({ actual: foreignRoot, expected: before.anchor?.epochRoot });
    expect(events.all("epoch-sent").at(-1)).to.include({ epoch: 3, leafCount: 2 });

    const third = events.next("epoch-confirmed", (e) => e.epoch === 3);
    worker.start();
    await third;
    const after = await worker.anchoredReceipt("acme", 3);
    const stale = await verify(before);

    expect(after.anchor?.epoch).to.equal(3);
    expect((await verify(after)).ok).to.equal(true);
    expect(stale.ok).to.equal(false);
    expect(stale.steps.at(-1)).to.include({ step: "chain", code: "ANCHOR_ROOT_MISMATCH" });
    // Records are numbered in the order they were sent: the second one is epoch 2's.
    const record = await worker.records.record(2);
    expect(record).to.include({ epoch: 2, status: "lost", reason: "ANCHOR_EPOCH_TAKEN" });
  });
});
