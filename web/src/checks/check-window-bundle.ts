/**
 * Checks a compliance window bundle link by link with the verify module the command line uses
 * (`verifyComplianceBundle`): the proof against the officer's verification key, its public
 * inputs rebuilt from the leaves, the leaves' inclusion in a signed checkpoint, that
 * checkpoint's anchor on chain, and the anchored policy root against the officer's policy
 * document when one is given. The module's steps pass through unchanged.
 *
 * Loaded only when a bundle is checked: it brings snarkjs and Poseidon, which receipts never
 * need.
 */
import {
  type ComplianceStep,
  type ComplianceStepVerdict,
  verifyComplianceBundle,
} from "../../../ledger/verify/compliance-bundle";
import type { CircuitParams } from "../../../ledger/zk/circuit-params";
import { computePolicyRoot } from "../../../ledger/zk/policy-root";
import type { VerificationKey } from "../../../ledger/zk/snarkjs-api";
import { verificationKeyHash } from "../../../ledger/zk/vkey-hash";
import { codeOf, messageOf, WebError } from "../errors";
import { chainReader, type ChainRead } from "./anchor-links";
import type { BundleCheckOptions } from "./check-bundle";
import { bundleStepData, type BundleContext } from "./describe-bundle";
import type { TrustedKey } from "./describe-receipt";
import { type Link, outcomeOf, type Report } from "./link";
import { explainBundleFailure } from "./bundle-plain-words";

const TITLES: Record<ComplianceStep, string> = {
  format: "Bundle format",
  vkey: "Verification key",
  window: "Window of the log",
  commitments: "Operation commitments",
  times: "Operation times",
  checkpoint: "Checkpoint signature",
  inclusion: "Leaves in the checkpoint",
  "epoch-path": "Checkpoint in the anchored epoch",
  "epoch-root": "Epoch root on chain",
  roots: "Policy and assignment roots",
  groth16: "Groth16 proof",
};

const STEPS = Object.keys(TITLES) as ComplianceStep[];

/** Verifies a window bundle against what the officer trusts and returns its report. */
export async function checkWindowBundle(
  bundle: Record<string, unknown>,
  opts: BundleCheckOptions,
): Promise<Report> {
  const subject =
    `Compliance bundle for ${String(bundle.origin)}, ` +
    `window from ${String(bundle.windowStart)}`;
  const keys: TrustedKey[] = opts.trustedKeys.map((key) => ({ key, from: "entered by you" }));
  const read: ChainRead = { rpcUrl: opts.rpcUrl, noEndpoint: false };
  const ctx: BundleContext = { keys, read };
  const warnings: string[] = [];

  let vkey: VerificationKey;
  try {
    vkey = parseVerificationKey(opts.verificationKey);
    ctx.vkeyHash = verificationKeyHash(vkey);
  } catch (err) {
    return inputMissing(subject, "vkey", "Verification key", messageOf(err), codeOf(err));
  }
  if (opts.policyDocument === undefined) {
    warnings.push(
      "No policy document was given, so the anchored policy root was not compared with a " +
        "policy you reviewed. The proof then shows compliance with whatever policy the tenant " +
        "anchored.",
    );
  } else {
    try {
      const policyDoc = parseJson(opts.policyDocument, "policy document");
      const computed = await computePolicyRoot(policyDoc, bundle.params as CircuitParams);
      ctx.policy = { bytes32: computed.bytes32, grants: computed.leaves };
    } catch (err) {
      return inputMissing(subject, "policy", "Policy document", messageOf(err), codeOf(err));
    }
  }

  const chain = chainReader(opts.rpcUrl, read);
  let steps: readonly ComplianceStepVerdict[];
  try {
    const { useSingleThreadCurve } = await import("./groth16-curve");
    await useSingleThreadCurve();
    const verdict = await verifyComplianceBundle(bundle, {
      trustedKeys: opts.trustedKeys,
      vkey,
      readEpochRoot: chain.readEpochRoot,
      policyRoot: ctx.policy?.bytes32,
    });
    steps = verdict.steps;
  } finally {
    chain.release();
  }

  const links: Link[] = steps.map((s) => ({
    step: s.step,
    title: TITLES[s.step],
    verdict: s.ok ? "pass" : "fail",
    detail: s.detail,
    code: s.code,
    plain: s.ok ? undefined : explainBundleFailure(s.step, s.code),
    data: bundleStepData(s.step, bundle, ctx),
  }));
  const reached = new Set(steps.map((s) => s.step));
  for (const step of STEPS.filter((s) => !reached.has(s))) {
    links.push({
      step,
      title: TITLES[step],
      verdict: "skip",
      detail: "not checked",
      plain: "Not checked, because an earlier link failed or could not be checked.",
      data: bundleStepData(step, bundle, ctx),
    });
  }
  const onChain = links.find((l) => l.step === "epoch-root");
  if (onChain && onChain.verdict === "fail" && read.noEndpoint) {
    Object.assign(onChain, {
      verdict: "skip",
      code: undefined,
      detail: "no chain JSON-RPC URL given",
      plain: "Enter the chain's JSON-RPC URL under “What you trust” to check the anchor.",
    });
  }

  const outcome = outcomeOf(links);
  return { subject, outcome, summary: summaryOf(links), links, warnings };
}

/** Parses the officer's verification key; throws WebError WEB_BAD_INPUT when it cannot. */
function parseVerificationKey(text: string | undefined): VerificationKey {
  const what = "verification key";
  if (text === undefined) {
    const reason = "none was entered; enter the key of the ceremony you trust";
    throw new WebError("WEB_BAD_INPUT", { what, reason });
  }

  const value = parseJson(text, what);
  if (typeof value !== "object" || value === null) {
    throw new WebError("WEB_BAD_INPUT", { what, reason: "not a JSON object" });
  }
  return value as VerificationKey;
}

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new WebError("WEB_BAD_INPUT", { what, reason: "not JSON" }, { cause });
  }
}

function inputMissing(
  subject: string,
  step: string,
  title: string,
  detail: string,
  code: string | undefined,
): Report {
  const link: Link = {
    step,
    title,
    verdict: "fail",
    detail,
    code,
    plain: `The ${title.toLowerCase()} you entered could not be used, so nothing was checked.`,
    data: [],
  };
  return {
    subject,
    outcome: "failed",
    summary: `Not verified. ${link.plain}`,
    links: [link],
    warnings: [],
  };
}

function summaryOf(links: readonly Link[]): string {
  const failed = links.find((l) => l.verdict === "fail");
  if (failed) return `Not verified. Broken link: ${failed.title}. ${failed.plain ?? ""}`.trim();

  const skipped = links.filter((l) => l.verdict === "skip").map((l) => l.title);
  if (skipped.length > 0) return `Partly verified. Not checked: ${skipped.join(", ")}.`;
  return (
    "Verified: every operation in the window was allowed, " +
    "and the window is in the anchored log."
  );
}
