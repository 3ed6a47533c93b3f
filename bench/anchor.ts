// Gas of anchoring one epoch and of checking one checkpoint against it, for epochs of
// 1, 100 and 10,000 tenants, on Hardhat's in-process chain.
//
//   npm run bench:anchor
//
// Each anchor is compared with the 1-tenant anchor and with a baseline contract that only
// writes one bytes32 to a fresh slot and emits one event, sent with the same epoch and root.
// Building the epoch tree is timed against OpenZeppelin's StandardMerkleTree building the
// same tree. Prints a table, then one JSON line with every figure.
import { performance } from "node:perf_hooks";

import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { keccak256, toUtf8Bytes, type Contract } from "ethers";
import hre from "hardhat";

import {
  buildEpochTree,
  checkpointCommitment,
  EPOCH_LEAF_TYPES,
  epochLeafValue,
  type CheckpointCommitment,
} from "../ledger/anchor";
import { deployRegistry } from "../ledger/anchor/deploy";

const TENANT_COUNTS = [1, 100, 10_000];

interface Row {
  tenants: number;
  epoch: number;
  anchorGas: number;
  baselineGas: number;
  isAnchoredTxGas: number;
  isAnchoredCallGas: number;
  proofNodes: number;
  treeBuildMs: number;
  allProofsMs: number;
  referenceTreeBuildMs: number;
}

function commitments(count: number): CheckpointCommitment[] {
  return Array.from({ length: count }, (_, i) =>
    checkpointCommitment({
      origin: `log.anchorlog.example/tenant-${i}`,
      treeSize: 1000 + i,
      rootHash: keccak256(toUtf8Bytes(`root ${i}`)),
    }),
  );
}

async function contractAt(name: string, address: string): Promise<Contract> {
  return (await hre.ethers.getContractAt(name, address)) as unknown as Contract;
}

async function deploy(name: string): Promise<Contract> {
  const contract = await (await hre.ethers.getContractFactory(name)).deploy();
  await contract.waitForDeployment();
  return contract as unknown as Contract;
}

async function gasOf(sent: Promise<{ wait(): Promise<{ gasUsed: bigint } | null> }>) {
  const receipt = await (await sent).wait();
  if (receipt === null) throw new Error("invariant: an automined transaction has a receipt");
  return Number(receipt.gasUsed);
}

async function main(): Promise<void> {
  await hre.run("compile", { quiet: true });
  const [signer] = await hre.ethers.getSigners();
  const registry = await contractAt("AnchorRegistry", (await deployRegistry(signer)).address);
  const baseline = await deploy("BaselineStore");
  const probe = await deploy("IsAnchoredGasProbe");

  // Epoch 1 skips the previous-epoch read, so it is reported apart and the rows use 2, 3, 4.
  const warmUpRoot = keccak256(toUtf8Bytes("warm-up epoch"));
  const firstEpochGas = await gasOf(registry.anchor(1, warmUpRoot));
  const rows: Row[] = [];

  for (const [i, tenants] of TENANT_COUNTS.entries()) {
    const epoch = i + 2;
    const leaves = commitments(tenants);
    let started = performance.now();
    const tree = buildEpochTree(leaves);
    const treeBuildMs = performance.now() - started;
    started = performance.now();
    for (const c of tree.commitments) tree.proof(c.originHash);
    const allProofsMs = performance.now() - started;
    const values = tree.commitments.map(epochLeafValue);
    started = performance.now();
    const reference = StandardMerkleTree.of(values, [...EPOCH_LEAF_TYPES], { sortLeaves: false });
    const referenceTreeBuildMs = performance.now() - started;
    if (reference.root !== tree.root) throw new Error("invariant: both trees have one root");

    const anchorGas = await gasOf(registry.anchor(epoch, tree.root));
    const baselineGas = await gasOf(baseline.store(epoch, tree.root));

    // The last leaf in tree order has a proof as long as any in the tree.
    const c = tree.commitments[tree.size - 1];
    const proof = tree.proof(c.originHash);
    const args = [epoch, c.originHash, c.treeSize, c.rootHash, c.policyRoot, c.assignmentRoot];
    const isAnchoredTxGas = Number(await registry.isAnchored.estimateGas(...args, proof));
    const [anchored, callGas] = await probe.measure(await registry.getAddress(), ...args, proof);
    if (anchored !== true) throw new Error(`invariant: epoch ${epoch} holds its own leaf`);

    rows.push({
      tenants,
      epoch,
      anchorGas,
      baselineGas,
      isAnchoredTxGas,
      isAnchoredCallGas: Number(callGas),
      proofNodes: proof.length,
      treeBuildMs,
      allProofsMs,
      referenceTreeBuildMs,
    });
  }

  const oneTenant = rows[0].anchorGas;
  const table = rows.map((r) => ({
    tenants: r.tenants,
    "anchor gas": r.anchorGas,
    "÷ 1-tenant": (r.anchorGas / oneTenant).toFixed(3),
    "baseline gas": r.baselineGas,
    "÷ baseline": (r.anchorGas / r.baselineGas).toFixed(3),
    "isAnchored tx": r.isAnchoredTxGas,
    "isAnchored call": r.isAnchoredCallGas,
    "proof nodes": r.proofNodes,
    "tree ms": r.treeBuildMs.toFixed(1),
    "OZ tree ms": r.referenceTreeBuildMs.toFixed(1),
    "all proofs ms": r.allProofsMs.toFixed(1),
  }));
  console.table(table);
  console.log(`first epoch (no previous epoch to read): ${firstEpochGas} gas`);

  console.log(
    JSON.stringify({
      bench: "anchor",
      network: `hardhat in-process, hardfork ${hre.config.networks.hardhat.hardfork}`,
      firstEpochAnchorGas: firstEpochGas,
      rows: rows.map((r) => ({
        ...r,
        treeBuildMs: Number(r.treeBuildMs.toFixed(1)),
        allProofsMs: Number(r.allProofsMs.toFixed(1)),
        referenceTreeBuildMs: Number(r.referenceTreeBuildMs.toFixed(1)),
        treeBuildRatioToReference: Number((r.treeBuildMs / r.referenceTreeBuildMs).toFixed(4)),
        ratioToOneTenant: Number((r.anchorGas / oneTenant).toFixed(4)),
        ratioToBaseline: Number((r.anchorGas / r.baselineGas).toFixed(4)),
        overBaselineGas: r.anchorGas - r.baselineGas,
      })),
    }),
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
