import { expect } from "chai";
import { Contract, keccak256, toUtf8Bytes } from "ethers";

import type { Ledger } from "../../ledger";
import { buildEpochTree, checkpointCommitment, REGISTRY_ABI } from "../../ledger/anchor";
import { AnchorWorker } from "../../ledger/anchor/anchor-worker";
import type { AnchorWorkerOptions } from "../../ledger/anchor/anchor-worker-options";
import type { RegistryDeployment } from "../../ledger/anchor/deploy";
import type { LocalNode } from "../../ledger/anchor/local-node";
import { readEpochRootFromChain, type ChainEpochRootReader } from "../../ledger/anchor";
import { verifyAnchoredReceipt } from "../../ledger/verify/anchor-check";
import {
  ANCHORER_KEY,
  appendMany,
  deployOn,
  EventRecorder,
  ledgerWith,
  ManualClock,
  rpc,
  startChain,
  walletOn,
} from "./worker-harness";

const EPOCH_MS = 60_000;
const TX_TIMEOUT_MS = 30_000;

// Stepped by hand: the node mines one block per transaction and no others, the test mines
// the blocks that confirmations need, and a manual clock makes intervals pass.
describe("AnchorWorker", function () {
  let node: LocalNode;
  let reader: ChainEpochRootReader;

  before(async () => {
    node = await startChain();
    reader = readEpochRootFromChain(node.rpcUrl);
  });

  after(async () => {
    reader.destroy();
    await node.stop();
  });

  let deployment: RegistryDeployment;
  let ledger: Ledger;
  let cleanup: () => Promise<void>;
  let clock: ManualClock;
  let events: EventRecorder;
  let wallet: ReturnType<typeof walletOn>;
  const workers: AnchorWorker[] = [];

  beforeEach(async () => {
    wallet = walletOn(node.rpcUrl);
    deployment = await deployOn(node.rpcUrl);
    ({ ledger, cleanup } = await ledgerWith(["acme", "beta", "gamma"]));
    clock = new ManualClock();
    events = new EventRecorder();
  });

  afterEach(async () => {
    for (const worker of workers.splice(0)) await worker.close();
    await cleanup();
    wallet.close();
  });

  async function openWorker(options: Partial<AnchorWorkerOptions> = {}): Promise<AnchorWorker> {
    const worker = await AnchorWorker.open({
      ledger,
      rpcUrl: node.rpcUrl,
      privateKey: ANCHORER_KEY,
      registry: { chainId: deployment.chainId, address: deployment.address },
      epochMs: EPOCH_MS,
      minChangedLogs: 100,
      txTimeoutMs: TX_TIMEOUT_MS,
      rpcTimeoutMs: 5_000,
      clock,
      onEvent: events.listener,
      ...options,
    });
    workers.push(worker);
    return worker;
  }

  /** Mines `blocks` empty blocks, then lets the worker look at the chain once more. */
  async function mineAndTick(worker: AnchorWorker, blocks: number): Promise<void> {
    for (let i = 0; i < blocks; i++) await rpc(node.rpcUrl, "evm_mine");
    await worker.tick();
  }

  function registry(): Contract {
    return new Contract(deployment.address, REGISTRY_ABI as string[], wallet);
  }

  /** The epoch root of the tenants' latest checkpoints, computed without the worker. */
  function expectedRoot(tenants: readonly string[]): string {
    const commitments = tenants.map((tenant) => {
      const cp = ledger.checkpoint(tenant);
      return checkpointCommitment({ origin: cp.origin, treeSize: cp.size, rootHash: cp.rootHash });
    });
    return buildEpochTree(commitments).root;
  }

  describe("when logs have checkpoints", () => {
    it("anchors every non-empty log's latest checkpoint in one transaction", async () => {
      await appendMany(ledger, "acme", 3);
      await appendMany(ledger, "beta", 1);
      const worker = await openWorker();
      const noncesBefore = await wallet.getNonce();

      await worker.tick();
      await mineAndTick(worker, 0);

      // "gamma" has no entries, so only two logs are leaves.
      const [sent] = events.all("epoch-sent");
      expect(sent).to.include({ epoch: 1, leafCount: 2 });
      expect(sent.root).to.equal(expectedRoot(["acme", "beta"]));
      expect(await wallet.getNonce()).to.equal(noncesBefore + 1);
      expect((await registry().epochRoot(1)).toLowerCase()).to.equal(sent.root);
      expect(worker.status()).to.include({ lastAnchoredEpoch: 1, pendingChangedLogs: 0 });
    });

    it("counts an anchor confirmed only under the configured number of blocks", async () => {
      await appendMany(ledger, "acme", 2);
      const worker = await openWorker({ confirmations: 3 });

      await worker.tick();
      const mined = await rpc(node.rpcUrl, "eth_getTransactionReceipt", [
        events.all("epoch-sent")[0].txHash,
      ]);
      const minedIn = Number((mined as { blockNumber: string }).blockNumber);
      await mineAndTick(worker, 1);

      // Its own block and one more: two confirmations of three.
      expect(worker.status().inFlightEpoch).to.equal(1);
      expect(events.all("epoch-confirmed")).to.have.length(0);

      await mineAndTick(worker, 1);

      const [confirmed] = events.all("epoch-confirmed");
      expect(confirmed).to.include({ epoch: 1, blockNumber: minedIn });
      expect(worker.status().inFlightEpoch).to.equal(undefined);
    });

    it("skips an epoch when no log changed, however long it waits", async () => {
      await appendMany(ledger, "acme", 1);
      const worker = await openWorker();
      await worker.tick();
      await mineAndTick(worker, 0);

      clock.advance(10 * EPOCH_MS);
      await worker.tick();

      expect(events.all("epoch-sent")).to.have.length(1);
      expect(worker.status().pendingChangedLogs).to.equal(0);
    });

    it("waits for epochMs while fewer than minChangedLogs logs changed", async () => {
      await appendMany(ledger, "acme", 1);
      const worker = await openWorker({ minChangedLogs: 2 });
      await worker.tick();
      await mineAndTick(worker, 0);

      await appendMany(ledger, "acme", 1);
      clock.advance(EPOCH_MS - 1);
      await worker.tick();

      expect(events.all("epoch-sent")).to.have.length(1);
      expect(worker.status().pendingChangedLogs).to.equal(1);

      clock.advance(1);
      await worker.tick();

      expect(events.all("epoch-sent").map((e) => e.epoch)).to.deep.equal([1, 2]);
    });

    it("builds an epoch at once when minChangedLogs logs changed", async () => {
      await appendMany(ledger, "acme", 1);
      const worker = await openWorker({ minChangedLogs: 2 });
      await worker.tick();
      await mineAndTick(worker, 0);

      await appendMany(ledger, "acme", 1);
      await appendMany(ledger, "beta", 1);
      await worker.tick();

      const second = events.all("epoch-sent")[1];
      expect(second).to.include({ epoch: 2, changedLogs: 2 });
    });

    it("numbers epochs after the registry's latest and reports another anchorer", async () => {
      await appendMany(ledger, "acme", 1);
      const worker = await openWorker();
      await worker.tick();
      await mineAndTick(worker, 0);
      // The same account anchors epoch 2 behind the worker's back.
      const contract = registry();
      await (await contract.anchor(2, keccak256(toUtf8Bytes("a foreign epoch")))).wait();

      await appendMany(ledger, "acme", 1);
      clock.advance(EPOCH_MS);
      await worker.tick();

      const [conflict] = events.all("epoch-conflict");
      expect(conflict.error.code).to.equal("ANCHOR_EPOCH_CONFLICT");
      expect(conflict.error.data).to.deep.equal({ localEpoch: 1, registryEpoch: 2 });
      expect(events.all("epoch-sent").map((e) => e.epoch)).to.deep.equal([1, 3]);
    });

    it("anchors the compliance roots rootsFor gives", async () => {
      const policyRoot = keccak256(toUtf8Bytes("acme policy"));
      await appendMany(ledger, "acme", 2);
      const worker = await openWorker({
        rootsFor: (tenant) => (tenant === "acme" ? { policyRoot } : undefined),
      });
      await worker.tick();
      await mineAndTick(worker, 0);

      const receipt = await worker.anchoredReceipt("acme", 0);
      const verdict = await verifyAnchoredReceipt(receipt, {
        trustedKeys: [ledger.verifierKey("acme")],
        readEpochRoot: reader,
      });

      expect(receipt.anchor?.policyRoot).to.equal(policyRoot);
      expect(verdict.ok).to.equal(true);
    });

    it("re-sends a transaction the node dropped, with the same epoch and root", async () => {
      await appendMany(ledger, "acme", 1);
      const worker = await openWorker();
      await rpc(node.rpcUrl, "evm_setAutomine", [false]);
      try {
        await worker.tick();
        const [sent] = events.all("epoch-sent");
        await rpc(node.rpcUrl, "hardhat_dropTransaction", [sent.txHash]);

        clock.advance(TX_TIMEOUT_MS);
        await worker.tick();

        expect(events.all("tx-dropped")).to.deep.equal([
          { type: "tx-dropped", epoch: 1, txHash: sent.txHash },
        ]);
        expect(events.all("epoch-resent")[0]).to.include({ epoch: 1 });
      } finally {
        await rpc(node.rpcUrl, "evm_setAutomine", [true]);
      }

      await mineAndTick(worker, 1);

      const [sent] = events.all("epoch-sent");
      expect(events.all("epoch-confirmed")[0]).to.include({ epoch: 1 });
      expect((await registry().epochRoot(1)).toLowerCase()).to.equal(sent.root);
    });

    it("carries on from its records after a restart", async () => {
      await appendMany(ledger, "acme", 2);
      const first = await openWorker();
      await first.tick();
      await mineAndTick(first, 0);
      const before = await first.anchoredReceipt("acme", 1);
      await first.close();
      workers.splice(workers.indexOf(first), 1);

      const second = await openWorker();
      clock.advance(EPOCH_MS);
      await second.tick();
      expect(events.all("epoch-sent")).to.have.length(1);

      await appendMany(ledger, "acme", 1);
      await second.tick();
      await mineAndTick(second, 0);

      expect(events.all("epoch-sent").map((e) => e.epoch)).to.deep.equal([1, 2]);
      expect(await second.anchoredReceipt("acme", 1)).to.deep.equal(before);
    });
  });

  describe("anchoredReceipt", () => {
    it("is the signed receipt until a confirmed epoch covers the entry", async () => {
      await appendMany(ledger, "acme", 2);
      const worker = await openWorker({ confirmations: 2 });
      await worker.tick();

      const pending = await worker.anchoredReceipt("acme", 1);
      await mineAndTick(worker, 1);
      const anchored = await worker.anchoredReceipt("acme", 1);

      expect(pending).to.deep.equal(await ledger.receipt("acme", 1));
      expect(anchored.status).to.equal("anchored");
    });

    it("proves inclusion in the smallest anchored checkpoint above the index", async () => {
      // Epoch 1 anchors acme at size 3, epoch 2 at size 5.
      await appendMany(ledger, "acme", 3);
      const worker = await openWorker();
      await worker.tick();
      await mineAndTick(worker, 0);
      await appendMany(ledger, "acme", 2);
      clock.advance(EPOCH_MS);
      await worker.tick();
      await mineAndTick(worker, 0);

      const early = await worker.anchoredReceipt("acme", 2);
      const late = await worker.anchoredReceipt("acme", 3);

      expect([early.treeSize, early.anchor?.epoch]).to.deep.equal([3, 1]);
      expect([late.treeSize, late.anchor?.epoch]).to.deep.equal([5, 2]);
      for (const receipt of [early, late]) {
        const verdict = await verifyAnchoredReceipt(receipt, {
          trustedKeys: [ledger.verifierKey("acme")],
          readEpochRoot: reader,
        });
        expect(verdict.steps.map((s) => `${s.step}:${s.ok}`)).to.deep.equal([
          "format:true",
          "leaf:true",
          "checkpoint:true",
          "inclusion:true",
          "epoch:true",
          "chain:true",
        ]);
      }
    });

    it("is the signed receipt for an entry past every anchored size", async () => {
      await appendMany(ledger, "acme", 2);
      const worker = await openWorker();
      await worker.tick();
      await mineAndTick(worker, 0);
      await appendMany(ledger, "acme", 1);

      const receipt = await worker.anchoredReceipt("acme", 2);

      expect(receipt.status).to.equal("signed");
      expect(receipt.treeSize).to.equal(3);
    });
  });
});
