/**
 * The anchor part of a receipt: its checkpoint must be a leaf of an epoch (the `epoch` step)
 * whose root the registry holds on chain (the `chain` step). Both steps are the verify
 * module's own (`verifyAnchoredReceipt`); this module supplies the chain reader over the
 * officer's RPC URL and the data each step used.
 */
import { readEpochRootFromChain } from "../../../ledger/anchor";
import {
  type AnchoredReceiptVerdict,
  type EpochRootReader,
  verifyAnchoredReceipt,
} from "../../../ledger/verify/anchor-check";
import { WebError } from "../errors";
import type { Datum } from "./link";

/** What the page learnt from the chain while verifying, for display. */
export interface ChainRead {
  /** The RPC URL used; undefined when the officer gave none. */
  rpcUrl?: string;
  /** The epoch root the registry returned, when the read got that far. */
  root?: string;
  /** True when the chain step was reached but no RPC URL was given, so nothing was read. */
  noEndpoint: boolean;
}

/**
 * Verifies an anchored receipt with the verify module, reading the chain at `rpcUrl`. Without
 * an RPC URL the chain step cannot pass; `read.noEndpoint` then tells the caller to show it
 * as not checked rather than broken.
 */
export async function verifyAnchored(
  input: unknown,
  trustedKeys: readonly string[],
  rpcUrl: string | undefined,
): Promise<{ verdict: AnchoredReceiptVerdict; read: ChainRead }> {
  const read: ChainRead = { rpcUrl, noEndpoint: false };
  const chain = chainReader(rpcUrl, read);

  try {
    const verdict = await verifyAnchoredReceipt(input, {
      trustedKeys,
      readEpochRoot: chain.readEpochRoot,
    });
    return { verdict, read };
  } finally {
    chain.release();
  }
}

/**
 * An epoch root reader over `rpcUrl` that notes in `read` what it did, and a way to release
 * it. Without an RPC URL (or with a malformed one) the reader fails when asked, and for a
 * missing URL it sets `read.noEndpoint`.
 */
export function chainReader(
  rpcUrl: string | undefined,
  read: ChainRead,
): { readEpochRoot: EpochRootReader; release: () => void } {
  if (rpcUrl === undefined) {
    const readEpochRoot: EpochRootReader = async () => {
      read.noEndpoint = true;
      throw new WebError("WEB_BAD_INPUT", { what: "chain RPC URL", reason: "not given" });
    };
    return { readEpochRoot, release: () => {} };
  }

  let chain: ReturnType<typeof readEpochRootFromChain>;
  try {
    chain = readEpochRootFromChain(rpcUrl);
  } catch (cause) {
    const reason = "must be an http(s) URL";
    const err = new WebError("WEB_BAD_INPUT", { what: "chain RPC URL", reason }, { cause });
    return { readEpochRoot: () => Promise.reject(err), release: () => {} };
  }
  const readEpochRoot: EpochRootReader = async (chainId, registry, epoch) => {
    read.root = await chain(chainId, registry, epoch);
    return read.root;
  };
  return { readEpochRoot, release: () => chain.destroy() };
}

/** Data of the epoch step: the epoch, the path and the roots the receipt states. */
export function epochData(r: Record<string, unknown>): Datum[] {
  const a = anchorOf(r);
  if (a === undefined) return [];

  return [
    { label: "Epoch", value: text(a.epoch) },
    { label: "Epoch path", value: Array.isArray(a.proof) ? a.proof.map(text) : text(a.proof) },
    { label: "Epoch root (as the receipt states it)", value: text(a.epochRoot) },
    { label: "Policy root anchored with it", value: text(a.policyRoot ?? "zero (none)") },
    { label: "Assignment root anchored with it", value: text(a.assignmentRoot ?? "zero (none)") },
  ];
}

/** Data of the chain step: where the root was read and what the chain returned. */
export function chainData(r: Record<string, unknown>, read: ChainRead): Datum[] {
  const a = anchorOf(r);
  if (a === undefined) return [];

  return [
    { label: "Chain JSON-RPC URL", value: read.rpcUrl ?? "(none given)" },
    { label: "Chain id", value: text(a.chainId) },
    { label: "Registry", value: text(a.registry) },
    { label: "Epoch root read from the chain", value: read.root ?? "(not read)" },
    { label: "Anchoring transaction", value: text(a.txHash) },
    {
      label: "Block",
      value: `${text(a.blockNumber)}${a.blockHash ? ` (${text(a.blockHash)})` : ""}`,
    },
  ];
}

function anchorOf(r: Record<string, unknown>): Record<string, unknown> | undefined {
  const a = r.anchor;
  return typeof a === "object" && a !== null ? (a as Record<string, unknown>) : undefined;
}

function text(value: unknown): string {
  if (typeof value === "string") return value;
  return value === undefined ? "(missing)" : JSON.stringify(value);
}
