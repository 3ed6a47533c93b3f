/**
 * The prover: turns a window of a tenant's log into a compliance bundle, and a sampling audit
 * into a sample bundle. It opens the window, picks an anchored checkpoint that covers it with
 * the roots in force, builds the witness, proves with snarkjs and gathers every proof a
 * verifier needs (see ledger/zk/compliance-bundle-format).
 *
 * Proving uses every core through snarkjs's curve threads; they are stopped when a call ends.
 * Calls must not overlap (ProveJobs runs them one at a time).
 */
import { LedgerInvariantError } from "../errors";
import type { Ledger } from "../ledger";
import { fromHex, toBase64 } from "../verify/bytes";
import {
  buildWindowWitness,
  COMPLIANCE_BUNDLE_FORMAT,
  COMPLIANCE_SAMPLE_FORMAT,
  isZkError,
  loadPoseidon,
  proveWindow as proveWitness,
  releaseProverThreads,
  sampleWindowStarts,
  verificationKeyHash,
  type CircuitParams,
  type ComplianceBundle,
  type ComplianceSampleBundle,
  type ProverArtifacts,
  type VerificationKey,
  type WindowWitness,
} from "../zk";
import type { AnchoredCheckpoint, AnchorSource } from "./anchor-source";
import type { ComplianceStore } from "./compliance-store";
import { ComplianceError } from "./errors";
import { openWindow, type OpenedWindow } from "./window-opening";

/** Options of {@link WindowProver}. */
export interface WindowProverOptions {
  readonly ledger: Ledger;
  /** The policy model; its parameters must be the circuit's. */
  readonly compliance: ComplianceStore;
  readonly anchors: AnchorSource;
  /** The circuit's witness generator and proving key. */
  readonly artifacts: ProverArtifacts;
  /** The verification key of `artifacts.zkey`; bundles name it by hash. */
  readonly vkey: VerificationKey;
}

/** Proves windows and sampling audits of tenants' logs. */
export class WindowProver {
  readonly params: CircuitParams;
  private readonly _opts: WindowProverOptions;
  private readonly _vkeyHash: string;

  constructor(options: WindowProverOptions) {
    this._opts = options;
    this.params = options.compliance.params;
    this._vkeyHash = verificationKeyHash(options.vkey);
    if (options.vkey.nPublic !== 3 + 2 * this.params.operations) {
      throw new RangeError(`vkey has ${options.vkey.nPublic} public signals, not 3 + 2N`);
    }
  }

  /**
   * Proves that the operations at [windowStart, windowStart + N) were allowed, against the
   * first anchored checkpoint that covers the window with the roots in force (of `epoch`,
   * when given).
   *
   * @throws ComplianceError as openWindow; COMPLIANCE_NOT_ALLOWED (cause: the ZkError) when
   *   the roots do not allow an operation; COMPLIANCE_NOT_ANCHORED (retryable) when no
   *   anchored checkpoint covers the window with those roots yet.
   * @throws LedgerError LEDGER_UNKNOWN_TENANT.
   */
  async proveWindow(
    tenant: string,
    windowStart: number,
    options: { epoch?: number } = {},
  ): Promise<ComplianceBundle> {
    try {
      return await this._prove(tenant, windowStart, options.epoch);
    } finally {
      await releaseProverThreads();
    }
  }

  /**
   * Proves a sampling audit of `count` windows whose starts derive from the hash of the block
   * that anchored `epoch` (see sampleWindowStarts), drawn from that epoch's checkpoint of the
   * tenant. Each window is proven against an anchored checkpoint that covers it with the roots
   * in force, which may belong to another epoch.
   *
   * @throws ComplianceError COMPLIANCE_NO_SAMPLE_SEED when the epoch holds no anchored
   *   checkpoint of the tenant with a block hash, else as {@link proveWindow}.
   * @throws RangeError for a count outside [1, MAX_SAMPLE_WINDOWS].
   */
  async sampleAudit(tenant: string, epoch: number, count: number): Promise<ComplianceSampleBundle> {
    try {
      const audited = await this._opts.anchors.anchoredCheckpointAt(tenant, epoch);
      const blockHash = audited?.anchor.blockHash;
      if (audited === undefined || blockHash === undefined) {
        throw new ComplianceError("COMPLIANCE_NO_SAMPLE_SEED", { tenant, epoch });
      }
      const n = this.params.operations;
      const starts = sampleWindowStarts(blockHash, audited.treeSize, n, count);

      const windows: ComplianceBundle[] = [];
      for (const start of starts) windows.push(await this._prove(tenant, start, undefined));

      return {
        format: COMPLIANCE_SAMPLE_FORMAT,
        origin: this._opts.ledger.checkpoint(tenant).origin,
        params: { ...this.params },
        count,
        treeSize: audited.treeSize,
        checkpoint: await this._checkpointNote(tenant, audited.treeSize),
        anchor: { ...audited.anchor, blockHash },
        windows,
      };
    } finally {
      await releaseProverThreads();
    }
  }

  private async _prove(
    tenant: string,
    windowStart: number,
    epoch: number | undefined,
  ): Promise<ComplianceBundle> {
    const { ledger, compliance, artifacts } = this._opts;
    const n = this.params.operations;

    const window = await openWindow(ledger, compliance, tenant, windowStart, n);
    const anchored = await this._anchorFor(tenant, window, epoch);
    const trees = await compliance.trees(tenant, window.policy.version, window.assignments.version);
    const witness = await this._witness(window, trees);

    const inclusionProofs: string[][] = [];
    for (const entry of window.entries) {
      const p = await ledger.inclusionProof(tenant, entry.index, anchored.treeSize);
      inclusionProofs.push(p.proof.map((h) => toBase64(fromHex(h))));
    }
    const checkpoint = await this._checkpointNote(tenant, anchored.treeSize);
    const proved = await proveWitness(artifacts, witness);

    return {
      format: COMPLIANCE_BUNDLE_FORMAT,
      origin: ledger.checkpoint(tenant).origin,
      params: { ...this.params },
      vkeyHash: this._vkeyHash,
      windowStart,
      treeSize: anchored.treeSize,
      leaves: window.entries.map((e) => toBase64(e.leafData)),
      inclusionProofs,
      checkpoint,
      anchor: { ...anchored.anchor, proof: [...anchored.anchor.proof] },
      proof: proved.proof,
      publicSignals: [...proved.publicSignals],
    };
  }

  private async _anchorFor(
    tenant: string,
    window: OpenedWindow,
    epoch: number | undefined,
  ): Promise<AnchoredCheckpoint> {
    const end = window.windowStart + this.params.operations;
    const candidates = await this._opts.anchors.anchoredCheckpoints(tenant, end);

    const found = candidates.find(
      (c) =>
        (epoch === undefined || c.anchor.epoch === epoch) &&
        c.anchor.policyRoot.toLowerCase() === window.policy.root &&
        c.anchor.assignmentRoot.toLowerCase() === window.assignments.root,
    );
    if (found === undefined) {
      throw new ComplianceError("COMPLIANCE_NOT_ANCHORED", {
        tenant,
        treeSize: end,
        policyRoot: window.policy.root,
      });
    }
    return found;
  }

  private async _witness(
    window: OpenedWindow,
    trees: Awaited<ReturnType<ComplianceStore["trees"]>>,
  ): Promise<WindowWitness> {
    const hash = await loadPoseidon();
    try {
      return buildWindowWitness(
        hash,
        this.params,
        trees.policy,
        trees.assignments,
        window.windowStart,
        window.entries.map((e) => ({ operation: e.operation })),
      );
    } catch (err) {
      if (isZkError(err, "ZK_NOT_GRANTED") || isZkError(err, "ZK_NOT_ASSIGNED")) {
        const position = (err.data as { position: number }).position;
        const reason = err.code === "ZK_NOT_GRANTED" ? "not-granted" : "not-assigned";
        const index = window.windowStart + position;
        throw new ComplianceError("COMPLIANCE_NOT_ALLOWED", { index, reason }, { cause: err });
      }
      throw err;
    }
  }

  private async _checkpointNote(tenant: string, treeSize: number): Promise<string> {
    const note = await this._opts.ledger.checkpointAt(tenant, treeSize);
    if (note === undefined) {
      throw new LedgerInvariantError(`${tenant} has an anchored size ${treeSize} but no note`);
    }
    return note;
  }
}
