/**
 * Operator routes for tenants: create, list, read, disable and enable. A tenant's data key
 * and events are never shown here; the operator manages tenants, not their contents.
 */
import type { FastifyInstance } from "fastify";
import type { Static } from "@sinclair/typebox";

import type { Ledger, TenantRecord } from "../../ledger";
import { ApiError } from "../errors";
import { BEARER_SECURITY, RouteDeps } from "../route-deps";
import {
  CreateTenantBodySchema,
  errorResponses,
  TenantListSchema,
  TenantParamsSchema,
  TenantSchema,
  UpdateTenantBodySchema,
} from "../schemas";

const OPERATOR = { principal: "operator" } as const;

/** A tenant as the operator sees it. */
export function tenantView(ledger: Ledger, t: TenantRecord): Static<typeof TenantSchema> {
  return {
    id: t.id,
    origin: t.origin,
    createdMs: t.createdMs,
    disabled: t.disabled,
    treeSize: ledger.checkpoint(t.id).size,
    verifierKey: ledger.verifierKey(t.id),
  };
}

/** The tenant `id`, or API_TENANT_NOT_FOUND. */
export function existingTenant(ledger: Ledger, id: string): TenantRecord {
  const t = ledger.getTenant(id);
  if (t === undefined) throw new ApiError("API_TENANT_NOT_FOUND", `no tenant ${id}`);
  return t;
}

/** Registers the /v1/admin/tenants routes. */
export function registerAdminTenantRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const { ledger } = deps;

  app.post<{ Body: Static<typeof CreateTenantBodySchema> }>(
    "/v1/admin/tenants",
    {
      config: { access: OPERATOR },
      schema: {
        summary: "Create a tenant with its own log",
        tags: ["admin"],
        security: BEARER_SECURITY,
        body: CreateTenantBodySchema,
        response: { 201: TenantSchema, ...errorResponses([400, 401, 403, 409, 415, 429]) },
      },
    },
    async (request, reply) => {
      const record = await ledger.createTenant(request.body.id);

      request.log.info({ tenant: record.id, keyId: request.principal?.keyId }, "tenant created");
      reply.code(201).header("location", `/v1/admin/tenants/${record.id}`);
      return tenantView(ledger, record);
    },
  );

  app.get(
    "/v1/admin/tenants",
    {
      config: { access: OPERATOR },
      schema: {
        summary: "List tenants",
        tags: ["admin"],
        security: BEARER_SECURITY,
        response: { 200: TenantListSchema, ...errorResponses([401, 403, 429]) },
      },
    },
    async () => ({ tenants: ledger.listTenants().map((t) => tenantView(ledger, t)) }),
  );

  app.get<{ Params: Static<typeof TenantParamsSchema> }>(
    "/v1/admin/tenants/:tenant",
    {
      config: { access: OPERATOR },
      schema: {
        summary: "Get a tenant",
        tags: ["admin"],
        security: BEARER_SECURITY,
        params: TenantParamsSchema,
        response: { 200: TenantSchema, ...errorResponses([400, 401, 403, 404, 429]) },
      },
    },
    async (request) => tenantView(ledger, existingTenant(ledger, request.params.tenant)),
  );

  app.patch<{
    Params: Static<typeof TenantParamsSchema>;
    Body: Static<typeof UpdateTenantBodySchema>;
  }>(
    "/v1/admin/tenants/:tenant",
    {
      config: { access: OPERATOR },
      schema: {
        summary: "Disable or enable a tenant",
        description: "A disabled tenant's appends get 403; its entries and proofs stay readable.",
        tags: ["admin"],
        security: BEARER_SECURITY,
        params: TenantParamsSchema,
        body: UpdateTenantBodySchema,
        response: { 200: TenantSchema, ...errorResponses([400, 401, 403, 404, 415, 429]) },
      },
    },
    async (request) => {
      const id = existingTenant(ledger, request.params.tenant).id;

      const record = await ledger.setTenantDisabled(id, request.body.disabled);

      const keyId = request.principal?.keyId;
      request.log.info({ tenant: id, disabled: record.disabled, keyId }, "tenant updated");
      return tenantView(ledger, record);
    },
  );
}
