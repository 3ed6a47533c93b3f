/**
 * C2SP tlog-tiles path segments. A tile index N is written as zero-padded 3-digit elements,
 * every element but the last prefixed with "x" (1234067 is "x001/x234/067"), optionally
 * followed by ".p/<W>" for a partial tile of width W in [1, 255]. Only the canonical
 * encoding is accepted, so each tile has exactly one path.
 */
import { ApiError } from "./errors";

/** A parsed tile index and width (undefined for a full tile). */
export interface TileRef {
  n: number;
  width?: number;
}

const INDEX_PATH = /^((?:x[0-9]{3}\/)*)([0-9]{3})(?:\.p\/([1-9][0-9]{0,2}))?$/;
const LEVEL = /^(0|[1-9][0-9]?)$/;

/** Formats tile index `n` (and width, for a partial tile) as a path. */
export function formatTilePath(n: number, width?: number): string {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`n: expected a safe integer >= 0`);
  if (width !== undefined && (!Number.isInteger(width) || width < 1 || width > 255)) {
    throw new RangeError("width: expected 1-255");
  }

  const digits = String(n);
  const padded = digits.padStart(Math.ceil(digits.length / 3) * 3, "0");
  const elements = padded.match(/.{3}/g)!;
  const path = elements.map((e, i) => (i < elements.length - 1 ? `x${e}` : e)).join("/");
  return width === undefined ? path : `${path}.p/${width}`;
}

/**
 * Parses the "<N>[.p/<W>]" part of a tile path.
 *
 * @throws ApiError API_BAD_TILE_PATH unless it is the canonical encoding of a safe integer.
 */
export function parseTilePath(path: string): TileRef {
  const match = path.length <= 64 ? INDEX_PATH.exec(path) : null;
  if (match === null) throw badPath("tile index must look like x001/x234/067[.p/<W>]");

  const digits = match[1].replace(/[x/]/g, "") + match[2];
  if (digits.length > 3 && digits.startsWith("000")) {
    throw badPath("tile index has a leading all-zero element");
  }
  const n = Number(digits);
  if (!Number.isSafeInteger(n)) throw badPath("tile index is too large");
  const width = match[3] === undefined ? undefined : Number(match[3]);
  if (width !== undefined && width > 255) throw badPath("partial tile width must be 1-255");
  return { n, width };
}

/**
 * Parses a tile level: a decimal in [0, 63] without leading zeros.
 *
 * @throws ApiError API_BAD_TILE_PATH otherwise.
 */
export function parseTileLevel(text: string): number {
  const level = LEVEL.test(text) ? Number(text) : NaN;
  if (!(level <= 63)) throw badPath("tile level must be 0-63 without leading zeros");
  return level;
}

function badPath(detail: string): ApiError {
  return new ApiError("API_BAD_TILE_PATH", detail);
}
