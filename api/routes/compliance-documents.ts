/**
 * A tenant's compliance model over HTTP: register policy and assignment documents (each a
 * new version with its Poseidon root), turn "compliance required" on or off, and read the
 * roots, their history and any policy version for review. The anchoring worker anchors the
 * current roots with each epoch.
 */
import type { FastifyInstance } from "fastify";
import type { Static } from "@sinclair/typebox";

import { tenantOf } from "../auth";
import { ApiError } from "../errors";
import { BEARER_SECURITY } from "../route-deps";
import {
  AssignmentsDocumentSchema,
  ComplianceSettingsSchema,
  ComplianceStateSchema,
  errorResponses,
  PolicyDocumentSchema,
  RootVersionSchema,
  VersionParamsSchema,
} from "../schemas";
import { asApiErrors, type ComplianceServices } from "./compliance-services";

const TENANT_ADMIN = { principal: "tenant", scopes: "tenant-admin" } as const;
const READ_OR_PROVE = { principal: "tenant", scopes: ["read", "prove"] } as const;

/**
 * Registers PUT /v1/compliance/policy, PUT /v1/compliance/assignments,
 * PUT /v1/compliance/settings, GET /v1/compliance and GET /v1/compliance/policy/:version.
 */
export function registerComplianceDocumentRoutes(
  app: FastifyInstance,
  compliance: ComplianceServices,
): void {
  const { store } = compliance;
  const stateOf = (tenant: string) => ({
    required: store.state(tenant).required,
    ...store.currentRoots(tenant),
    policy: [...store.history(tenant, "policy")],
    assignments: [...store.history(tenant, "assignments")],
  });

  app.put<{ Body: Static<typeof PolicyDocumentSchema> }>(
    "/v1/compliance/policy",
    {
      config: { access: TENANT_ADMIN },
      schema: {
        summary: "Register a new policy version",
        description:
          "Validated as a policy document; a document with the current root registers " +
          "nothing. The current assignments must name only roles it declares.",
        tags: ["compliance"],
        security: BEARER_SECURITY,
        body: PolicyDocumentSchema,
        response: { 200: RootVersionSchema, ...errorResponses([400, 401, 403, 413, 415, 429]) },
      },
    },
    async (request) => {
      const { tenant, keyId } = tenantOf(request);

      const version = await asApiErrors(() => store.setPolicy(tenant, request.body));

      request.log.info({ tenant, keyId, version: version.version }, "policy registered");
      return version;
    },
  );

  app.put<{ Body: Static<typeof AssignmentsDocumentSchema> }>(
    "/v1/compliance/assignments",
    {
      config: { access: TENANT_ADMIN },
      schema: {
        summary: "Register a new role assignment version",
        description: "Every role must be declared by the current policy.",
        tags: ["compliance"],
        security: BEARER_SECURITY,
        body: AssignmentsDocumentSchema,
        response: { 200: RootVersionSchema, ...errorResponses([400, 401, 403, 413, 415, 429]) },
      },
    },
    async (request) => {
      const { tenant, keyId } = tenantOf(request);

      const version = await asApiErrors(() => store.setAssignments(tenant, request.body));

      request.log.info({ tenant, keyId, version: version.version }, "assignments registered");
      return version;
    },
  );

  app.put<{ Body: Static<typeof ComplianceSettingsSchema> }>(
    "/v1/compliance/settings",
    {
      config: { access: TENANT_ADMIN },
      schema: {
        summary: "Require, or stop requiring, role and resourceClass on every event",
        tags: ["compliance"],
        security: BEARER_SECURITY,
        body: ComplianceSettingsSchema,
        response: { 200: ComplianceStateSchema, ...errorResponses([400, 401, 403, 415, 429]) },
      },
    },
    async (request) => {
      const { tenant, keyId } = tenantOf(request);

      await asApiErrors(() => store.setRequired(tenant, request.body.required));

      request.log.info({ tenant, keyId, required: request.body.required }, "settings changed");
      return stateOf(tenant);
    },
  );

  app.get(
    "/v1/compliance",
    {
      config: { access: READ_OR_PROVE },
      schema: {
        summary: "Current roots, settings and the history of every version",
        tags: ["compliance"],
        security: BEARER_SECURITY,
        response: { 200: ComplianceStateSchema, ...errorResponses([401, 403, 429]) },
      },
    },
    async (request) => stateOf(tenantOf(request).tenant),
  );

  app.get<{ Params: Static<typeof VersionParamsSchema> }>(
    "/v1/compliance/policy/:version",
    {
      config: { access: READ_OR_PROVE },
      schema: {
        summary: "A policy version's document, for review",
        description: "Recompute its root with the policy-root tool and compare.",
        tags: ["compliance"],
        security: BEARER_SECURITY,
        params: VersionParamsSchema,
        response: { 200: PolicyDocumentSchema, ...errorResponses([400, 401, 403, 404, 429]) },
      },
    },
    async (request) => {
      const { tenant } = tenantOf(request);
      const version = Number(request.params.version);
      if (!store.history(tenant, "policy").some((v) => v.version === version)) {
        throw new ApiError("API_NOT_FOUND", `tenant has no policy version ${version}`);
      }

      return asApiErrors(() => store.document(tenant, "policy", version));
    },
  );
}
