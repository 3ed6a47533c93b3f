/**
 * Appends: one event, or a batch written all or nothing in one durable write. Both answer
 * only once the entries are durable, and both honour Idempotency-Key: a retry with the same
 * key and body gets the first answer (201, same body), another body with the key gets 422.
 * Requests with the same key run one at a time (see ../idempotency-gate).
 */
import type { FastifyInstance } from "fastify";
import type { Static } from "@sinclair/typebox";

import { tenantOf } from "../auth";
import { ApiError } from "../errors";
import { IdempotencyGate } from "../idempotency-gate";
import { BEARER_SECURITY, RouteDeps } from "../route-deps";
import {
  AppendResultSchema,
  AuditEventSchema,
  BatchBodySchema,
  BatchResultSchema,
  errorResponses,
  IdempotencyHeaders,
} from "../schemas";
import { asApiErrors } from "./compliance-services";

type IdemHeaders = Static<typeof IdempotencyHeaders>;

/** Registers POST /v1/entries and POST /v1/entries/batch. */
export function registerAppendRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const { config, metrics } = deps;
  const appender = deps.appender ?? deps.ledger;
  const gate = new IdempotencyGate();
  const once = <T>(
    tenant: string,
    route: string,
    key: string | undefined,
    work: () => Promise<T>,
  ) => (key === undefined ? work() : gate.run(`${tenant}\u0000${route}\u0000${key}`, work));

  app.post<{ Body: Static<typeof AuditEventSchema>; Headers: IdemHeaders }>(
    "/v1/entries",
    {
      config: { access: { principal: "tenant", scopes: ["append"] } },
      schema: {
        summary: "Append one audit event",
        tags: ["entries"],
        security: BEARER_SECURITY,
        headers: IdempotencyHeaders,
        body: AuditEventSchema,
        response: {
          201: AppendResultSchema,
          ...errorResponses([400, 401, 403, 413, 415, 422, 429]),
        },
      },
    },
    async (request, reply) => {
      const { tenant } = tenantOf(request);
      const idempotencyKey = request.headers["idempotency-key"];

      const result = await once(tenant, "one", idempotencyKey, () =>
        asApiErrors(() => appender.append(tenant, request.body, { idempotencyKey })),
      );

      metrics.observeAppend(1);
      request.log.debug({ tenant, index: result.index }, "appended");
      reply.code(201).header("location", `/v1/entries/${result.index}`);
      return result;
    },
  );

  app.post<{ Body: Static<typeof BatchBodySchema>; Headers: IdemHeaders }>(
    "/v1/entries/batch",
    {
      config: { access: { principal: "tenant", scopes: ["append"] } },
      // Count before validation, so an oversized batch is not walked event by event.
      preValidation: async (request) => {
        const events = (request.body as { events?: unknown } | undefined)?.events;
        if (Array.isArray(events) && events.length > config.maxBatchEvents) {
          throw new ApiError(
            "API_BATCH_TOO_LARGE",
            `a batch holds at most ${config.maxBatchEvents} events, got ${events.length}`,
          );
        }
      },
      schema: {
        summary: "Append a batch of events, all or nothing",
        description: `At most ${config.maxBatchEvents} events; one durable write.`,
        tags: ["entries"],
        security: BEARER_SECURITY,
        headers: IdempotencyHeaders,
        body: BatchBodySchema,
        response: {
          201: BatchResultSchema,
          ...errorResponses([400, 401, 403, 413, 415, 422, 429]),
        },
      },
    },
    async (request, reply) => {
      const { tenant } = tenantOf(request);
      const idempotencyKey = request.headers["idempotency-key"];
      const events = request.body.events;

      const entries = await once(tenant, "batch", idempotencyKey, () =>
        asApiErrors(() => appender.appendBatch(tenant, events, { idempotencyKey })),
      );

      metrics.observeAppend(events.length);
      request.log.debug({ tenant, first: entries[0].index, count: entries.length }, "appended");
      reply.code(201);
      return { entries };
    },
  );
}
