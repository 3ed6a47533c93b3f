/**
 * `anchorlog verify-compliance <bundle>`: checks a compliance bundle (a window bundle, or a
 * sampling audit of several windows) step by step with the verifier keys, the verification
 * key and the chain the officer trusts: the leaves are in the signed, anchored tree; the
 * roots are the anchored ones (and, with `--policy`, the reviewed policy's); the Groth16
 * proof verifies against public inputs rebuilt from all that.
 *
 * Without `--rpc` a window bundle's anchored root is taken from the bundle and its step is
 * reported "not checked"; a sampling audit needs the chain (its windows come from a block
 * hash) and is refused without it.
 */

import {
  verifyComplianceBundle,
  verifySampleBundle,
  type ComplianceStepVerdict,
  type ComplianceVerdict,
} from "../../ledger/verify/compliance-bundle";
import {
  COMPLIANCE_BUNDLE_FORMAT,
  COMPLIANCE_SAMPLE_FORMAT,
} from "../../ledger/zk/compliance-bundle-format";
import type { CircuitParams } from "../../ledger/zk/circuit-params";
import { loadDevVerificationKey } from "../../ledger/zk/dev-artifacts";
import { releaseProverThreads, type VerificationKey } from "../../ledger/zk/snarkjs-api";
import { complianceChain, type ComplianceChain } from "./compliance-chain";
import { CliError, EXIT, oneLine } from "./errors";
import { readJson, trustedKeys } from "./input";
import { formatSteps, report, type Output, type StepReport } from "./output";
import { computePolicyRootOf } from "./policy-root";

/** Options of {@link runVerifyCompliance}. */
export interface VerifyComplianceOptions {
  readonly key?: string[];
  readonly rpc?: string;
  readonly policy?: string;
  readonly vkey?: string;
}

/**
 * Verifies the bundle in `file` and prints each step. Resolves with 0 when it verified,
 * 1 when a step failed, 2 when the chain could not be reached.
 *
 * @throws CliError for unreadable or malformed files, missing keys, a sampling audit
 *   without --rpc, or an invalid policy document.
 */
export async function runVerifyCompliance(
  file: string,
  opts: VerifyComplianceOptions,
  out: Output,
): Promise<number> {
  const keys = trustedKeys(opts.key);
  const bundle = readJson(file, "compliance bundle") as Record<string, unknown>;
  const format = bundle?.format;
  if (format !== COMPLIANCE_BUNDLE_FORMAT && format !== COMPLIANCE_SAMPLE_FORMAT) {
    throw new CliError(
      "CLI_BAD_FORMAT",
      `${file} has format ${JSON.stringify(format)}, ` +
        `not ${COMPLIANCE_BUNDLE_FORMAT} or ${COMPLIANCE_SAMPLE_FORMAT}`,
    );
  }
  const sample = format === COMPLIANCE_SAMPLE_FORMAT;
  if (sample && opts.rpc === undefined) {
    throw new CliError(
      "CLI_USAGE",
      "a sampling audit needs --rpc: its windows come from a block hash",
    );
  }
  const vkey = loadVkey(opts.vkey, out);
  const policyRoot =
    opts.policy === undefined
      ? undefined
      : (await computePolicyRootOf(opts.policy, bundle.params as CircuitParams)).bytes32;

  const chain: ComplianceChain | undefined =
    opts.rpc === undefined ? undefined : complianceChain(opts.rpc);
  try {
    const readEpochRoot =
      chain?.readEpochRoot ??
      (async () => String((bundle.anchor as { epochRoot?: unknown })?.epochRoot ?? ""));
    const common = { trustedKeys: keys, vkey, readEpochRoot, policyRoot };

    let steps: StepReport[];
    let windows: { windowStart?: number; ok: boolean; steps: StepReport[] }[] = [];
    let ok: boolean;
    if (sample) {
      const verdict = await verifySampleBundle(bundle, {
        ...common,
        readAnchorBlock: chain!.readAnchorBlock,
      });
      steps = verdict.steps.map(toReport);
      windows = verdict.windows.map((w) => ({
        windowStart: w.statement?.windowStart,
        ok: w.ok,
        steps: w.steps.map(toReport),
      }));
      ok = verdict.ok;
    } else {
      const verdict: ComplianceVerdict = await verifyComplianceBundle(bundle, common);
      steps = verdict.steps.map(toReport);
      ok = verdict.ok;
    }

    if (chain === undefined) steps = steps.map(markNotChecked);
    const unreachable = [...steps, ...windows.flatMap((w) => w.steps)].some(
      (s) => s.code === "ANCHOR_CHAIN_UNREACHABLE",
    );
    const doc = { ok, kind: sample ? "sample" : "window", steps, windows, policyRoot };
    report(out, doc, () => humanLines(ok, unreachable, steps, windows, chain === undefined));
    if (!ok) return unreachable ? EXIT.usage : EXIT.failed;
    return EXIT.ok;
  } finally {
    chain?.close();
    // snarkjs keeps worker threads that would hold the process open.
    await releaseProverThreads();
  }
}

function loadVkey(path: string | undefined, out: Output): VerificationKey {
  if (path !== undefined) return readJson(path, "verification key") as VerificationKey;
  out.warn(
    "using the shipped development verification key, which is INSECURE (anyone can forge " +
      "proofs for it); give --vkey with the key of a ceremony you trust",
  );
  try {
    return loadDevVerificationKey();
  } catch (err) {
    throw new CliError("CLI_NOT_AVAILABLE", `no development verification key: ${oneLine(err)}`);
  }
}

function toReport(s: ComplianceStepVerdict<string>): StepReport {
  return {
    step: s.step,
    verdict: s.ok ? "ok" : "failed",
    detail: s.detail,
    ...(s.code === undefined ? {} : { code: s.code }),
  };
}

// Without a chain the anchored root was the bundle's own: that step proves nothing.
function markNotChecked(s: StepReport): StepReport {
  if (s.step !== "epoch-root" || s.verdict !== "ok") return s;
  return {
    step: s.step,
    verdict: "not checked",
    detail: "give --rpc to read the anchored root on chain",
  };
}

function humanLines(
  ok: boolean,
  unreachable: boolean,
  steps: readonly StepReport[],
  windows: readonly { windowStart?: number; ok: boolean; steps: StepReport[] }[],
  offline: boolean,
): string[] {
  const lines = formatSteps(steps);
  for (const w of windows) {
    lines.push(`window from index ${w.windowStart ?? "?"}: ${w.ok ? "ok" : "FAILED"}`);
    if (!w.ok) lines.push(...formatSteps(w.steps, "    "));
  }
  if (!ok) {
    lines.push(unreachable ? "NOT DECIDED: the chain could not be reached" : "NOT VERIFIED");
  } else {
    lines.push(offline ? "VERIFIED, EXCEPT THE ANCHOR ON CHAIN (give --rpc)" : "VERIFIED");
  }
  return lines;
}
