/**
 * The OpenAPI 3 document (generated from the route schemas) at /docs/json and /docs/yaml,
 * and Swagger UI at /docs. Both are public: they describe the API, not its data.
 */
import type { FastifyInstance } from "fastify";
import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";

import { API_ERRORS, PROBLEM_TYPE_BASE } from "./errors";

const DESCRIPTION = [
  "Multi-tenant audit ledger: append audit events to your tenant's RFC 6962 Merkle log, read",
  "them back, and fetch proofs, signed checkpoints and receipts that verify without trusting",
  "the operator.",
  "",
  "Authenticate with `Authorization: Bearer <API key>`. The tenant of a request is the",
  "tenant of its key. Errors are RFC 9457 problem JSON with a stable `code`; problem types:",
  "",
  ...Object.entries(API_ERRORS).map(
    ([code, e]) => `- \`${PROBLEM_TYPE_BASE}${e.slug}\` (${e.status}, \`${code}\`): ${e.title}`,
  ),
].join("\n");

/** Registers the OpenAPI generator and Swagger UI; call before registering routes. */
export async function registerDocs(app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    transform: nameWildcard,
    openapi: {
      openapi: "3.1.0",
      info: { title: "anchorlog API", version: "1", description: DESCRIPTION },
      components: {
        securitySchemes: {
          bearerAuth: { type: "http", scheme: "bearer", description: "al_<id>_<secret>" },
        },
      },
      tags: [
        { name: "entries", description: "Append and read audit entries" },
        { name: "proofs", description: "Inclusion and consistency proofs, receipts" },
        { name: "log", description: "Checkpoints and C2SP tlog-tiles" },
        { name: "keys", description: "Tenant administrators manage their keys" },
        { name: "admin", description: "Operator: tenants and keys" },
        { name: "health", description: "Liveness, readiness, metrics" },
      ],
    },
  });

  await app.register(swaggerUi, {
    routePrefix: "/docs",
    staticCSP: true,
    transformStaticCSP: (header) => header.replace(/ ?upgrade-insecure-requests;?/, ""),
    // validatorUrl null: the page must not call an outside validator service.
    uiConfig: { docExpansion: "list", deepLinking: false, validatorUrl: null },
  });
}

// OpenAPI has no wildcard segments: the tile routes' "*" becomes a {tilePath} parameter
// that spans slashes (e.g. x001/x234/067.p/5).
function nameWildcard(input: { schema: object; url: string }): { schema: object; url: string } {
  if (!input.url.endsWith("*")) return input;
  const schema = input.schema as {
    params?: { properties?: Record<string, unknown>; required?: string[] };
  };
  const params = schema.params;
  const { "*": star, ...rest } = params?.properties ?? {};
  const renamed = {
    ...params,
    properties: { ...rest, tilePath: star },
    required: (params?.required ?? []).map((r) => (r === "*" ? "tilePath" : r)),
  };
  return { schema: { ...schema, params: renamed }, url: `${input.url.slice(0, -1)}:tilePath` };
}
