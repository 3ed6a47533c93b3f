/**
 * {@link KvStore} on LevelDB through the `level` package.
 */
import { Level } from "level";

import { LedgerError } from "../errors";
import { KvOp, KvRange, KvStore } from "./kv-store";

/** A LevelDB-backed store. Open it with {@link openLevelStore}. */
export class LevelStore implements KvStore {
  private readonly _db: Level<string, Uint8Array>;

  private constructor(db: Level<string, Uint8Array>) {
    this._db = db;
  }

  /**
   * Opens (creating if needed) the LevelDB at `path`.
   *
   * @throws LedgerError LEDGER_STORE_DAMAGED when LevelDB cannot open it (corruption or a
   *   lock held by another process), with the backend's error as cause.
   */
  static async open(path: string): Promise<LevelStore> {
    const db = new Level<string, Uint8Array>(path, { keyEncoding: "utf8", valueEncoding: "view" });

    try {
      await db.open();
    } catch (err) {
      throw new LedgerError(
        "LEDGER_STORE_DAMAGED",
        `cannot open store at ${path}`,
        { path },
        {
          cause: err,
        },
      );
    }
    return new LevelStore(db);
  }

  async get(key: string): Promise<Uint8Array | undefined> {
    return (await this._db.get(key)) ?? undefined;
  }

  async getMany(keys: readonly string[]): Promise<(Uint8Array | undefined)[]> {
    if (keys.length === 0) return [];
    const values = await this._db.getMany(keys as string[]);
    return values.map((v) => v ?? undefined);
  }

  async batch(ops: readonly KvOp[], options: { sync: boolean }): Promise<void> {
    if (ops.length === 0) return;
    await this._db.batch(ops as KvOp[], { sync: options.sync });
  }

  async *entries(range: KvRange): AsyncIterable<[string, Uint8Array]> {
    const options = {
      gte: range.gte,
      lt: range.lt,
      reverse: range.reverse ?? false,
      limit: range.limit ?? -1,
    };
    for await (const [k, v] of this._db.iterator(options)) yield [k, v];
  }

  async compact(gte: string, lt: string): Promise<void> {
    // classic-level exposes LevelDB's CompactRange; other backends may lack it.
    const db = this._db as unknown as { compactRange?: (a: string, b: string) => Promise<void> };
    if (typeof db.compactRange === "function") await db.compactRange(gte, lt);
  }

  async close(): Promise<void> {
    await this._db.close();
  }
}

/** Opens the LevelDB store at `path`. See {@link LevelStore.open}. */
export function openLevelStore(path: string): Promise<LevelStore> {
  return LevelStore.open(path);
}
