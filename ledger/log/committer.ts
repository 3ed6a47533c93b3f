/**
 * Group commit. Appends from every tenant are queued; one loop takes what is queued, stages
 * it, writes it all in one synced batch, and only then acknowledges each append with its
 * indices. While a batch is being made durable, the next one accumulates, so the batch size
 * grows with load and one fsync serves many appends.
 */
import { LedgerError, QueueFullError } from "../errors";
import { KvOp, KvStore } from "../store/kv-store";
import { utf8 } from "../verify/bytes";
import { AppendResult, PreparedEvent, TenantLog, TenantStage } from "./tenant-log";

/** One queued append: one or more events of one tenant, all or nothing. */
export interface PendingAppend {
  log: TenantLog;
  events: PreparedEvent[];
  /** Idempotency record to store with the entries, if the append carries a key. */
  idempotency?: { key: string; requestHash: string };
  resolve(results: AppendResult[]): void;
  reject(err: unknown): void;
}

/** What one committed batch looked like, for metrics. */
export interface CommitInfo {
  entries: number;
  appends: number;
  tenants: number;
  durationMs: number;
}

export interface CommitterOptions {
  store: KvStore;
  /** Most entries written in one batch (an append is never split across batches). */
  maxBatchEntries: number;
  /** Most entries waiting; beyond it appends fail fast with QueueFullError. */
  maxQueuedEntries: number;
  clock: () => number;
  onCommit?: (info: CommitInfo) => void;
}

export class Committer {
  private readonly _opts: CommitterOptions;
  private _queue: PendingAppend[] = [];
  private _queuedEntries = 0;
  private _running: Promise<void> | undefined;
  private _closed = false;

  constructor(opts: CommitterOptions) {
    this._opts = opts;
  }

  /** Entries waiting to be written. */
  get depth(): number {
    return this._queuedEntries;
  }

  /**
   * Queues an append; the returned promise settles once it is durable (or failed).
   *
   * @throws QueueFullError at once when the queue is full, LEDGER_CLOSED after close().
   */
  enqueue(p: Omit<PendingAppend, "resolve" | "reject">): Promise<AppendResult[]> {
    if (this._closed) throw new LedgerError("LEDGER_CLOSED", "the ledger is closed");
    const n = p.events.length;
    if (this._queuedEntries > 0 && this._queuedEntries + n > this._opts.maxQueuedEntries) {
      throw new QueueFullError(this._queuedEntries, this._opts.maxQueuedEntries, 100);
    }

    return new Promise((resolve, reject) => {
      this._queue.push({ ...p, resolve, reject });
      this._queuedEntries += n;
      if (this._running === undefined) this._running = this._drain();
    });
  }

  /** Stops taking appends and waits for the queued ones to be written. */
  async close(): Promise<void> {
    this._closed = true;
    await this._running;
  }

  // Two writes overlap: while one batch is being made durable (LevelDB's thread pool), the
  // next is staged and sealed on the main thread, building on the first. Writes are issued
  // strictly one after another, so the store never holds a later batch without an earlier
  // one; if a write fails, every batch built on it fails too.
  private async _drain(): Promise<void> {
    let inflight: Prepared | undefined;
    try {
      while (this._queue.length > 0 || inflight !== undefined) {
        let next: Prepared | undefined;
        if (this._queue.length > 0) next = await this._prepare(this._take(), inflight);

        if (inflight !== undefined) {
          const ok = await this._finish(inflight);
          if (!ok && next !== undefined) {
            this._fail(next, new LedgerError("LEDGER_STORE_DAMAGED", "an earlier write failed"));
            next = undefined;
          }
        }
        if (next !== undefined && next.error === undefined) {
          next.write = this._opts.store.batch(next.ops, { sync: true });
        } else if (next !== undefined) {
          this._fail(next, next.error);
          next = undefined;
        }
        inflight = next;
      }
    } finally {
      this._running = undefined;
    }
  }

  private async _prepare(batch: PendingAppend[], after?: Prepared): Promise<Prepared> {
    const started = this._opts.clock();
    const stages = new Map<TenantLog, TenantStage>();
    const ops: KvOp[] = [];
    const timeMs = Date.now();
    const prepared: Prepared = { batch, stages, ops, started };

    try {
      const byLog = new Map<TenantLog, PreparedEvent[][]>();
      for (const p of batch) {
        const list = byLog.get(p.log);
        if (list === undefined) byLog.set(p.log, [p.events]);
        else list.push(p.events);
      }
      for (const [log, appends] of byLog) {
        stages.set(log, log.stage(appends, timeMs, after?.stages.get(log)));
      }
      for (const [log, stage] of stages) {
        await log.sealStage(stage);
        ops.push(...stage.ops);
      }
      // Results are final once sealed (tree sizes are known), so idempotency records can be
      // written in the same batch as the entries they describe.
      forEachResult(batch, stages, (p, results) => {
        if (p.idempotency === undefined) return;
        const record = { requestHash: p.idempotency.requestHash, results };
        const key = p.log.keys.idem(p.idempotency.key);
        ops.push({ type: "put", key, value: utf8(JSON.stringify(record)) });
      });
    } catch (err) {
      prepared.error = err;
    }
    return prepared;
  }

  /** Waits for a write; on success commits and acknowledges it. Returns whether it succeeded. */
  private async _finish(w: Prepared): Promise<boolean> {
    try {
      await w.write;
    } catch (err) {
      this._fail(w, err);
      return false;
    }

    for (const [log, stage] of w.stages) log.commit(stage);
    forEachResult(w.batch, w.stages, (p, results) => p.resolve(results));
    this._opts.onCommit?.({
      entries: w.batch.reduce((n, p) => n + p.events.length, 0),
      appends: w.batch.length,
      tenants: w.stages.size,
      durationMs: this._opts.clock() - w.started,
    });
    return true;
  }

  private _fail(w: Prepared, err: unknown): void {
    for (const p of w.batch) p.reject(err);
  }

  private _take(): PendingAppend[] {
    const batch: PendingAppend[] = [];
    let entries = 0;
    while (this._queue.length > 0) {
      const next = this._queue[0];
      if (batch.length > 0 && entries + next.events.length > this._opts.maxBatchEntries) break;
      batch.push(this._queue.shift()!);
      entries += next.events.length;
    }
    this._queuedEntries -= entries;
    return batch;
  }
}

/** One batch on its way to the store. */
interface Prepared {
  batch: PendingAppend[];
  stages: Map<TenantLog, TenantStage>;
  ops: KvOp[];
  started: number;
  write?: Promise<void>;
  error?: unknown;
}

/** Calls `fn` with each append of `batch` and its results, in queue order. */
function forEachResult(
  batch: PendingAppend[],
  stages: Map<TenantLog, TenantStage>,
  fn: (p: PendingAppend, results: AppendResult[]) => void,
): void {
  const cursor = new Map<TenantLog, number>();
  for (const p of batch) {
    const i = cursor.get(p.log) ?? 0;
    cursor.set(p.log, i + 1);
    fn(p, stages.get(p.log)!.results[i]);
  }
}
