/**
 * Operator routes for API keys: issue tenant keys and operator keys, list them, revoke any
 * key. The last active operator key cannot be revoked, so the service never locks its
 * operator out.
 */
import type { FastifyInstance } from "fastify";
import type { Static } from "@sinclair/typebox";

import { ApiError } from "../errors";
import { BEARER_SECURITY, RouteDeps } from "../route-deps";
import {
  errorResponses,
  IssuedKeySchema,
  IssueOperatorKeyBodySchema,
  IssueTenantKeyBodySchema,
  KeyInfoSchema,
  KeyListSchema,
  KeyParamsSchema,
  TenantParamsSchema,
} from "../schemas";
import { existingTenant } from "./admin-tenants";

const OPERATOR = { principal: "operator" } as const;

/** Registers /v1/admin/tenants/:tenant/keys and /v1/admin/keys. */
export function registerAdminKeyRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const { ledger, keys } = deps;

  app.post<{
    Params: Static<typeof TenantParamsSchema>;
    Body: Static<typeof IssueTenantKeyBodySchema>;
  }>(
    "/v1/admin/tenants/:tenant/keys",
    {
      config: { access: OPERATOR },
      schema: {
        summary: "Issue an API key for a tenant (shown once)",
        tags: ["admin"],
        security: BEARER_SECURITY,
        params: TenantParamsSchema,
        body: IssueTenantKeyBodySchema,
        response: { 201: IssuedKeySchema, ...errorResponses([400, 401, 403, 404, 415, 429]) },
      },
    },
    async (request, reply) => {
      const tenant = existingTenant(ledger, request.params.tenant).id;
      const { scopes, label } = request.body;

      const issued = await keys.issue({ tenant, scopes, label });

      const by = request.principal?.keyId;
      request.log.info({ tenant, keyId: issued.info.id, scopes, by }, "key issued");
      reply.code(201).header("cache-control", "no-store");
      return issued;
    },
  );

  app.get<{ Params: Static<typeof TenantParamsSchema> }>(
    "/v1/admin/tenants/:tenant/keys",
    {
      config: { access: OPERATOR },
      schema: {
        summary: "List a tenant's API keys (never their secrets)",
        tags: ["admin"],
        security: BEARER_SECURITY,
        params: TenantParamsSchema,
        response: { 200: KeyListSchema, ...errorResponses([400, 401, 403, 404, 429]) },
      },
    },
    async (request) => {
      const tenant = existingTenant(ledger, request.params.tenant).id;
      return { keys: keys.list(tenant) };
    },
  );

  app.post<{ Body: Static<typeof IssueOperatorKeyBodySchema> }>(
    "/v1/admin/keys",
    {
      config: { access: OPERATOR },
      schema: {
        summary: "Issue an operator key (admin scope, no tenant; shown once)",
        tags: ["admin"],
        security: BEARER_SECURITY,
        body: IssueOperatorKeyBodySchema,
        response: { 201: IssuedKeySchema, ...errorResponses([400, 401, 403, 415, 429]) },
      },
    },
    async (request, reply) => {
      const issued = await keys.issue({
        tenant: null,
        scopes: ["admin"],
        label: request.body.label,
      });

      request.log.info(
        { keyId: issued.info.id, by: request.principal?.keyId },
        "operator key issued",
      );
      reply.code(201).header("cache-control", "no-store");
      return issued;
    },
  );

  app.get(
    "/v1/admin/keys",
    {
      config: { access: OPERATOR },
      schema: {
        summary: "List operator keys",
        tags: ["admin"],
        security: BEARER_SECURITY,
        response: { 200: KeyListSchema, ...errorResponses([401, 403, 429]) },
      },
    },
    async () => ({ keys: keys.list(null) }),
  );

  app.delete<{ Params: Static<typeof KeyParamsSchema> }>(
    "/v1/admin/keys/:keyId",
    {
      config: { access: OPERATOR },
      schema: {
        summary: "Revoke any API key",
        description: "Idempotent. The last active operator key cannot be revoked (409).",
        tags: ["admin"],
        security: BEARER_SECURITY,
        params: KeyParamsSchema,
        response: { 200: KeyInfoSchema, ...errorResponses([400, 401, 403, 404, 409, 429]) },
      },
    },
    async (request) => {
      const id = request.params.keyId;
      const key = keys.get(id);
      if (key === undefined) throw new ApiError("API_KEY_NOT_FOUND", `no key ${id}`);
      const activeOperators = keys.list(null).filter((k) => k.revokedMs === undefined);
      if (key.tenant === null && key.revokedMs === undefined && activeOperators.length === 1) {
        throw new ApiError(
          "API_LAST_ADMIN_KEY",
          "issue another operator key before revoking this one",
        );
      }

      const revoked = (await keys.revoke(id))!;

      request.log.info(
        { keyId: id, tenant: key.tenant, by: request.principal?.keyId },
        "key revoked",
      );
      return revoked;
    },
  );
}
