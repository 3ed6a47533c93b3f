/**
 * RFC 9457 problem details: turns any error a request met into the problem JSON the client
 * sees. Only catalog titles and details written for clients leave the process; messages of
 * unexpected errors and stack traces stay in the logs.
 */
import { isLedgerError, QueueFullError } from "../ledger";
import {
  API_ERRORS,
  ApiError,
  ApiErrorCode,
  ApiErrorDetail,
  FASTIFY_ERROR_MAP,
  LEDGER_ERROR_MAP,
  PROBLEM_TYPE_BASE,
} from "./errors";

/** The media type of every error response. */
export const PROBLEM_MEDIA_TYPE = "application/problem+json";

/** An RFC 9457 problem object with the API's extension members. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  code: ApiErrorCode;
  requestId: string;
  errors?: ApiErrorDetail[];
}

/** A problem and the headers that must go with it. */
export interface ProblemReply {
  problem: Problem;
  retryAfterSeconds?: number;
}

/** What {@link toProblem} needs to know about the request. */
export interface ProblemContext {
  /** Request path without the query string. */
  path: string;
  requestId: string;
}

/**
 * Maps an error to a problem: ApiError as is, ledger errors through the ledger map, Fastify
 * errors through the Fastify map, anything else to API_INTERNAL with a detail that reveals
 * nothing about the cause.
 */
export function toProblem(err: unknown, ctx: ProblemContext): ProblemReply {
  const mapped = classify(err);

  const entry = API_ERRORS[mapped.code];
  const problem: Problem = {
    type: `${PROBLEM_TYPE_BASE}${entry.slug}`,
    title: entry.title,
    status: entry.status,
    detail: mapped.detail ?? entry.title,
    instance: ctx.path,
    code: mapped.code,
    requestId: ctx.requestId,
  };
  if (mapped.details !== undefined && mapped.details.length > 0) problem.errors = mapped.details;
  return { problem, retryAfterSeconds: mapped.retryAfterSeconds };
}

interface Classified {
  code: ApiErrorCode;
  detail?: string;
  details?: ApiErrorDetail[];
  retryAfterSeconds?: number;
}

function classify(err: unknown): Classified {
  if (err instanceof ApiError) {
    return {
      code: err.code,
      detail: err.message,
      details: err.details,
      retryAfterSeconds: err.retryAfterSeconds,
    };
  }
  if (isLedgerError(err)) {
    const code = LEDGER_ERROR_MAP[err.code];
    if (code === "API_INTERNAL") return { code };
    const retryAfterSeconds =
      err instanceof QueueFullError ? Math.max(1, Math.ceil(err.retryAfterMs / 1000)) : undefined;
    return { code, detail: err.message, retryAfterSeconds };
  }
  const fastifyCode = fastifyErrorCode(err);
  if (fastifyCode !== undefined) {
    const code = FASTIFY_ERROR_MAP[fastifyCode];
    if (code === "API_VALIDATION_FAILED") return validationProblem(err);
    return { code };
  }
  return { code: "API_INTERNAL" };
}

function fastifyErrorCode(err: unknown): string | undefined {
  if (typeof err !== "object" || err === null) return undefined;
  const code = (err as { code?: unknown }).code;
  if (typeof code !== "string" || !Object.hasOwn(FASTIFY_ERROR_MAP, code)) return undefined;
  return code;
}

interface AjvIssue {
  instancePath?: string;
  keyword?: string;
  message?: string;
  params?: Record<string, unknown>;
}

// The first schema violation, as a pointer into the request part and a short message. Ajv
// messages name the rule broken, never the offending value.
function validationProblem(err: unknown): Classified {
  const e = err as { validation?: AjvIssue[]; validationContext?: string };
  const part = e.validationContext ?? "request";
  const details = (e.validation ?? []).slice(0, 10).map((issue) => {
    let pointer = `/${part}${issue.instancePath ?? ""}`;
    const params = issue.params ?? {};
    if (issue.keyword === "required") pointer += `/${String(params.missingProperty)}`;
    if (issue.keyword === "additionalProperties") {
      pointer += `/${String(params.additionalProperty)}`;
      return { pointer, message: "is not an accepted property" };
    }
    return { pointer, message: issue.message ?? "is invalid" };
  });
  if (part === "headers" && details.some((d) => d.pointer === "/headers/idempotency-key")) {
    return {
      code: "API_BAD_IDEMPOTENCY_KEY",
      detail: "Idempotency-Key must be 1-200 printable ASCII characters without spaces",
    };
  }
  const first = details[0];
  const detail = first ? `${first.pointer} ${first.message}` : "request does not match the schema";
  return { code: "API_VALIDATION_FAILED", detail, details };
}
