export * from "./admin";
export * from "./common";
export * from "./entries";
export * from "./proofs";
export * from "./compliance";
