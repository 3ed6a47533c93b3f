export * from "./errors";
export * from "./ledger";
export * from "./log/event";
export * from "./log/tenant-log";
export type { CommitInfo } from "./log/committer";
export type { LogCheckReport, LogProblem } from "./log/verify-log";
export type { KvStore, KvOp, KvRange } from "./store/kv-store";
export { openLevelStore, LevelStore } from "./store/level-store";
export * as verify from "./verify";
