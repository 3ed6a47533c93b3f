/**
 * The compliance layer's key layout, beside the ledger's in the same store. Everything lives
 * under "compliance/<tenant>/", outside the ledger's "t/", "tenant/" and "meta/" ranges:
 *
 *   compliance/<tenant>/settings                  tenant options (JSON)
 *   compliance/<tenant>/policy/<version>          policy version: document, root, time (JSON)
 *   compliance/<tenant>/assignments/<version>     assignment version: the same (JSON)
 *   compliance/<tenant>/result/<job id>           a finished proving job's bundle (JSON)
 *
 * Versions are 16 hex digits, so keys sort in version order.
 */
import { num } from "../store/keys";

/** The two kinds of versioned documents a tenant registers. */
export type DocumentKind = "policy" | "assignments";

/** Every compliance key. */
export const COMPLIANCE_RANGE = { gte: "compliance/", lt: "compliance0" };

/** The key builders of one tenant's compliance records. */
export function complianceKeys(tenant: string) {
  const p = `compliance/${tenant}/`;
  return {
    settings: `${p}settings`,
    version: (kind: DocumentKind, version: number) => `${p}${kind}/${num(version)}`,
    result: (jobId: string) => `${p}result/${jobId}`,
  };
}

/**
 * Splits a compliance key into its tenant and the rest, or undefined for a key of another
 * shape.
 */
export function parseComplianceKey(key: string): { tenant: string; rest: string } | undefined {
  const m = /^compliance\/([a-z0-9][a-z0-9-]{0,62})\/(.+)$/.exec(key);
  return m === null ? undefined : { tenant: m[1], rest: m[2] };
}
