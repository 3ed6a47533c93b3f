/**
 * Checks a receipt link by link with the verify module the command line uses, and returns a
 * {@link Report} for the page to show: `verifyReceipt` for a signed receipt, and
 * `verifyAnchoredReceipt` (its steps plus `epoch` and `chain`) for an anchored one. The
 * module's steps are passed through unchanged: same order, verdicts, details and codes. This
 * module only adds the data each step used, plain words, and links the module never reached
 * (shown as not checked).
 */
import { type ReceiptVerdict, type StepVerdict, verifyReceipt } from "../../../ledger/verify";
import { chainData, type ChainRead, epochData, verifyAnchored } from "./anchor-links";
import {
  checkpointData,
  formatData,
  inclusionData,
  leafData,
  type TrustedKey,
} from "./describe-receipt";
import { type Datum, type Link, outcomeOf, type Report } from "./link";
import { explainFailure } from "./plain-words";

/** What the officer trusts for a receipt. */
export interface ReceiptCheckOptions {
  /** Verifier keys from a source the officer trusts, one per entry; blanks are ignored. */
  trustedKeys: readonly string[];
  /**
   * Also trust the verifier key the receipt carries. The operator wrote that key, so this
   * proves only that the receipt is self-consistent; the report then carries a warning.
   */
  trustReceiptKey?: boolean;
  /** The chain's JSON-RPC URL, to read the epoch root of an anchored receipt. */
  rpcUrl?: string;
}

type Step = StepVerdict["step"];

const TITLES: Record<Step, string> = {
  format: "Receipt format",
  leaf: "Leaf",
  checkpoint: "Checkpoint signature",
  inclusion: "Inclusion in the checkpoint",
  anchor: "Anchor on chain",
  epoch: "Checkpoint in the anchored epoch",
  chain: "Epoch root on chain",
};

const SIGNED_STEPS: readonly Step[] = ["format", "leaf", "checkpoint", "inclusion"];
const ANCHORED_STEPS: readonly Step[] = [...SIGNED_STEPS, "epoch", "chain"];
const FROM_RECEIPT = "taken from the receipt itself";

/**
 * Verifies `input` (a parsed receipt) against the officer's trusted keys and, when it says
 * it is anchored, against the chain. Never throws for bad input: a malformed receipt is a
 * failed format link.
 */
export async function checkReceipt(input: unknown, opts: ReceiptCheckOptions): Promise<Report> {
  const isRecord = typeof input === "object" && input !== null;
  const r = (isRecord ? input : {}) as Record<string, unknown>;
  const keys = trustedKeysOf(r, opts);
  const keyTexts = keys.map((k) => k.key);
  const anchored = r.status === "anchored";

  let verdict: ReceiptVerdict;
  let read: ChainRead = { noEndpoint: false };
  if (anchored) {
    ({ verdict, read } = await verifyAnchored(input, keyTexts, opts.rpcUrl));
  } else {
    verdict = verifyReceipt(input, keyTexts);
  }

  const dataOf = (step: Step): Datum[] => describe(step, r, keys, read);
  const links = verdict.steps.map((s) => toLink(s, dataOf(s.step)));
  const reached = new Set(verdict.steps.map((s) => s.step));
  for (const step of (anchored ? ANCHORED_STEPS : SIGNED_STEPS).filter((s) => !reached.has(s))) {
    links.push(notChecked(step, "Not checked, because an earlier link failed.", dataOf(step)));
  }
  adjust(links, { anchored, read, keys, signedOk: verdict.ok });

  const outcome = outcomeOf(links);
  return {
    subject: subjectOf(r, verdict.steps),
    outcome,
    summary: summaryOf(links),
    links,
    warnings: keys.some((k) => k.from === FROM_RECEIPT)
      ? [
          "The checkpoint was checked against the verifier key inside the receipt. The " +
            "operator wrote that key, so this shows only that the receipt agrees with itself, " +
            "not that the log's real key signed it. Get the key from a source you trust.",
        ]
      : [],
  };
}

/**
 * Page-level facts the module cannot know: a signed receipt has no anchor yet; a chain step
 * that failed only because no RPC URL was given was not checked; no key at all was entered.
 */
function adjust(
  links: Link[],
  ctx: { anchored: boolean; read: ChainRead; keys: readonly TrustedKey[]; signedOk: boolean },
): void {
  if (!ctx.anchored) {
    links.push(
      notChecked(
        "anchor",
        ctx.signedOk
          ? "The receipt is signed but not yet anchored. It proves what the operator signed, " +
              "not that the checkpoint was published on a chain. Ask for it again once anchored."
          : "Not checked, because an earlier link failed.",
        [],
      ),
    );
  }

  const chain = links.find((l) => l.step === "chain");
  if (chain && chain.verdict === "fail" && ctx.read.noEndpoint) {
    Object.assign(chain, {
      verdict: "skip",
      code: undefined,
      detail: "no chain JSON-RPC URL given",
      plain: "Enter the chain's JSON-RPC URL under “What you trust” to check the anchor.",
    });
  }

  const checkpoint = links.find((l) => l.step === "checkpoint");
  if (checkpoint && checkpoint.verdict === "fail" && ctx.keys.length === 0) {
    checkpoint.plain = "No verifier key was entered. Enter the log's key from a source you trust.";
  }
}

function trustedKeysOf(r: Record<string, unknown>, opts: ReceiptCheckOptions): TrustedKey[] {
  const keys: TrustedKey[] = opts.trustedKeys
    .map((k) => k.trim())
    .filter((k) => k !== "")
    .map((key) => ({ key, from: "entered by you" }));

  if (opts.trustReceiptKey && typeof r.verifierKey === "string") {
    keys.push({ key: r.verifierKey, from: FROM_RECEIPT });
  }
  return keys;
}

function describe(
  step: Step,
  r: Record<string, unknown>,
  keys: readonly TrustedKey[],
  read: ChainRead,
): Datum[] {
  switch (step) {
    case "format":
      return formatData(r);
    case "leaf":
      return leafData(r);
    case "checkpoint":
      return checkpointData(r, keys);
    case "inclusion":
      return inclusionData(r);
    case "epoch":
      return epochData(r);
    case "chain":
      return chainData(r, read);
    default:
      return [];
  }
}

function toLink(s: StepVerdict, data: Datum[]): Link {
  return {
    step: s.step,
    title: TITLES[s.step],
    verdict: s.ok ? "pass" : "fail",
    detail: s.detail,
    code: s.code,
    plain: s.ok ? undefined : explainFailure(s.step, s.code),
    data,
  };
}

function notChecked(step: Step, plain: string, data: Datum[]): Link {
  return { step, title: TITLES[step], verdict: "skip", detail: "not checked", plain, data };
}

function subjectOf(r: Record<string, unknown>, steps: readonly StepVerdict[]): string {
  const formatOk = steps[0]?.step === "format" && steps[0].ok;

  return formatOk ? `Receipt for entry ${r.index} of ${r.origin}` : "Receipt";
}

function summaryOf(links: readonly Link[]): string {
  const failed = links.find((l) => l.verdict === "fail");
  if (failed) return `Not verified. Broken link: ${failed.title}. ${failed.plain ?? ""}`.trim();

  const skipped = links.filter((l) => l.verdict === "skip");
  if (skipped.length > 0) {
    const titles = skipped.map((l) => l.title).join(", ");
    return `Partly verified: the links shown as holding hold. Not checked: ${titles}.`;
  }
  return "Verified: every link holds, from the entry to the root on chain.";
}
