/**
 * The storage seam: the few operations the ledger needs from an ordered key-value store.
 * Keys are strings ordered bytewise; values are bytes. LevelDB implements it here; a
 * distributed SQL backend would implement the same five methods.
 */

/** One write of a batch: put a value or delete a key. */
export type KvOp = { type: "put"; key: string; value: Uint8Array } | { type: "del"; key: string };

/** A half-open key range [gte, lt), optionally reversed and limited. */
export interface KvRange {
  gte: string;
  lt: string;
  reverse?: boolean;
  limit?: number;
}

/** The ordered key-value store the ledger runs on. */
export interface KvStore {
  /** The value at `key`, or undefined when absent. */
  get(key: string): Promise<Uint8Array | undefined>;
  /** The values at `keys`, in order, undefined where absent. */
  getMany(keys: readonly string[]): Promise<(Uint8Array | undefined)[]>;
  /**
   * Applies every op atomically. With `sync`, resolves only once the batch is durable on
   * disk: an acknowledged write survives a crash of the process or the machine.
   */
  batch(ops: readonly KvOp[], options: { sync: boolean }): Promise<void>;
  /** Entries in `range`, in key order (or reverse). */
  entries(range: KvRange): AsyncIterable<[string, Uint8Array]>;
  /** Asks the backend to physically drop deleted data in [gte, lt) (used by erasure). */
  compact(gte: string, lt: string): Promise<void>;
  close(): Promise<void>;
}
