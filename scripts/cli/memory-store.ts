/**
 * A small in-memory {@link KvStore}, holding the few records a backup header is derived
 * from (tenant records, log states, anchor records) so the same read-only views that run on
 * a live store run on them.
 */
import type { KvOp, KvRange, KvStore } from "../../ledger/store/kv-store";

/** An ordered map of keys to values behind the store interface. */
export class MemoryStore implements KvStore {
  private readonly _map = new Map<string, Uint8Array>();

  /** Stores `value` at `key`. */
  set(key: string, value: Uint8Array): void {
    this._map.set(key, value);
  }

  async get(key: string): Promise<Uint8Array | undefined> {
    return this._map.get(key);
  }

  async getMany(keys: readonly string[]): Promise<(Uint8Array | undefined)[]> {
    return keys.map((k) => this._map.get(k));
  }

  async batch(ops: readonly KvOp[]): Promise<void> {
    for (const op of ops) {
      if (op.type === "put") this._map.set(op.key, op.value);
      else this._map.delete(op.key);
    }
  }

  async *entries(range: KvRange): AsyncIterable<[string, Uint8Array]> {
    const keys = [...this._map.keys()].filter((k) => k >= range.gte && k < range.lt).sort();
    if (range.reverse) keys.reverse();
    const limited =
      range.limit === undefined || range.limit < 0 ? keys : keys.slice(0, range.limit);
    for (const k of limited) yield [k, this._map.get(k)!];
  }

  async compact(): Promise<void> {}

  async close(): Promise<void> {}
}
