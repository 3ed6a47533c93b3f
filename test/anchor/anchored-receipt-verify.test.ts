import { once } from "node:events";
import { createServer } from "node:net";

import { expect } from "chai";
import { Contract, keccak256, toUtf8Bytes } from "ethers";

import type { Ledger } from "../../ledger";
import {
  buildEpochTree,
  checkpointCommitment,
  readEpochRootFromChain,
  REGISTRY_ABI,
  type ChainEpochRootReader,
} from "../../ledger/anchor";
import { AnchorWorker } from "../../ledger/anchor/anchor-worker";
import type { RegistryDeployment } from "../../ledger/anchor/deploy";
import type { LocalNode } from "../../ledger/anchor/local-node";
import { fromBase64 } from "../../ledger/verify/bytes";
import {
  verifyAnchoredReceipt,
  type AnchoredReceiptVerdict,
  type EpochRootReader,
} from "../../ledger/verify/anchor-check";
import type { Receipt } from "../../ledger/verify/receipt";
import { flipBit } from "./sample-commitments";
import {
  ANCHORER_KEY,
  appendMany,
  deployOn,
  HARDHAT_CHAIN_ID,
  ledgerWith,
  startChain,
  walletOn,
} from "./worker-harness";

describe("verifyAnchoredReceipt", function () {
  this.timeout(60_000);

  let node: LocalNode;
  let deployment: RegistryDeployment;
  let ledger: Ledger;
  let cleanup: () => Promise<void>;
  let reader: ChainEpochRootReader;
  let receipt: Receipt;
  let wallet: ReturnType<typeof walletOn>;

  // One real anchored receipt: acme's entry 1, in epoch 1 over four logs, so every epoch
  // proof has two nodes. Epoch 2 is anchored over later checkpoints.
  before(async () => {
    node = await startChain();
    deployment = await deployOn(node.rpcUrl);
    wallet = walletOn(node.rpcUrl);
    reader = readEpochRootFromChain(node.rpcUrl);
    const tenants = ["acme", "beta", "gamma", "delta"];
    ({ ledger, cleanup } = await ledgerWith(tenants));
    for (const tenant of tenants) await appendMany(ledger, tenant, 3);

    const worker = await AnchorWorker.open({
      ledger,
      rpcUrl: node.rpcUrl,
      privateKey: ANCHORER_KEY,
      registry: { chainId: deployment.chainId, address: deployment.address },
      epochMs: 1,
    });
    try {
      await worker.tick();
      await worker.tick();
      await appendMany(ledger, "beta", 1);
      await worker.tick();
      await worker.tick();
      receipt = await worker.anchoredReceipt("acme", 1);
    } finally {
      await worker.close();
    }
  });

  after(async () => {
    reader.destroy();
    wallet.close();
    await cleanup();
    await node.stop();
  });

  function check(input: unknown, readEpochRoot: EpochRootReader = reader) {
    return verifyAnchoredReceipt(input, {
      trustedKeys: [ledger.verifierKey("acme")],
      readEpochRoot,
    });
  }

  /** The receipt with its anchor object changed by `change`. */
  function withAnchor(change: Partial<NonNullable<Receipt["anchor"]>>): Receipt {
    return { ...receipt, anchor: { ...receipt.anchor!, ...change } };
  }

  function lastStep(verdict: AnchoredReceiptVerdict) {
    const step = verdict.steps.at(-1)!;
    return { step: step.step, ok: step.ok, code: step.code };
  }

  it("accepts a real anchored receipt, naming every step", async () => {
    const verdict = await check(receipt);

    expect(receipt.anchor).to.include({ epoch: 1, chainId: HARDHAT_CHAIN_ID });
    expect(receipt.anchor?.proof).to.have.length(2);
    expect(verdict.ok).to.equal(true);
    expect(verdict.steps.map((s) => s.step)).to.deep.equal([
      "format",
      "leaf",
      "checkpoint",
      "inclusion",
      "epoch",
      "chain",
    ]);
    expect(verdict.epochRoot).to.equal(receipt.anchor?.epochRoot);
  });

  describe("when the epoch path is tampered with", () => {
    it("fails the epoch step for any flipped bit of a proof node", async () => {
      for (const [node, bit] of [
        [0, 0],
        [1, 255],
      ]) {
        const proof = [...receipt.anchor!.proof];
        proof[node] = flipBit(proof[node], bit);

        const verdict = await check(withAnchor({ proof }));

        expect(lastStep(verdict)).to.deep.equal({
          step: "epoch",
          ok: false,
          code: "ANCHOR_ROOT_MISMATCH",
        });
      }
    });

    it("fails the epoch step for a dropped, added or reordered proof node", async () => {
      const proof = receipt.anchor!.proof;
      const extra = keccak256(toUtf8Bytes("an extra node"));

      for (const changed of [proof.slice(1), [...proof, extra], [...proof].reverse()]) {
        const verdict = await check(withAnchor({ proof: changed }));

        expect(lastStep(verdict)).to.deep.include({ step: "epoch", code: "ANCHOR_ROOT_MISMATCH" });
      }
    });

    it("fails the epoch step when the compliance roots are changed", async () => {
      const nonZero = keccak256(toUtf8Bytes("a policy never anchored"));

      for (const change of [{ policyRoot: nonZero }, { assignmentRoot: nonZero }]) {
        const verdict = await check(withAnchor(change));

        expect(lastStep(verdict)).to.deep.include({ step: "epoch", code: "ANCHOR_ROOT_MISMATCH" });
      }
    });

    it("fails the epoch step for a malformed anchor and for a signed receipt", async () => {
      const cases: unknown[] = [
        withAnchor({ proof: ["0x1234"] }),
        withAnchor({ epochRoot: "not hex" }),
        withAnchor({ epoch: 0 }),
        withAnchor({ registry: "0xnot-an-address" }),
        withAnchor({ chainId: -1 }),
        { ...receipt, status: "signed", anchor: undefined },
      ];

      for (const input of cases) {
        const verdict = await check(input);

        expect(lastStep(verdict)).to.deep.include({ step: "epoch", code: "ANCHOR_BAD_RECEIPT" });
      }
    });
  });

  describe("when the chain holds another epoch root", () => {
    it("fails the chain step for an epoch tree that was never anchored", async () => {
      // A made-up epoch holding the receipt's true checkpoint: the path and the root agree
      // with each other, but no registry ever held that root.
      const cp = ledger.checkpoint("acme");
      const size = receipt.treeSize;
      const rootHash = fromBase64(receipt.checkpoint.split("\n")[2]);
      const real = checkpointCommitment({ origin: cp.origin, treeSize: size, rootHash });
      const decoy = checkpointCommitment({
        origin: "log.elsewhere.example/t/decoy",
        treeSize: 1,
        rootHash: keccak256(toUtf8Bytes("decoy")),
      });
      const forged = buildEpochTree([real, decoy]);

      const verdict = await check(
        withAnchor({ epochRoot: forged.root, proof: forged.proof(real.originHash) }),
      );

      expect(verdict.steps.find((s) => s.step === "epoch")?.ok).to.equal(true);
      expect(lastStep(verdict)).to.deep.equal({
        step: "chain",
        ok: false,
        code: "ANCHOR_ROOT_MISMATCH",
      });
    });

    it("fails the chain step when the receipt names another anchored epoch", async () => {
      const verdict = await check(withAnchor({ epoch: 2 }));

      expect(lastStep(verdict)).to.deep.include({ step: "chain", code: "ANCHOR_ROOT_MISMATCH" });
    });

    it("fails the chain step when the receipt names an epoch not anchored yet", async () => {
      const verdict = await check(withAnchor({ epoch: 99 }));

      expect(lastStep(verdict)).to.deep.include({
        step: "chain",
        code: "ANCHOR_EPOCH_NOT_ANCHORED",
      });
    });
  });

  describe("when the receipt names the wrong registry or chain", () => {
    it("fails the chain step for another registry holding another root", async () => {
      const other = await deployOn(node.rpcUrl);
      const registry = new Contract(other.address, REGISTRY_ABI as string[], wallet);
      await (await registry.anchor(1, keccak256(toUtf8Bytes("the other registry")))).wait();

      const verdict = await check(withAnchor({ registry: other.address }));

      expect(lastStep(verdict)).to.deep.include({ step: "chain", code: "ANCHOR_ROOT_MISMATCH" });
    });

    it("fails the chain step for an address without a registry", async () => {
      const verdict = await check(withAnchor({ registry: wallet.address }));

      expect(lastStep(verdict)).to.deep.include({ step: "chain", code: "ANCHOR_REGISTRY_GONE" });
    });

    it("fails the chain step for another chain id", async () => {
      const verdict = await check(withAnchor({ chainId: 1 }));

      expect(lastStep(verdict)).to.deep.include({ step: "chain", code: "ANCHOR_WRONG_CHAIN" });
    });
  });

  describe("when the chain cannot be read", () => {
    it("fails the chain step for an unreachable endpoint", async () => {
      const server = createServer().listen(0, "127.0.0.1");
      await once(server, "listening");
      const { port } = server.address() as { port: number };
      server.close();
      await once(server, "close");
      const closed = readEpochRootFromChain(`http://127.0.0.1:${port}`);

      const verdict = await check(receipt, closed);

      expect(lastStep(verdict)).to.deep.include({
        step: "chain",
        code: "ANCHOR_CHAIN_UNREACHABLE",
      });
      closed.destroy();
    });

    it("fails the chain step, without throwing, when the reader throws its own error", async () => {
      const verdict = await check(receipt, async () => {
        throw new Error("the verifier's node is down");
      });

      expect(lastStep(verdict)).to.deep.equal({ step: "chain", ok: false, code: undefined });
      expect(verdict.steps.at(-1)?.detail).to.equal("the verifier's node is down");
    });
  });

  it("stops at the first failed step before the anchor ones", async () => {
    const inputs: Array<[unknown, string]> = [
      [null, "format"],
      ["a string", "format"],
      [{ ...receipt, leafData: "AAAA" }, "leaf"],
      [{ ...receipt, treeSize: receipt.treeSize + 1 }, "checkpoint"],
      [{ ...receipt, inclusionProof: [...receipt.inclusionProof].reverse() }, "inclusion"],
    ];

    for (const [input, step] of inputs) {
      const verdict = await check(input);

      expect(lastStep(verdict)).to.deep.include({ step, ok: false });
    }
  });
});
