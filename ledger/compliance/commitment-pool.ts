/**
 * Operation commitments on worker threads, so Poseidon (about 2,400 commitments per second per
 * core in JavaScript) neither caps appends at one core's speed nor blocks the event loop.
 *
 * Requests wait in one bounded FIFO queue. Whenever a worker is free it takes, in order, as
 * many waiting requests as fit in one message of up to `batchOperations` operations, so busy
 * periods cost one message per batch rather than per append. When the operations waiting
 * would exceed `maxQueued`, a request fails at once with the retryable COMPLIANCE_BUSY: that is
 * the back-pressure a service turns into 503 with Retry-After.
 *
 * The binding is unchanged by the threads: the caller awaits the commitments before it hands
 * the events to the ledger, so every commitment is in its leaf before the append is
 * acknowledged.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { Worker } from "node:worker_threads";

import type { Operation } from "../zk";
import type { WorkerReply, WorkerRequest } from "./commitment-worker";
import { ComplianceError } from "./errors";
import type { OperationCommitter } from "./operation-committer";

/** Options of {@link CommitmentPool.start}. */
export interface CommitmentPoolOptions {
  /** Worker threads; 1 when omitted (on two cores one thread is left for the service). */
  readonly threads?: number;
  /** Most operations waiting for a worker before requests are refused; 8,192. */
  readonly maxQueued?: number;
  /** Most operations sent to a worker in one message; 256. */
  readonly batchOperations?: number;
}

interface Pending {
  readonly operations: readonly Operation[];
  readonly resolve: (commitments: bigint[]) => void;
  readonly reject: (err: unknown) => void;
}

interface Slot {
  worker: Worker;
  busy: Pending[] | undefined;
}

/** Commits operations on worker threads. Start with {@link CommitmentPool.start}. */
export class CommitmentPool implements OperationCommitter {
  private readonly _slots: Slot[] = [];
  private readonly _queue: Pending[] = [];
  private readonly _maxQueued: number;
  private readonly _batch: number;
  private _queued = 0;
  private _nextId = 1;
  private _closed = false;

  private constructor(maxQueued: number, batch: number) {
    this._maxQueued = maxQueued;
    this._batch = batch;
  }

  /**
   * Starts the workers and resolves once each has loaded Poseidon.
   *
   * @throws RangeError for options out of range.
   * @throws ComplianceError COMPLIANCE_WORKER_FAILED when a worker cannot start.
   */
  static async start(options: CommitmentPoolOptions = {}): Promise<CommitmentPool> {
    const threads = options.threads ?? 1;
    const maxQueued = options.maxQueued ?? 8_192;
    const batch = options.batchOperations ?? 256;
    for (const [name, value] of [
      ["threads", threads],
      ["maxQueued", maxQueued],
      ["batchOperations", batch],
    ] as const) {
      if (!Number.isSafeInteger(value) || value < 1) {
        throw new RangeError(`${name} must be a positive integer, got ${value}`);
      }
    }

    const pool = new CommitmentPool(maxQueued, batch);
    try {
      await Promise.all(Array.from({ length: threads }, () => pool._spawn()));
    } catch (cause) {
      await pool.close();
      throw new ComplianceError("COMPLIANCE_WORKER_FAILED", {}, { cause });
    }
    return pool;
  }

  /** Operations waiting for a worker (not counting those being computed). */
  get queued(): number {
    return this._queued;
  }

  commit(operations: readonly Operation[]): Promise<bigint[]> {
    if (this._closed) return Promise.reject(new ComplianceError("COMPLIANCE_POOL_CLOSED", {}));
    if (operations.length === 0) return Promise.resolve([]);
    if (this._queued > 0 && this._queued + operations.length > this._maxQueued) {
      const error = new ComplianceError("COMPLIANCE_BUSY", {
        queued: this._queued,
        limit: this._maxQueued,
      });
      return Promise.reject(error);
    }

    return new Promise((resolve, reject) => {
      this._queue.push({ operations, resolve, reject });
      this._queued += operations.length;
      this._dispatch();
    });
  }

  /** Refuses new work, fails what waits with COMPLIANCE_POOL_CLOSED, and stops the workers. */
  async close(): Promise<void> {
    this._closed = true;
    for (const p of this._queue.splice(0))
      p.reject(new ComplianceError("COMPLIANCE_POOL_CLOSED", {}));
    this._queued = 0;

    const slots = this._slots.splice(0);
    for (const slot of slots)
      slot.busy?.forEach((p) => p.reject(new ComplianceError("COMPLIANCE_POOL_CLOSED", {})));
    await Promise.all(slots.map((slot) => slot.worker.terminate()));
  }

  private _dispatch(): void {
    for (const slot of this._slots) {
      if (this._queue.length === 0) return;
      if (slot.busy !== undefined) continue;

      const taken: Pending[] = [];
      let size = 0;
      while (this._queue.length > 0) {
        const next = this._queue[0];
        if (taken.length > 0 && size + next.operations.length > this._batch) break;
        taken.push(this._queue.shift()!);
        size += next.operations.length;
      }
      this._queued -= size;
      slot.busy = taken;
      const request: WorkerRequest = {
        id: this._nextId++,
        operations: taken.flatMap((p) => p.operations),
      };
      // A busy worker keeps the process alive until it answers; an idle one does not.
      slot.worker.ref();
      slot.worker.postMessage(request);
    }
  }

  private _settle(slot: Slot, reply: WorkerReply): void {
    if ("ready" in reply) return;
    const taken = slot.busy ?? [];
    slot.busy = undefined;
    slot.worker.unref();

    if ("error" in reply) {
      const cause = new Error(reply.error.message);
      for (const p of taken)
        p.reject(new ComplianceError("COMPLIANCE_WORKER_FAILED", {}, { cause }));
    } else {
      let at = 0;
      for (const p of taken) {
        p.resolve(reply.commitments.slice(at, at + p.operations.length) as bigint[]);
        at += p.operations.length;
      }
    }
    this._dispatch();
  }

  // A worker that dies fails its in-flight requests and is replaced, so one bad request
  // cannot take the pool down for good.
  private _fail(slot: Slot, cause: unknown): void {
    const index = this._slots.indexOf(slot);
    if (index < 0) return;
    this._slots.splice(index, 1);
    slot.busy?.forEach((p) =>
      p.reject(new ComplianceError("COMPLIANCE_WORKER_FAILED", {}, { cause })),
    );
    void slot.worker.terminate();

    if (!this._closed) {
      this._spawn().then(
        () => this._dispatch(),
        (err: unknown) => {
          if (this._slots.length > 0) return;
          for (const p of this._queue.splice(0))
            p.reject(new ComplianceError("COMPLIANCE_WORKER_FAILED", {}, { cause: err }));
          this._queued = 0;
        },
      );
    }
  }

  private _spawn(): Promise<void> {
    const worker = startWorker();
    const slot: Slot = { worker, busy: undefined };

    return new Promise<void>((resolve, reject) => {
      const onStartError = (err: unknown) => reject(err);
      worker.once("error", onStartError);
      worker.once("message", (first: WorkerReply) => {
        worker.off("error", onStartError);
        if (!("ready" in first)) {
          reject(new Error("invariant violated: a commitment worker spoke before it was ready"));
          return;
        }
        if (this._closed) {
          void worker.terminate();
          resolve();
          return;
        }
        this._slots.push(slot);
        worker.on("message", (reply: WorkerReply) => this._settle(slot, reply));
        worker.on("error", (err) => this._fail(slot, err));
        worker.on("exit", (code) => this._fail(slot, new Error(`worker exited with code ${code}`)));
        worker.unref();
        resolve();
      });
    });
  }
}

// The worker's source is TypeScript run through ts-node in development and tests, or
// compiled JavaScript beside this file.
function startWorker(): Worker {
  const compiled = path.join(__dirname, "commitment-worker.js");
  if (existsSync(compiled)) return new Worker(compiled);

  const source = path.join(__dirname, "commitment-worker.ts");
  const register = require.resolve("ts-node/register/transpile-only");
  const bootstrap = `require(${JSON.stringify(register)}); require(${JSON.stringify(source)});`;
  return new Worker(bootstrap, { eval: true });
}
