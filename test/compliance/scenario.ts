/**
 * One compliance scenario shared by the compliance and contract tests, built once per run
 * (proofs take seconds) and closed by a root `after` hook:
 *
 * Tenant "acme", N = 2, anchored in epoch 1 at size 10 under policy version 1:
 *
 *   index  actor  role     action   class    verdict under the policy and assignments
 *   0      carol  clerk    write    invoice  allowed                      } window 0
 *   1      bob    auditor  read     ledger   allowed                      }
 *   2      carol  clerk    read     invoice  allowed                      } window 2
 *   3      bob    auditor  write    ledger   no grant: the role lacks it  }
 *   4      alice  clerk    write    invoice  alice's clerk role had ended } window 4
 *   5      carol  clerk    read     invoice  allowed                      }
 *   6      carol  clerk    approve  invoice  the grant had expired        } window 6
 *   7      bob    auditor  read     ledger   allowed                      }
 *   8      (an event without a role: no commitment)                       } window 8
 *   9      carol  clerk    read     invoice  allowed                      }
 *
 * then policy version 2, and entries 10 and 11 (carol reads, bob reads invoices), not
 * anchored. Tenant "beta" holds six allowed operations; tenant "mirror" holds copies of acme's
 * entries 0 and 1 whose commitments were shifted by the field modulus. Both are anchored in
 * epoch 1 with the same roots as acme.
 */
import { Contract } from "ethers";
import hre from "hardhat";

import type { Ledger } from "../../ledger";
import type { CommitmentPool } from "../../ledger/compliance/commitment-pool";
import type { ComplianceLedger } from "../../ledger/compliance/compliance-ledger";
import type { ComplianceStore } from "../../ledger/compliance/compliance-store";
import { openCompliance } from "../../ledger/compliance/open-compliance";
import { readOpening } from "../../ledger/compliance/operation-opening";
import type { ProveJobs } from "../../ledger/compliance/prove-jobs";
import type { WindowProver } from "../../ledger/compliance/window-prover";
import { fromHex, toBase64 } from "../../ledger/verify/bytes";
import { decodeLeaf } from "../../ledger/verify/leaf";
import {
  DEV_PARAMS,
  FIELD_MODULUS,
  buildAssignmentTree,
  buildPolicyTree,
  buildWindowWitness,
  bytesToField,
  loadPoseidon,
  parseAssignments,
  parsePolicy,
  proveWindow,
  releaseProverThreads,
  type WindowProof,
  type ComplianceAnchor,
  type ComplianceBundle,
  type ComplianceSampleBundle,
  type Operation,
  type PoseidonHash,
  type VerificationKey,
} from "../../ledger/zk";
import { devSetupFiles, loadDevVerificationKey } from "../../ledger/zk/dev-artifacts";
import { openTestLedger, tempDir } from "../helpers/temp-ledger";
import {
  EpochAnchorSource,
  anchorBlockReader,
  anchorEpoch,
  deployTestRegistry,
  epochRootReader,
  type TestRegistry,
} from "./chain";
import { operationEvent, testDocuments } from "./documents";

/** Everything the tests share. */
export interface Scenario {
  readonly now: number;
  readonly docs: ReturnType<typeof testDocuments>;
  readonly ledger: Ledger;
  readonly compliance: ComplianceStore;
  readonly pool: CommitmentPool;
  readonly appender: ComplianceLedger;
  readonly anchors: EpochAnchorSource;
  readonly registry: TestRegistry;
  readonly prover: WindowProver;
  readonly jobs: ProveJobs;
  readonly vkey: VerificationKey;
  readonly hash: PoseidonHash;
  /** Verifier keys of acme, beta and mirror. */
  readonly trustedKeys: string[];
  readonly readEpochRoot: ReturnType<typeof epochRootReader>;
  readonly readAnchorBlock: ReturnType<typeof anchorBlockReader>;
  /** Window 0 of acme, proven through the job API. */
  readonly bundle: ComplianceBundle;
  readonly bundleJobId: string;
  /** A two-window sampling audit of beta's checkpoint in epoch 1. */
  readonly sample: ComplianceSampleBundle;
}

let building: Promise<Scenario> | undefined;
let cleanup: (() => Promise<void>) | undefined;

/** The scenario, built on first use. */
export function scenario(): Promise<Scenario> {
  building ??= build();
  return building;
}

// A root hook: it runs once, after every test file of the run.
after(async () => {
  await cleanup?.();
});

async function build(): Promise<Scenario> {
  const now = Math.floor(Date.now() / 1000);
  const docs = testDocuments(now);
  const { dir, cleanup: removeDir } = tempDir("anchorlog-compliance-");
  const ledger = await openTestLedger(dir);
  const anchors = new EpochAnchorSource();
  const opened = await openCompliance({ ledger, anchors, pool: { threads: 1 } });
  const { store: compliance, pool, appender, prover, jobs } = opened;
  const vkey = loadDevVerificationKey();
  cleanup = async () => {
    await releaseProverThreads();
    await opened.close();
    await ledger.close();
    removeDir();
  };

  for (const tenant of ["acme", "beta", "mirror"]) {
    await ledger.createTenant(tenant);
    await compliance.setPolicy(tenant, docs.policy);
    await compliance.setAssignments(tenant, docs.assignments);
  }

  const op = (actor: string, role: string, action: string, cls: string, ago: number) =>
    operationEvent(now, actor, role, action, cls, ago);
  await appender.appendBatch("acme", [
    op("carol", "clerk", "write", "invoice", 50),
    op("bob", "auditor", "read", "ledger", 49),
    op("carol", "clerk", "read", "invoice", 48),
    op("bob", "auditor", "write", "ledger", 47),
    op("alice", "clerk", "write", "invoice", 46),
    op("carol", "clerk", "read", "invoice", 45),
    op("carol", "clerk", "approve", "invoice", 44),
    op("bob", "auditor", "read", "ledger", 43),
    { ...op("dave", "none", "badge", "door", 42), role: undefined },
    op("carol", "clerk", "read", "invoice", 41),
  ]);
  await appender.appendBatch("beta", [
    op("carol", "clerk", "write", "invoice", 30),
    op("bob", "auditor", "read", "ledger", 29),
    op("carol", "clerk", "read", "invoice", 28),
    op("carol", "clerk", "write", "invoice", 27),
    op("bob", "auditor", "read", "ledger", 26),
    op("carol", "clerk", "read", "invoice", 25),
  ]);
  await appendMirror(ledger);

  const registry = await deployTestRegistry();
  await anchorEpoch(ledger, compliance, registry, anchors, 1, ["acme", "beta", "mirror"]);

  await compliance.setPolicy("acme", docs.policyV2);
  await appender.appendBatch("acme", [
    op("carol", "clerk", "read", "invoice", 20),
    op("bob", "auditor", "read", "invoice", 19),
  ]);

  const windowJob = jobs.start("acme", { kind: "window", windowStart: 0 });
  const sampleJob = jobs.start("beta", { kind: "sample", epoch: 1, count: 2 });
  await jobs.idle();

  return {
    now,
    docs,
    ledger,
    compliance,
    pool,
    appender,
    anchors,
    registry,
    prover,
    jobs,
    vkey,
    hash: await loadPoseidon(),
    trustedKeys: ["acme", "beta", "mirror"].map((t) => ledger.verifierKey(t)),
    readEpochRoot: epochRootReader(registry),
    readAnchorBlock: anchorBlockReader(registry),
    bundle: (await jobs.result("acme", windowJob.id)) as ComplianceBundle,
    bundleJobId: windowJob.id,
    sample: (await jobs.result("beta", sampleJob.id)) as ComplianceSampleBundle,
  };
}

// Mirror copies acme's events 0 and 1 with their commitments shifted by the field modulus:
// the same residues, other integers. The ledger takes any 32 bytes as a commitment.
async function appendMirror(ledger: Ledger): Promise<void> {
  const shifted: Uint8Array[] = [];
  for (const index of [0, 1]) {
    const leaf = decodeLeaf((await ledger.entry("acme", index)).leafData);
    const value = bytesToField(leaf.opCommitment) + FIELD_MODULUS;
    shifted.push(fromHex(value.toString(16).padStart(64, "0")));
  }
  const events = [0, 1].map(async (index) => (await ledger.entry("acme", index)).event!);

  await ledger.appendBatch("mirror", await Promise.all(events), { opCommitments: shifted });
}

/** The operation sealed with entry `index` of `tenant`. */
export async function operationAt(s: Scenario, tenant: string, index: number): Promise<Operation> {
  return readOpening(await s.ledger.privateRecord(tenant, index), index);
}

/**
 * A bundle for `tenant` over the entries `indices` (claimed to start at `windowStart`), with
 * the given proof and signals, against the tenant's epoch-1 anchor unless another is given.
 * For building bundles the prover would refuse to build.
 */
export async function assembleBundle(
  s: Scenario,
  tenant: string,
  windowStart: number,
  indices: readonly number[],
  proved: { proof: ComplianceBundle["proof"]; publicSignals: readonly string[] },
  anchor?: ComplianceAnchor,
): Promise<ComplianceBundle> {
  const anchored = (await s.anchors.anchoredCheckpointAt(tenant, 1))!;
  const treeSize = anchored.treeSize;
  const leaves: string[] = [];
  const inclusionProofs: string[][] = [];
  for (const index of indices) {
    leaves.push(toBase64((await s.ledger.entry(tenant, index)).leafData));
    const p = await s.ledger.inclusionProof(tenant, index, treeSize);
    inclusionProofs.push(p.proof.map((h) => toBase64(fromHex(h))));
  }
  return {
    ...s.bundle,
    origin: s.ledger.checkpoint(tenant).origin,
    windowStart,
    treeSize,
    leaves,
    inclusionProofs,
    checkpoint: (await s.ledger.checkpointAt(tenant, treeSize))!,
    anchor: anchor ?? anchored.anchor,
    proof: proved.proof,
    publicSignals: [...proved.publicSignals],
  };
}

/** Attaches the test registry's contracts for the on-chain tests. */
export async function contractAt(name: string, address: string): Promise<Contract> {
  return (await hre.ethers.getContractAt(name, address)) as unknown as Contract;
}

/** Proofs a dishonest tenant could make, each a real Groth16 proof under the dev key. */
export interface AdversarialProofs {
  /** Of acme's operations 0 and 2, claimed as the window from 0: entry 1 left out. */
  readonly skipped: WindowProof;
  /** Of acme's operation 0 twice, claimed as the window from 0. */
  readonly duplicated: WindowProof;
  /** Of acme's window 2 against the permissive policy, whose root was never anchored. */
  readonly permissive: WindowProof;
}

let adversarial: Promise<AdversarialProofs> | undefined;

/** The adversarial proofs, made on first use. */
export function adversarialProofs(): Promise<AdversarialProofs> {
  adversarial ??= makeAdversarialProofs();
  return adversarial;
}

async function makeAdversarialProofs(): Promise<AdversarialProofs> {
  const s = await scenario();
  const policy = parsePolicy(s.docs.policy);
  const assignments = buildAssignmentTree(
    s.hash,
    parseAssignments(s.docs.assignments, policy),
    DEV_PARAMS.assignmentDepth,
  );
  const honest = buildPolicyTree(s.hash, policy, DEV_PARAMS.policyDepth);
  const permissive = buildPolicyTree(
    s.hash,
    parsePolicy(s.docs.permissivePolicy),
    DEV_PARAMS.policyDepth,
  );
  const [op0, op2, op3] = await Promise.all([0, 2, 3].map((i) => operationAt(s, "acme", i)));
  const prove = (tree: typeof honest, start: number, ops: Operation[]) =>
    proveWindow(
      devSetupFiles(),
      buildWindowWitness(
        s.hash,
        DEV_PARAMS,
        tree,
        assignments,
        start,
        ops.map((operation) => ({ operation })),
      ),
    );

  try {
    return {
      skipped: await prove(honest, 0, [op0, op2]),
      duplicated: await prove(honest, 0, [op0, op0]),
      permissive: await prove(permissive, 2, [op2, op3]),
    };
  } finally {
    await releaseProverThreads();
  }
}
