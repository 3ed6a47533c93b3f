/**
 * Load limits: a request budget per tenant (or per operator key), counted after
 * authentication and before the body is read, and load shedding when the event loop falls
 * behind. Both answer problem JSON with Retry-After. (The append queue's own limit surfaces
 * as QueueFullError from the ledger, answered 503 by the error handler.)
 */
import type { FastifyInstance, FastifyRequest } from "fastify";
import rateLimit from "@fastify/rate-limit";
import underPressure from "@fastify/under-pressure";

import type { ApiConfig } from "./config";
import { ApiError } from "./errors";

/** Registers per-principal rate limiting; call before registering routes. */
export async function registerRateLimit(app: FastifyInstance, config: ApiConfig): Promise<void> {
  if (config.rateLimit === false) return;

  await app.register(rateLimit, {
    max: config.rateLimit.max,
    timeWindow: config.rateLimit.windowMs,
    // After the onRequest authentication hook, before the body is parsed.
    hook: "preParsing",
    keyGenerator: (request: FastifyRequest) => budgetKey(request) ?? "public",
    // Public routes (health, docs) and refused requests are not counted.
    allowList: (request: FastifyRequest) => budgetKey(request) === undefined,
    errorResponseBuilder: (_request, ctx) =>
      new ApiError("API_RATE_LIMITED", `at most ${ctx.max} requests per ${ctx.after}`),
  });
}

// Operator keys are budgeted one by one; tenant keys share their tenant's budget.
function budgetKey(request: FastifyRequest): string | undefined {
  const p = request.principal;
  if (p === undefined) return undefined;
  return p.tenant === null ? `operator:${p.keyId}` : `tenant:${p.tenant}`;
}

/** The error under-pressure raises while shedding load. */
class OverloadedError extends ApiError {
  constructor() {
    super("API_OVERLOADED", "the service is shedding load; retry later");
  }
}

/**
 * Registers load shedding on event-loop delay (503 with Retry-After). With
 * maxEventLoopDelayMs 0 the check is off, but `app.isUnderPressure()` still exists.
 */
export async function registerLoadShedding(app: FastifyInstance, config: ApiConfig): Promise<void> {
  await app.register(underPressure, {
    maxEventLoopDelay: config.maxEventLoopDelayMs,
    retryAfter: config.overloadRetryAfterSeconds,
    customError: OverloadedError,
  });
}
