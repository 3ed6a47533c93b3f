import type { Receipt } from "../verify/receipt";
import { anchoredReceipt } from "./anchored-receipt";
import { AnchorStore } from "./anchor-store";
import type { AnchorWorkerEvent, AnchorWorkerStatus } from "./anchor-worker-events";
import {
  resolveWorkerOptions,
  type AnchorWorkerOptions,
  type ResolvedWorkerOptions,
} from "./anchor-worker-options";
import { Backoff } from "./backoff";
import { prepareEpoch } from "./epoch-sender";
import { findReorged, settleSent, type SettlerContext } from "./epoch-settler";
import { leafKey, snapshotCommitments, type TenantCommitment } from "./epoch-snapshot";
import { AnchorError, isAnchorError } from "./errors";
import { RegistryClient } from "./registry-client";

/**
 * The anchoring worker: once per epoch it commits the latest checkpoint of every non-empty
 * tenant log to the registry in one transaction, waits for confirmations, and records the
 * result beside the ledger so receipts can be upgraded from "signed" to "anchored".
 *
 * Each round (see {@link tick}) checks the registry is still there, looks for reorgs among
 * recent anchors, moves the epoch in flight forward (re-sending it if it was dropped or
 * reorged out), and otherwise builds a new epoch when it is due: `minChangedLogs` logs
 * changed, or `epochMs` passed since the last epoch and any log changed. Epoch numbers come
 * from the registry (`latestEpoch() + 1`), checked against the local records.
 *
 * It never blocks appends: it only reads the ledger's in-memory checkpoints and its stored
 * checkpoints and leaves, and builds large epoch trees in a worker thread. While the chain
 * is unreachable, rounds fail fast (RPC timeout) and are retried with capped exponential
 * backoff; the logs keep changing meanwhile, and the first epoch after recovery covers
 * their latest checkpoints. At most one epoch is in flight at a time.
 *
 * The worker is silent: it reports through `onEvent` and {@link status}.
 */
export class AnchorWorker {
  private readonly _options: ResolvedWorkerOptions;
  private readonly _records: AnchorStore;
  private readonly _backoff: Backoff;
  private readonly _originHashes = new Map<string, string>();
  private _client: RegistryClient;
  // The commitment key of each tenant in the newest epoch sent, to see what changed since.
  private _lastSent = new Map<string, string>();
  private _lastEpochAtMs: number | undefined;
  // Set when the next epoch must be built even if nothing changed: the previous one was lost
  // or the registry was replaced.
  private _force = false;
  private _reachable: boolean | undefined;
  private _unreachableSinceMs: number | undefined;
  private _pendingChanged = 0;
  private _lastError: AnchorWorkerStatus["lastError"];
  private _conflictReported = false;
  private _goneReported = false;
  // The chain head whose anchors were last checked for reorgs in full.
  private _checkedHead: string | undefined;
  private _loop: Promise<void> | undefined;
  private _ticking: Promise<void> | undefined;
  private _abort = new AbortController();

  private constructor(options: ResolvedWorkerOptions, records: AnchorStore) {
    this._options = options;
    this._records = records;
    this._backoff = new Backoff(options.backoff.initialMs, options.backoff.maxMs);
    this._client = this._newClient(records.deployment!.chainId, records.deployment!.registry);
  }

  /**
   * Opens the worker over `options.ledger`: reads the anchor records from the ledger's
   * store and makes `options.registry` the registry in use (a registry other than the one
   * recorded starts a new generation; records of the old one stay valid on their chain).
   * Does not touch the chain; call {@link start} to run, or {@link tick} to step.
   *
   * Throws TypeError or RangeError for bad options and an ANCHOR_RECORDS_DAMAGED AnchorError
   * when the stored records cannot be read.
   */
  static async open(options: AnchorWorkerOptions): Promise<AnchorWorker> {
    const resolved = resolveWorkerOptions(options);

    const records = await AnchorStore.open(resolved.ledger.store);
    const { chainId, address, block } = resolved.registry;
    await records.useDeployment({ chainId, registry: address, block: block ?? 0 }, false);

    const worker = new AnchorWorker(resolved, records);
    await worker._loadLastSent();
    return worker;
  }

  /** The anchor records this worker keeps. */
  get records(): AnchorStore {
    return this._records;
  }

  /** Starts the loop of rounds, `pollMs` apart (or the backoff after a failure). */
  start(): void {
    if (this._loop !== undefined) return;

    this._abort = new AbortController();
    this._loop = this._run();
  }

  /**
   * Stops the loop and resolves once it is idle: the round in progress (bounded by the RPC
   * timeout) finishes first. The records stay consistent whenever it stops.
   */
  async stop(): Promise<void> {
    const loop = this._loop;
    this._abort.abort();

    await loop;
    await this._ticking?.catch(() => undefined);
    this._loop = undefined;
  }

  /** Stops the worker and releases its provider. */
  async close(): Promise<void> {
    await this.stop();

    this._client.destroy();
  }

  /**
   * Runs one round now and resolves when it is done; a round already running is joined, not
   * repeated. Rejects with what failed it (an ANCHOR_CHAIN_UNREACHABLE AnchorError while the
   * chain is away, ANCHOR_REGISTRY_GONE without dev mode, ...); the loop retries those.
   */
  tick(): Promise<void> {
    if (this._ticking === undefined) {
      this._ticking = this._round().finally(() => {
        this._ticking = undefined;
      });
    }
    return this._ticking;
  }

  /** The worker's state, for metrics and health. */
  status(): AnchorWorkerStatus {
    const deployment = this._records.deployment!;
    const active = this._records.active();
    const confirmed = active.filter((r) => r.status === "confirmed").at(-1);
    const inFlight = active.find((r) => r.status === "sent");
    const atMs = confirmed?.confirmedAtMs;

    return {
      running: this._loop !== undefined,
      chainReachable: this._reachable,
      chainId: deployment.chainId,
      registry: deployment.registry,
      generation: deployment.generation,
      lastAnchoredEpoch: confirmed?.epoch,
      lastAnchoredBlock: confirmed?.blockNumber,
      lastAnchoredAtMs: atMs,
      msSinceLastAnchor: atMs === undefined ? undefined : this._options.clock.now() - atMs,
      inFlightEpoch: inFlight?.epoch,
      pendingChangedLogs: this._pendingChanged,
      lastError: this._lastError,
      consecutiveFailures: this._backoff.failures,
    };
  }

  /**
   * A receipt for leaf `index` of `tenant`: "anchored" against the smallest checkpoint
   * covering it in a confirmed epoch, else the ledger's "signed" receipt. See
   * {@link anchoredReceipt}.
   */
  anchoredReceipt(tenant: string, index: number): Promise<Receipt> {
    return anchoredReceipt(this._options.ledger, this._records, tenant, index);
  }

  private async _run(): Promise<void> {
    const { clock, pollMs } = this._options;
    const signal = this._abort.signal;

    while (!signal.aborted) {
      let wait = pollMs;
      try {
        await this.tick();
        this._backoff.succeed();
      } catch (error) {
        wait = this._backoff.fail();
        this._failed(error, wait);
      }

      if (signal.aborted) break;
      await clock.sleep(wait, signal);
    }
  }

  private async _round(): Promise<void> {
    await this._checkRegistry();
    const head = await this._client.head();
    const latest = await this._client.latestEpoch();

    const ctx = this._settlerContext();
    await findReorged(ctx, head, latest, head.hash !== this._checkedHead);
    this._checkedHead = head.hash;
    if (!(await settleSent(ctx, head))) return;

    await this._anchorIfDue();
  }

  // The endpoint must still serve the registry's chain, with code at its address. A reset
  // development chain fails both (or the second only, with the same chain id).
  private async _checkRegistry(): Promise<void> {
    const deployment = this._records.deployment!;

    const actualChainId = await this._client.nodeChainId();
    this._answered();
    const reason =
      actualChainId !== deployment.chainId
        ? "chain-id"
        : (await this._client.hasCode())
          ? undefined
          : "no-code";
    if (reason === undefined) {
      this._goneReported = false;
      return;
    }

    const data = {
      chainId: deployment.chainId,
      registry: deployment.registry,
      reason,
      actualChainId,
    } as const;
    const error = new AnchorError("ANCHOR_REGISTRY_GONE", data);
    const redeploying = this._options.devRedeploy;
    if (!this._goneReported || redeploying) {
      this._emit({ type: "registry-gone", error, redeploying });
    }
    this._goneReported = true;
    if (!redeploying) throw error;

    await this._redeploy(actualChainId);
  }

  private async _redeploy(chainId: number): Promise<void> {
    const deploy = this._options.deploy!;
    const old = this._client;
    const client =
      chainId === old.chainId ? old : this._newClient(chainId, this._records.deployment!.registry);

    const deployment = await deploy(client.wallet);
    const { deployment: current, orphaned } = await this._records.useDeployment(
      { chainId: deployment.chainId, registry: deployment.address, block: deployment.block },
      true,
    );

    if (client !== old) client.destroy();
    old.destroy();
    this._client = this._newClient(current.chainId, current.registry);
    this._lastSent = new Map();
    this._lastEpochAtMs = undefined;
    this._force = true;
    this._conflictReported = false;
    this._goneReported = false;
    this._checkedHead = undefined;
    this._emit({ type: "registry-redeployed", deployment: current, orphaned });
  }

  private async _anchorIfDue(): Promise<void> {
    const { ledger, rootsFor, clock, minChangedLogs, epochMs } = this._options;
    const snapshot = await snapshotCommitments(ledger, rootsFor, this._originHashes);
    const changed = snapshot.filter((c) => this._lastSent.get(c.tenant) !== c.key);
    this._pendingChanged = changed.length;

    const now = clock.now();
    const intervalPassed =
      this._lastEpochAtMs === undefined || now - this._lastEpochAtMs >= epochMs;
    const due =
      snapshot.length > 0 &&
      (this._force || changed.length >= minChangedLogs || (changed.length > 0 && intervalPassed));
    if (!due) return;

    const latest = await this._client.latestEpoch();
    const local = this._records.latest();
    if (local !== undefined && local.epoch > latest) return;
    if (local !== undefined && local.epoch < latest && !this._conflictReported) {
      const data = { localEpoch: local.epoch, registryEpoch: latest };
      this._emit({ type: "epoch-conflict", error: new AnchorError("ANCHOR_EPOCH_CONFLICT", data) });
      this._conflictReported = true;
    }

    await this._send(latest + 1, snapshot, this._lastSent.size === 0 ? snapshot : changed);
  }

  private async _send(
    epoch: number,
    snapshot: readonly TenantCommitment[],
    indexed: readonly TenantCommitment[],
  ): Promise<void> {
    const { clock, threadMinLeaves } = this._options;
    const context = { client: this._client, records: this._records, threadMinLeaves };

    const sent = await prepareEpoch(
      { ...context, now: () => clock.now() },
      epoch,
      snapshot,
      indexed,
    );

    this._lastSent = new Map(snapshot.map((c) => [c.tenant, c.key]));
    this._lastEpochAtMs = sent.record.firstSentAtMs;
    this._force = false;
    const { root, txHash, leafCount } = sent.record;
    const changedLogs = this._pendingChanged;
    this._emit({ type: "epoch-sent", epoch, root, txHash, leafCount, changedLogs });
    // A refusal here is settled on the next round, from what the chain then holds.
    await this._client.broadcast(sent.raw);
  }

  private _settlerContext(): SettlerContext {
    const { confirmations, txTimeoutMs, reorgWindowBlocks, clock } = this._options;

    return {
      client: this._client,
      records: this._records,
      confirmations,
      txTimeoutMs,
      reorgWindowBlocks,
      now: () => clock.now(),
      emit: (event) => this._emit(event),
      onLost: () => this._lost(),
    };
  }

  // The lost epoch's tenant entries are gone: the next epoch indexes every log again.
  private _lost(): void {
    this._lastSent = new Map();
    this._force = true;
  }

  private async _loadLastSent(): Promise<void> {
    const latest = this._records.latest();
    if (latest === undefined) return;

    const leaves = await this._records.leaves(latest.seq);
    this._lastSent = new Map(leaves.map((l) => [l.tenant, leafKey(l)]));
    this._lastEpochAtMs = latest.firstSentAtMs;
  }

  private _failed(error: unknown, retryInMs: number): void {
    const now = this._options.clock.now();
    const code = isAnchorError(error) ? error.code : undefined;
    const message = error instanceof Error ? error.message : String(error);
    this._lastError = { code, message, atMs: now };

    if (isAnchorError(error, "ANCHOR_CHAIN_UNREACHABLE") && this._reachable !== false) {
      this._reachable = false;
      this._unreachableSinceMs = now;
      this._emit({ type: "chain-unreachable", error, retryInMs });
    }
    this._emit({ type: "retrying", error, retryInMs, failures: this._backoff.failures });
  }

  private _newClient(chainId: number, registry: string): RegistryClient {
    return new RegistryClient({
      rpcUrl: this._options.rpcUrl,
      chainId,
      registry,
      privateKey: this._options.privateKey,
      rpcTimeoutMs: this._options.rpcTimeoutMs,
    });
  }

  private _emit(event: AnchorWorkerEvent): void {
    try {
      this._options.onEvent?.(event);
    } catch {
      // The listener's failure is its own; the worker's state is already recorded.
    }
  }

  // The chain answered a request: if it was unreachable until now, say it is back.
  private _answered(): void {
    const since = this._unreachableSinceMs;
    this._reachable = true;
    this._unreachableSinceMs = undefined;

    if (since !== undefined) {
      this._emit({ type: "chain-reachable", downForMs: this._options.clock.now() - since });
    }
  }
}
