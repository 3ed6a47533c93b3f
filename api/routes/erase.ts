/**
 * Erasure (crypto-shredding) of one entry's event. The leaf, and so every proof, checkpoint
 * and receipt, stays valid; only the event and its salt are destroyed.
 */
import type { FastifyInstance } from "fastify";
import type { Static } from "@sinclair/typebox";

import { tenantOf } from "../auth";
import { BEARER_SECURITY, RouteDeps } from "../route-deps";
import { ErasureSchema, errorResponses, IndexParamsSchema } from "../schemas";

/** Registers DELETE /v1/entries/:index/event. */
export function registerEraseRoute(app: FastifyInstance, deps: RouteDeps): void {
  const { ledger } = deps;

  app.delete<{ Params: Static<typeof IndexParamsSchema> }>(
    "/v1/entries/:index/event",
    {
      config: { access: { principal: "tenant", scopes: ["erase"] } },
      schema: {
        summary: "Erase an entry's event; proofs stay valid",
        description: "Idempotent: erasing again returns the first erasure time.",
        tags: ["entries"],
        security: BEARER_SECURITY,
        params: IndexParamsSchema,
        response: { 200: ErasureSchema, ...errorResponses([400, 401, 403, 404, 429]) },
      },
    },
    async (request) => {
      const { tenant, keyId } = tenantOf(request);
      const index = Number(request.params.index);

      const erasedAtMs = await ledger.erase(tenant, index);

      request.log.info({ tenant, index, keyId }, "event erased");
      return { index, erasedAtMs };
    },
  );
}
