/**
 * One tenant's Merkle tree stored as tlog-tiles. Memory holds only the rightmost, partial
 * tile of each level (at most 8 KiB per level); everything else is read from the store on
 * demand through a bounded cache, so a proof costs a handful of tile reads at any tree size.
 *
 * Appends are staged first: {@link TileTree.stage} returns the tile writes and the new edge
 * without touching the committed state, and {@link TileTree.commit} adopts them once the
 * batch holding those writes is durable.
 */
import { LedgerError, LedgerInvariantError } from "../errors";
import { KvOp, KvStore } from "../store/kv-store";
import { LogKeys } from "../store/keys";
import { Hasher } from "../verify/hasher";
import { SubtreeSource } from "../verify/proof-builder";
import { TileCache } from "./tile-cache";
import {
  TILE_HEIGHT,
  TILE_WIDTH,
  joinTile,
  nodesAtLevel,
  perfectRoot,
  splitTile,
} from "./tile-math";

/** The rightmost tile of each level: index and hashes so far (fewer than 256). */
export type TreeEdge = { n: number; hashes: Uint8Array[] }[];

/** An append that has been computed but not yet made durable. */
export interface StagedTree {
  size: number;
  edge: TreeEdge;
  /** Tiles this stage can read that may not be in the store yet, by store key. */
  tiles: Map<string, Uint8Array[]>;
  /** Keys of the tiles this stage must write. */
  dirty: Set<string>;
}

/** Counts store reads, for benchmarks that report reads per proof. */
export interface ReadCounter {
  reads: number;
}

export class TileTree {
  private readonly _store: KvStore;
  private readonly _keys: LogKeys;
  private readonly _hasher: Hasher;
  private readonly _cache: TileCache;
  private _size: number;
  private _edge: TreeEdge;

  private constructor(store: KvStore, keys: LogKeys, hasher: Hasher, cache: TileCache) {
    this._store = store;
    this._keys = keys;
    this._hasher = hasher;
    this._cache = cache;
    this._size = 0;
    this._edge = [];
  }

  /**
   * Loads the tree of `size` leaves: reads the rightmost tile of every level.
   *
   * @throws LedgerError LEDGER_STORE_DAMAGED when an edge tile is missing or has the wrong
   *   width for `size`.
   */
  static async load(
    store: KvStore,
    keys: LogKeys,
    hasher: Hasher,
    cache: TileCache,
    size: number,
  ): Promise<TileTree> {
    const tree = new TileTree(store, keys, hasher, cache);
    tree._size = size;

    for (let level = 0; nodesAtLevel(size, level) > 0; level++) {
      const count = nodesAtLevel(size, level);
      const n = Math.floor(count / TILE_WIDTH);
      const width = count % TILE_WIDTH;
      let hashes: Uint8Array[] = [];
      if (width > 0) {
        const bytes = await store.get(keys.tile(level, n));
        if (bytes === undefined || bytes.length < width * 32) {
          throw new LedgerError(
            "LEDGER_STORE_DAMAGED",
            `tile ${level}/${n} is missing or shorter than ${width} hashes for size ${size}`,
            { level, n, width, size },
          );
        }
        hashes = splitTile(bytes.slice(0, width * 32));
      }
      tree._edge.push({ n, hashes });
    }
    return tree;
  }

  /** Number of leaves in the committed tree. */
  get size(): number {
    return this._size;
  }

  /**
   * Computes appending `leafHashes` to `base` (the committed tree when omitted) without
   * changing the committed tree.
   *
   * `base`, when given, is an earlier write still in flight: the new stage reads its tiles
   * but does not write them again.
   */
  stage(leafHashes: readonly Uint8Array[], base?: StagedTree): StagedTree {
    const size = base?.size ?? this._size;
    const edge: TreeEdge = (base?.edge ?? this._edge).map((t) => ({
      n: t.n,
      hashes: t.hashes.slice(),
    }));
    const tiles = new Map<string, Uint8Array[]>();
    const dirty = new Set<string>();
    if (base !== undefined) for (const key of base.dirty) tiles.set(key, base.tiles.get(key)!);

    for (const leaf of leafHashes) this._push(edge, tiles, dirty, 0, leaf);
    for (let level = 0; level < edge.length; level++) {
      const t = edge[level];
      if (t.hashes.length === 0) continue;
      const key = this._keys.tile(level, t.n);
      tiles.set(key, t.hashes.slice());
      dirty.add(key);
    }
    return { size: size + leafHashes.length, edge, tiles, dirty };
  }

  /** Store writes that make `staged` durable. */
  writes(staged: StagedTree): KvOp[] {
    return [...staged.dirty].map((key) => ({
      type: "put" as const,
      key,
      value: joinTile(staged.tiles.get(key)!),
    }));
  }

  /** Adopts a staged append once its writes are durable. */
  commit(staged: StagedTree): void {
    if (staged.size < this._size) throw new LedgerInvariantError("commit would shrink the tree");

    for (const key of staged.dirty) {
      const hashes = staged.tiles.get(key)!;
      if (hashes.length === TILE_WIDTH) this._cache.set(key, hashes);
    }
    this._size = staged.size;
    this._edge = staged.edge;
  }

  /**
   * A subtree source over the committed tree, or over `staged` when given (so the root of an
   * append can be computed before it is durable). Optionally counts store reads.
   */
  source(staged?: StagedTree, counter?: ReadCounter): SubtreeSource & { size: number } {
    const size = staged?.size ?? this._size;
    const edge = staged?.edge ?? this._edge;
    const tiles = staged?.tiles;
    const memo = new Map<string, Uint8Array[]>();

    const tileHashes = async (level: number, n: number): Promise<Uint8Array[]> => {
      const key = this._keys.tile(level, n);
      const e = edge[level];
      if (e !== undefined && e.n === n) return e.hashes;
      const fromStage = tiles?.get(key) ?? memo.get(key) ?? this._cache.get(key);
      if (fromStage !== undefined) return fromStage;

      if (counter !== undefined) counter.reads++;
      const bytes = await this._store.get(key);
      if (bytes === undefined || bytes.length !== TILE_WIDTH * 32) {
        throw new LedgerError("LEDGER_STORE_DAMAGED", `full tile ${level}/${n} is missing`, {
          level,
          n,
        });
      }
      const hashes = splitTile(bytes);
      memo.set(key, hashes);
      this._cache.set(key, hashes);
      return hashes;
    };

    return {
      size,
      subtree: async (height: number, index: number) => {
        if ((index + 1) * 2 ** height > size) {
          throw new LedgerInvariantError(`subtree ${height}/${index} beyond size ${size}`);
        }
        const level = Math.floor(height / TILE_HEIGHT);
        const span = 2 ** (height % TILE_HEIGHT);
        const first = index * span;
        const hashes = await tileHashes(level, Math.floor(first / TILE_WIDTH));
        const offset = first % TILE_WIDTH;
        if (hashes.length < offset + span) {
          throw new LedgerInvariantError(`tile ${level} too short for subtree ${height}/${index}`);
        }
        return perfectRoot(hashes.slice(offset, offset + span), this._hasher.node);
      },
    };
  }

  /**
   * The hashes of tile `n` at `level` as of tree size `size` (at most the committed size),
   * for the tlog-tiles read endpoints. Returns undefined when that tile is empty at `size`.
   */
  async readTile(level: number, n: number, size: number): Promise<Uint8Array | undefined> {
    const count = nodesAtLevel(size, level);
    const width = Math.max(0, Math.min(TILE_WIDTH, count - n * TILE_WIDTH));
    if (width === 0) return undefined;

    const e = this._edge[level];
    if (e !== undefined && e.n === n) return joinTile(e.hashes.slice(0, width));
    const bytes = await this._store.get(this._keys.tile(level, n));
    if (bytes === undefined || bytes.length < width * 32) {
      throw new LedgerError("LEDGER_STORE_DAMAGED", `tile ${level}/${n} is missing`, { level, n });
    }
    return bytes.slice(0, width * 32);
  }

  private _push(
    edge: TreeEdge,
    tiles: Map<string, Uint8Array[]>,
    dirty: Set<string>,
    level: number,
    h: Uint8Array,
  ) {
    if (edge[level] === undefined) edge[level] = { n: 0, hashes: [] };
    const t = edge[level];
    t.hashes.push(h);
    if (t.hashes.length < TILE_WIDTH) return;

    const key = this._keys.tile(level, t.n);
    tiles.set(key, t.hashes);
    dirty.add(key);
    const root = perfectRoot(t.hashes, this._hasher.node);
    edge[level] = { n: t.n + 1, hashes: [] };
    this._push(edge, tiles, dirty, level + 1, root);
  }
}
