/**
 * A KvStore wrapper that keeps a copy of every batch written, so a benchmark can replay the
 * very same bytes against raw LevelDB as a baseline.
 */
import { KvOp, KvRange, KvStore } from "../../ledger";

export class RecordingStore implements KvStore {
  readonly batches: KvOp[][] = [];
  private readonly _inner: KvStore;

  constructor(inner: KvStore) {
    this._inner = inner;
  }

  get(key: string) {
    return this._inner.get(key);
  }

  getMany(keys: readonly string[]) {
    return this._inner.getMany(keys);
  }

  batch(ops: readonly KvOp[], options: { sync: boolean }) {
    this.batches.push([...ops]);
    return this._inner.batch(ops, options);
  }

  entries(range: KvRange) {
    return this._inner.entries(range);
  }

  compact(gte: string, lt: string) {
    return this._inner.compact(gte, lt);
  }

  close() {
    return this._inner.close();
  }
}
