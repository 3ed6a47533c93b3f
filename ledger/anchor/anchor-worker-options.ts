import { setTimeout as delay } from "node:timers/promises";

import { isAddress, type Signer } from "ethers";

import type { Ledger } from "../ledger";
import type { RegistryDeployment } from "./deploy";
import type { AnchorWorkerEvent } from "./anchor-worker-events";
import type { RootsFor } from "./epoch-snapshot";

/** Time as the worker sees it; tests replace it to step through intervals without waiting. */
export interface WorkerClock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
  /** Resolves after `ms`, or at once when `signal` aborts; never rejects. */
  sleep(ms: number, signal: AbortSignal): Promise<void>;
}

/** The registry to anchor to: where a deployment put it. */
export interface RegistryLocation {
  readonly chainId: number;
  readonly address: string;
  /** The deployment's block; log searches start there. 0 when omitted. */
  readonly block?: number;
}

/** Options of {@link AnchorWorker.open}. Durations are milliseconds. */
export interface AnchorWorkerOptions {
  /** The ledger whose checkpoints are anchored; the worker only reads it. */
  readonly ledger: Ledger;
  /** The chain's JSON-RPC endpoint. */
  readonly rpcUrl: string;
  /** The anchorer's private key, 32 bytes of 0x hex; it needs ANCHORER_ROLE and funds. */
  readonly privateKey: string;
  readonly registry: RegistryLocation;
  /** Blocks an anchor must be under (its own included) to count as confirmed; 1. */
  readonly confirmations?: number;
  /** An epoch is built at least this long after the previous one when logs changed; 60 s. */
  readonly epochMs?: number;
  /** An epoch is built at once when this many logs changed since the last one; 1,000. */
  readonly minChangedLogs?: number;
  /** The pause between two looks at the chain and the ledger; 2 s. */
  readonly pollMs?: number;
  /** One JSON-RPC request slower than this counts as the chain being unreachable; 10 s. */
  readonly rpcTimeoutMs?: number;
  /** A transaction neither mined nor known to the node after this long was dropped; 180 s. */
  readonly txTimeoutMs?: number;
  /** Confirmed anchors in this many newest blocks are checked for reorgs; 64. */
  readonly reorgWindowBlocks?: number;
  /** Retry delays after failures: doubling from `initialMs` up to `maxMs`; 1 s to 60 s. */
  readonly backoff?: { readonly initialMs: number; readonly maxMs: number };
  /** Epochs of at least this many logs build their tree in a worker thread; 500. */
  readonly threadMinLeaves?: number;
  /** The policy and assignment roots anchored with each tenant's checkpoint; zero without. */
  readonly rootsFor?: RootsFor;
  /**
   * Development only: when the registry is gone (a reset chain), deploy a new one with
   * `deploy`, mark the old records orphaned and anchor the latest checkpoints there.
   */
  readonly devRedeploy?: boolean;
  /** Deploys a registry with the worker's signer; required with `devRedeploy`. */
  readonly deploy?: (signer: Signer) => Promise<RegistryDeployment>;
  /**
   * Receives what the worker notices (see {@link AnchorWorkerEvent}); it is how a service
   * learns of outages, reorgs and resets, since the worker itself never logs. Called
   * synchronously; what it throws is ignored.
   */
  readonly onEvent?: (event: AnchorWorkerEvent) => void;
  readonly clock?: WorkerClock;
}

/** The options with every default filled in. */
export type ResolvedWorkerOptions = Required<
  Omit<AnchorWorkerOptions, "rootsFor" | "deploy" | "onEvent">
> &
  Pick<AnchorWorkerOptions, "rootsFor" | "deploy" | "onEvent">;

/** The real clock: wall time and timers. */
export const SYSTEM_CLOCK: WorkerClock = Object.freeze({
  now: () => Date.now(),
  sleep: async (ms: number, signal: AbortSignal) => {
    await delay(ms, undefined, { signal }).catch(() => undefined);
  },
});

/**
 * Fills in defaults and checks every option. Throws TypeError or RangeError, naming the
 * option, for a wrong type or a value out of range.
 */
export function resolveWorkerOptions(options: AnchorWorkerOptions): ResolvedWorkerOptions {
  if (typeof options !== "object" || options === null) {
    throw new TypeError(`options must be an object, got ${options}`);
  }
  if (typeof options.rpcUrl !== "string" || !/^https?:\/\/\S+$/.test(options.rpcUrl)) {
    throw new TypeError(`rpcUrl must be an http(s) URL, got ${JSON.stringify(options.rpcUrl)}`);
  }
  if (typeof options.privateKey !== "string" || !/^0x[0-9a-fA-F]{64}$/.test(options.privateKey)) {
    // The key itself is never echoed: a near-miss is still mostly a secret.
    throw new TypeError("privateKey must be 0x and 64 hex digits");
  }
  const { chainId, address, block = 0 } = options.registry ?? {};
  if (!Number.isSafeInteger(chainId) || chainId < 1) {
    throw new RangeError(`registry.chainId must be a positive integer, got ${chainId}`);
  }
  if (!isAddress(address)) {
    throw new TypeError(`registry.address must be an address, got ${JSON.stringify(address)}`);
  }
  if (options.devRedeploy === true && typeof options.deploy !== "function") {
    throw new TypeError("devRedeploy needs a deploy function");
  }

  const backoff = options.backoff ?? { initialMs: 1_000, maxMs: 60_000 };
  const resolved: ResolvedWorkerOptions = {
    ...options,
    registry: { chainId, address, block: positive("registry.block", block, 0) },
    confirmations: positive("confirmations", options.confirmations ?? 1),
    epochMs: positive("epochMs", options.epochMs ?? 60_000),
    minChangedLogs: positive("minChangedLogs", options.minChangedLogs ?? 1_000),
    pollMs: positive("pollMs", options.pollMs ?? 2_000),
    rpcTimeoutMs: positive("rpcTimeoutMs", options.rpcTimeoutMs ?? 10_000),
    txTimeoutMs: positive("txTimeoutMs", options.txTimeoutMs ?? 180_000),
    reorgWindowBlocks: positive("reorgWindowBlocks", options.reorgWindowBlocks ?? 64),
    backoff: {
      initialMs: positive("backoff.initialMs", backoff.initialMs),
      maxMs: positive("backoff.maxMs", backoff.maxMs),
    },
    threadMinLeaves: positive("threadMinLeaves", options.threadMinLeaves ?? 500),
    devRedeploy: options.devRedeploy ?? false,
    clock: options.clock ?? SYSTEM_CLOCK,
  };
  return resolved;
}

function positive(name: string, value: number, min = 1): number {
  if (!Number.isSafeInteger(value) || value < min) {
    throw new RangeError(`${name} must be an integer of at least ${min}, got ${value}`);
  }
  return value;
}
