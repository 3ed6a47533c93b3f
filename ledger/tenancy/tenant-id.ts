/**
 * Tenant identifiers: 1-63 characters of lower-case letters, digits and hyphens, starting with
 * a letter or digit. They appear in store keys and origins, so the alphabet is kept narrow.
 */
import { LedgerError } from "../errors";

const TENANT_ID = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** True when `id` is a well-formed tenant identifier. */
export function isTenantId(id: unknown): id is string {
  return typeof id === "string" && TENANT_ID.test(id);
}

/** Checks a tenant identifier; throws LEDGER_BAD_TENANT_ID otherwise. */
export function checkTenantId(id: unknown): asserts id is string {
  if (!isTenantId(id)) {
    throw new LedgerError(
      "LEDGER_BAD_TENANT_ID",
      `tenant id ${JSON.stringify(id)} is not 1-63 of [a-z0-9-] starting with [a-z0-9]`,
      { tenant: id },
    );
  }
}
