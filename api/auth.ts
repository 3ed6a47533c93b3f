/**
 * Authentication and authorisation. Every route under /v1 declares in its config who may call
 * it; one onRequest hook checks the bearer key before anything else of the request is read,
 * and sets `request.principal`. The tenant a request acts for comes only from its key.
 *
 * - Operator routes take an operator key (no tenant) with the admin scope.
 * - Tenant routes take a key of exactly one tenant holding one of the listed scopes; the
 *   admin scope on a tenant key stands for every tenant scope.
 */
import type { FastifyReply, FastifyRequest } from "fastify";

import { ApiKeyScope, ApiKeyStore } from "../ledger/tenancy/api-keys";
import { ApiError } from "./errors";

/** Who may call a route. */
export type RouteAccess =
  | { principal: "operator" }
  | { principal: "tenant"; scopes: readonly Exclude<ApiKeyScope, "admin">[] | "tenant-admin" };

/** The verified caller of a request. */
export interface Principal {
  keyId: string;
  /** The tenant the key acts for; null for an operator key. */
  tenant: string | null;
  scopes: readonly ApiKeyScope[];
}

/** The principal of a tenant route: its tenant is always set. */
export interface TenantPrincipal extends Principal {
  tenant: string;
}

declare module "fastify" {
  interface FastifyContextConfig {
    /** Who may call the route; routes without it are public. */
    access?: RouteAccess;
  }
  interface FastifyRequest {
    principal?: Principal;
  }
}

const BEARER = /^Bearer +([\x21-\x7e]{1,512})$/i;

/**
 * The onRequest hook that authenticates and authorises every route with an `access` config.
 * Throws API_UNAUTHENTICATED (401) for a missing, malformed, unknown, wrong or revoked key,
 * API_FORBIDDEN (403) for a key of the wrong kind or without a listed scope.
 */
export function authenticate(keys: ApiKeyStore) {
  return async function authenticateHook(request: FastifyRequest, _reply: FastifyReply) {
    const access = request.routeOptions.config.access;
    if (access === undefined) return;

    const header = request.headers.authorization;
    const match = typeof header === "string" ? BEARER.exec(header) : null;
    if (match === null) {
      throw new ApiError("API_UNAUTHENTICATED", "send Authorization: Bearer <API key>");
    }
    const verdict = keys.verify(match[1]);
    if (!verdict.ok) {
      request.log.info({ keyId: verdict.id, reason: verdict.reason }, "key refused");
      throw new ApiError("API_UNAUTHENTICATED", "the API key is not valid");
    }
    const key = verdict.key;

    const principal: Principal = { keyId: key.id, tenant: key.tenant, scopes: key.scopes };
    checkAccess(principal, access);
    request.principal = principal;
  };
}

/** Throws API_FORBIDDEN unless `principal` may use a route with `access`. */
export function checkAccess(principal: Principal, access: RouteAccess): void {
  if (access.principal === "operator") {
    if (principal.tenant !== null) {
      throw new ApiError("API_FORBIDDEN", "this route needs an operator key; this is a tenant key");
    }
    return;
  }

  if (principal.tenant === null) {
    throw new ApiError("API_FORBIDDEN", "this route needs a tenant key; this is an operator key");
  }
  if (principal.scopes.includes("admin")) return;
  if (access.scopes === "tenant-admin") {
    throw new ApiError("API_FORBIDDEN", "this route needs the admin scope");
  }
  if (!access.scopes.some((s) => principal.scopes.includes(s))) {
    throw new ApiError("API_FORBIDDEN", `this route needs one of the scopes: ${access.scopes}`);
  }
}

/**
 * The tenant principal of a request on a tenant route.
 *
 * @throws Error when called on a route the hook did not authorise for a tenant, which is a
 *   wiring bug.
 */
export function tenantOf(request: FastifyRequest): TenantPrincipal {
  const p = request.principal;
  if (p === undefined || p.tenant === null) {
    throw new Error(`invariant violated: ${request.routeOptions.url} has no tenant principal`);
  }
  return p as TenantPrincipal;
}
