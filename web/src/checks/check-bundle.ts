/**
 * Compliance bundles: a window of a tenant's log proven compliant with a policy by a Groth16
 * proof, linked to the anchored log. The window format is checked by ./check-window-bundle,
 * loaded on first use so that receipts never pay for snarkjs and Poseidon.
 *
 * WARNING: sampling audits (several windows chosen by an anchoring block's hash) are not
 * supported by this version: the page says so and checks nothing. The verify module's
 * `verifySampleBundle` can check them; what is missing is a browser reader of the block that
 * anchored an epoch (the registry's EpochAnchored log, read with eth_getLogs). Meanwhile an
 * officer can check each window of a sample as a window bundle.
 */
import { COMPLIANCE_BUNDLE_FORMAT } from "../../../ledger/zk/compliance-bundle-format";
import type { Report } from "./link";

/** What the officer trusts for a compliance bundle. */
export interface BundleCheckOptions {
  /** Verifier keys of the tenant logs, from a source the officer trusts. */
  trustedKeys: readonly string[];
  /** The Groth16 verification key (JSON), from the ceremony the officer trusts. */
  verificationKey?: string;
  /** The policy document the officer reviewed (JSON), to recompute the policy root from. */
  policyDocument?: string;
  /** The chain's JSON-RPC URL, to read the anchored epoch root. */
  rpcUrl?: string;
}

/** Checks a compliance bundle of format `format`. */
export async function checkComplianceBundle(
  format: string,
  bundle: Record<string, unknown>,
  opts: BundleCheckOptions,
): Promise<Report> {
  if (format === COMPLIANCE_BUNDLE_FORMAT) {
    const { checkWindowBundle } = await import("./check-window-bundle");
    return checkWindowBundle(bundle, opts);
  }

  return {
    subject: `Compliance bundle (${format})`,
    outcome: "unsupported",
    summary:
      `Compliance bundles of format ${format} are not supported by this version of the page. ` +
      "Nothing was checked.",
    links: [],
    warnings: [],
  };
}
