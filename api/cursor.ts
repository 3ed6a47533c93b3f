/**
 * Opaque page cursors of GET /v1/entries. A cursor holds the index to resume from and a
 * digest of the filters it was made for, so a cursor replayed with other filters is refused
 * rather than silently skipping entries. Cursors are not secret and not signed: all they
 * can name is a position in the caller's own log.
 */
import { createHash } from "node:crypto";

import { ApiError } from "./errors";

/** The filters a cursor is bound to. */
export interface CursorFilters {
  since?: string;
  until?: string;
  actor?: string;
  action?: string;
}

const VERSION = "c1";

/** Encodes the position `from` for `filters` as base64url text. */
export function encodeCursor(from: number, filters: CursorFilters): string {
  return Buffer.from(`${VERSION}.${from}.${filterDigest(filters)}`, "utf8").toString("base64url");
}

/**
 * Decodes a cursor made by {@link encodeCursor} for the same filters.
 *
 * @throws ApiError API_BAD_CURSOR for anything else.
 */
export function decodeCursor(cursor: string, filters: CursorFilters): number {
  const text = Buffer.from(cursor, "base64url").toString("utf8");
  const match = /^c1\.(0|[1-9][0-9]{0,15})\.([0-9a-f]{16})$/.exec(text);

  if (match === null || Buffer.from(text, "utf8").toString("base64url") !== cursor) {
    throw new ApiError("API_BAD_CURSOR", "cursor was not issued by this API");
  }
  const from = Number(match[1]);
  if (!Number.isSafeInteger(from)) throw new ApiError("API_BAD_CURSOR", "cursor is out of range");
  if (match[2] !== filterDigest(filters)) {
    throw new ApiError("API_BAD_CURSOR", "cursor was issued for other filters");
  }
  return from;
}

function filterDigest(f: CursorFilters): string {
  const text = JSON.stringify([
    f.since ?? null,
    f.until ?? null,
    f.actor ?? null,
    f.action ?? null,
  ]);
  return createHash("sha256").update(text, "utf8").digest("hex").slice(0, 16);
}
