/**
 * Self-service keys for a tenant's administrators: a tenant key with the admin scope lists,
 * issues and revokes keys of its own tenant. Keys of other tenants do not exist from here
 * (404), exactly like keys that do not exist at all.
 */
import type { FastifyInstance } from "fastify";
import type { Static } from "@sinclair/typebox";

import { tenantOf } from "../auth";
import { ApiError } from "../errors";
import { BEARER_SECURITY, RouteDeps } from "../route-deps";
import {
  errorResponses,
  IssuedKeySchema,
  IssueTenantKeyBodySchema,
  KeyInfoSchema,
  KeyListSchema,
  KeyParamsSchema,
} from "../schemas";

const TENANT_ADMIN = { principal: "tenant", scopes: "tenant-admin" } as const;

/** Registers /v1/keys. */
export function registerTenantKeyRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const { keys } = deps;

  app.get(
    "/v1/keys",
    {
      config: { access: TENANT_ADMIN },
      schema: {
        summary: "List your tenant's API keys",
        tags: ["keys"],
        security: BEARER_SECURITY,
        response: { 200: KeyListSchema, ...errorResponses([401, 403, 429]) },
      },
    },
    async (request) => ({ keys: keys.list(tenantOf(request).tenant) }),
  );

  app.post<{ Body: Static<typeof IssueTenantKeyBodySchema> }>(
    "/v1/keys",
    {
      config: { access: TENANT_ADMIN },
      schema: {
        summary: "Issue an API key for your tenant (shown once)",
        tags: ["keys"],
        security: BEARER_SECURITY,
        body: IssueTenantKeyBodySchema,
        response: { 201: IssuedKeySchema, ...errorResponses([400, 401, 403, 415, 429]) },
      },
    },
    async (request, reply) => {
      const { tenant, keyId } = tenantOf(request);
      const { scopes, label } = request.body;

      const issued = await keys.issue({ tenant, scopes, label });

      request.log.info({ tenant, keyId: issued.info.id, scopes, by: keyId }, "key issued");
      reply.code(201).header("cache-control", "no-store");
      return issued;
    },
  );

  app.delete<{ Params: Static<typeof KeyParamsSchema> }>(
    "/v1/keys/:keyId",
    {
      config: { access: TENANT_ADMIN },
      schema: {
        summary: "Revoke one of your tenant's API keys",
        tags: ["keys"],
        security: BEARER_SECURITY,
        params: KeyParamsSchema,
        response: { 200: KeyInfoSchema, ...errorResponses([400, 401, 403, 404, 429]) },
      },
    },
    async (request) => {
      const { tenant, keyId } = tenantOf(request);
      const id = request.params.keyId;
      const key = keys.get(id);
      if (key === undefined || key.tenant !== tenant) {
        throw new ApiError("API_KEY_NOT_FOUND", `no key ${id} in this tenant`);
      }

      const revoked = (await keys.revoke(id))!;

      request.log.info({ tenant, keyId: id, by: keyId }, "key revoked");
      return revoked;
    },
  );
}
