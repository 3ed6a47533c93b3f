/**
 * Liveness, readiness and metrics. /healthz says the process answers; /readyz says it should
 * get traffic (ledger open, append queue not saturated, no load shedding); /metrics is the
 * Prometheus scrape, behind a token when one is configured. None of them reveals tenant data
 * except tenant ids as metric labels.
 */
import { timingSafeEqual } from "node:crypto";

import type { FastifyInstance } from "fastify";
import { Type } from "@sinclair/typebox";

import { ApiError } from "../errors";
import { RouteDeps } from "../route-deps";
import { errorResponses } from "../schemas";

const StatusSchema = Type.Object(
  {
    status: Type.String(),
    queueDepth: Type.Optional(Type.Integer({ description: "Entries waiting to be written" })),
  },
  { additionalProperties: false },
);

// Probes must answer while the service sheds load, or orchestrators restart a busy process.
const SKIP_PRESSURE = { pressureHandler: () => undefined };

/** Registers /healthz, /readyz and /metrics. */
export function registerHealthRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const { ledger, config, metrics } = deps;

  app.get(
    "/healthz",
    {
      config: { ...SKIP_PRESSURE, rateLimit: false },
      schema: {
        summary: "Liveness: the process answers",
        tags: ["health"],
        response: { 200: StatusSchema },
      },
    },
    async () => ({ status: "ok" }),
  );

  app.get(
    "/readyz",
    {
      config: { ...SKIP_PRESSURE, rateLimit: false },
      schema: {
        summary: "Readiness: ledger open, queue below its limit, no load shedding",
        tags: ["health"],
        response: { 200: StatusSchema, ...errorResponses([]) },
      },
    },
    async () => {
      const queueDepth = ledger.isOpen ? ledger.queueDepth : 0;
      if (!ledger.isOpen) throw new ApiError("API_NOT_READY", "the ledger is closed");
      if (queueDepth >= config.readyMaxQueueDepth) {
        throw new ApiError("API_NOT_READY", `append queue holds ${queueDepth} entries`);
      }
      if (app.isUnderPressure?.()) throw new ApiError("API_NOT_READY", "shedding load");
      return { status: "ready", queueDepth };
    },
  );

  app.get(
    "/metrics",
    {
      config: { ...SKIP_PRESSURE, rateLimit: false },
      schema: {
        summary: "Prometheus metrics",
        tags: ["health"],
        response: {
          200: {
            description: "Prometheus text exposition format",
            content: { "text/plain": { schema: Type.String() } },
          },
          ...errorResponses([401]),
        },
      },
    },
    async (request, reply) => {
      if (config.metricsToken !== undefined)
        checkToken(request.headers.authorization, config.metricsToken);

      const text = await metrics.registry.metrics();

      reply.type(metrics.registry.contentType);
      return text;
    },
  );
}

function checkToken(header: string | undefined, token: string): void {
  const want = Buffer.from(`Bearer ${token}`, "utf8");
  const got = Buffer.from(header ?? "", "utf8");
  if (got.length !== want.length || !timingSafeEqual(got, want)) {
    throw new ApiError("API_UNAUTHENTICATED", "send Authorization: Bearer <metrics token>");
  }
}
