/**
 * A {@link SubtreeSource} over tlog-tiles, so the verify module's proof builder can compute
 * inclusion and consistency proofs in the browser from the tiles a log serves.
 *
 * A perfect subtree of height h is one stored hash when h is a multiple of 8; otherwise it is
 * folded from the 2^(h - 8L) stored hashes of height 8L below it (L = floor(h / 8)), which
 * always lie in one tile. Nothing read here is trusted: whatever the tiles say, a proof built
 * from them verifies only against roots that match them.
 */
import { type Hasher, pureHasher, type SubtreeSource } from "../../../ledger/verify";
import { TILE_HEIGHT, TILE_WIDTH, tileWidth } from "./tile-path";

/** Anything that serves hash tiles, such as {@link HttpLog}. */
export interface TileReader {
  tile(level: number, n: number, width: number): Promise<Uint8Array[]>;
}

/**
 * Returns a source of the perfect subtrees of the log's tree of `size` leaves. It asks only
 * for tiles as wide as they are in that tree, so a log that has grown since still serves them.
 *
 * Preconditions: `size` is a positive safe integer; callers ask only for subtrees inside the
 * tree (the proof builder does). A subtree outside it throws RangeError.
 */
export function tileSubtreeSource(
  reader: TileReader,
  size: number,
  hasher: Hasher = pureHasher,
): SubtreeSource {
  if (!Number.isSafeInteger(size) || size < 1) {
    throw new RangeError(`size must be a positive safe integer, got ${size}`);
  }

  return {
    async subtree(height: number, index: number): Promise<Uint8Array> {
      const level = Math.floor(height / TILE_HEIGHT);
      const span = 2 ** (height - level * TILE_HEIGHT);
      const first = index * span;
      const n = Math.floor(first / TILE_WIDTH);
      const width = tileWidth(size, level, n);
      const offset = first - n * TILE_WIDTH;
      if (offset + span > width) {
        throw new RangeError(`subtree (${height}, ${index}) is not complete in size ${size}`);
      }

      const hashes = await reader.tile(level, n, width);

      let row = hashes.slice(offset, offset + span);
      while (row.length > 1) {
        const next: Uint8Array[] = [];
        for (let i = 0; i < row.length; i += 2) next.push(hasher.node(row[i], row[i + 1]));
        row = next;
      }
      return row[0];
    },
  };
}
