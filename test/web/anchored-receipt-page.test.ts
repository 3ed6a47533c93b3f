/**
 * The verifier page checking anchored receipts in headless Chromium: the epoch root is read
 * by the page itself, over JSON-RPC, from a real local chain where a real AnchorRegistry
 * holds it. Verdicts must equal `verifyAnchoredReceipt`'s on the same receipts.
 */
import { expect } from "chai";
import { Contract, keccak256, toUtf8Bytes } from "ethers";

import type { Ledger } from "../../ledger";
import {
  buildEpochTree,
  checkpointCommitment,
  readEpochRootFromChain,
  REGISTRY_ABI,
  type EpochTree,
} from "../../ledger/anchor";
import { deployRegistry } from "../../ledger/anchor/deploy";
import type { Receipt } from "../../ledger/verify";
import { verifyAnchoredReceipt } from "../../ledger/verify/anchor-check";
import { openTestLedger, sampleEvent, tempDir } from "../helpers/temp-ledger";
import { openPage, screenshot, screenshotPath, type WatchedPage } from "./browser";
import { builtPage } from "./page-build";
import { asShown, checkedLinks, verifyDocument } from "./page-driver";
import { servePage, type PageServer } from "./page-server";
import { HARDHAT_CHAIN_ID, sharedBrowser, sharedChain, type TestChain } from "./shared";
import { runTimeline } from "./timeline-driver";

describe("verifier page: anchored receipts", function () {
  this.timeout(120_000);

  let tmp: ReturnType<typeof tempDir>;
  let ledger: Ledger;
  let chain: TestChain;
  let server: PageServer;
  let tab: WatchedPage;
  let key: string;
  let anchored: Receipt;
  let registry: string;
  let tree: EpochTree;

  /** What the verify module says of `receipt`, reading the same chain. */
  async function moduleVerdict(receipt: unknown) {
    const readEpochRoot = readEpochRootFromChain(chain.node.rpcUrl);
    try {
      return await verifyAnchoredReceipt(receipt, { trustedKeys: [key], readEpochRoot });
    } finally {
      readEpochRoot.destroy();
    }
  }

  before(async () => {
    tmp = tempDir("anchorlog-web-anchor-");
    ledger = await openTestLedger(tmp.dir);
    await ledger.createTenant("acme");
    await ledger.createTenant("other");
    for (let i = 0; i < 5; i++) await ledger.append("acme", sampleEvent(i));
    await ledger.append("other", sampleEvent(0));
    key = ledger.verifierKey("acme");

    chain = await sharedChain();
    const wallet = chain.wallet;
    const deployment = await deployRegistry(wallet);
    registry = deployment.address;

    // Epoch 1 commits to both tenants' latest checkpoints.
    const commitments = ["acme", "other"].map((t) => {
      const cp = ledger.checkpoint(t);
      return checkpointCommitment({ origin: cp.origin, treeSize: cp.size, rootHash: cp.rootHash });
    });
    tree = buildEpochTree(commitments);
    const contract = new Contract(registry, REGISTRY_ABI as string[], wallet);
    const tx = await contract.anchor(1, tree.root);
    const mined = await tx.wait();

    const signed = await ledger.receipt("acme", 3);
    anchored = {
      ...signed,
      status: "anchored",
      anchor: {
        chainId: HARDHAT_CHAIN_ID,
        registry,
        epoch: 1,
        epochRoot: tree.root,
        proof: tree.proof(commitments[0].originHash),
        txHash: mined.hash,
        blockNumber: mined.blockNumber,
      },
    };

    server = await servePage(await builtPage());
    tab = await openPage(await sharedBrowser(), server.pageUrl);
  });

  after(async () => {
    await tab?.page.close();
    await server?.close();
    await ledger?.close();
    tmp?.cleanup();
  });

  afterEach(() => {
    expect(tab.problems, "console errors or exceptions in the page").to.deep.equal([]);
  });

  it("verifies every link up to the root the chain holds", async () => {
    const expected = await moduleVerdict(anchored);

    const shown = await verifyDocument(tab.page, {
      keys: [key],
      rpcUrl: chain.node.rpcUrl,
      document: anchored,
    });
    await screenshot(tab.page, "receipt-anchored");
    await tab.page
      .locator("#doc-result")
      .screenshot({ path: screenshotPath("receipt-anchored-result") });

    expect(expected.ok).to.equal(true);
    expect(shown.links).to.deep.equal(asShown(expected.steps));
    expect(shown.links.map((l) => l.step)).to.deep.equal([
      "format",
      "leaf",
      "checkpoint",
      "inclusion",
      "epoch",
      "chain",
    ]);
    expect(shown.outcome).to.equal("verified");
    const data = await tab.page.$$eval("#doc-result dd", (dds) => dds.map((d) => d.textContent));
    expect(data).to.include(tree.root);
  });

  it("fails at the epoch link when the receipt claims a policy root that was not anchored", async () => {
    const policyRoot = keccak256(toUtf8Bytes("a policy nobody anchored"));
    const claimed = { ...anchored, anchor: { ...anchored.anchor!, policyRoot } };
    const expected = await moduleVerdict(claimed);

    const shown = await verifyDocument(tab.page, {
      keys: [key],
      rpcUrl: chain.node.rpcUrl,
      document: claimed,
    });

    expect(expected.steps.at(-1)).to.include({ step: "epoch", ok: false });
    expect(checkedLinks(shown)).to.deep.equal(asShown(expected.steps));
    expect(shown.summary).to.contain("Broken link: Checkpoint in the anchored epoch");
  });

  it("fails at the chain link when the epoch root is not the one on chain", async () => {
    // A consistent epoch of its own (the acme checkpoint alone) that was never anchored.
    const cp = ledger.checkpoint("acme");
    const alone = buildEpochTree([
      checkpointCommitment({ origin: cp.origin, treeSize: cp.size, rootHash: cp.rootHash }),
    ]);
    const forged = {
      ...anchored,
      anchor: { ...anchored.anchor!, epochRoot: alone.root, proof: [] },
    };
    const expected = await moduleVerdict(forged);

    const shown = await verifyDocument(tab.page, {
      keys: [key],
      rpcUrl: chain.node.rpcUrl,
      document: forged,
    });
    await screenshot(tab.page, "receipt-anchor-mismatch");

    expect(expected.steps.at(-1)).to.include({ step: "chain", ok: false });
    expect(shown.links).to.deep.equal(asShown(expected.steps));
    expect(shown.summary).to.contain("Broken link: Epoch root on chain");
  });

  it("fails at the chain link for an epoch the registry never anchored", async () => {
    const later = { ...anchored, anchor: { ...anchored.anchor!, epoch: 2 } };
    const expected = await moduleVerdict(later);

    const shown = await verifyDocument(tab.page, {
      keys: [key],
      rpcUrl: chain.node.rpcUrl,
      document: later,
    });

    expect(expected.steps.at(-1)).to.include({ step: "chain", ok: false });
    expect(shown.links).to.deep.equal(asShown(expected.steps));
  });

  it("marks in the timeline which checkpoints the chain confirms as anchored", async () => {
    const unanchored = { ...anchored, anchor: { ...anchored.anchor!, epoch: 2 } };
    const expected = [await moduleVerdict(anchored), await moduleVerdict(unanchored)];

    const shown = await runTimeline(
      tab.page,
      { keys: [key], rpcUrl: chain.node.rpcUrl, pasted: JSON.stringify([anchored, unanchored]) },
      "#timeline-check",
    );
    await screenshot(tab.page, "timeline-anchored");

    expect(expected.map((v) => v.ok)).to.deep.equal([true, false]);
    expect(shown.checkpoints.map((c) => c.anchors)).to.deep.equal([["confirmed", "refuted"]]);
  });

  it("leaves the chain link unchecked, not broken, without an RPC URL", async () => {
    const shown = await verifyDocument(tab.page, { keys: [key], document: anchored });

    expect(shown.links.map((l) => l.verdict)).to.deep.equal([
      "pass",
      "pass",
      "pass",
      "pass",
      "pass",
      "skip",
    ]);
    expect(shown.outcome).to.equal("partial");
  });
});
