/**
 * C2SP tlog-tiles geometry as a client needs it: tile paths and the width of a tile in a tree
 * of a given size. A tile at level L holds up to 256 consecutive hashes of tree height 8L;
 * tile N covers the height-8L nodes [256N, 256N + 256).
 */

/** Hashes in a full tile. */
export const TILE_WIDTH = 256;

/** Tree heights spanned by one tile level. */
export const TILE_HEIGHT = 8;

/**
 * Width of tile `n` at `level` in a tree of `size` leaves: how many of its nodes are complete,
 * from 0 (the tile does not exist yet) to 256.
 */
export function tileWidth(size: number, level: number, n: number): number {
  const complete = Math.floor(size / TILE_WIDTH ** level);

  return Math.max(0, Math.min(TILE_WIDTH, complete - n * TILE_WIDTH));
}

/**
 * The "<N>[.p/<W>]" part of a tile path: N as zero-padded 3-digit elements, every element but
 * the last prefixed with "x" (1234067 is "x001/x234/067"), and ".p/<W>" for a partial tile of
 * width W in [1, 256). Throws RangeError for an index or width out of range.
 */
export function formatTileIndex(n: number, width: number): string {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`n must be a safe integer >= 0`);
  if (!Number.isInteger(width) || width < 1 || width > TILE_WIDTH) {
    throw new RangeError(`width must be 1-${TILE_WIDTH}, got ${width}`);
  }

  const digits = String(n);
  const padded = digits.padStart(Math.ceil(digits.length / 3) * 3, "0");
  const elements = padded.match(/.{3}/g) ?? [];
  const path = elements.map((e, i) => (i < elements.length - 1 ? `x${e}` : e)).join("/");
  return width === TILE_WIDTH ? path : `${path}.p/${width}`;
}
