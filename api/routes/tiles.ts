/**
 * C2SP tlog-tiles read endpoints of the caller's log: the checkpoint, hash tiles and entry
 * bundles, from which clients compute any proof themselves and mirrors copy the log.
 *
 * These routes need a key with the read or prove scope, because the tenant is taken from the
 * key and never from the path. Serving them publicly (for witnesses and mirrors without a
 * key) would need a per-tenant public prefix, which is a deliberate, separate decision: the
 * leaf data reveals entry times and counts, though no event content.
 */
import type { FastifyInstance, FastifyReply } from "fastify";
import { Type } from "@sinclair/typebox";

import { tenantOf } from "../auth";
import { ApiError } from "../errors";
import { BEARER_SECURITY, RouteDeps } from "../route-deps";
import { errorResponses } from "../schemas";
import { parseTileLevel, parseTilePath } from "../tile-path";
import { READ_OR_PROVE } from "./checkpoint";

// Tiles never change once they exist (a partial tile of width W is final too); they are
// private to the tenant, so shared caches must not keep them.
const IMMUTABLE = "private, max-age=31536000, immutable";

const TilePathParams = Type.Object(
  {
    level: Type.String({ maxLength: 8, description: "Tile level, 0-63" }),
    "*": Type.String({ maxLength: 64, description: "Tile index, e.g. x001/x234/067[.p/<W>]" }),
  },
  { additionalProperties: false },
);

const EntriesPathParams = Type.Object(
  { "*": Type.String({ maxLength: 64, description: "Bundle index, e.g. 067[.p/<W>]" }) },
  { additionalProperties: false },
);

const binary = (description: string) => ({
  description,
  content: { "application/octet-stream": { schema: Type.String({ format: "binary" }) } },
});

/** Registers GET /v1/log/checkpoint, /v1/log/tile/<L>/<N> and /v1/log/tile/entries/<N>. */
export function registerTileRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const { ledger } = deps;

  app.get(
    "/v1/log/checkpoint",
    {
      config: { access: READ_OR_PROVE },
      schema: {
        summary: "Latest signed checkpoint (tlog-tiles), as a signed note",
        tags: ["log"],
        security: BEARER_SECURITY,
        response: {
          200: {
            description: "C2SP signed note",
            content: { "text/plain": { schema: Type.String() } },
          },
          ...errorResponses([401, 403, 429]),
        },
      },
    },
    async (request, reply) => {
      const { tenant } = tenantOf(request);

      const note = ledger.checkpoint(tenant).note;

      reply.header("cache-control", "no-cache").type("text/plain; charset=utf-8");
      return note;
    },
  );

  app.get<{ Params: { level: string; "*": string } }>(
    "/v1/log/tile/:level/*",
    {
      config: { access: READ_OR_PROVE },
      schema: {
        summary: "Hash tile <L>/<N>[.p/<W>] (tlog-tiles)",
        tags: ["log"],
        security: BEARER_SECURITY,
        params: TilePathParams,
        response: {
          200: binary("256 hashes (full) or W hashes (partial), 32 bytes each"),
          ...errorResponses([400, 401, 403, 404, 429]),
        },
      },
    },
    async (request, reply) => {
      const { tenant } = tenantOf(request);
      const level = parseTileLevel(request.params.level);
      const { n, width } = parseTilePath(request.params["*"]);

      const tile = await ledger.tile(tenant, level, n, width);

      return sendTile(reply, tile);
    },
  );

  app.get<{ Params: { "*": string } }>(
    "/v1/log/tile/entries/*",
    {
      config: { access: READ_OR_PROVE },
      schema: {
        summary: "Entry bundle <N>[.p/<W>] (tlog-tiles)",
        description: "Leaf data of each entry, each prefixed by its length (uint16, big-endian).",
        tags: ["log"],
        security: BEARER_SECURITY,
        params: EntriesPathParams,
        response: {
          200: binary("Length-prefixed leaf data of 256 (full) or W (partial) entries"),
          ...errorResponses([400, 401, 403, 404, 429]),
        },
      },
    },
    async (request, reply) => {
      const { tenant } = tenantOf(request);
      const { n, width } = parseTilePath(request.params["*"]);

      const bundle = await ledger.entryBundle(tenant, n, width);

      return sendTile(reply, bundle);
    },
  );
}

function sendTile(reply: FastifyReply, bytes: Uint8Array | undefined): Buffer {
  if (bytes === undefined) {
    throw new ApiError("API_TILE_NOT_FOUND", "no such tile in the latest checkpoint's tree");
  }
  reply.header("cache-control", IMMUTABLE).type("application/octet-stream");
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
