/**
 * The verifier page checking a real compliance bundle in headless Chromium: a window of two
 * operations proven with the shipped development keys (snarkjs, Groth16), its leaves in a
 * real ledger, and its checkpoint anchored with the policy and assignment roots on a real
 * local chain. The page runs Groth16 in WebAssembly and reads the chain itself; its verdicts
 * must equal `verifyComplianceBundle`'s on the same bundles.
 */
import { expect } from "chai";
import { Contract } from "ethers";

import type { Ledger } from "../../ledger";
import {
  buildEpochTree,
  checkpointCommitment,
  readEpochRootFromChain,
  REGISTRY_ABI,
} from "../../ledger/anchor";
import { deployRegistry } from "../../ledger/anchor/deploy";
import { verifyComplianceBundle } from "../../ledger/verify/compliance-bundle";
import {
  buildAssignmentTree,
  buildPolicyTree,
  buildWindowWitness,
  COMPLIANCE_BUNDLE_FORMAT,
  computePolicyRoot,
  DEV_PARAMS,
  fieldToBytes,
  fieldToBytes32,
  loadPoseidon,
  operationCommitment,
  parseAssignments,
  parsePolicy,
  proveWindow,
  releaseProverThreads,
  verificationKeyHash,
  type ComplianceBundle,
  type Operation,
  type VerificationKey,
} from "../../ledger/zk";
import { devSetupFiles, loadDevVerificationKey } from "../../ledger/zk/dev-artifacts";
import { openTestLedger, sampleEvent, tempDir } from "../helpers/temp-ledger";
import { ASSIGNMENTS_DOCUMENT, POLICY_DOCUMENT } from "../zk/fixtures";
import { openPage, screenshot, type WatchedPage } from "./browser";
import { builtPage } from "./page-build";
import { asShown, checkedLinks, readReport, type ShownReport } from "./page-driver";
import { servePage, type PageServer } from "./page-server";
import { HARDHAT_CHAIN_ID, sharedBrowser, sharedChain, type TestChain } from "./shared";

describe("verifier page: compliance bundles", function () {
  this.timeout(120_000);

  let tmp: ReturnType<typeof tempDir>;
  let ledger: Ledger;
  let chain: TestChain;
  let server: PageServer;
  let tab: WatchedPage;
  let key: string;
  let vkey: VerificationKey;
  let bundle: ComplianceBundle;

  /** What the verify module says of `input`, reading the same chain. */
  async function moduleVerdict(input: unknown, policyRoot?: string) {
    const readEpochRoot = readEpochRootFromChain(chain.node.rpcUrl);
    try {
      return await verifyComplianceBundle(input, {
        trustedKeys: [key],
        vkey,
        readEpochRoot,
        policyRoot,
      });
    } finally {
      readEpochRoot.destroy();
      await releaseProverThreads();
    }
  }

  /** Enters what the officer trusts and the bundle, presses Verify, reads the result. */
  async function verifyOnPage(
    input: unknown,
    trust: { vkey?: unknown; policy?: unknown },
  ): Promise<ShownReport> {
    const page = tab.page;
    await page.fill("#trusted-keys", key);
    await page.fill("#rpc-url", chain.node.rpcUrl);
    if (!(await page.isVisible("#vkey"))) await page.click("text=Compliance bundle inputs");
    await page.fill("#vkey", trust.vkey === undefined ? "" : JSON.stringify(trust.vkey));
    await page.fill("#policy", trust.policy === undefined ? "" : JSON.stringify(trust.policy));
    await page.fill("#doc-text", JSON.stringify(input));

    await page.$eval("#doc-result", (n) => n.replaceChildren());
    await page.click("#doc-verify");
    await page.waitForSelector("#doc-result [data-outcome]");
    return readReport(page);
  }

  before(async () => {
    tmp = tempDir("anchorlog-web-zk-");
    ledger = await openTestLedger(tmp.dir);
    await ledger.createTenant("acme");
    key = ledger.verifierKey("acme");
    vkey = loadDevVerificationKey();

    // Two operations the fixture policy allows (carol is a clerk, bob an auditor, both from
    // T0 on), dated a few seconds before they are logged.
    const hash = await loadPoseidon();
    const policy = parsePolicy(POLICY_DOCUMENT);
    const policyTree = buildPolicyTree(hash, policy, DEV_PARAMS.policyDepth);
    const assignmentTree = buildAssignmentTree(
      hash,
      parseAssignments(ASSIGNMENTS_DOCUMENT, policy),
      DEV_PARAMS.assignmentDepth,
    );
    const time = Math.floor(Date.now() / 1000) - 5;
    const ops: Operation[] = [
      { actor: "carol", role: "clerk", action: "read", resourceClass: "invoice", time, salt: 11n },
      { actor: "bob", role: "auditor", action: "read", resourceClass: "ledger", time, salt: 12n },
    ];
    const commitments = ops.map((op) => operationCommitment(hash, op));
    await ledger.appendBatch("acme", [sampleEvent(0), sampleEvent(1)], {
      opCommitments: commitments.map(fieldToBytes),
    });

    const witness = buildWindowWitness(
      hash,
      DEV_PARAMS,
      policyTree,
      assignmentTree,
      0,
      ops.map((operation) => ({ operation })),
    );
    const proved = await proveWindow(devSetupFiles(), witness);
    await releaseProverThreads();

    chain = await sharedChain();
    const wallet = chain.wallet;
    const { address } = await deployRegistry(wallet);
    const cp = ledger.checkpoint("acme");
    const policyRoot = fieldToBytes32(policyTree.root);
    const assignmentRoot = fieldToBytes32(assignmentTree.root);
    const commitment = checkpointCommitment({
      origin: cp.origin,
      treeSize: cp.size,
      rootHash: cp.rootHash,
      policyRoot,
      assignmentRoot,
    });
    const tree = buildEpochTree([commitment]);
    const registry = new Contract(address, REGISTRY_ABI as string[], wallet);
    const mined = await (await registry.anchor(1, tree.root)).wait();

    const receipts = [await ledger.receipt("acme", 0), await ledger.receipt("acme", 1)];
    bundle = {
      format: COMPLIANCE_BUNDLE_FORMAT,
      origin: cp.origin,
      params: DEV_PARAMS,
      vkeyHash: verificationKeyHash(vkey),
      windowStart: 0,
      treeSize: cp.size,
      leaves: receipts.map((r) => r.leafData),
      inclusionProofs: receipts.map((r) => r.inclusionProof),
      checkpoint: cp.note,
      anchor: {
        chainId: HARDHAT_CHAIN_ID,
        registry: address,
        epoch: 1,
        epochRoot: tree.root,
        proof: tree.proof(commitment.originHash),
        txHash: mined.hash,
        blockNumber: mined.blockNumber,
        policyRoot,
        assignmentRoot,
      },
      proof: proved.proof,
      publicSignals: [...proved.publicSignals],
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

  it("verifies the proof, the leaves, the anchor and the reviewed policy's root", async () => {
    const policyRoot = bundle.anchor.policyRoot;
    const expected = await moduleVerdict(bundle, policyRoot);

    const shown = await verifyOnPage(bundle, { vkey, policy: POLICY_DOCUMENT });
    await screenshot(tab.page, "bundle-valid");

    expect(expected.ok).to.equal(true);
    expect(shown.links).to.deep.equal(asShown(expected.steps));
    expect(shown.outcome).to.equal("verified");
    expect(shown.warnings).to.deep.equal([]);
    const data = await tab.page.$$eval("#doc-result dd", (dds) => dds.map((d) => d.textContent));
    expect(data.join("\n")).to.contain(`${policyRoot} (3 grants)`);
  });

  it("fails at the Groth16 link when the proof is altered", async () => {
    const proof = { ...bundle.proof, pi_a: [bundle.proof.pi_c[0], ...bundle.proof.pi_a.slice(1)] };
    const altered = { ...bundle, proof };
    const expected = await moduleVerdict(altered);

    const shown = await verifyOnPage(altered, { vkey });
    await screenshot(tab.page, "bundle-bad-proof");

    expect(expected.steps.at(-1)).to.include({ step: "groth16", ok: false });
    expect(shown.links).to.deep.equal(asShown(expected.steps));
    expect(shown.summary).to.contain("Broken link: Groth16 proof");
  });

  it("fails at the roots link when the reviewed policy is not the anchored one", async () => {
    const reviewed = {
      ...POLICY_DOCUMENT,
      grants: POLICY_DOCUMENT.grants.filter((g) => g.role !== "auditor"),
    };

    const reviewedRoot = (await computePolicyRoot(reviewed, DEV_PARAMS)).bytes32;
    const expected = await moduleVerdict(bundle, reviewedRoot);

    const shown = await verifyOnPage(bundle, { vkey, policy: reviewed });

    expect(reviewedRoot).to.not.equal(bundle.anchor.policyRoot);
    expect(expected.steps.at(-1)).to.include({ step: "roots", ok: false });
    expect(checkedLinks(shown)).to.deep.equal(asShown(expected.steps));
    expect(shown.links.at(-1)).to.include({ step: "groth16", verdict: "skip" });
  });

  it("refuses to check without a verification key entered by the officer", async () => {
    const shown = await verifyOnPage(bundle, {});

    expect(shown.outcome).to.equal("failed");
    expect(shown.links.map((l) => [l.step, l.verdict])).to.deep.equal([["vkey", "fail"]]);
  });

  it("says a sampling audit is not supported by this version", async () => {
    const sample = { format: "anchorlog-compliance-sample/v1", windows: [bundle] };

    const shown = await verifyOnPage(sample, { vkey });

    expect(shown.outcome).to.equal("unsupported");
    expect(shown.summary).to.contain("not supported by this version");
    expect(checkedLinks(shown)).to.deep.equal([]);
  });
});
