/**
 * The latest signed checkpoint of the caller's log, as JSON with its metadata. The bare
 * signed note (text/plain) is served by the tlog-tiles routes at /v1/log/checkpoint.
 */
import type { FastifyInstance } from "fastify";

import { toBase64 } from "../../ledger/verify";
import { tenantOf } from "../auth";
import { BEARER_SECURITY, RouteDeps } from "../route-deps";
import { CheckpointSchema, errorResponses } from "../schemas";

/** Who may read checkpoints and tiles: anyone of the tenant who may read or prove. */
export const READ_OR_PROVE = { principal: "tenant", scopes: ["read", "prove"] } as const;

/** Registers GET /v1/checkpoint. */
export function registerCheckpointRoute(app: FastifyInstance, deps: RouteDeps): void {
  const { ledger } = deps;

  app.get(
    "/v1/checkpoint",
    {
      config: { access: READ_OR_PROVE },
      schema: {
        summary: "Latest signed checkpoint, as JSON",
        tags: ["log"],
        security: BEARER_SECURITY,
        response: { 200: CheckpointSchema, ...errorResponses([401, 403, 429]) },
      },
    },
    async (request, reply) => {
      const { tenant } = tenantOf(request);

      const cp = ledger.checkpoint(tenant);

      reply.header("cache-control", "no-cache");
      return {
        origin: cp.origin,
        treeSize: cp.size,
        rootHash: toBase64(cp.rootHash),
        note: cp.note,
        signedAtMs: ledger.checkpointSignedAtMs(tenant),
        verifierKey: ledger.verifierKey(tenant),
      };
    },
  );
}
