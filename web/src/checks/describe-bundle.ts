/**
 * The data each step of a compliance bundle uses, for display beside its verdict. Read from
 * the bundle as given; decoding is best effort and never throws (the verdicts come from the
 * verify module alone).
 */
import { decodeLeaf, fromBase64, leafHash, toHex } from "../../../ledger/verify";
import type { ChainRead } from "./anchor-links";
import { chainData, epochData } from "./anchor-links";
import { checkpointData, type TrustedKey } from "./describe-receipt";
import type { Datum } from "./link";

type Fields = Record<string, unknown>;

/** What the page computed itself for a bundle, shown beside the module's steps. */
export interface BundleContext {
  keys: readonly TrustedKey[];
  read: ChainRead;
  /** Hash of the verification key the officer entered. */
  vkeyHash?: string;
  /** The policy root recomputed from the officer's policy document, with its grant count. */
  policy?: { bytes32: string; grants: number };
}

/** Data of one step of a window bundle. */
export function bundleStepData(step: string, b: Fields, ctx: BundleContext): Datum[] {
  const signals = strings(b.publicSignals);
  const n = operations(b);

  switch (step) {
    case "format":
      return [
        { label: "Format", value: text(b.format) },
        { label: "Log (origin)", value: text(b.origin) },
        { label: "Window start", value: text(b.windowStart) },
        { label: "Circuit parameters", value: text(b.params) },
        { label: "Tree size", value: text(b.treeSize) },
      ];
    case "vkey":
      return [
        { label: "Key the bundle names (hash)", value: text(b.vkeyHash) },
        { label: "Key you entered (hash)", value: ctx.vkeyHash ?? "(none)" },
      ];
    case "window":
      return [{ label: "Leaf indices", value: leaves(b).map((l) => text(l?.index)) }];
    case "commitments":
      return [
        { label: "Commitments in the leaves", value: leaves(b).map((l) => hex(l?.opCommitment)) },
        { label: "Commitments the proof states", value: signals.slice(3, 3 + n) },
      ];
    case "times":
      return [
        { label: "Operation times the proof states (s)", value: signals.slice(3 + n, 3 + 2 * n) },
        {
          label: "Integration times of the leaves",
          value: leaves(b).map((l) => (l ? new Date(l.timeMs).toISOString() : "?")),
        },
      ];
    case "checkpoint":
      return checkpointData(b, ctx.keys);
    case "inclusion":
      return [{ label: "Leaf hashes and their paths", value: inclusionLines(b) }];
    case "epoch-path":
      return epochData(b);
    case "epoch-root":
      return chainData(b, ctx.read);
    case "roots":
      return rootsData(b, signals, ctx);
    case "groth16":
      return [
        { label: "Proof", value: JSON.stringify(b.proof, null, 1) },
        { label: "Public inputs, in circuit order", value: signals },
      ];
    default:
      return [];
  }
}

function rootsData(b: Fields, signals: string[], ctx: BundleContext): Datum[] {
  const anchor = (typeof b.anchor === "object" && b.anchor !== null ? b.anchor : {}) as Fields;
  const out: Datum[] = [
    { label: "Anchored policy root", value: text(anchor.policyRoot) },
    { label: "Anchored assignment root", value: text(anchor.assignmentRoot) },
    { label: "Policy root the proof states (public input 1)", value: signals[1] ?? "?" },
    { label: "Assignment root the proof states (public input 2)", value: signals[2] ?? "?" },
  ];

  out.push({
    label: "Policy root of your policy document",
    value: ctx.policy
      ? `${ctx.policy.bytes32} (${ctx.policy.grants} grants)`
      : "(no policy document given: not compared)",
  });
  return out;
}

function inclusionLines(b: Fields): string[] {
  const proofs = Array.isArray(b.inclusionProofs) ? b.inclusionProofs : [];
  return strings(b.leaves).map((leaf, i) => {
    let hash = "?";
    try {
      hash = toHex(leafHash(fromBase64(leaf)));
    } catch {
      // The inclusion step reports the malformed leaf.
    }
    const path = Array.isArray(proofs[i]) ? proofs[i].length : 0;
    return `leaf ${i}: hash ${hash}, path of ${path} hashes`;
  });
}

function leaves(b: Fields): (ReturnType<typeof decodeLeaf> | undefined)[] {
  return strings(b.leaves).map((l) => {
    try {
      return decodeLeaf(fromBase64(l));
    } catch {
      return undefined;
    }
  });
}

function operations(b: Fields): number {
  const params = b.params as { operations?: unknown } | undefined;
  return typeof params?.operations === "number" ? params.operations : 0;
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.map((v) => (typeof v === "string" ? v : text(v))) : [];
}

function hex(bytes: Uint8Array | undefined): string {
  return bytes === undefined ? "?" : toHex(bytes);
}

function text(value: unknown): string {
  if (typeof value === "string") return value;
  return value === undefined ? "(missing)" : JSON.stringify(value);
}
