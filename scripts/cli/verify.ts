/**
 * `anchorlog verify <receipt>`: checks receipts step by step against verifier keys the
 * person trusts (never the key inside the receipt): format, leaf, checkpoint signature,
 * inclusion, and for an anchored receipt its path in the epoch tree and, with `--rpc`, the
 * epoch root the registry holds on chain. A file may hold one receipt or a JSON list.
 */
import type { ChainEpochRootReader } from "../../ledger/anchor";
import {
  checkReceiptShape,
  verifyReceipt,
  type Receipt,
  type ReceiptVerdict,
  type StepVerdict,
} from "../../ledger/verify/receipt";
import { CliError, EXIT, oneLine } from "./errors";
import { readJson, trustedKeys } from "./input";
import { formatSteps, report, type Output, type StepReport } from "./output";
import { startProgress } from "./progress";

/** Options of {@link runVerify}. */
export interface VerifyOptions {
  readonly key?: string[];
  readonly rpc?: string;
}

/** The outcome of one receipt. */
export interface ReceiptReport {
  readonly origin: string;
  readonly index: number;
  readonly treeSize: number;
  readonly status: Receipt["status"];
  /** True when every step that ran passed ("not checked" steps included). */
  readonly ok: boolean;
  /** True when a step could not be checked because the chain was unreachable. */
  readonly unreachable: boolean;
  readonly steps: StepReport[];
}

/**
 * Verifies every receipt in `file` and prints the verdicts. Resolves with the exit status:
 * 0 when all verified, 1 when any failed, 2 when none failed but the chain could not be
 * reached for one.
 *
 * @throws CliError for an unreadable file, bad JSON, a receipt of another format or shape,
 *   or missing or malformed keys.
 */
export async function runVerify(file: string, opts: VerifyOptions, out: Output): Promise<number> {
  const keys = trustedKeys(opts.key);
  const receipts = readReceipts(file);
  const reader = opts.rpc === undefined ? undefined : await chainReader(opts.rpc);

  const progress = startProgress("verifying receipts", receipts.length);
  const reports: ReceiptReport[] = [];
  try {
    for (const receipt of receipts) {
      reports.push(await verifyOne(receipt, keys, reader));
      progress.update(reports.length);
    }
  } finally {
    progress.stop();
    reader?.destroy();
  }

  const failed = reports.filter((r) => !r.ok).length;
  const unreachable = reports.filter((r) => r.unreachable).length;
  const ok = failed === 0 && unreachable === 0;
  report(out, { ok, verified: reports.length - failed, failed, receipts: reports }, () =>
    humanLines(reports),
  );
  if (failed > 0) return EXIT.failed;
  return unreachable > 0 ? EXIT.usage : EXIT.ok;
}

/**
 * Verifies one receipt. Without `reader`, the chain step of an anchored receipt is reported
 * "not checked" (its path in the epoch tree is still checked, since that needs no chain).
 */
export async function verifyOne(
  receipt: Receipt,
  keys: readonly string[],
  reader: ChainEpochRootReader | undefined,
): Promise<ReceiptReport> {
  const base = {
    origin: receipt.origin,
    index: receipt.index,
    treeSize: receipt.treeSize,
    status: receipt.status,
  };

  if (receipt.status !== "anchored") {
    const verdict = verifyReceipt(receipt, keys);
    const steps = verdict.steps.map(toReport);
    if (verdict.ok) {
      steps.push({
        step: "anchor",
        verdict: "not anchored",
        detail: "the receipt is signed only; ask for it again once an epoch anchors it",
      });
    }
    return { ...base, ok: verdict.ok, unreachable: false, steps };
  }

  // The anchor checks need ethers (keccak); receipts that are only signed never load it.
  const { verifyAnchoredReceipt } = await import("../../ledger/verify/anchor-check");
  let skipped = false;
  const readEpochRoot =
    reader ??
    (async () => {
      skipped = true;
      throw new Error("no chain endpoint given");
    });
  const verdict: ReceiptVerdict = await verifyAnchoredReceipt(receipt, {
    trustedKeys: keys,
    readEpochRoot,
  });

  const steps = verdict.steps.map(toReport);
  const last = steps.at(-1)!;
  let ok = verdict.ok;
  let unreachable = false;
  if (last.step === "chain" && last.verdict === "failed") {
    if (skipped) {
      steps[steps.length - 1] = {
        step: "chain",
        verdict: "not checked",
        detail: `give --rpc <chain endpoint> to check epoch ${receipt.anchor?.epoch} on chain`,
      };
      ok = true;
    } else if (last.code === "ANCHOR_CHAIN_UNREACHABLE") {
      steps[steps.length - 1] = { ...last, verdict: "not checked" };
      ok = true;
      unreachable = true;
    }
  }
  return { ...base, ok, unreachable, steps };
}

function toReport(s: StepVerdict): StepReport {
  return {
    step: s.step,
    verdict: s.ok ? "ok" : "failed",
    detail: s.detail,
    ...(s.code === undefined ? {} : { code: s.code }),
  };
}

/** The receipts of `file`: one object or a list; each must have the receipt shape. */
export function readReceipts(file: string): Receipt[] {
  const doc = readJson(file, "receipt file");
  const items = Array.isArray(doc) ? doc : [doc];
  if (items.length === 0) throw new CliError("CLI_BAD_FORMAT", `${file} holds no receipt`);

  return items.map((item, i) => {
    try {
      return checkReceiptShape(item);
    } catch (err) {
      const which = Array.isArray(doc) ? ` (item ${i})` : "";
      throw new CliError("CLI_BAD_FORMAT", `${file}${which}: ${oneLine(err)}`, { cause: err });
    }
  });
}

async function chainReader(rpc: string): Promise<ChainEpochRootReader> {
  const { readEpochRootFromChain } = await import("../../ledger/anchor/read-epoch-root");
  try {
    return readEpochRootFromChain(rpc);
  } catch (err) {
    throw new CliError("CLI_USAGE", `--rpc: ${oneLine(err)}`, { cause: err });
  }
}

function humanLines(reports: readonly ReceiptReport[]): string[] {
  const lines: string[] = [];
  const single = reports.length === 1;
  for (const r of reports) {
    const title = `${r.origin} #${r.index} (tree size ${r.treeSize}, ${r.status})`;
    if (single || !r.ok || r.unreachable) {
      lines.push(`receipt ${title}`, ...formatSteps(r.steps));
    } else {
      lines.push(`ok  ${title}`);
    }
  }

  const failed = reports.filter((r) => !r.ok);
  if (failed.length > 0) {
    const first = failed[0].steps.find((s) => s.verdict === "failed");
    lines.push(
      single
        ? `NOT VERIFIED: the ${first?.step} step failed`
        : `NOT VERIFIED: ${failed.length} of ${reports.length} receipts failed`,
    );
  } else if (reports.some((r) => r.unreachable)) {
    lines.push("NOT DECIDED: the chain could not be reached; try again");
  } else {
    lines.push(single ? "VERIFIED" : `VERIFIED: all ${reports.length} receipts`);
  }
  return lines;
}
