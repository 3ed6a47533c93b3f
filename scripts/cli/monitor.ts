/**
 * `anchorlog monitor`: watches one log for the ways an operator could cheat. Each run
 * fetches the latest signed checkpoint, verifies its signature, and proves it extends the
 * last checkpoint seen (kept in the state file); with `--rpc` it also checks that the
 * newest anchored checkpoint is what the registry holds on chain and a prefix of the log.
 *
 * What it reports, each with exit status 1 and the evidence:
 * - fork: two different checkpoints of the same size, both signed by the trusted key;
 * - rollback: a checkpoint smaller than one seen before;
 * - bad signature: a checkpoint the trusted keys did not sign;
 * - inconsistent proof: the newer tree does not extend the older one;
 * - anchor mismatch: the chain does not hold what the anchored receipt claims, or the
 *   anchored checkpoint is not part of the log.
 * A source or chain that cannot be reached ends a run with 2 (with `--follow`, the next
 * round tries again). The state file only moves forward after a clean run.
 */
import { setTimeout as sleep } from "node:timers/promises";

import { readEpochRootFromChain, type ChainEpochRootReader } from "../../ledger/anchor";
import { LedgerError } from "../../ledger/errors";
import { verifyAnchoredReceipt } from "../../ledger/verify/anchor-check";
import { bytesEqual, toHex } from "../../ledger/verify/bytes";
import { verifyCheckpoint, type SignedCheckpoint } from "../../ledger/verify/checkpoint";
import { verifyConsistency } from "../../ledger/verify/consistency";
import { parseVerifierKey, type NoteVerifier } from "../../ledger/verify/note";
import type { Receipt } from "../../ledger/verify/receipt";
import { compareCheckpoints } from "./consistency-check";
import { CliError, EXIT, isCliError, oneLine } from "./errors";
import { trustedKeys } from "./input";
import { apiSource, tilesSource, type LogSource } from "./log-source";
import {
  MONITOR_STATE_FORMAT,
  readMonitorState,
  writeMonitorState,
  type MonitorAnchor,
} from "./monitor-state";
import { formatSteps, report, type Output, type StepReport } from "./output";

/** Options of {@link runMonitor}. */
export interface MonitorOptions {
  readonly url?: string;
  readonly apiKey?: string;
  readonly tiles?: string;
  readonly key?: string[];
  readonly state?: string;
  readonly rpc?: string;
  readonly registry?: string;
  readonly follow?: boolean;
  readonly interval?: string;
}

/** The kinds of misbehaviour a monitor reports. */
export type MonitorProblemKind =
  "fork" | "rollback" | "bad-signature" | "inconsistent-proof" | "anchor-mismatch";

/** What one round found. */
export interface MonitorRound {
  readonly ok: boolean;
  readonly origin?: string;
  readonly problem: { readonly kind: MonitorProblemKind; readonly detail: string } | null;
  readonly steps: StepReport[];
  readonly previous: { size: number; rootHash: string } | null;
  readonly latest: { size: number; rootHash: string; note: string } | null;
  readonly anchor: MonitorAnchor | null;
  /** The signed notes that prove a fork or rollback to anyone holding the key. */
  readonly evidence?: { readonly previous: string; readonly latest: string };
}

interface Setup {
  readonly source: LogSource;
  readonly verifiers: NoteVerifier[];
  readonly keys: string[];
  readonly statePath: string;
  readonly anchors?: { reader: ChainEpochRootReader; registry: string };
}

const TITLES: Record<MonitorProblemKind, string> = {
  fork: "FORK DETECTED",
  rollback: "ROLLBACK DETECTED",
  "bad-signature": "BAD SIGNATURE",
  "inconsistent-proof": "INCONSISTENT PROOF",
  "anchor-mismatch": "ANCHOR MISMATCH",
};

/**
 * Runs one round, or rounds every `--interval` seconds with `--follow` until a problem is
 * found or the process is interrupted. Resolves with the exit status.
 *
 * @throws CliError for bad usage, a bad state file, or (without --follow) an unreachable
 *   source or chain.
 */
export async function runMonitor(opts: MonitorOptions, out: Output): Promise<number> {
  const setup = prepare(opts);
  const interval = Number(opts.interval ?? "60");
  if (opts.follow && (!Number.isSafeInteger(interval) || interval < 1)) {
    throw new CliError("CLI_USAGE", `--interval ${opts.interval} is not a whole number of seconds`);
  }

  try {
    if (!opts.follow) return print(out, await monitorRound(setup));

    const stop = new AbortController();
    const onSignal = () => stop.abort();
    process.once("SIGINT", onSignal);
    process.once("SIGTERM", onSignal);
    try {
      while (!stop.signal.aborted) {
        try {
          const status = print(out, await monitorRound(setup));
          if (status !== EXIT.ok) return status;
        } catch (err) {
          if (!isCliError(err) || err.code !== "CLI_UNREACHABLE") throw err;
          out.warn(`${err.message}; trying again in ${interval} s`);
        }
        await sleep(interval * 1000, undefined, { signal: stop.signal }).catch(() => undefined);
      }
      return EXIT.ok;
    } finally {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
    }
  } finally {
    setup.anchors?.reader.destroy();
  }
}

function prepare(opts: MonitorOptions): Setup {
  if ((opts.url === undefined) === (opts.tiles === undefined)) {
    throw new CliError("CLI_USAGE", "give either --url (the API) or --tiles (a tlog-tiles base)");
  }
  if (opts.state === undefined) {
    throw new CliError("CLI_USAGE", "give --state <file> to remember checkpoints between runs");
  }
  if (opts.rpc !== undefined && (opts.registry === undefined || opts.url === undefined)) {
    throw new CliError("CLI_USAGE", "--rpc needs --registry and --url (anchored receipts)");
  }
  const keys = trustedKeys(opts.key);
  const source =
    opts.url !== undefined
      ? apiSource(opts.url, opts.apiKey)
      : tilesSource(opts.tiles!, opts.apiKey);

  let anchors: Setup["anchors"];
  if (opts.rpc !== undefined) {
    try {
      anchors = { reader: readEpochRootFromChain(opts.rpc), registry: opts.registry! };
    } catch (err) {
      throw new CliError("CLI_USAGE", `--rpc: ${oneLine(err)}`, { cause: err });
    }
  }
  return { source, keys, verifiers: keys.map(parseVerifierKey), statePath: opts.state, anchors };
}

/** One round: verify, compare with the state, check anchors, and move the state forward. */
export async function monitorRound(setup: Setup): Promise<MonitorRound> {
  const state = readMonitorState(setup.statePath);
  const steps: StepReport[] = [];
  const note = await setup.source.checkpoint();

  let latest: SignedCheckpoint;
  try {
    latest = verifyCheckpoint(note, setup.verifiers);
    steps.push({
      step: "signature",
      verdict: "ok",
      detail: `size ${latest.size} signed by a trusted key`,
    });
  } catch (err) {
    if (!(err instanceof LedgerError)) throw err;
    steps.push({ step: "signature", verdict: "failed", detail: oneLine(err), code: err.code });
    const detail = `the latest checkpoint does not verify: ${oneLine(err)}`;
    return result(steps, { kind: "bad-signature", detail }, null, null, null);
  }
  const latestView = { size: latest.size, rootHash: toHex(latest.rootHash), note };

  let previous: SignedCheckpoint | undefined;
  if (state !== undefined) {
    try {
      previous = verifyCheckpoint(state.checkpoint, setup.verifiers);
    } catch (err) {
      throw new CliError(
        "CLI_BAD_FORMAT",
        `the state file's checkpoint does not verify with these keys: ${oneLine(err)}`,
      );
    }
    if (previous.origin !== latest.origin) {
      throw new CliError(
        "CLI_USAGE",
        `the state file is for ${previous.origin}, ` +
          `but ${setup.source.name} serves ${latest.origin}`,
      );
    }
  }
  const previousView =
    previous === undefined ? null : { size: previous.size, rootHash: toHex(previous.rootHash) };

  if (previous === undefined) {
    steps.push({
      step: "consistency",
      verdict: "ok",
      detail: "first run: this checkpoint is remembered",
    });
  } else {
    const proof =
      latest.size > previous.size && previous.size > 0
        ? await setup.source.consistency(previous.size, latest.size)
        : [];
    const found = compareCheckpoints(previous, latest, proof);
    const ok = found.finding === "consistent";
    steps.push({
      step: "consistency",
      verdict: ok ? "ok" : "failed",
      detail: found.detail,
      ...(found.code === undefined ? {} : { code: found.code }),
    });
    if (!ok) {
      const kind =
        found.finding === "fork" || found.finding === "rollback"
          ? found.finding
          : "inconsistent-proof";
      const evidence = { previous: previous.note, latest: note };
      return result(
        steps,
        { kind, detail: found.detail },
        previousView,
        latestView,
        null,
        evidence,
      );
    }
  }

  let anchor: MonitorAnchor | null = null;
  if (setup.anchors !== undefined) {
    const checked = await checkAnchor(setup, latest, previous?.size ?? 0);
    steps.push(checked.step);
    if (checked.step.verdict === "failed") {
      const problem = { kind: "anchor-mismatch" as const, detail: checked.step.detail };
      return result(steps, problem, previousView, latestView, null);
    }
    anchor = checked.anchor ?? state?.anchor ?? null;
  }

  writeMonitorState(setup.statePath, {
    format: MONITOR_STATE_FORMAT,
    origin: latest.origin,
    checkpoint: note,
    size: latest.size,
    rootHash: latestView.rootHash,
    checkedAtMs: Date.now(),
    ...(anchor === null ? {} : { anchor }),
  });
  return { ...result(steps, null, previousView, latestView, anchor), origin: latest.origin };
}

// The newest anchored receipt among the latest entries: its anchor must be on chain in the
// trusted registry, and its checkpoint a prefix of the latest one.
async function checkAnchor(
  setup: Setup,
  latest: SignedCheckpoint,
  previousSize: number,
): Promise<{ step: StepReport; anchor?: MonitorAnchor }> {
  const { reader, registry } = setup.anchors!;
  const fail = (detail: string, code?: string) => ({
    step: { step: "anchor", verdict: "failed" as const, detail, ...(code ? { code } : {}) },
  });

  let receipt: Receipt | undefined;
  for (const index of new Set([latest.size - 1, previousSize - 1])) {
    if (index < 0) continue;
    const candidate = (await setup.source.receipt!(index)) as Receipt;
    if (candidate.status === "anchored") {
      receipt = candidate;
      break;
    }
  }
  if (receipt === undefined) {
    return {
      step: {
        step: "anchor",
        verdict: "not anchored",
        detail: "no anchored checkpoint covers the newest entries yet",
      },
    };
  }

  const named = receipt.anchor?.registry ?? "";
  const trusted = (chainId: number, _named: string, epoch: number) =>
    reader(chainId, registry, epoch);
  const verdict = await verifyAnchoredReceipt(receipt, {
    trustedKeys: setup.keys,
    readEpochRoot: trusted,
  });
  if (!verdict.ok) {
    const failed = verdict.steps.find((s) => !s.ok)!;
    if (failed.code === "ANCHOR_CHAIN_UNREACHABLE") {
      throw new CliError("CLI_UNREACHABLE", `cannot reach the chain: ${failed.detail}`);
    }
    const where =
      named.toLowerCase() === registry.toLowerCase()
        ? ""
        : ` (the receipt names registry ${named})`;
    return fail(
      `anchored size ${receipt.treeSize}, ${failed.step} step: ${failed.detail}${where}`,
      failed.code,
    );
  }

  const anchoredRoot = Buffer.from(verdict.rootHash!, "hex");
  try {
    if (receipt.treeSize === latest.size) {
      if (!bytesEqual(anchoredRoot, latest.rootHash)) {
        return fail(
          `the anchored checkpoint of size ${latest.size} has another root than the log's`,
        );
      }
    } else {
      const proof = await setup.source.consistency(receipt.treeSize, latest.size);
      verifyConsistency(receipt.treeSize, latest.size, proof, anchoredRoot, latest.rootHash);
    }
  } catch (err) {
    if (!(err instanceof LedgerError)) throw err;
    return fail(
      `the anchored checkpoint of size ${receipt.treeSize} is not part of the log: ${oneLine(err)}`,
      err.code,
    );
  }

  const epoch = receipt.anchor!.epoch;
  return {
    step: {
      step: "anchor",
      verdict: "ok",
      detail:
        `size ${receipt.treeSize} anchored in epoch ${epoch}; ` +
        `registry ${registry} holds its root`,
    },
    anchor: { size: receipt.treeSize, epoch, epochRoot: verdict.epochRoot! },
  };
}

function result(
  steps: StepReport[],
  problem: MonitorRound["problem"],
  previous: MonitorRound["previous"],
  latest: MonitorRound["latest"],
  anchor: MonitorAnchor | null,
  evidence?: MonitorRound["evidence"],
): MonitorRound {
  return {
    ok: problem === null,
    problem,
    steps,
    previous,
    latest,
    anchor,
    ...(evidence === undefined ? {} : { evidence }),
  };
}

function print(out: Output, round: MonitorRound): number {
  report(out, round, () => {
    const lines = formatSteps(round.steps);
    if (round.problem !== null) {
      lines.push(`${TITLES[round.problem.kind]}: ${round.problem.detail}`);
      if (round.evidence !== undefined) {
        lines.push("evidence (both signed by the trusted key):");
        lines.push(
          ...round.evidence.previous
            .trimEnd()
            .split("\n")
            .map((l) => `  | ${l}`),
        );
        lines.push("  ---");
        lines.push(
          ...round.evidence.latest
            .trimEnd()
            .split("\n")
            .map((l) => `  | ${l}`),
        );
      }
    } else {
      lines.push(
        `OK ${round.latest?.size === undefined ? "" : `at size ${round.latest.size}`}`.trim(),
      );
    }
    return lines;
  });
  return round.ok ? EXIT.ok : EXIT.failed;
}
