/**
 * C2SP tlog-tiles geometry. A tile at level L holds up to 256 consecutive hashes of height 8L
 * (level 0: leaf hashes); tile N at level L holds the height-8L nodes [256N, 256N + 256).
 * A node of height 8L exists once all 2^(8L) leaves under it are in the tree.
 */

/** Hashes per full tile. */
export const TILE_WIDTH = 256;
/** Tree levels spanned by one tile level. */
export const TILE_HEIGHT = 8;

/** Number of complete nodes of height 8·`level` in a tree of `size` leaves. */
export function nodesAtLevel(size: number, level: number): number {
  return Math.floor(size / TILE_WIDTH ** level);
}

/** Width of tile `n` at `level` in a tree of `size` leaves: 0 (absent) up to 256. */
export function tileWidth(size: number, level: number, n: number): number {
  const count = nodesAtLevel(size, level);
  return Math.max(0, Math.min(TILE_WIDTH, count - n * TILE_WIDTH));
}

/** Hash of a perfect binary tree over `hashes` (whose count is a power of two). */
export function perfectRoot(
  hashes: readonly Uint8Array[],
  node: (l: Uint8Array, r: Uint8Array) => Uint8Array,
): Uint8Array {
  let row = hashes.slice();
  while (row.length > 1) {
    const next: Uint8Array[] = [];
    for (let i = 0; i < row.length; i += 2) next.push(node(row[i], row[i + 1]));
    row = next;
  }
  return row[0];
}

/** Splits tile bytes into its 32-byte hashes. */
export function splitTile(bytes: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += 32) out.push(bytes.subarray(i, i + 32));
  return out;
}

/** Joins hashes into tile bytes. */
export function joinTile(hashes: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(hashes.length * 32);
  hashes.forEach((h, i) => out.set(h, i * 32));
  return out;
}
