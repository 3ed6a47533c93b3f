/**
 * Compliance proofs as asynchronous jobs: POST starts one (a window, or a sampling audit of
 * an epoch), GET polls its status, GET .../bundle fetches the bundle once done. Statuses live
 * in memory: a restart loses queued and running jobs (their ids then answer 404 and the
 * client starts again), while finished bundles are stored.
 */
import type { FastifyInstance } from "fastify";
import type { Static } from "@sinclair/typebox";

import { tenantOf } from "../auth";
import { ApiError } from "../errors";
import { BEARER_SECURITY, RouteDeps } from "../route-deps";
import {
  ComplianceBundleSchema,
  errorResponses,
  JobParamsSchema,
  JobStatusSchema,
  ProveRequestSchema,
  SampleBundleSchema,
} from "../schemas";
import { asApiErrors, type ComplianceServices } from "./compliance-services";

const PROVE = { principal: "tenant", scopes: ["prove"] } as const;

/**
 * Registers POST /v1/compliance/proofs, GET /v1/compliance/proofs/:jobId and
 * GET /v1/compliance/proofs/:jobId/bundle.
 */
export function registerComplianceProofRoutes(
  app: FastifyInstance,
  deps: RouteDeps,
  compliance: ComplianceServices,
): void {
  const { ledger } = deps;
  const { jobs } = compliance;

  app.post<{ Body: Static<typeof ProveRequestSchema> }>(
    "/v1/compliance/proofs",
    {
      config: { access: PROVE },
      schema: {
        summary: "Start proving a window or a sampling audit",
        description:
          "Answers 202 with the job's status; poll it, then fetch the bundle. A window " +
          "[windowStart, windowStart + N) must lie inside the log.",
        tags: ["compliance"],
        security: BEARER_SECURITY,
        body: ProveRequestSchema,
        response: { 202: JobStatusSchema, ...errorResponses([400, 401, 403, 415, 429]) },
      },
    },
    async (request, reply) => {
      const { tenant, keyId } = tenantOf(request);
      const body = request.body;
      if (body.kind === "window") {
        const n = jobs.operations;
        const size = ledger.checkpoint(tenant).size;
        if (body.windowStart + n > size) {
          throw new ApiError(
            "API_BAD_RANGE",
            `window [${body.windowStart}, ${body.windowStart + n}) ` +
              `is not inside the log of ${size}`,
          );
        }
      }

      const status = await asApiErrors(() => jobs.start(tenant, body));

      request.log.info({ tenant, keyId, jobId: status.id, kind: body.kind }, "proof started");
      reply.code(202).header("location", `/v1/compliance/proofs/${status.id}`);
      return status;
    },
  );

  app.get<{ Params: Static<typeof JobParamsSchema> }>(
    "/v1/compliance/proofs/:jobId",
    {
      config: { access: PROVE },
      schema: {
        summary: "A proving job's status",
        tags: ["compliance"],
        security: BEARER_SECURITY,
        params: JobParamsSchema,
        response: { 200: JobStatusSchema, ...errorResponses([400, 401, 403, 404, 429]) },
      },
    },
    async (request) =>
      asApiErrors(() => jobs.status(tenantOf(request).tenant, request.params.jobId)),
  );

  app.get<{ Params: Static<typeof JobParamsSchema> }>(
    "/v1/compliance/proofs/:jobId/bundle",
    {
      config: { access: PROVE },
      schema: {
        summary: "A finished job's bundle",
        description:
          "anchorlog-compliance/v1 for a window, anchorlog-compliance-sample/v1 for an " +
          "audit. Verify it with keys and a chain you trust, never the service's word.",
        tags: ["compliance"],
        security: BEARER_SECURITY,
        params: JobParamsSchema,
        response: {
          200: { anyOf: [ComplianceBundleSchema, SampleBundleSchema] },
          ...errorResponses([400, 401, 403, 404, 429]),
        },
      },
    },
    async (request) =>
      asApiErrors(() => jobs.result(tenantOf(request).tenant, request.params.jobId)),
  );
}
