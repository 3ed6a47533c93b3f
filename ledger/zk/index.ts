/**
 * Compliance proofs: policy and assignment documents, their Poseidon Merkle roots, operation
 * commitments, and Groth16 proofs that a window of operations was allowed. Re-exports only.
 *
 * Everything here avoids Node-only APIs so it can run in a browser. The shipped development
 * setup's file locations need node:fs and node:path; import them from "./dev-artifacts".
 */
export * from "./assignment-leaf";
export * from "./assignment-tree";
export * from "./circuit-params";
export * from "./compliance-bundle-format";
export * from "./encode-name";
export * from "./errors";
export * from "./field";
export * from "./grant-leaf";
export * from "./operation-commitment";
export * from "./parse-assignments";
export * from "./parse-policy";
export * from "./policy-root";
export * from "./policy-tree";
export * from "./poseidon";
export * from "./prove-window";
export * from "./quad-tree";
export * from "./root-bytes32";
export * from "./sample-windows";
export * from "./snarkjs-api";
export * from "./solidity-proof";
export * from "./tags";
export * from "./time-bounds";
export * from "./types";
export * from "./verify-window";
export * from "./vkey-hash";
export * from "./window-statement";
export * from "./window-witness";
