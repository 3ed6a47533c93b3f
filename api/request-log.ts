/**
 * Every request's one log line and its metrics, in one place. Routine successes log at
 * debug, refusals at info, failures at error (the error handler adds the cause). Lines hold
 * the route template, never bodies, headers or query strings.
 */
import type { FastifyInstance } from "fastify";

import type { ApiMetrics } from "./metrics";

/** Adds the onResponse hook that logs and measures each request. */
export function installRequestLog(app: FastifyInstance, metrics: ApiMetrics): void {
  app.addHook("onResponse", async (request, reply) => {
    const route = request.routeOptions.url ?? "unmatched";
    const status = reply.statusCode;
    const ms = reply.elapsedTime;

    metrics.observeRequest(request.method, route, status, ms / 1000);

    const line = {
      method: request.method,
      route,
      status,
      ms: Math.round(ms * 100) / 100,
      tenant: request.principal?.tenant ?? undefined,
    };
    if (status >= 500) request.log.error(line, "request answered");
    else if (status >= 400) request.log.info(line, "request answered");
    else request.log.debug(line, "request answered");
  });
}
