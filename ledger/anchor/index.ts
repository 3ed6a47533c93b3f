// The browser-safe part of the anchor layer. The Node-only modules (./deploy, ./local-node,
// and the anchoring worker with its store, ./anchor-worker and siblings) are imported by
// path so that bundles for the browser never pull them in.
export * from "./checkpoint-commitment";
export * from "./epoch-leaf";
export * from "./epoch-node";
export * from "./epoch-tree";
export * from "./errors";
export * from "./fetch-chain-id";
export * from "./read-epoch-root";
export * from "./registry-abi";
export * from "./verify-epoch-proof";
