/**
 * Schemas of tenants and API keys, as the operator and tenant administrators manage them.
 * A key's secret appears in exactly one response: the one that issues it.
 */
import { Type } from "@sinclair/typebox";

import { API_KEY_SCOPES } from "../../ledger/tenancy/api-keys";
import { KeyId, TenantId } from "./common";

/** A tenant as the operator sees it (never its wrapped data key). */
export const TenantSchema = Type.Object(
  {
    id: Type.String(),
    origin: Type.String({ description: "Checkpoint origin of the tenant's log" }),
    createdMs: Type.Integer(),
    disabled: Type.Boolean({ description: "A disabled tenant cannot append; reads still work" }),
    treeSize: Type.Integer({ description: "Size of the latest signed checkpoint" }),
    verifierKey: Type.String({ description: "Signed-note verifier key of its checkpoints" }),
  },
  { additionalProperties: false, title: "Tenant" },
);

/** Body of POST /v1/admin/tenants. */
export const CreateTenantBodySchema = Type.Object(
  { id: TenantId },
  { additionalProperties: false },
);

/** Body of PATCH /v1/admin/tenants/{tenant}. */
export const UpdateTenantBodySchema = Type.Object(
  { disabled: Type.Boolean() },
  { additionalProperties: false },
);

/** Path parameters naming a tenant. */
export const TenantParamsSchema = Type.Object(
  { tenant: TenantId },
  { additionalProperties: false },
);

/** Path parameters naming a key. */
export const KeyParamsSchema = Type.Object({ keyId: KeyId }, { additionalProperties: false });

/** Response of GET /v1/admin/tenants. */
export const TenantListSchema = Type.Object(
  { tenants: Type.Array(TenantSchema) },
  { additionalProperties: false },
);

const Scope = Type.Union(
  API_KEY_SCOPES.map((s) => Type.Literal(s)),
  { description: "append, read, prove, erase, or admin (all of the tenant's scopes)" },
);

const Label = Type.String({
  maxLength: 100,
  pattern: "^[\\x20-\\x7e]*$",
  description: "Free text to recognise the key by (printable ASCII)",
});

/** Body of POST /v1/admin/tenants/{tenant}/keys and POST /v1/keys. */
export const IssueTenantKeyBodySchema = Type.Object(
  {
    scopes: Type.Array(Scope, { minItems: 1, maxItems: 5, uniqueItems: true }),
    label: Type.Optional(Label),
  },
  { additionalProperties: false },
);

/** Body of POST /v1/admin/keys (operator keys always hold exactly the admin scope). */
export const IssueOperatorKeyBodySchema = Type.Object(
  { label: Type.Optional(Label) },
  { additionalProperties: false },
);

/** A key as listed: never its secret or digest. */
export const KeyInfoSchema = Type.Object(
  {
    id: Type.String(),
    tenant: Type.Union([Type.String(), Type.Null()], {
      description: "The tenant it acts for; null for an operator key",
    }),
    scopes: Type.Array(Type.String()),
    label: Type.String(),
    createdMs: Type.Integer(),
    revokedMs: Type.Optional(Type.Integer()),
  },
  { additionalProperties: false, title: "ApiKey" },
);

/** Response of key issuance: the key itself, shown this once. */
export const IssuedKeySchema = Type.Object(
  {
    key: Type.String({ description: "The bearer key; store it now, it is never shown again" }),
    info: KeyInfoSchema,
  },
  { additionalProperties: false, title: "IssuedApiKey" },
);

/** Response of key listings. */
export const KeyListSchema = Type.Object(
  { keys: Type.Array(KeyInfoSchema) },
  { additionalProperties: false },
);
