/**
 * A bounded least-recently-used cache of full tiles. Full tiles never change, so caching them
 * is always safe; partial tiles are never put here.
 */
export class TileCache {
  private readonly _max: number;
  private readonly _tiles = new Map<string, Uint8Array[]>();

  /** @param max the most tiles kept (each up to 8 KiB of hashes). */
  constructor(max: number) {
    if (!Number.isSafeInteger(max) || max < 0) throw new RangeError(`TileCache: bad max ${max}`);
    this._max = max;
  }

  get(key: string): Uint8Array[] | undefined {
    const tile = this._tiles.get(key);
    if (tile !== undefined) {
      this._tiles.delete(key);
      this._tiles.set(key, tile);
    }
    return tile;
  }

  set(key: string, tile: Uint8Array[]): void {
    if (this._max === 0) return;
    this._tiles.delete(key);
    this._tiles.set(key, tile);
    if (this._tiles.size > this._max) {
      const oldest = this._tiles.keys().next().value as string;
      this._tiles.delete(oldest);
    }
  }

  /** Drops every tile whose key starts with `prefix` (a tenant's log after a restore). */
  dropPrefix(prefix: string): void {
    for (const k of this._tiles.keys()) if (k.startsWith(prefix)) this._tiles.delete(k);
  }
}
