/**
 * Proofs a client can check on its own: inclusion (by index or leaf hash), consistency
 * between two tree sizes, and the self-contained receipt bundle.
 */
import type { FastifyInstance } from "fastify";
import type { Static } from "@sinclair/typebox";

import { tenantOf } from "../auth";
import { ApiError } from "../errors";
import { BEARER_SECURITY, RouteDeps } from "../route-deps";
import {
  ConsistencyProofSchema,
  ConsistencyQuerySchema,
  errorResponses,
  IndexParamsSchema,
  InclusionProofSchema,
  InclusionQuerySchema,
  ReceiptSchema,
} from "../schemas";

const PROVE = { principal: "tenant", scopes: ["prove", "read"] } as const;

/** Registers the inclusion, consistency and receipt routes. */
export function registerProofRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const { ledger } = deps;
  const receipt = deps.receipts ?? ((tenant, index) => ledger.receipt(tenant, index));

  app.get<{ Querystring: Static<typeof InclusionQuerySchema> }>(
    "/v1/proofs/inclusion",
    {
      config: { access: PROVE },
      schema: {
        summary: "Inclusion proof of a leaf, by index or by leaf hash",
        description: "Give exactly one of index and leafHash.",
        tags: ["proofs"],
        security: BEARER_SECURITY,
        querystring: InclusionQuerySchema,
        response: { 200: InclusionProofSchema, ...errorResponses([400, 401, 403, 404, 429]) },
      },
    },
    async (request) => {
      const { tenant } = tenantOf(request);
      const q = request.query;
      if ((q.index === undefined) === (q.leafHash === undefined)) {
        throw new ApiError("API_VALIDATION_FAILED", "give exactly one of index and leafHash");
      }
      const treeSize = q.treeSize === undefined ? undefined : Number(q.treeSize);

      if (q.leafHash !== undefined) {
        return ledger.inclusionProofByLeafHash(tenant, q.leafHash.toLowerCase(), treeSize);
      }
      return ledger.inclusionProof(tenant, Number(q.index), treeSize);
    },
  );

  app.get<{ Querystring: Static<typeof ConsistencyQuerySchema> }>(
    "/v1/proofs/consistency",
    {
      config: { access: PROVE },
      schema: {
        summary: "Consistency proof from tree size size1 to size2",
        description: "Requires 1 <= size1 <= size2 <= the latest checkpoint's size.",
        tags: ["proofs"],
        security: BEARER_SECURITY,
        querystring: ConsistencyQuerySchema,
        response: { 200: ConsistencyProofSchema, ...errorResponses([400, 401, 403, 404, 429]) },
      },
    },
    async (request) => {
      const { tenant } = tenantOf(request);
      const size1 = Number(request.query.size1);
      const given = request.query.size2;
      // Without size2, a size1 beyond the log is a missing tree (404), not a reversed range.
      if (given !== undefined && size1 > Number(given)) {
        throw new ApiError("API_BAD_RANGE", `size1 ${size1} exceeds size2 ${given}`);
      }
      const size2 = given === undefined ? ledger.checkpoint(tenant).size : Number(given);

      const proof = await ledger.consistencyProof(tenant, size1, size2);

      return { size1, size2, proof };
    },
  );

  app.get<{ Params: Static<typeof IndexParamsSchema> }>(
    "/v1/entries/:index/receipt",
    {
      config: { access: PROVE },
      schema: {
        summary: "Receipt bundle of an entry",
        description:
          "Self-contained (format anchorlog-receipt/v1): leaf data, inclusion proof, signed " +
          "checkpoint. Status anchored once an on-chain epoch covers the entry (proved " +
          "against the smallest anchored checkpoint, with the anchor proof), else signed " +
          "(against the latest checkpoint). Verify it against a verifier key you obtained " +
          "out of band.",
        tags: ["proofs"],
        security: BEARER_SECURITY,
        params: IndexParamsSchema,
        response: { 200: ReceiptSchema, ...errorResponses([400, 401, 403, 404, 429]) },
      },
    },
    async (request) => {
      const { tenant } = tenantOf(request);

      return receipt(tenant, Number(request.params.index));
    },
  );
}
