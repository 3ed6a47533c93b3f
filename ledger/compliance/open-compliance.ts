/**
 * Everything the compliance integration needs in a service, opened together: the policy
 * model, the commitment pool, the appender, the prover and the job runner. A service passes
 * `store.rootsFor` to the anchoring worker, appends through `appender`, and gives `store` and
 * `jobs` to the API.
 */
import type { Ledger } from "../ledger";
import { DEV_PARAMS, type CircuitParams, type ProverArtifacts, type VerificationKey } from "../zk";
import { devSetupFiles, loadDevVerificationKey } from "../zk/dev-artifacts";
import type { AnchorSource } from "./anchor-source";
import { CommitmentPool, type CommitmentPoolOptions } from "./commitment-pool";
import { ComplianceLedger } from "./compliance-ledger";
import { ComplianceStore } from "./compliance-store";
import { ProveJobs } from "./prove-jobs";
import { WindowProver } from "./window-prover";

/** Options of {@link openCompliance}. */
export interface OpenComplianceOptions {
  readonly ledger: Ledger;
  /** Where anchored checkpoints come from: anchorStoreSource over the worker's records. */
  readonly anchors: AnchorSource;
  /**
   * An already open policy store, when something else (the anchoring worker's rootsFor) needs
   * it before these services can open; opened here when omitted.
   */
  readonly store?: ComplianceStore;
  /**
   * The circuit, its proving key and verification key. The shipped development setup when
   * omitted.
   *
   * WARNING: the development setup is INSECURE (see circuits/dev/README.md).
   */
  readonly circuit?: {
    readonly params: CircuitParams;
    readonly artifacts: ProverArtifacts;
    readonly vkey: VerificationKey;
  };
  readonly pool?: CommitmentPoolOptions;
  /** Most proving jobs queued or running; 16. */
  readonly maxJobs?: number;
}

/** The opened services; {@link close} releases them (not the ledger). */
export interface OpenedCompliance {
  readonly store: ComplianceStore;
  readonly pool: CommitmentPool;
  readonly appender: ComplianceLedger;
  readonly prover: WindowProver;
  readonly jobs: ProveJobs;
  /** Waits for the running job, then stops the commitment workers. */
  close(): Promise<void>;
}

/**
 * Opens the compliance services over an open ledger.
 *
 * @throws ComplianceError COMPLIANCE_RECORDS_DAMAGED or COMPLIANCE_WORKER_FAILED.
 */
export async function openCompliance(options: OpenComplianceOptions): Promise<OpenedCompliance> {
  const { ledger } = options;
  const circuit = options.circuit ?? {
    params: DEV_PARAMS,
    artifacts: devSetupFiles(),
    vkey: loadDevVerificationKey(),
  };

  const store =
    options.store ?? (await ComplianceStore.open(ledger.store, { params: circuit.params }));
  const pool = await CommitmentPool.start(options.pool);
  const appender = new ComplianceLedger({ ledger, compliance: store, committer: pool });
  const prover = new WindowProver({
    ledger,
    compliance: store,
    anchors: options.anchors,
    artifacts: circuit.artifacts,
    vkey: circuit.vkey,
  });
  const jobs = new ProveJobs({ prover, store: ledger.store, maxJobs: options.maxJobs });

  return {
    store,
    pool,
    appender,
    prover,
    jobs,
    async close() {
      await jobs.close();
      await pool.close();
    },
  };
}
