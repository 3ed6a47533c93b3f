// Gas of anchoring one epoch and of checking one checkpoint against it, for epochs of
// 1, 100 and 10,000 tenants, on Hardhat's in-process chain; then the anchoring worker end to
// end on a local node that mines a block every second.
//
//   npm run bench:anchor
//
// Each anchor is compared with the 1-tenant anchor and with a baseline contract that only
// writes one bytes32 to a fresh slot and emits one event, sent with the same epoch and root.
// Building the epoch tree is timed against OpenZeppelin's StandardMerkleTree building the
// same tree.
//
// The worker part times, per entry, the span from its append being acknowledged (its
// checkpoint is signed) to an anchored receipt for it, at confirmation depths 1 and 3,
// against the bare round trip of one `anchor` transaction on the same node. It also weighs
// the two ways to serve epoch proofs for 10,000 tenants (stored per tenant, or rebuilt from
// the stored commitments) and how long a 10,000-leaf build stalls the event loop inline and
// in a worker thread. Prints tables, then one JSON line with every figure.
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";

import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import {
  Contract,
  HDNodeWallet,
  JsonRpcProvider,
  keccak256,
  toUtf8Bytes,
  Wallet,
  type TransactionReceipt,
} from "ethers";
import hre from "hardhat";

import { Ledger, openLevelStore } from "../ledger";
import {
  buildEpochTree,
  checkpointCommitment,
  EPOCH_LEAF_TYPES,
  epochLeafValue,
  REGISTRY_ABI,
  type CheckpointCommitment,
} from "../ledger/anchor";
import {
  encodeLeaves,
  encodeTenantAnchor,
  type EpochLeafRecord,
} from "../ledger/anchor/anchor-records";
import { AnchorStore } from "../ledger/anchor/anchor-store";
import { AnchorWorker } from "../ledger/anchor/anchor-worker";
import type { AnchorWorkerEvent } from "../ledger/anchor/anchor-worker-events";
import { deployRegistry } from "../ledger/anchor/deploy";
import { buildEpoch } from "../ledger/anchor/epoch-build";
import { startLocalNode, type LocalNode } from "../ledger/anchor/local-node";
import { percentile } from "./lib/report";

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

  const latency = await measureAnchorLatency();
  const receiptSources = await measureReceiptSources(10_000);
  const stall = await measureBuildStall(10_000);

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
  printWorkerTables(latency, receiptSources, stall);

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
      worker: {
        node: `hardhat node, a block every ${BLOCK_MS} ms, no automine`,
        samplesPerFigure: SAMPLES,
        baselineTxRoundTripMedianMs: ms(latency.baselineMs),
        checkpointToAnchoredReceiptMedianMs: {
          depth1: ms(latency.depth1Ms),
          depth3: ms(latency.depth3Ms),
        },
        ratioToBaseline: {
          depth1: ratio(latency.depth1Ms, latency.baselineMs),
          depth3: ratio(latency.depth3Ms, latency.baselineMs),
        },
        samplesMs: {
          baseline: latency.baseline.map(ms),
          depth1: latency.depth1.map(ms),
          depth3: latency.depth3.map(ms),
        },
      },
      receiptSources: {
        ...receiptSources,
        rebuildRatioToStoredLookup: ratio(receiptSources.rebuildMs, receiptSources.lookupMs),
      },
      buildStall: {
        ...stall,
        threadStallRatioToInline: ratio(stall.threadMaxGapMs, stall.inlineMaxGapMs),
      },
    }),
  );
}

// ---------------------------------------------------------------------------------------
// The anchoring worker end to end.

const BLOCK_MS = 1_000;
const SAMPLES = 5;
const POLL_MS = 50;
// Account #0 of Hardhat's default mnemonic: funded on every Hardhat chain.
const HARDHAT_KEY = HDNodeWallet.fromPhrase(
  "test test test test test test test test test test test junk",
).privateKey;

interface LatencyFigures {
  baseline: number[];
  depth1: number[];
  depth3: number[];
  baselineMs: number;
  depth1Ms: number;
  depth3Ms: number;
}

async function measureAnchorLatency(): Promise<LatencyFigures> {
  const node = await startLocalNode({ miningIntervalMs: BLOCK_MS, automine: false });
  const provider = new JsonRpcProvider(node.rpcUrl, Number(node.chainId), {
    staticNetwork: true,
    cacheTimeout: -1,
  });
  const wallet = new Wallet(HARDHAT_KEY, provider);

  try {
    const baseline = await bareRoundTrips(wallet);
    const depth1 = await checkpointToAnchoredReceipt(node, wallet, 1);
    const depth3 = await checkpointToAnchoredReceipt(node, wallet, 3);
    return {
      baseline,
      depth1,
      depth3,
      baselineMs: percentile(baseline, 50),
      depth1Ms: percentile(depth1, 50),
      depth3Ms: percentile(depth3, 50),
    };
  } finally {
    provider.destroy();
    await node.stop();
  }
}

/** Send one `anchor` and poll for its receipt as often as the worker polls: the floor. */
async function bareRoundTrips(wallet: Wallet): Promise<number[]> {
  const { address } = await deployRegistry(wallet);
  const registry = new Contract(address, REGISTRY_ABI as string[], wallet);
  const provider = wallet.provider!;
  const samples: number[] = [];

  for (let epoch = 1; epoch <= SAMPLES; epoch++) {
    const started = performance.now();
    const sent = await registry.anchor(epoch, keccak256(toUtf8Bytes(`baseline ${epoch}`)));
    let receipt: TransactionReceipt | null = null;
    while (receipt === null) {
      await sleep(POLL_MS);
      receipt = await provider.getTransactionReceipt(sent.hash);
    }
    samples.push(performance.now() - started);
  }
  return samples;
}

/**
 * Runs a worker at `confirmations` over a fresh ledger of three tenants and, SAMPLES times,
 * appends one entry and waits until its receipt comes back anchored.
 */
async function checkpointToAnchoredReceipt(
  node: LocalNode,
  wallet: Wallet,
  confirmations: number,
): Promise<number[]> {
  const deployment = await deployRegistry(wallet);
  const dir = mkdtempSync(join(tmpdir(), "anchorlog-bench-anchor-"));
  const ledger = await Ledger.open({
    path: join(dir, "db"),
    masterKey: randomBytes(32),
    signingSeed: randomBytes(32),
    originPrefix: "bench.anchorlog.dev/log",
  });
  for (const tenant of ["acme", "beta", "gamma"]) await ledger.createTenant(tenant);
  const confirmed = new Set<() => void>();
  const worker = await AnchorWorker.open({
    ledger,
    rpcUrl: node.rpcUrl,
    privateKey: HARDHAT_KEY,
    registry: { chainId: deployment.chainId, address: deployment.address },
    confirmations,
    pollMs: POLL_MS,
    epochMs: POLL_MS,
    minChangedLogs: 1,
    onEvent: (event: AnchorWorkerEvent) => {
      if (event.type !== "epoch-confirmed") return;
      for (const wake of confirmed) wake();
    },
  });
  const nextConfirmed = () =>
    new Promise<void>((resolve) => {
      const wake = () => {
        confirmed.delete(wake);
        resolve();
      };
      confirmed.add(wake);
    });

  const samples: number[] = [];
  try {
    worker.start();
    for (let i = 0; i < SAMPLES; i++) {
      const event = {
        actor: "bench",
        action: "write",
        resource: `doc/${i}`,
        timestamp: "2026-01-01T00:00:00Z",
      };
      const { index } = await ledger.append("acme", event);
      const started = performance.now();
      for (;;) {
        const next = nextConfirmed();
        if ((await worker.anchoredReceipt("acme", index)).status === "anchored") break;
        await next;
      }
      samples.push(performance.now() - started);
    }
  } finally {
    await worker.close();
    await ledger.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return samples;
}

interface ReceiptSourceFigures {
  tenants: number;
  storedBytesLeaves: number;
  storedBytesTenantEntries: number;
  writeEpochMs: number;
  lookupMs: number;
  rebuildMs: number;
}

/**
 * The choice behind the tenant entries: a receipt's epoch proof read from the tenant's
 * stored entry, against rebuilding the epoch tree from the stored commitments.
 */
async function measureReceiptSources(tenants: number): Promise<ReceiptSourceFigures> {
  const dir = mkdtempSync(join(tmpdir(), "anchorlog-bench-records-"));
  const store = await openLevelStore(join(dir, "db"));

  try {
    const records = await AnchorStore.open(store);
    await records.useDeployment(
      { chainId: 31337, registry: REGISTRY_PLACEHOLDER, block: 0 },
      false,
    );
    const leaves: EpochLeafRecord[] = commitments(tenants).map((c, i) => ({
      tenant: `tenant-${i}`,
      origin: `log.anchorlog.example/tenant-${i}`,
      treeSize: Number(c.treeSize),
      rootHash: c.rootHash,
      policyRoot: c.policyRoot,
      assignmentRoot: c.assignmentRoot,
    }));
    const tree = buildEpochTree(leaves.map(toCommitment));
    const entries = leaves.map((l) => ({
      tenant: l.tenant,
      treeSize: l.treeSize,
      epoch: 1,
      proof: tree.proof(toCommitment(l).originHash),
      policyRoot: l.policyRoot,
      assignmentRoot: l.assignmentRoot,
    }));

    let started = performance.now();
    const sent = await records.addSent(
      {
        generation: 1,
        chainId: 31337,
        registry: REGISTRY_PLACEHOLDER,
        epoch: 1,
        root: tree.root,
        leafCount: tree.size,
        status: "sent",
        txHash: tree.root,
        txHashes: [tree.root],
        firstSentAtMs: 0,
        lastSentAtMs: 0,
      },
      leaves,
      entries,
    );
    const writeEpochMs = performance.now() - started;
    await records.update({ ...sent, status: "confirmed", blockNumber: 1, blockHash: tree.root });

    const lookups = 1_000;
    started = performance.now();
    for (let i = 0; i < lookups; i++) {
      const hit = await records.covering(`tenant-${(i * 7919) % tenants}`, 0);
      if (hit === undefined) throw new Error("invariant: every tenant was indexed");
    }
    const lookupMs = (performance.now() - started) / lookups;

    started = performance.now();
    const rebuilt = buildEpochTree((await records.leaves(sent.seq)).map(toCommitment));
    rebuilt.proof(toCommitment(leaves[0]).originHash);
    const rebuildMs = performance.now() - started;
    if (rebuilt.root !== tree.root)
      throw new Error("invariant: the stored leaves rebuild the tree");

    return {
      tenants,
      storedBytesLeaves: encodeLeaves(leaves).length,
      storedBytesTenantEntries: entries.reduce(
        (sum, e) => sum + encodeTenantAnchor({ ...e, seq: 1 }).length,
        0,
      ),
      writeEpochMs: ms(writeEpochMs),
      lookupMs: Number(lookupMs.toFixed(4)),
      rebuildMs: ms(rebuildMs),
    };
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const REGISTRY_PLACEHOLDER = "0x5FbDB2315678afecb367f032d93F642f64180aa3";

function toCommitment(leaf: EpochLeafRecord): CheckpointCommitment {
  return checkpointCommitment({ ...leaf });
}

interface StallFigures {
  tenants: number;
  inlineTotalMs: number;
  inlineMaxGapMs: number;
  threadTotalMs: number;
  threadMaxGapMs: number;
}

/** How long the event loop stands still while a 10,000-leaf epoch is built, both ways. */
async function measureBuildStall(tenants: number): Promise<StallFigures> {
  const leaves = commitments(tenants);
  const wanted = leaves.map((c) => c.originHash);

  const inline = await loopGapDuring(() => buildEpoch(leaves, wanted, Number.MAX_SAFE_INTEGER));
  const thread = await loopGapDuring(() => buildEpoch(leaves, wanted, 1));
  return {
    tenants,
    inlineTotalMs: ms(inline.totalMs),
    inlineMaxGapMs: ms(inline.maxGapMs),
    threadTotalMs: ms(thread.totalMs),
    threadMaxGapMs: ms(thread.maxGapMs),
  };
}

/** Runs `work` with a 1 ms timer beside it; the longest gap between ticks is the stall. */
async function loopGapDuring(work: () => Promise<unknown>) {
  let last = performance.now();
  let maxGapMs = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    maxGapMs = Math.max(maxGapMs, now - last);
    last = now;
  }, 1);

  const started = performance.now();
  await work();
  const totalMs = performance.now() - started;
  // One more turn of the loop, so a stall that lasted to the end is counted too.
  await sleep(5);
  clearInterval(timer);
  return { totalMs, maxGapMs };
}

function printWorkerTables(
  latency: LatencyFigures,
  sources: ReceiptSourceFigures,
  stall: StallFigures,
): void {
  console.log(
    `\nanchoring worker, hardhat node mining a block every ${BLOCK_MS} ms (medians of ${SAMPLES})`,
  );
  console.table([
    { what: "bare anchor tx round trip (baseline)", ms: ms(latency.baselineMs), "÷ baseline": 1 },
    {
      what: "checkpoint → anchored receipt, 1 confirmation",
      ms: ms(latency.depth1Ms),
      "÷ baseline": ratio(latency.depth1Ms, latency.baselineMs),
    },
    {
      what: "checkpoint → anchored receipt, 3 confirmations",
      ms: ms(latency.depth3Ms),
      "÷ baseline": ratio(latency.depth3Ms, latency.baselineMs),
    },
  ]);
  console.log(`\nepoch proofs for receipts, ${sources.tenants} tenants`);
  console.table([
    { what: "stored per tenant: one lookup", ms: sources.lookupMs },
    { what: "rebuilt from stored commitments", ms: sources.rebuildMs },
    { what: "writing the epoch (synced batch)", ms: sources.writeEpochMs },
  ]);
  console.log(
    `stored: ${sources.storedBytesLeaves} bytes of commitments, ` +
      `${sources.storedBytesTenantEntries} bytes of tenant entries`,
  );
  console.log(`\nevent loop during a ${stall.tenants}-leaf epoch build`);
  console.table([
    { where: "inline", "total ms": stall.inlineTotalMs, "longest stall ms": stall.inlineMaxGapMs },
    {
      where: "worker thread",
      "total ms": stall.threadTotalMs,
      "longest stall ms": stall.threadMaxGapMs,
    },
  ]);
}

function ms(value: number): number {
  return Number(value.toFixed(1));
}

function ratio(value: number, base: number): number {
  return Number((value / base).toFixed(3));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
