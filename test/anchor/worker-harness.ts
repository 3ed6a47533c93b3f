// Shared parts of the anchoring worker tests: a real Hardhat node, a real ledger on LevelDB,
// a registry deployed there, and a recorder that lets a test wait for the worker's events.
import { HDNodeWallet, JsonRpcProvider, Wallet } from "ethers";

import type { Ledger } from "../../ledger";
import type { AnchorWorkerEvent } from "../../ledger/anchor/anchor-worker-events";
import type { WorkerClock } from "../../ledger/anchor/anchor-worker-options";
import { deployRegistry, type RegistryDeployment } from "../../ledger/anchor/deploy";
import { startLocalNode } from "../../ledger/anchor/local-node";
import { openTestLedger, sampleEvent, tempDir } from "../helpers/temp-ledger";

// Hardhat's documented default: every Hardhat chain has id 31337 and funds the accounts of
// this mnemonic. Account #0 deploys and anchors; account #1 plays another anchorer.
export const HARDHAT_CHAIN_ID = 31337;
const HARDHAT_MNEMONIC = "test test test test test test test test test test test junk";
export const ANCHORER_KEY = HDNodeWallet.fromPhrase(
  HARDHAT_MNEMONIC,
  undefined,
  "m/44'/60'/0'/0/0",
).privateKey;
export const OTHER_KEY = HDNodeWallet.fromPhrase(
  HARDHAT_MNEMONIC,
  undefined,
  "m/44'/60'/0'/0/1",
).privateKey;

/**
 * Starts a Hardhat node on 127.0.0.1 that mines a block per transaction and, with
 * `miningIntervalMs`, one every that many milliseconds as well.
 */
export function startChain(options: { miningIntervalMs?: number; port?: number } = {}) {
  return startLocalNode(options);
}

/**
 * A wallet on `rpcUrl` through a provider told the chain id (no background probing) and
 * without a result cache (no stale nonces); `close` releases it.
 */
export function walletOn(rpcUrl: string, key = ANCHORER_KEY): Wallet & { close(): void } {
  const provider = new JsonRpcProvider(rpcUrl, HARDHAT_CHAIN_ID, {
    staticNetwork: true,
    cacheTimeout: -1,
  });
  return Object.assign(new Wallet(key, provider), { close: () => provider.destroy() });
}

/** Deploys a registry on `rpcUrl` with account #0 as admin and anchorer. */
export async function deployOn(rpcUrl: string): Promise<RegistryDeployment> {
  const wallet = walletOn(rpcUrl);
  try {
    return await deployRegistry(wallet);
  } finally {
    wallet.close();
  }
}

/** Sends one raw JSON-RPC request (Hardhat's evm_* and hardhat_* methods among them). */
export async function rpc(rpcUrl: string, method: string, params: unknown[] = []) {
  const response = await fetch(rpcUrl, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
  });
  const body = (await response.json()) as { result?: unknown; error?: { message: string } };
  if (body.error !== undefined) throw new Error(`${method}: ${body.error.message}`);
  return body.result;
}

/** The chain's latest block number. */
export async function blockNumber(rpcUrl: string): Promise<number> {
  return Number(await rpc(rpcUrl, "eth_blockNumber"));
}

/** A ledger in a temporary folder with `tenants` created; `cleanup` closes and removes it. */
export async function ledgerWith(
  tenants: readonly string[],
): Promise<{ ledger: Ledger; dir: string; cleanup: () => Promise<void> }> {
  const { dir, cleanup } = tempDir("anchorlog-anchor-");
  const ledger = await openTestLedger(dir);
  for (const tenant of tenants) await ledger.createTenant(tenant);

  return {
    ledger,
    dir,
    cleanup: async () => {
      await ledger.close();
      cleanup();
    },
  };
}

/** Appends `count` sample events to `tenant`; returns the indices they got. */
export async function appendMany(ledger: Ledger, tenant: string, count: number) {
  const indices: number[] = [];
  for (let i = 0; i < count; i++) {
    indices.push((await ledger.append(tenant, sampleEvent(i))).index);
  }
  return indices;
}

type EventOf<T extends AnchorWorkerEvent["type"]> = Extract<AnchorWorkerEvent, { type: T }>;

/**
 * Records the worker's events. `next` resolves with the first event of a type (optionally
 * matching a predicate) seen from now on; the test's own timeout bounds the wait.
 */
export class EventRecorder {
  readonly events: AnchorWorkerEvent[] = [];

  private readonly _waiters: Array<{
    accept: (event: AnchorWorkerEvent) => boolean;
    resolve: (event: AnchorWorkerEvent) => void;
  }> = [];

  readonly listener = (event: AnchorWorkerEvent): void => {
    this.events.push(event);
    for (const waiter of [...this._waiters]) {
      if (!waiter.accept(event)) continue;
      this._waiters.splice(this._waiters.indexOf(waiter), 1);
      waiter.resolve(event);
    }
  };

  next<T extends AnchorWorkerEvent["type"]>(
    type: T,
    accept: (event: EventOf<T>) => boolean = () => true,
  ): Promise<EventOf<T>> {
    return new Promise((resolve) => {
      this._waiters.push({
        accept: (event) => event.type === type && accept(event as EventOf<T>),
        resolve: (event) => resolve(event as EventOf<T>),
      });
    });
  }

  /** The events of one type seen so far. */
  all<T extends AnchorWorkerEvent["type"]>(type: T): EventOf<T>[] {
    return this.events.filter((e): e is EventOf<T> => e.type === type);
  }
}

/**
 * A clock that stands still until advanced; `sleep` resolves once the clock has been
 * advanced past its deadline (or at once on abort). For tests that step the worker with
 * `tick()` and need its intervals and timeouts to pass without waiting.
 */
export class ManualClock implements WorkerClock {
  private _now = Date.UTC(2026, 0, 1);

  private readonly _sleepers: Array<{ until: number; wake: () => void }> = [];

  now(): number {
    return this._now;
  }

  advance(ms: number): void {
    this._now += ms;
    for (const sleeper of [...this._sleepers]) {
      if (sleeper.until > this._now) continue;
      this._sleepers.splice(this._sleepers.indexOf(sleeper), 1);
      sleeper.wake();
    }
  }

  sleep(ms: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      if (signal.aborted) return resolve();
      this._sleepers.push({ until: this._now + ms, wake: resolve });
      signal.addEventListener("abort", () => resolve(), { once: true });
    });
  }
}
