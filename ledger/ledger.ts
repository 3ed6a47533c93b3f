/**
 * The ledger: every tenant's log in one store, behind one group-commit queue.
 *
 * Tenants never share data: each has its own key prefix, its own data key and its own origin,
 * and every method takes the tenant explicitly.
 */
import { createHash } from "node:crypto";

import { LedgerError } from "./errors";
import { Committer, CommitInfo } from "./log/committer";
import { CheckpointSigner } from "./log/checkpoint-signer";
import { AuditEvent, DEFAULT_MAX_EVENT_BYTES, validateEvent } from "./log/event";
import {
  AppendResult,
  EntryRecord,
  LogContext,
  PreparedEvent,
  TenantLog,
  TenantRecord,
} from "./log/tenant-log";
import { nodeHasher } from "./log/node-hasher";
import { TileCache } from "./log/tile-cache";
import { TILE_WIDTH } from "./log/tile-math";
import { ReadCounter } from "./log/tile-tree";
import { checkLogFully, LogCheckReport } from "./log/verify-log";
import { FORMAT_KEY, TENANT_RANGE, tenantKey } from "./store/keys";
import { KvStore } from "./store/kv-store";
import { openLevelStore } from "./store/level-store";
import { newKey, unwrapDataKey, wrapDataKey, KEY_SIZE } from "./tenancy/envelope";
import { checkTenantId } from "./tenancy/tenant-id";
import { fromBase64, fromUtf8, toBase64, toHex, utf8 } from "./verify/bytes";
import { canonicalJson } from "./verify/canonical-json";
import { SignedCheckpoint } from "./verify/checkpoint";
import { parseVerifierKey } from "./verify/note";
import { Receipt, RECEIPT_FORMAT } from "./verify/receipt";

const STORE_FORMAT = "anchorlog-store/v1";

export interface LedgerOptions {
  /** Where the LevelDB lives; ignored when `store` is given. */
  path?: string;
  /** An already open store (tests, other backends). */
  store?: KvStore;
  /** 32-byte key that wraps every tenant's data key. */
  masterKey: Uint8Array;
  /** 32-byte Ed25519 seed that signs every checkpoint. */
  signingSeed: Uint8Array;
  /** Origins are "<originPrefix>/<tenant>", e.g. "log.example.com/t/acme". */
  originPrefix: string;
  maxBatchEntries?: number;
  maxQueuedEntries?: number;
  /** Most events one appendBatch call may carry. */
  maxAppendBatch?: number;
  maxEventBytes?: number;
  tileCacheTiles?: number;
  onCommit?: (info: CommitInfo) => void;
}

/** Options of one append. */
export interface AppendOptions {
  /** Client-chosen key (1-200 printable characters) that makes a retry return the first result. */
  idempotencyKey?: string;
  /** Operation commitments, one per event (32 bytes each), set by the compliance layer. */
  opCommitments?: (Uint8Array | undefined)[];
  /** Private fields sealed with each event (e.g. commitment openings). */
  sealedExtras?: (Record<string, unknown> | undefined)[];
}

/** Filters and paging of {@link Ledger.listEntries}. */
export interface ListQuery {
  /** First index to consider (the cursor). */
  from?: number;
  limit?: number;
  /** Integration time range [sinceMs, untilMs). */
  sinceMs?: number;
  untilMs?: number;
  actor?: string;
  action?: string;
}

/** An inclusion proof with what it proves. Hashes are hex. */
export interface InclusionProof {
  index: number;
  treeSize: number;
  leafHash: string;
  proof: string[];
}

/** What the first append under an idempotency key produced. */
interface IdempotentOutcome {
  requestHash: string;
  results: AppendResult[];
}

export class Ledger {
  readonly originPrefix: string;
  private readonly _store: KvStore;
  private readonly _ownsStore: boolean;
  private readonly _masterKey: Uint8Array;
  private readonly _ctx: LogContext;
  private readonly _committer: Committer;
  private readonly _logs = new Map<string, TenantLog>();
  private readonly _records = new Map<string, TenantRecord>();
  private readonly _pendingIdem = new Map<string, Promise<IdempotentOutcome>>();
  private readonly _maxEventBytes: number;
  private readonly _maxAppendBatch: number;
  private _closed = false;

  private constructor(store: KvStore, ownsStore: boolean, opts: LedgerOptions) {
    this._store = store;
    this._ownsStore = ownsStore;
    this._masterKey = opts.masterKey;
    this.originPrefix = opts.originPrefix;
    this._ctx = {
      store,
      signer: new CheckpointSigner(opts.signingSeed),
      cache: new TileCache(opts.tileCacheTiles ?? 4096),
    };
    this._committer = new Committer({
      store,
      maxBatchEntries: opts.maxBatchEntries ?? 4096,
      maxQueuedEntries: opts.maxQueuedEntries ?? 65536,
      clock: () => performance.now(),
      onCommit: opts.onCommit,
    });
    this._maxEventBytes = opts.maxEventBytes ?? DEFAULT_MAX_EVENT_BYTES;
    this._maxAppendBatch = opts.maxAppendBatch ?? 1000;
  }

  /**
   * Opens the ledger and checks every tenant's log against its latest signed checkpoint
   * (see {@link TenantLog.open}).
   *
   * @throws LedgerError LEDGER_STORE_DAMAGED when any log disagrees with its checkpoint,
   *   LEDGER_BAD_KEY when the master key cannot unwrap a tenant's data key.
   */
  static async open(opts: LedgerOptions): Promise<Ledger> {
    if (opts.masterKey?.length !== KEY_SIZE) throw new RangeError("masterKey: expected 32 bytes");
    if (opts.signingSeed?.length !== 32) throw new RangeError("signingSeed: expected 32 bytes");
    if (!/^[\x21-\x7e]+$/.test(opts.originPrefix) || opts.originPrefix.includes("+")) {
      throw new RangeError(`originPrefix: expected printable ASCII without spaces or '+'`);
    }
    if (opts.store === undefined && opts.path === undefined)
      throw new TypeError("path or store required");

    const store = opts.store ?? (await openLevelStore(opts.path!));
    const ledger = new Ledger(store, opts.store === undefined, opts);
    try {
      await ledger._checkFormat();
      for await (const [, v] of store.entries(TENANT_RANGE)) {
        const record = JSON.parse(fromUtf8(v)) as TenantRecord;
        await ledger._openLog(record);
      }
    } catch (err) {
      if (ledger._ownsStore) await store.close();
      throw err;
    }
    return ledger;
  }

  /** Writes what is queued, then closes the store (if the ledger opened it). */
  async close(): Promise<void> {
    if (this._closed) return;
    this._closed = true;
    await this._committer.close();
    if (this._ownsStore) await this._store.close();
  }

  /** False once {@link close} was called; every method then throws LEDGER_CLOSED. */
  get isOpen(): boolean {
    return !this._closed;
  }

  /** Entries waiting to be written. */
  get queueDepth(): number {
    return this._committer.depth;
  }

  /** The Ed25519 public key that signs checkpoints. */
  get publicKey(): Uint8Array {
    return this._ctx.signer.publicKey;
  }

  /**
   * Creates a tenant with a fresh data key and an empty log.
   *
   * @throws LedgerError LEDGER_BAD_TENANT_ID, LEDGER_TENANT_EXISTS.
   */
  async createTenant(id: string): Promise<TenantRecord> {
    this._checkOpen();
    checkTenantId(id);
    if (this._records.has(id))
      throw new LedgerError("LEDGER_TENANT_EXISTS", `tenant ${id} exists`, { tenant: id });

    const dataKey = newKey();
    const record: TenantRecord = {
      id,
      origin: `${this.originPrefix}/${id}`,
      createdMs: Date.now(),
      disabled: false,
      wrappedKey: toBase64(wrapDataKey(this._masterKey, dataKey, id)),
    };
    await this._store.batch(
      [{ type: "put", key: tenantKey(id), value: utf8(JSON.stringify(record)) }],
      {
        sync: true,
      },
    );
    await this._openLog(record);
    return { ...record };
  }

  /** Every tenant, in id order. */
  listTenants(): TenantRecord[] {
    return [...this._records.values()]
      .sort((a, b) => (a.id < b.id ? -1 : 1))
      .map((r) => ({ ...r }));
  }

  /** The tenant `id`, or undefined. */
  getTenant(id: string): TenantRecord | undefined {
    const r = this._records.get(id);
    return r ? { ...r } : undefined;
  }

  /** Disables or re-enables a tenant; a disabled tenant cannot append. */
  async setTenantDisabled(id: string, disabled: boolean): Promise<TenantRecord> {
    const log = this._log(id);

    const record = { ...log.record, disabled };
    await this._store.batch(
      [{ type: "put", key: tenantKey(id), value: utf8(JSON.stringify(record)) }],
      {
        sync: true,
      },
    );
    log.record.disabled = disabled;
    this._records.set(id, log.record);
    return { ...record };
  }

  /** Appends one event. See {@link appendBatch}. */
  async append(tenant: string, event: unknown, opts: AppendOptions = {}): Promise<AppendResult> {
    const [result] = await this._append(tenant, [event], opts, "one");
    return result;
  }

  /**
   * Appends events atomically: all get consecutive indices in one durable write, or none is
   * written. Resolves once durable. With an idempotency key, a retry with the same events
   * returns the first results, and one with other events fails.
   *
   * @throws LedgerError LEDGER_UNKNOWN_TENANT, LEDGER_TENANT_DISABLED, LEDGER_BAD_EVENT,
   *   LEDGER_EVENT_TOO_LARGE, LEDGER_BATCH_TOO_LARGE, LEDGER_IDEMPOTENCY_MISMATCH;
   *   QueueFullError (retryable) when the queue is full.
   */
  async appendBatch(
    tenant: string,
    events: unknown[],
    opts: AppendOptions = {},
  ): Promise<AppendResult[]> {
    return this._append(tenant, events, opts, "batch");
  }

  /** The entry at `index` of `tenant`, with its decrypted event unless erased. */
  entry(tenant: string, index: number): Promise<EntryRecord> {
    return this._log(tenant).entry(index);
  }

  /**
   * Lists entries from `query.from`, oldest first, applying the filters. Scans at most
   * 20·limit entries per call; `next` is the cursor to continue from, undefined at the end.
   */
  async listEntries(
    tenant: string,
    query: ListQuery = {},
  ): Promise<{ entries: EntryRecord[]; next?: number }> {
    const log = this._log(tenant);
    const limit = query.limit ?? 100;
    const from = query.from ?? 0;
    if (!Number.isSafeInteger(limit) || limit < 1 || limit > 1000)
      throw new RangeError("limit: 1-1000");
    if (!Number.isSafeInteger(from) || from < 0) throw new RangeError("from: non-negative integer");

    const size = log.size;
    const scanEnd = Math.min(size, from + limit * 20);
    const entries: EntryRecord[] = [];
    let i = from;
    for (; i < scanEnd && entries.length < limit; i++) {
      const e = await log.entry(i);
      if (query.sinceMs !== undefined && e.timeMs < query.sinceMs) continue;
      if (query.untilMs !== undefined && e.timeMs >= query.untilMs) continue;
      if (query.actor !== undefined && e.event?.actor !== query.actor) continue;
      if (query.action !== undefined && e.event?.action !== query.action) continue;
      entries.push(e);
    }
    return { entries, next: i < size ? i : undefined };
  }

  /**
   * Re-derives `tenant`'s whole log from its leaves and compares every stored tile and every
   * signed checkpoint with it (the offline `fsck`). Costs one pass over the log; appends may
   * continue meanwhile, and the check covers the log as of its start.
   */
  async checkLog(tenant: string, onProgress?: (leaves: number) => void): Promise<LogCheckReport> {
    const log = this._log(tenant);
    const verifier = parseVerifierKey(this.verifierKey(tenant));

    return checkLogFully(this._store, log.keys, verifier, log.checkpoint.size, onProgress);
  }

  /** The latest signed checkpoint of `tenant`. */
  checkpoint(tenant: string): SignedCheckpoint {
    return this._log(tenant).checkpoint;
  }

  /** When `tenant`'s latest checkpoint was signed (ms since the Unix epoch; 0 if never). */
  checkpointSignedAtMs(tenant: string): number {
    return this._log(tenant).checkpointSignedAtMs;
  }

  /**
   * The underlying store, for sibling modules of the same process that keep their own
   * records beside the logs (API keys, anchoring state). They must stay out of the "t/",
   * "tenant/" and "meta/" key ranges, which belong to the ledger.
   */
  get store(): KvStore {
    return this._store;
  }

  /** The signed checkpoint of exactly `size` leaves, if one was signed. */
  checkpointAt(tenant: string, size: number): Promise<string | undefined> {
    return this._log(tenant).checkpointAt(size);
  }

  /** Signed checkpoints with size in [from, to), oldest first. */
  checkpoints(tenant: string, from: number, to: number, limit = 1000): Promise<string[]> {
    return this._log(tenant).checkpoints(from, to, limit);
  }

  /** The verifier key of `tenant`'s checkpoints: "<origin>+<key id>+<key>". */
  verifierKey(tenant: string): string {
    return this._ctx.signer.verifierKey(this._log(tenant).record.origin);
  }

  /** Inclusion proof of the leaf at `index` in the tree of `treeSize` (default: latest). */
  async inclusionProof(
    tenant: string,
    index: number,
    treeSize?: number,
    counter?: ReadCounter,
  ): Promise<InclusionProof> {
    const log = this._log(tenant);
    const size = treeSize ?? log.checkpoint.size;

    const proof = await log.inclusionProof(index, size, counter);
    const leaf = (await log.leaves(index, index + 1))[0];
    return {
      index,
      treeSize: size,
      leafHash: toHex(nodeHasher.leaf(leaf)),
      proof: proof.map(toHex),
    };
  }

  /**
   * Inclusion proof of the leaf with hash `leafHashHex`.
   *
   * @throws LedgerError LEDGER_LEAF_NOT_FOUND when no leaf of this tenant has that hash.
   */
  async inclusionProofByLeafHash(
    tenant: string,
    leafHashHex: string,
    treeSize?: number,
  ): Promise<InclusionProof> {
    const log = this._log(tenant);
    if (!/^[0-9a-fA-F]{64}$/.test(leafHashHex))
      throw new RangeError("leafHash: expected 64 hex digits");

    const index = await log.indexOfLeafHash(leafHashHex);
    if (index === undefined || index >= (treeSize ?? log.size)) {
      throw new LedgerError("LEDGER_LEAF_NOT_FOUND", `no leaf with hash ${leafHashHex}`, {
        leafHash: leafHashHex,
      });
    }
    return this.inclusionProof(tenant, index, treeSize);
  }

  /** Consistency proof from `size1` to `size2` (hex hashes). */
  async consistencyProof(
    tenant: string,
    size1: number,
    size2: number,
    counter?: ReadCounter,
  ): Promise<string[]> {
    const proof = await this._log(tenant).consistencyProof(size1, size2, counter);
    return proof.map(toHex);
  }

  /** A self-contained receipt for the entry at `index` against the latest checkpoint. */
  async receipt(tenant: string, index: number): Promise<Receipt> {
    const log = this._log(tenant);
    const cp = log.checkpoint;

    const proof = await log.inclusionProof(index, cp.size);
    const leaf = (await log.leaves(index, index + 1))[0];
    return {
      format: RECEIPT_FORMAT,
      origin: cp.origin,
      index,
      treeSize: cp.size,
      leafData: toBase64(leaf),
      inclusionProof: proof.map(toBase64),
      checkpoint: cp.note,
      verifierKey: this.verifierKey(tenant),
      status: "signed",
    };
  }

  /**
   * Erases the event of the entry at `index` (crypto-shredding). Proofs and checkpoints stay
   * valid; reading the entry afterwards reports the erasure. Returns the erasure time.
   */
  erase(tenant: string, index: number): Promise<number> {
    return this._log(tenant).erase(index, Date.now());
  }

  /**
   * The private record (event, salt, sealed extras) of an entry; LEDGER_EVENT_ERASED after
   * erasure.
   */
  privateRecord(tenant: string, index: number) {
    return this._log(tenant).privateRecord(index);
  }

  /**
   * A tlog-tiles hash tile: `width` hashes (1-256; a full tile when omitted) of tile `n` at
   * `level`, as of the latest checkpoint. Undefined when the tile does not exist that wide.
   */
  async tile(
    tenant: string,
    level: number,
    n: number,
    width?: number,
  ): Promise<Uint8Array | undefined> {
    const log = this._log(tenant);
    const bytes = await log.readTile(level, n, log.checkpoint.size);
    return sliceTile(bytes, 32, width);
  }

  /**
   * A tlog-tiles entry bundle: the leaf data of entries [256n, 256n + width), each prefixed
   * with its length as 2 bytes big-endian.
   */
  async entryBundle(tenant: string, n: number, width?: number): Promise<Uint8Array | undefined> {
    const log = this._log(tenant);
    const size = log.checkpoint.size;
    const begin = n * TILE_WIDTH;
    const have = Math.max(0, Math.min(TILE_WIDTH, size - begin));
    const want = width ?? TILE_WIDTH;
    if (have === 0 || want > have || want < 1) return undefined;

    const leaves = await log.leaves(begin, begin + want);
    const out = new Uint8Array(leaves.reduce((s, l) => s + 2 + l.length, 0));
    let o = 0;
    for (const l of leaves) {
      out[o] = l.length >> 8;
      out[o + 1] = l.length & 255;
      out.set(l, o + 2);
      o += 2 + l.length;
    }
    return out;
  }

  private async _append(
    tenant: string,
    events: unknown[],
    opts: AppendOptions,
    shape: "one" | "batch",
  ): Promise<AppendResult[]> {
    const log = this._log(tenant);
    if (log.record.disabled) {
      throw new LedgerError("LEDGER_TENANT_DISABLED", `tenant ${tenant} is disabled`, { tenant });
    }
    if (!Array.isArray(events) || events.length === 0 || events.length > this._maxAppendBatch) {
      throw new LedgerError(
        "LEDGER_BATCH_TOO_LARGE",
        `a batch holds 1-${this._maxAppendBatch} events, ` +
          `got ${Array.isArray(events) ? events.length : "none"}`,
        { count: Array.isArray(events) ? events.length : 0, limit: this._maxAppendBatch },
      );
    }
    const prepared: PreparedEvent[] = events.map((e, i) => {
      const v = validateEvent(e, this._maxEventBytes);
      return { ...v, opCommitment: opts.opCommitments?.[i], sealedExtras: opts.sealedExtras?.[i] };
    });

    if (opts.idempotencyKey === undefined) {
      return this._committer.enqueue({ log, events: prepared });
    }
    const key = opts.idempotencyKey;
    if (typeof key !== "string" || !/^[\x21-\x7e]{1,200}$/.test(key)) {
      throw new RangeError("idempotencyKey: 1-200 printable ASCII characters");
    }
    const digest = sha256Hex(`${shape}\u0000${key}`);
    const requestHash = sha256Hex(`${shape}\u0000${canonicalJson(prepared.map((p) => p.event))}`);
    // Claim the key synchronously, before any await: a retry arriving at any later moment
    // then finds the claim (or, once it settles, the stored record) and never appends twice.
    const pendingKey = `${tenant}\u0000${digest}`;
    const pending = this._pendingIdem.get(pendingKey);
    if (pending !== undefined) {
      const first = await pending;
      return this._replay(first.requestHash, requestHash, key, first.results);
    }

    const claim = (async (): Promise<IdempotentOutcome> => {
      const stored = await this._store.get(log.keys.idem(digest));
      if (stored !== undefined) return JSON.parse(fromUtf8(stored)) as IdempotentOutcome;
      const results = await this._committer.enqueue({
        log,
        events: prepared,
        idempotency: { key: digest, requestHash },
      });
      return { requestHash, results };
    })();
    this._pendingIdem.set(pendingKey, claim);
    try {
      const first = await claim;
      return this._replay(first.requestHash, requestHash, key, first.results);
    } finally {
      // The record is durable (or the append failed) by now; later retries read the store.
      this._pendingIdem.delete(pendingKey);
    }
  }

  private _replay(
    firstHash: string,
    requestHash: string,
    key: string,
    results: AppendResult[],
  ): AppendResult[] {
    if (firstHash !== requestHash) {
      throw new LedgerError(
        "LEDGER_IDEMPOTENCY_MISMATCH",
        "idempotency key was first used with a different request",
        { idempotencyKey: key },
      );
    }
    return results;
  }

  private async _openLog(record: TenantRecord): Promise<void> {
    const dataKey = unwrapDataKey(this._masterKey, fromBase64(record.wrappedKey), record.id);

    const log = await TenantLog.open(this._ctx, record, dataKey);

    this._logs.set(record.id, log);
    this._records.set(record.id, log.record);
  }

  private async _checkFormat(): Promise<void> {
    const v = await this._store.get(FORMAT_KEY);
    if (v === undefined) {
      await this._store.batch([{ type: "put", key: FORMAT_KEY, value: utf8(STORE_FORMAT) }], {
        sync: true,
      });
      return;
    }
    if (fromUtf8(v) !== STORE_FORMAT) {
      throw new LedgerError(
        "LEDGER_STORE_DAMAGED",
        `store format ${fromUtf8(v)} is not ${STORE_FORMAT}`,
      );
    }
  }

  private _log(tenant: string): TenantLog {
    this._checkOpen();
    const log = typeof tenant === "string" ? this._logs.get(tenant) : undefined;
    if (log === undefined) {
      throw new LedgerError("LEDGER_UNKNOWN_TENANT", `no tenant ${JSON.stringify(tenant)}`, {
        tenant,
      });
    }
    return log;
  }

  private _checkOpen(): void {
    if (this._closed) throw new LedgerError("LEDGER_CLOSED", "the ledger is closed");
  }
}

function sha256Hex(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

function sliceTile(
  bytes: Uint8Array | undefined,
  item: number,
  width?: number,
): Uint8Array | undefined {
  if (bytes === undefined) return undefined;
  const have = bytes.length / item;
  const want = width ?? TILE_WIDTH;
  if (want < 1 || want > have) return undefined;
  return bytes.slice(0, want * item);
}

export type { AuditEvent, AppendResult, EntryRecord, TenantRecord };
