/**
 * The compliance integration of the ledger: versioned policy and assignment documents,
 * operation commitments on append, the window prover and its jobs. Re-exports only.
 *
 * Node-only (worker threads, the store); the pure parts live in ../zk and the verifier in
 * ../verify/compliance-bundle.
 */
export * from "./anchor-source";
export * from "./anchor-store-source";
export * from "./attestation-args";
export * from "./commitment-pool";
export * from "./compliance-keys";
export * from "./compliance-ledger";
export * from "./compliance-store";
export * from "./errors";
export * from "./open-compliance";
export * from "./operation-committer";
export * from "./operation-opening";
export * from "./prove-jobs";
export * from "./window-opening";
export * from "./window-prover";
