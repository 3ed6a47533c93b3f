/**
 * Building blocks shared by the route schemas. Numbers in paths and query strings are
 * decimal strings with a strict pattern (no coercion, so "1e3", "0x10" or " 5" never pass
 * as numbers); bodies are JSON and carry real numbers.
 */
import { Type } from "@sinclair/typebox";

import { API_ERRORS } from "../errors";
import { PROBLEM_MEDIA_TYPE } from "../problem";

/** A non-negative decimal integer without leading zeros, as a path or query string. */
export const DecimalString = (description: string) =>
  Type.String({ pattern: "^(0|[1-9][0-9]{0,15})$", description });

/** A positive decimal integer without leading zeros, as a path or query string. */
export const PositiveDecimalString = (description: string) =>
  Type.String({ pattern: "^[1-9][0-9]{0,15}$", description });

/** 32 bytes as 64 hex digits. */
export const HexHash = (description: string) =>
  Type.String({ pattern: "^[0-9a-fA-F]{64}$", description });

/** A tenant id: 1-63 of [a-z0-9-] starting with a letter or digit. */
export const TenantId = Type.String({
  pattern: "^[a-z0-9][a-z0-9-]{0,62}$",
  description: "Tenant id: 1-63 characters of [a-z0-9-], starting with a letter or digit",
});

/** An API key id: 16 hex digits (the middle part of "al_<id>_<secret>"). */
export const KeyId = Type.String({ pattern: "^[0-9a-f]{16}$", description: "API key id" });

/** The Idempotency-Key request header. */
export const IdempotencyHeaders = Type.Object(
  {
    "idempotency-key": Type.Optional(
      Type.String({
        pattern: "^[\\x21-\\x7e]{1,200}$",
        description:
          "Client-chosen key (1-200 printable ASCII characters, no spaces). A retry with the " +
          "same key and body returns the first answer; another body with the key gets 422.",
      }),
    ),
  },
  { additionalProperties: true },
);

/** An RFC 9457 problem as this API sends it. */
export const ProblemSchema = Type.Object(
  {
    type: Type.String({ description: "Problem type URI" }),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.String(),
    instance: Type.String({ description: "Request path" }),
    code: Type.String({ description: "Stable API_… error code" }),
    requestId: Type.String(),
    errors: Type.Optional(
      Type.Array(
        Type.Object(
          { pointer: Type.String(), message: Type.String() },
          { additionalProperties: false },
        ),
      ),
    ),
  },
  { additionalProperties: false, title: "Problem" },
);

/** A response documented as problem JSON. */
export const problemResponse = (description: string) => ({
  description,
  content: { [PROBLEM_MEDIA_TYPE]: { schema: ProblemSchema } },
});

/**
 * The error responses of a route, for the OpenAPI document: the listed statuses plus the
 * ones every route can answer (429 for authenticated routes, 500, 503).
 */
export function errorResponses(statuses: readonly number[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const status of [...new Set([...statuses, 500, 503])].sort()) {
    const titles = Object.values(API_ERRORS)
      .filter((e) => e.status === status)
      .map((e) => e.title);
    out[String(status)] = problemResponse(titles.join("; "));
  }
  return out;
}
