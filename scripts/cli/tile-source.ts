/**
 * Perfect-subtree hashes read from a C2SP tlog-tiles server, so a monitor can build the
 * consistency proof itself instead of asking the log for one. Tiles are immutable once
 * served (a partial tile of width W never changes), so they are cached for the run.
 *
 * A hash tile at level L holds up to 256 hashes of subtrees of height 8L; a subtree of
 * height h = 8L + r is hashed up from 2^r consecutive hashes of one tile at level L.
 */
import { formatTilePath } from "../../api/tile-path";
import type { Hasher } from "../../ledger/verify/hasher";
import type { SubtreeSource } from "../../ledger/verify/proof-builder";
import { CliError } from "./errors";
import { joinUrl, requestBytes } from "./http-client";

const TILE_HEIGHT = 8;
const TILE_WIDTH = 256;
const HASH = 32;

/**
 * A {@link SubtreeSource} over the tiles at `base` (e.g. "https://host/v1/log") for the tree
 * of `treeSize` leaves: tiles are requested at the width that tree has, so the answer does
 * not depend on how far the log has grown since.
 */
export function tileSource(
  base: string,
  treeSize: number,
  hasher: Hasher,
  key?: string,
): SubtreeSource {
  const tiles = new Map<string, Promise<Uint8Array>>();

  const tile = (level: number, n: number): Promise<Uint8Array> => {
    const nodes = Math.floor(treeSize / TILE_WIDTH ** level);
    const width = Math.min(TILE_WIDTH, nodes - n * TILE_WIDTH);
    const path = `tile/${level}/${formatTilePath(n, width === TILE_WIDTH ? undefined : width)}`;
    let pending = tiles.get(path);
    if (pending === undefined) {
      pending = requestBytes(joinUrl(base, path), { key }).then((bytes) => {
        if (bytes.length !== width * HASH) {
          throw new CliError(
            "CLI_API_ERROR",
            `${path} has ${bytes.length} bytes, not ${width * HASH}`,
          );
        }
        return bytes;
      });
      tiles.set(path, pending);
    }
    return pending;
  };

  return {
    async subtree(height, index) {
      const level = Math.floor(height / TILE_HEIGHT);
      const span = 2 ** (height - level * TILE_HEIGHT);
      const first = index * span;
      const bytes = await tile(level, Math.floor(first / TILE_WIDTH));

      let layer: Uint8Array[] = [];
      for (let i = 0; i < span; i++) {
        const at = ((first % TILE_WIDTH) + i) * HASH;
        layer.push(bytes.subarray(at, at + HASH));
      }
      while (layer.length > 1) {
        const up: Uint8Array[] = [];
        for (let i = 0; i < layer.length; i += 2) up.push(hasher.node(layer[i], layer[i + 1]));
        layer = up;
      }
      return layer[0];
    },
  };
}
