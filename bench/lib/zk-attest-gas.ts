/**
 * The compliance pipeline end to end, for its figures: a tenant's log with commitments, one
 * epoch anchored on Hardhat's in-process chain, windows proven by the WindowProver, bundles
 * verified offline, then attested by ComplianceVerifier. Two logs of different sizes show how
 * the inclusion proofs' length moves the gas; a probe measures the Groth16 verifier alone,
 * the floor any attestation pays.
 */
import { performance } from "node:perf_hooks";

import type { Contract } from "ethers";
import hre from "hardhat";

import type { Ledger } from "../../ledger";
import { buildEpochTree, checkpointCommitment, originHash } from "../../ledger/anchor";
import { deployRegistry } from "../../ledger/anchor/deploy";
import type { AnchoredCheckpoint } from "../../ledger/compliance/anchor-source";
import { attestationArgs, attestationCall } from "../../ledger/compliance/attestation-args";
import { ComplianceLedger } from "../../ledger/compliance/compliance-ledger";
import type { ComplianceStore } from "../../ledger/compliance/compliance-store";
import { InlineCommitter } from "../../ledger/compliance/operation-committer";
import { WindowProver } from "../../ledger/compliance/window-prover";
import { verifyComplianceBundle } from "../../ledger/verify/compliance-bundle";
import { proofToSolidity, type ComplianceBundle } from "../../ledger/zk";
import { devSetupFiles, loadDevVerificationKey } from "../../ledger/zk/dev-artifacts";

/** Figures of one log size. */
export interface AttestFigures {
  readonly treeSize: number;
  /** WindowProver.proveWindow: open, witness, Groth16 prove, bundle; median of two, ms. */
  readonly proveWindowMs: number;
  readonly verifyBundleMs: number;
  /** attest of window 0: a fresh attestation slot. */
  readonly attestGasFirst: number;
  /** attest of window 2: same slot of the attestation bitmap. */
  readonly attestGasSecond: number;
  readonly calldataBytes: number;
  /** The generated Groth16 verifier's verifyProof alone, called from a contract. */
  readonly groth16Gas: number;
}

/** Runs the pipeline over logs of each size in `sizes` (all anchored in one epoch). */
export async function measureAttestation(
  ledger: Ledger,
  compliance: ComplianceStore,
  documents: { policy: unknown; assignments: unknown; event: (i: number) => object },
  sizes: readonly number[],
): Promise<AttestFigures[]> {
  const appender = new ComplianceLedger({ ledger, compliance, committer: new InlineCommitter() });
  const tenants = sizes.map((size) => `attest-${size}`);
  for (const [i, tenant] of tenants.entries()) {
    await ledger.createTenant(tenant);
    await compliance.setPolicy(tenant, documents.policy);
    await compliance.setAssignments(tenant, documents.assignments);
    for (let at = 0; at < sizes[i]; at += 1000) {
      const count = Math.min(1000, sizes[i] - at);
      await appender.appendBatch(
        tenant,
        Array.from({ length: count }, (_, k) => documents.event(at + k)),
      );
    }
  }

  const [signer] = await hre.ethers.getSigners();
  const deployment = await deployRegistry(signer);
  const registry = (await hre.ethers.getContractAt(
    "AnchorRegistry",
    deployment.address,
  )) as unknown as Contract;
  const commitments = tenants.map((t) => {
    const cp = ledger.checkpoint(t);
    return checkpointCommitment({
      origin: cp.origin,
      treeSize: cp.size,
      rootHash: cp.rootHash,
      ...compliance.currentRoots(t),
    });
  });
  const tree = buildEpochTree(commitments);
  const receipt = await (await registry.anchor(1, tree.root)).wait();
  const anchored = new Map<string, AnchoredCheckpoint>(
    tenants.map((t, i) => [
      t,
      {
        treeSize: sizes[i],
        anchor: {
          chainId: deployment.chainId,
          registry: deployment.address,
          epoch: 1,
          epochRoot: tree.root,
          proof: tree.proof(originHash(ledger.checkpoint(t).origin)),
          txHash: receipt.hash,
          blockNumber: receipt.blockNumber,
          blockHash: receipt.blockHash,
          policyRoot: commitments[i].policyRoot,
          assignmentRoot: commitments[i].assignmentRoot,
        },
      },
    ]),
  );
  const vkey = loadDevVerificationKey();
  const prover = new WindowProver({
    ledger,
    compliance,
    artifacts: devSetupFiles(),
    vkey,
    anchors: {
      anchoredCheckpoints: async (t, min) => [anchored.get(t)!].filter((a) => a.treeSize >= min),
      anchoredCheckpointAt: async (t, epoch) => (epoch === 1 ? anchored.get(t) : undefined),
    },
  });

  const groth16 = await deploy("ComplianceDevGroth16Verifier");
  const verifier = await deploy("ComplianceVerifier", deployment.address, groth16.target, 2, 3_600);
  const probe = await deploy("Groth16GasProbe");

  const out: AttestFigures[] = [];
  for (const tenant of tenants) {
    const proveTimes: number[] = [];
    const bundles: ComplianceBundle[] = [];
    for (const start of [0, 2]) {
      const t0 = performance.now();
      bundles.push(await prover.proveWindow(tenant, start));
      proveTimes.push(performance.now() - t0);
    }

    const t0 = performance.now();
    const verdict = await verifyComplianceBundle(bundles[0], {
      trustedKeys: [ledger.verifierKey(tenant)],
      vkey,
      readEpochRoot: async (_c, _r, epoch) => String(await registry.epochRoot(epoch)),
    });
    const verifyBundleMs = performance.now() - t0;
    if (!verdict.ok)
      throw new Error(`benchmark bundle does not verify: ${JSON.stringify(verdict.steps.at(-1))}`);

    const gas: number[] = [];
    let calldataBytes = 0;
    for (const bundle of bundles) {
      const call = attestationCall(attestationArgs(bundle));
      const tx = await verifier.attest(...call);
      gas.push(Number((await tx.wait()).gasUsed));
      calldataBytes = (tx.data.length - 2) / 2;
    }

    const p = proofToSolidity(bundles[0].proof);
    const data = groth16.interface.encodeFunctionData("verifyProof", [
      [p[0], p[1]],
      [
        [p[2], p[3]],
        [p[4], p[5]],
      ],
      [p[6], p[7]],
      bundles[0].publicSignals,
    ]);
    const [accepted, groth16Gas] = await probe.measure(groth16.target, data);
    if (!accepted) throw new Error("the probe's Groth16 call was refused");

    out.push({
      treeSize: ledger.checkpoint(tenant).size,
      proveWindowMs: (proveTimes[0] + proveTimes[1]) / 2,
      verifyBundleMs,
      attestGasFirst: gas[0],
      attestGasSecond: gas[1],
      calldataBytes,
      groth16Gas: Number(groth16Gas),
    });
  }
  return out;
}

async function deploy(name: string, ...args: unknown[]): Promise<Contract> {
  const factory = await hre.ethers.getContractFactory(name);
  const contract = await factory.deploy(...args);
  await contract.waitForDeployment();
  return contract as unknown as Contract;
}
