/**
 * Verification of compliance bundles (ledger/zk/compliance-bundle-format), step by step, with
 * nothing but the verifier keys of the log, the verification key and a way to read the chain,
 * all supplied by the caller. The same function serves the CLI, the API's tests and the
 * browser page: no Node-only API is used, and the chain is reached only through the callbacks.
 *
 * Every public input is rebuilt from checked data before Groth16 sees it: the window start
 * from the bundle and the leaves' indices, the commitments from the leaves, the roots from the
 * anchored checkpoint commitment; only the operation times come from the bundle, bounded by
 * the leaves' integration times. The bundle's own public signals must equal the rebuilt ones.
 */
import { ZERO_BYTES32, checkpointCommitment } from "../anchor/checkpoint-commitment";
import { computeEpochRoot } from "../anchor/verify-epoch-proof";
import { publicSignalCount } from "../zk/circuit-params";
import {
  checkComplianceBundleShape,
  checkSampleBundleShape,
  type ComplianceAnchor,
  type ComplianceBundle,
} from "../zk/compliance-bundle-format";
import { ZkError } from "../zk/errors";
import { bytesToField } from "../zk/field";
import { bytes32ToField } from "../zk/root-bytes32";
import { sampleWindowStarts } from "../zk/sample-windows";
import type { VerificationKey } from "../zk/snarkjs-api";
import { verifyProofSignals } from "../zk/verify-window";
import { verificationKeyHash } from "../zk/vkey-hash";
import {
  publicSignalsToStatement,
  statementToPublicSignals,
  type WindowStatement,
} from "../zk/window-statement";
import { LedgerError } from "../errors";
import type { EpochRootReader } from "./anchor-check";
import { fromBase64, toHex } from "./bytes";
import { verifyCheckpoint, type SignedCheckpoint } from "./checkpoint";
import { leafHash } from "./hash";
import { verifyInclusion } from "./inclusion";
import { decodeLeaf, type LeafFields } from "./leaf";
import { parseVerifierKey } from "./note";

/** Steps of a window bundle's verification, in the order they run. */
export type ComplianceStep =
  | "format"
  | "vkey"
  | "window"
  | "commitments"
  | "times"
  | "checkpoint"
  | "inclusion"
  | "epoch-path"
  | "epoch-root"
  | "roots"
  | "groth16";

/** Steps of a sample bundle's own verification; its windows are verified as above. */
export type SampleStep =
  "format" | "checkpoint" | "epoch-path" | "epoch-root" | "block" | "starts" | "windows";

/** One step and its verdict; `code` is the error code of a failed step. */
export interface ComplianceStepVerdict<S extends string = ComplianceStep> {
  readonly step: S;
  readonly ok: boolean;
  readonly detail: string;
  readonly code?: string;
}

/** The verdict on a window bundle: `ok` only when every step passed. */
export interface ComplianceVerdict {
  readonly ok: boolean;
  readonly steps: readonly ComplianceStepVerdict[];
  /** The statement proven, once the public signals were read. */
  readonly statement?: WindowStatement;
}

/** The verdict on a sample bundle, with one verdict per window once they were reached. */
export interface SampleVerdict {
  readonly ok: boolean;
  readonly steps: readonly ComplianceStepVerdict<SampleStep>[];
  readonly windows: readonly ComplianceVerdict[];
}

/** What the verifier brings. Nothing in the bundle is trusted. */
export interface ComplianceVerifyOptions {
  /** Verifier keys of the tenant logs, obtained out of band. */
  readonly trustedKeys: readonly string[];
  /** The verification key the officer trusts (of a ceremony it checked or joined). */
  readonly vkey: VerificationKey;
  /** Reads an epoch's anchored root from the registry on chain. */
  readonly readEpochRoot: EpochRootReader;
  /** Longest accepted delay from an operation to its entry's integration, seconds; 300. */
  readonly maxLagSeconds?: number;
  /** When given, the bundle must be for this origin. */
  readonly origin?: string;
  /** When given (bytes32 hex), the anchored policy root must be this one: the root the
   * officer recomputed from the policy document it reviewed. */
  readonly policyRoot?: string;
}

/** The block that anchored an epoch, as the officer's own chain client finds it. */
export type AnchorBlockReader = (
  chainId: number,
  registry: string,
  epoch: number,
) => Promise<{ blockNumber: number; blockHash: string }>;

/** What a sample verifier brings on top of {@link ComplianceVerifyOptions}. */
export interface SampleVerifyOptions extends ComplianceVerifyOptions {
  /** Finds the block of the registry's EpochAnchored event for an epoch. */
  readonly readAnchorBlock: AnchorBlockReader;
  /** Fewest windows accepted; 1. */
  readonly minWindows?: number;
}

/** Default bound on the lag from an operation's time to its integration time, seconds. */
export const DEFAULT_MAX_LAG_SECONDS = 300;

/**
 * Verifies a window bundle. Never throws for a bad bundle: stops at the first failed step and
 * reports it (see {@link ComplianceStep} for the order).
 *
 * WARNING: the epoch-root step trusts the endpoint behind `readEpochRoot`; use a node you
 * trust and, on a chain with reorgs, read at a finalized block.
 */
export async function verifyComplianceBundle(
  input: unknown,
  options: ComplianceVerifyOptions,
): Promise<ComplianceVerdict> {
  const run = new Steps<ComplianceStep>();
  let b!: ComplianceBundle;
  let statement!: WindowStatement;
  let leaves!: LeafFields[];
  let cp!: SignedCheckpoint;
  const n = () => b.params.operations;

  await run.sequence([
    [
      "format",
      () => {
        b = checkComplianceBundleShape(input);
        if (options.origin !== undefined && b.origin !== options.origin) {
          throw mismatch("ZK_BAD_BUNDLE", `bundle is for ${b.origin}, not ${options.origin}`);
        }
        statement = publicSignalsToStatement(b.params, b.publicSignals);
        return `${b.format}, ${b.origin}, window [${b.windowStart}, ${b.windowStart + n()})`;
      },
    ],
    ["vkey", () => checkVkey(options.vkey, b)],
    [
      "window",
      () => {
        leaves = b.leaves.map((l) => decodeLeaf(fromBase64(l)));
        leaves.forEach((leaf, i) => {
          if (leaf.index !== b.windowStart + i) {
            throw mismatch(
              "ZK_WINDOW_MISMATCH",
              `leaf ${i} has index ${leaf.index}, wanted ${b.windowStart + i}`,
            );
          }
        });
        if (statement.windowStart !== b.windowStart || b.windowStart + n() > b.treeSize) {
          throw mismatch(
            "ZK_WINDOW_MISMATCH",
            "window start disagrees with the proof or the tree size",
          );
        }
        return `${n()} consecutive leaves from index ${b.windowStart}`;
      },
    ],
    [
      "commitments",
      () => {
        leaves.forEach((leaf, i) => {
          const c = bytesToField(leaf.opCommitment, `commitment of leaf ${i}`);
          if (c === 0n) throw mismatch("ZK_COMMITMENT_MISMATCH", `leaf ${i} carries no commitment`);
          if (c !== statement.commitments[i]) {
            throw mismatch(
              "ZK_COMMITMENT_MISMATCH",
              `leaf ${i}'s commitment is not public input ${3 + i}`,
            );
          }
        });
        return "every leaf's commitment is the proof's";
      },
    ],
    ["times", () => checkTimes(leaves, statement, options.maxLagSeconds)],
    [
      "checkpoint",
      () => {
        cp = checkCheckpoint(b.checkpoint, options.trustedKeys, b.origin, b.treeSize);
        return `size ${cp.size} signed by a trusted key`;
      },
    ],
    [
      "inclusion",
      () => {
        b.leaves.forEach((l, i) => {
          const proof = b.inclusionProofs[i].map((p) => fromBase64(p));
          verifyInclusion(
            b.windowStart + i,
            b.treeSize,
            leafHash(fromBase64(l)),
            proof,
            cp.rootHash,
          );
        });
        return `every leaf is in the tree of root ${toHex(cp.rootHash)}`;
      },
    ],
    ["epoch-path", () => checkEpochPath(cp, b.anchor)],
    ["epoch-root", () => checkEpochRoot(options.readEpochRoot, b.anchor)],
    ["roots", () => checkRoots(b.anchor, statement, options.policyRoot)],
    [
      "groth16",
      async () => {
        const rebuilt: WindowStatement = {
          windowStart: b.windowStart,
          policyRoot: bytes32ToField(b.anchor.policyRoot),
          assignmentRoot: bytes32ToField(b.anchor.assignmentRoot),
          commitments: leaves.map((l) => bytesToField(l.opCommitment)),
          times: statement.times,
        };
        const signals = statementToPublicSignals(b.params, rebuilt);
        if (!(await verifyProofSignals(options.vkey, signals, b.proof))) {
          throw mismatch("ZK_PROOF_REJECTED", "the Groth16 proof does not verify");
        }
        return "the proof verifies against the rebuilt public inputs";
      },
    ],
  ]);
  return { ok: run.ok, steps: run.steps, statement };
}

/**
 * Verifies a sampling audit: the audited checkpoint and its anchor, that the anchoring block
 * is the one named, that the windows start where that block's hash says, and every window.
 * Never throws for a bad bundle.
 */
export async function verifySampleBundle(
  input: unknown,
  options: SampleVerifyOptions,
): Promise<SampleVerdict> {
  const run = new Steps<SampleStep>();
  const windows: ComplianceVerdict[] = [];
  let s!: ReturnType<typeof checkSampleBundleShape>;
  let cp!: SignedCheckpoint;

  await run.sequence([
    [
      "format",
      () => {
        s = checkSampleBundleShape(input);
        if (options.origin !== undefined && s.origin !== options.origin) {
          throw mismatch("ZK_BAD_BUNDLE", `sample is for ${s.origin}, not ${options.origin}`);
        }
        if (s.count < (options.minWindows ?? 1)) {
          throw mismatch(
            "ZK_SAMPLE_MISMATCH",
            `${s.count} windows, wanted at least ${options.minWindows}`,
          );
        }
        return `${s.format}, ${s.origin}, ${s.count} windows of epoch ${s.anchor.epoch}`;
      },
    ],
    [
      "checkpoint",
      () => {
        cp = checkCheckpoint(s.checkpoint, options.trustedKeys, s.origin, s.treeSize);
        return `audited size ${cp.size} signed by a trusted key`;
      },
    ],
    ["epoch-path", () => checkEpochPath(cp, s.anchor)],
    ["epoch-root", () => checkEpochRoot(options.readEpochRoot, s.anchor)],
    [
      "block",
      async () => {
        const a = s.anchor;
        const block = await options.readAnchorBlock(a.chainId, a.registry, a.epoch);
        if (
          block.blockHash.toLowerCase() !== a.blockHash.toLowerCase() ||
          block.blockNumber !== a.blockNumber
        ) {
          throw mismatch(
            "ZK_SAMPLE_MISMATCH",
            `epoch ${a.epoch} was anchored in block ${block.blockNumber}`,
          );
        }
        return `epoch ${a.epoch} was anchored in block ${a.blockNumber} (${a.blockHash})`;
      },
    ],
    [
      "starts",
      () => {
        const wanted = sampleWindowStarts(
          s.anchor.blockHash,
          s.treeSize,
          s.params.operations,
          s.count,
        );
        s.windows.forEach((w, i) => {
          const same = w.origin === s.origin && w.params.operations === s.params.operations;
          if (!same || w.windowStart !== wanted[i]) {
            throw mismatch(
              "ZK_SAMPLE_MISMATCH",
              `window ${i} starts at ${w.windowStart}, wanted ${wanted[i]}`,
            );
          }
        });
        return `starts [${wanted.join(", ")}] follow from the block hash`;
      },
    ],
    [
      "windows",
      async () => {
        for (const w of s.windows) {
          windows.push(await verifyComplianceBundle(w, { ...options, origin: s.origin }));
        }
        const bad = windows.findIndex((v) => !v.ok);
        if (bad >= 0) throw mismatch("ZK_SAMPLE_MISMATCH", `window ${bad} does not verify`);
        return `all ${windows.length} windows verify`;
      },
    ],
  ]);
  return { ok: run.ok, steps: run.steps, windows };
}

/** Runs steps in order, recording a verdict for each, and stops at the first failure. */
class Steps<S extends string> {
  readonly steps: ComplianceStepVerdict<S>[] = [];
  ok = true;

  /** Runs `steps` in order until one fails. */
  async sequence(steps: readonly [S, () => string | Promise<string>][]): Promise<void> {
    for (const [step, work] of steps) {
      if (!(await this.step(step, work))) return;
    }
  }

  async step(step: S, work: () => string | Promise<string>): Promise<boolean> {
    try {
      this.steps.push({ step, ok: true, detail: await work() });
      return true;
    } catch (err) {
      const code = (err as { code?: unknown })?.code;
      const detail = err instanceof Error ? err.message : String(err);
      this.steps.push({
        step,
        ok: false,
        detail,
        code: typeof code === "string" ? code : undefined,
      });
      this.ok = false;
      return false;
    }
  }
}

function checkVkey(vkey: VerificationKey, b: ComplianceBundle): string {
  const hash = verificationKeyHash(vkey);
  if (hash !== b.vkeyHash) {
    throw mismatch(
      "ZK_BAD_VERIFICATION_KEY",
      `bundle names key ${b.vkeyHash}, trusted key is ${hash}`,
    );
  }
  if (vkey.nPublic !== publicSignalCount(b.params)) {
    throw mismatch(
      "ZK_BAD_VERIFICATION_KEY",
      `key has ${vkey.nPublic} public inputs, wanted 3 + 2N`,
    );
  }
  return `trusted key ${hash}`;
}

function checkTimes(leaves: LeafFields[], statement: WindowStatement, maxLag?: number): string {
  const lag = maxLag ?? DEFAULT_MAX_LAG_SECONDS;
  leaves.forEach((leaf, i) => {
    const integrated = Math.floor(leaf.timeMs / 1000);
    const time = statement.times[i];
    if (time > integrated || integrated - time > lag) {
      throw mismatch(
        "ZK_TIME_OUT_OF_BOUNDS",
        `operation ${i} at ${time} s, integrated at ${integrated} s: wanted [t, t + ${lag}]`,
      );
    }
  });
  return `every operation precedes its integration by at most ${lag} s`;
}

function checkCheckpoint(
  note: string,
  trustedKeys: readonly string[],
  origin: string,
  size: number,
): SignedCheckpoint {
  const cp = verifyCheckpoint(note, trustedKeys.map(parseVerifierKey), origin);
  if (cp.size !== size) {
    throw new LedgerError("LEDGER_BAD_CHECKPOINT", `checkpoint size ${cp.size}, bundle ${size}`);
  }
  return cp;
}

function checkEpochPath(cp: SignedCheckpoint, anchor: ComplianceAnchor): string {
  const commitment = checkpointCommitment({
    origin: cp.origin,
    treeSize: cp.size,
    rootHash: cp.rootHash,
    policyRoot: anchor.policyRoot,
    assignmentRoot: anchor.assignmentRoot,
  });
  const root = computeEpochRoot(commitment, anchor.proof);
  if (root !== anchor.epochRoot.toLowerCase()) {
    throw mismatch("ZK_ROOTS_NOT_ANCHORED", `epoch path leads to ${root}, not ${anchor.epochRoot}`);
  }
  return `the checkpoint and its roots are a leaf of epoch root ${root}`;
}

async function checkEpochRoot(read: EpochRootReader, anchor: ComplianceAnchor): Promise<string> {
  const onChain = (await read(anchor.chainId, anchor.registry, anchor.epoch)).toLowerCase();
  if (onChain === ZERO_BYTES32 || onChain !== anchor.epochRoot.toLowerCase()) {
    throw mismatch("ZK_ROOTS_NOT_ANCHORED", `registry holds ${onChain} for epoch ${anchor.epoch}`);
  }
  return `epoch ${anchor.epoch} holds ${onChain} on chain ${anchor.chainId}`;
}

function checkRoots(anchor: ComplianceAnchor, s: WindowStatement, officerRoot?: string): string {
  const policy = bytes32ToField(anchor.policyRoot, "anchored policy root");
  const assignment = bytes32ToField(anchor.assignmentRoot, "anchored assignment root");
  if (policy === 0n || assignment === 0n) {
    throw mismatch("ZK_ROOTS_NOT_ANCHORED", "no policy or assignment root was anchored");
  }
  if (policy !== s.policyRoot || assignment !== s.assignmentRoot) {
    throw mismatch("ZK_ROOTS_NOT_ANCHORED", "the proof's roots are not the anchored ones");
  }
  if (
    officerRoot !== undefined &&
    bytes32ToField(officerRoot, "officer's policy root") !== policy
  ) {
    throw mismatch("ZK_ROOTS_NOT_ANCHORED", `anchored policy root is not ${officerRoot}`);
  }
  return `policy root ${anchor.policyRoot} and assignment root ${anchor.assignmentRoot}`;
}

function mismatch(code: ConstructorParameters<typeof ZkError>[0], message: string): ZkError {
  return new ZkError(code, message, {});
}
