import type { AnchorDeployment } from "./anchor-records";
import type { AnchorError } from "./errors";

/**
 * What the anchoring worker reports through `onEvent`. A service logs these; metrics and
 * health read {@link AnchorWorkerStatus} instead.
 */
export type AnchorWorkerEvent =
  /** An epoch's transaction was signed, recorded and broadcast. */
  | {
      type: "epoch-sent";
      epoch: number;
      root: string;
      txHash: string;
      leafCount: number;
      changedLogs: number;
    }
  /** An epoch reached the configured confirmations. */
  | {
      type: "epoch-confirmed";
      epoch: number;
      txHash: string;
      blockNumber: number;
      leafCount: number;
    }
  /** A transaction was neither mined nor known to the node within the timeout. */
  | { type: "tx-dropped"; epoch: number; txHash: string }
  /**
   * A confirmed anchor left the chain (`now` is null) or moved to another block; the epoch
   * is back to `sent` and is re-sent with the same root if the registry allows it.
   */
  | {
      type: "reorg";
      epoch: number;
      txHash: string;
      was: { blockNumber: number; blockHash: string };
      now: { blockNumber: number; blockHash: string } | null;
    }
  /** An epoch's same root went out again in a new (or the same, re-broadcast) transaction. */
  | { type: "epoch-resent"; epoch: number; txHash: string; previousTxHash: string }
  /** An epoch cannot be anchored with its root any more; the next epoch covers its logs. */
  | { type: "epoch-lost"; epoch: number; error: AnchorError }
  /** The registry's latest epoch is ahead of this ledger's records. */
  | { type: "epoch-conflict"; error: AnchorError<"ANCHOR_EPOCH_CONFLICT"> }
  /** The chain stopped answering; the worker retries with backoff. */
  | { type: "chain-unreachable"; error: AnchorError; retryInMs: number }
  /** The chain answers again after being unreachable. */
  | { type: "chain-reachable"; downForMs: number }
  /** The registry is gone (a reset chain or a wrong endpoint); `redeploying` in dev mode. */
  | { type: "registry-gone"; error: AnchorError<"ANCHOR_REGISTRY_GONE">; redeploying: boolean }
  /** Dev mode deployed a fresh registry; earlier records are orphaned. */
  | { type: "registry-redeployed"; deployment: AnchorDeployment; orphaned: number }
  /** A round failed (for any reason, an outage included); the next one is `retryInMs` away. */
  | { type: "retrying"; error: unknown; retryInMs: number; failures: number };

/** The worker's state for metrics and health checks. Times are ms since the Unix epoch. */
export interface AnchorWorkerStatus {
  /** True between start() and stop(). */
  readonly running: boolean;
  /** Whether the last request to the chain was answered; undefined before the first. */
  readonly chainReachable: boolean | undefined;
  readonly chainId: number;
  readonly registry: string;
  /** The local registry generation (see AnchorDeployment). */
  readonly generation: number;
  /** The newest confirmed epoch of the current registry, its block and confirmation time. */
  readonly lastAnchoredEpoch?: number;
  readonly lastAnchoredBlock?: number;
  readonly lastAnchoredAtMs?: number;
  /** Time since `lastAnchoredAtMs`, by the worker's clock. */
  readonly msSinceLastAnchor?: number;
  /** The epoch sent and not yet confirmed, if any. */
  readonly inFlightEpoch?: number;
  /** Tenant logs whose checkpoint changed since the last epoch, at the last look. */
  readonly pendingChangedLogs: number;
  /** The last failure, kept after later successes; see `consecutiveFailures`. */
  readonly lastError?: { readonly code?: string; readonly message: string; readonly atMs: number };
  /** Failed rounds since the last successful one. */
  readonly consecutiveFailures: number;
}
