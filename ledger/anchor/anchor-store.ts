import type { KvOp, KvStore } from "../store/kv-store";
import { fromUtf8, utf8 } from "../verify/bytes";
import {
  decodeLeaves,
  decodeTenantAnchor,
  encodeLeaves,
  encodeTenantAnchor,
  EPOCH_RANGE,
  epochKey,
  leavesKey,
  STATE_KEY,
  tenantAnchorKey,
  tenantAnchorRange,
  type AnchorDeployment,
  type EpochLeafRecord,
  type EpochRecord,
  type TenantAnchor,
} from "./anchor-records";
import { AnchorError, type AnchorErrorCode } from "./errors";

/** Options of {@link AnchorStore.open}. */
export interface AnchorStoreOptions {
  /** How many of the newest records to keep in memory for the worker; 256 when omitted. */
  readonly recentRecords?: number;
  /**
   * How many anchored sizes past an index a receipt lookup reads before giving up (they are
   * skipped while their epochs wait for confirmations); 64 when omitted.
   */
  readonly lookupLimit?: number;
}

interface StoredState {
  deployment?: AnchorDeployment;
  nextSeq: number;
}

const HEADER_CACHE = 1024;

/**
 * The anchor records of one ledger store (layout in ./anchor-records). Every write is one
 * synced batch, so a record and its leaves and tenant entries appear together or not at
 * all. One worker writes; receipts read concurrently.
 */
export class AnchorStore {
  private readonly _store: KvStore;
  private readonly _recentLimit: number;
  private readonly _lookupLimit: number;
  private _state: StoredState;
  // The newest records of the current generation that are sent or confirmed, by seq.
  private readonly _recent = new Map<number, EpochRecord>();
  private readonly _headers = new Map<number, EpochRecord>();

  private constructor(store: KvStore, state: StoredState, options: AnchorStoreOptions) {
    this._store = store;
    this._state = state;
    this._recentLimit = options.recentRecords ?? 256;
    this._lookupLimit = options.lookupLimit ?? 64;
  }

  /**
   * Opens the anchor records of `store`, reading the state and the newest records.
   * Throws an ANCHOR_RECORDS_DAMAGED AnchorError when a record cannot be parsed.
   */
  static async open(store: KvStore, options: AnchorStoreOptions = {}): Promise<AnchorStore> {
    const raw = await store.get(STATE_KEY);
    const state = raw === undefined ? { nextSeq: 1 } : parse<StoredState>(STATE_KEY, raw);
    const records = new AnchorStore(store, state, options);

    const range = { ...EPOCH_RANGE, reverse: true, limit: records._recentLimit };
    const newest: EpochRecord[] = [];
    for await (const [key, value] of store.entries(range)) {
      newest.push(parse<EpochRecord>(key, value));
    }
    for (const record of newest.reverse()) records._remember(record);
    return records;
  }

  /** The registry in use, or undefined before the first one is set. */
  get deployment(): AnchorDeployment | undefined {
    return this._state.deployment;
  }

  /**
   * Makes `target` the registry in use. The same chain and address as the current one keep
   * the current generation (and `block` when the new one is unknown); anything else starts
   * a new generation. With `orphanPrevious`, every sent or confirmed record of older
   * generations becomes `orphaned` (its registry is gone) and its tenant entries are
   * removed; otherwise old records stay valid on their own chain. Returns the deployment
   * in use and how many records were orphaned.
   */
  async useDeployment(
    target: Omit<AnchorDeployment, "generation">,
    orphanPrevious: boolean,
  ): Promise<{ deployment: AnchorDeployment; orphaned: number }> {
    const current = this._state.deployment;
    const same =
      current !== undefined &&
      current.chainId === target.chainId &&
      current.registry.toLowerCase() === target.registry.toLowerCase();
    if (same && !orphanPrevious) return { deployment: current, orphaned: 0 };

    const generation = (current?.generation ?? 0) + 1;
    const deployment = Object.freeze({ ...target, generation });
    const orphaned = orphanPrevious ? await this._orphanBefore(generation) : 0;

    this._state = { ...this._state, deployment };
    await this._write([this._stateOp()]);
    this._recent.clear();
    return { deployment, orphaned };
  }

  /** Records of the current generation that are sent or confirmed, in epoch order. */
  active(): EpochRecord[] {
    return [...this._recent.values()].sort((a, b) => a.epoch - b.epoch || a.seq - b.seq);
  }

  /** The record with the highest epoch of {@link active}, or undefined. */
  latest(): EpochRecord | undefined {
    return this.active().at(-1);
  }

  /** The record `seq`, or undefined when there is none. */
  async record(seq: number): Promise<EpochRecord | undefined> {
    const known = this._recent.get(seq) ?? this._headers.get(seq);
    if (known !== undefined) return known;

    const key = epochKey(seq);
    const raw = await this._store.get(key);
    if (raw === undefined) return undefined;
    const record = parse<EpochRecord>(key, raw);
    this._cache(record);
    return record;
  }

  /** The commitments epoch record `seq` covered, in the order they were stored. */
  async leaves(seq: number): Promise<EpochLeafRecord[]> {
    const key = leavesKey(seq);
    const raw = await this._store.get(key);
    if (raw === undefined) throw new AnchorError("ANCHOR_RECORDS_DAMAGED", { key });

    try {
      return decodeLeaves(fromUtf8(raw));
    } catch (cause) {
      throw new AnchorError("ANCHOR_RECORDS_DAMAGED", { key }, { cause });
    }
  }

  /**
   * Stores a newly sent epoch with its leaves and tenant entries, in one synced batch, and
   * returns it with its sequence number.
   *
   * WARNING: for an epoch where ten thousand logs changed the batch is about 10 MB and took
   * 0.4-2 s to sync on a loaded two-core machine, and appends committing meanwhile queue
   * behind it in LevelDB. Storing proofs as raw bytes would halve it; writing the tenant
   * entries in bounded batches first, and the record that makes them visible last, would
   * bound it (entries for a sequence number that is never recorded must then be ignored
   * and cleaned up, since the number would be reused).
   */
  async addSent(
    fields: Omit<EpochRecord, "seq">,
    leaves: readonly EpochLeafRecord[],
    entries: readonly Omit<TenantAnchor, "seq">[],
  ): Promise<EpochRecord> {
    const seq = this._state.nextSeq;
    const record = Object.freeze({ ...fields, seq });
    this._state = { ...this._state, nextSeq: seq + 1 };

    const ops: KvOp[] = [this._stateOp(), put(epochKey(seq), record)];
    ops.push({ type: "put", key: leavesKey(seq), value: utf8(encodeLeaves(leaves)) });
    for (const entry of entries) {
      const key = tenantAnchorKey(entry.tenant, entry.treeSize, seq);
      ops.push({ type: "put", key, value: utf8(encodeTenantAnchor({ ...entry, seq })) });
    }
    await this._write(ops);

    this._remember(record);
    return record;
  }

  /** Stores a changed record (same seq); a lost or orphaned one goes through {@link retire}. */
  async update(record: EpochRecord): Promise<EpochRecord> {
    const frozen = Object.freeze({ ...record });

    await this._write([put(epochKey(record.seq), frozen)]);

    this._remember(frozen);
    return frozen;
  }

  /**
   * Ends a record as `lost` or `orphaned` for `reason` and removes its tenant entries, so no
   * receipt points at it any more; one synced batch.
   */
  async retire(
    record: EpochRecord,
    status: "lost" | "orphaned",
    reason: AnchorErrorCode,
  ): Promise<EpochRecord> {
    const retired = Object.freeze({ ...record, status, reason, rawTx: undefined });
    const leaves = await this.leaves(record.seq);

    const ops: KvOp[] = [put(epochKey(record.seq), retired)];
    for (const leaf of leaves) {
      ops.push({ type: "del", key: tenantAnchorKey(leaf.tenant, leaf.treeSize, record.seq) });
    }
    await this._write(ops);

    this._remember(retired);
    return retired;
  }

  /**
   * The smallest anchored checkpoint of `tenant` that covers leaf `index` (tree size above
   * `index`) in a confirmed epoch, with that epoch's record; undefined when none does yet.
   */
  async covering(
    tenant: string,
    index: number,
  ): Promise<{ anchor: TenantAnchor; record: EpochRecord } | undefined> {
    if (!Number.isSafeInteger(index) || index < 0) {
      throw new RangeError(`index must be a non-negative integer, got ${index}`);
    }

    const range = { ...tenantAnchorRange(tenant, index + 1), limit: this._lookupLimit };
    for await (const [key, value] of this._store.entries(range)) {
      const anchor = decodeTenantAnchor(key, fromUtf8(value));
      const record = await this.record(anchor.seq);
      if (record?.status === "confirmed") return { anchor, record };
    }
    return undefined;
  }

  private async _orphanBefore(generation: number): Promise<number> {
    const stale: EpochRecord[] = [];
    for await (const [key, value] of this._store.entries(EPOCH_RANGE)) {
      const record = parse<EpochRecord>(key, value);
      const live = record.status === "sent" || record.status === "confirmed";
      if (live && record.generation < generation) stale.push(record);
    }

    for (const record of stale) await this.retire(record, "orphaned", "ANCHOR_REGISTRY_GONE");
    return stale.length;
  }

  private _remember(record: EpochRecord): void {
    this._cache(record);
    const current = this._state.deployment?.generation;
    const live = record.status === "sent" || record.status === "confirmed";

    if (!live || record.generation !== current) {
      this._recent.delete(record.seq);
      return;
    }
    this._recent.set(record.seq, record);
    // Only confirmed records age out; a sent one stays until it is settled.
    for (const [seq, old] of this._recent) {
      if (this._recent.size <= this._recentLimit) break;
      if (old.status === "confirmed") this._recent.delete(seq);
    }
  }

  private _cache(record: EpochRecord): void {
    this._headers.delete(record.seq);
    this._headers.set(record.seq, record);
    if (this._headers.size > HEADER_CACHE) {
      this._headers.delete(this._headers.keys().next().value as number);
    }
  }

  private _stateOp(): KvOp {
    return put(STATE_KEY, this._state);
  }

  private _write(ops: KvOp[]): Promise<void> {
    return this._store.batch(ops, { sync: true });
  }
}

function put(key: string, value: unknown): KvOp {
  return { type: "put", key, value: utf8(JSON.stringify(value)) };
}

function parse<T>(key: string, value: Uint8Array): T {
  try {
    return JSON.parse(fromUtf8(value)) as T;
  } catch (cause) {
    throw new AnchorError("ANCHOR_RECORDS_DAMAGED", { key }, { cause });
  }
}
