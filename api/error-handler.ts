/**
 * The one place where errors become responses: every failure, including unknown routes, is
 * answered as problem JSON. 5xx answers are logged at error level with the cause; the rest
 * at debug, since they are the client's business.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";

import { ApiError } from "./errors";
import { PROBLEM_MEDIA_TYPE, toProblem } from "./problem";

/** Installs the error and not-found handlers on `app` (call before registering routes). */
export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err, request, reply) => sendProblem(err, request, reply));

  app.setNotFoundHandler((request, reply) => {
    const method = request.method;
    sendProblem(
      new ApiError("API_NOT_FOUND", `no route ${method} ${pathOf(request)}`),
      request,
      reply,
    );
  });
}

/** Answers `request` with the problem for `err`. */
export function sendProblem(err: unknown, request: FastifyRequest, reply: FastifyReply): void {
  const { problem, retryAfterSeconds } = toProblem(err, {
    path: pathOf(request),
    requestId: String(request.id),
  });

  if (problem.status >= 500) {
    request.log.error({ err, code: problem.code }, "request failed");
  } else {
    request.log.debug({ code: problem.code }, "request refused");
  }
  if (retryAfterSeconds !== undefined) reply.header("retry-after", String(retryAfterSeconds));
  if (problem.status === 401) reply.header("www-authenticate", 'Bearer realm="anchorlog"');
  reply.code(problem.status).type(PROBLEM_MEDIA_TYPE).send(JSON.stringify(problem));
}

/** The request path without its query string. */
export function pathOf(request: FastifyRequest): string {
  const url = request.url;
  const q = url.indexOf("?");
  return q === -1 ? url : url.slice(0, q);
}
