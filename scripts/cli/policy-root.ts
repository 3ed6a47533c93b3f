/**
 * `anchorlog policy-root <policy.json>`: recomputes the policy root of a policy document,
 * so an officer who reviewed the document can compare it with the root anchored on chain
 * (or pass the document to `verify-compliance --policy`).
 */
import { DEV_PARAMS, PRODUCTION_PARAMS, type CircuitParams } from "../../ledger/zk/circuit-params";
import { ZkError } from "../../ledger/zk/errors";
import { computePolicyRoot, type ComputedRoot } from "../../ledger/zk/policy-root";
import { CliError, EXIT, oneLine } from "./errors";
import { readJson } from "./input";
import { report, type Output } from "./output";

/**
 * Computes and prints the policy root of the document in `file` for the development and
 * production circuits. Resolves with 0.
 *
 * @throws CliError for an unreadable file, bad JSON, or a document that breaks the policy
 *   rules (naming the rule).
 */
export async function runPolicyRoot(file: string, out: Output): Promise<number> {
  const roots: Record<string, ComputedRoot> = {};
  for (const params of [DEV_PARAMS, PRODUCTION_PARAMS]) {
    roots[params.name] = await computePolicyRootOf(file, params);
  }

  const doc = Object.fromEntries(
    Object.entries(roots).map(([name, r]) => [name, { policyRoot: r.bytes32, grants: r.leaves }]),
  );
  report(out, { ok: true, circuits: doc }, () => [
    ...Object.entries(roots).map(
      ([name, r]) => `${name} circuit: ${r.bytes32} (${r.leaves} grants)`,
    ),
  ]);
  return EXIT.ok;
}

/**
 * The policy root of the document in `file` at `params`' depth.
 *
 * @throws CliError as {@link runPolicyRoot}.
 */
export async function computePolicyRootOf(
  file: string,
  params: CircuitParams,
): Promise<ComputedRoot> {
  const document = readJson(file, "policy document");
  try {
    return await computePolicyRoot(document, params);
  } catch (err) {
    if (!(err instanceof ZkError) && !(err instanceof RangeError)) throw err;
    throw new CliError("CLI_BAD_FORMAT", `policy ${file}: ${oneLine(err)}`, { cause: err });
  }
}
