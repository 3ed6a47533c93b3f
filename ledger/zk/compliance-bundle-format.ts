/**
 * Compliance bundles: self-contained, versioned JSON that lets anyone check a compliance proof
 * with nothing but trusted keys and a chain. A window bundle carries the proof, its public
 * signals, the window's leaf data with RFC 6962 inclusion proofs to a signed checkpoint, and
 * the anchor of that checkpoint's commitment (with its policy and assignment roots). A sample
 * bundle carries the windows of a sampling audit and the anchored checkpoint whose block hash
 * chose them. Hashes are base64 as in receipts; roots are bytes32 hex as on chain.
 *
 * This module holds the formats and their shape checks; ledger/verify/compliance-bundle.ts
 * verifies them.
 *
 * Pure: no Node-only APIs.
 */
import type { AnchorProof } from "../verify/receipt";
import { checkCircuitParams, publicSignalCount, type CircuitParams } from "./circuit-params";
import { ZkError } from "./errors";
import type { Groth16Proof } from "./snarkjs-api";

/** The window bundle format this code writes and reads. */
export const COMPLIANCE_BUNDLE_FORMAT = "anchorlog-compliance/v1";

/** The sampling audit format this code writes and reads. */
export const COMPLIANCE_SAMPLE_FORMAT = "anchorlog-compliance-sample/v1";

/** An anchor proof whose compliance roots are present. */
export interface ComplianceAnchor extends AnchorProof {
  policyRoot: string;
  assignmentRoot: string;
}

/** A proof that the operations at [windowStart, windowStart + N) were allowed. */
export interface ComplianceBundle {
  format: typeof COMPLIANCE_BUNDLE_FORMAT;
  /** The tenant log's origin. */
  origin: string;
  /** The circuit parameters the proof is for; N = params.operations. */
  params: CircuitParams;
  /** Hex SHA-256 of the verification key's canonical JSON (see verificationKeyHash). */
  vkeyHash: string;
  windowStart: number;
  /** Size of the anchored checkpoint the leaves are proven against. */
  treeSize: number;
  /** Leaf data of the N entries, base64, in index order. */
  leaves: string[];
  /** One RFC 6962 inclusion proof per leaf, base64 hashes, bottom-up. */
  inclusionProofs: string[][];
  /** The signed checkpoint note of size treeSize. */
  checkpoint: string;
  /** Where the checkpoint's commitment was anchored, with its compliance roots. */
  anchor: ComplianceAnchor;
  proof: Groth16Proof;
  /** The proof's public signals, decimal strings, in circuit order. */
  publicSignals: string[];
}

/** A sampling audit: windows chosen by the block hash that anchored `anchor.epoch`. */
export interface ComplianceSampleBundle {
  format: typeof COMPLIANCE_SAMPLE_FORMAT;
  origin: string;
  params: CircuitParams;
  /** Number of windows drawn. */
  count: number;
  /** Size of the audited, anchored checkpoint: windows are drawn from [0, treeSize). */
  treeSize: number;
  /** The signed checkpoint note of size treeSize. */
  checkpoint: string;
  /** The audited epoch's anchor; blockHash and blockNumber are those of its block. */
  anchor: ComplianceAnchor & { blockHash: string };
  /** One bundle per drawn start, in draw order. */
  windows: ComplianceBundle[];
}

const HEX32 = /^0x[0-9a-fA-F]{64}$/;

/**
 * Checks that `input` has the window bundle's shape: the format string, field types, N leaves
 * and proofs, and 3 + 2N public signals. Values are not judged here.
 *
 * @throws ZkError ZK_BAD_BUNDLE naming the first bad field.
 */
export function checkComplianceBundleShape(input: unknown): ComplianceBundle {
  const b = record(input, "bundle");
  if (b.format !== COMPLIANCE_BUNDLE_FORMAT) {
    throw bad("format", `is ${JSON.stringify(b.format)}, wanted ${COMPLIANCE_BUNDLE_FORMAT}`);
  }
  string(b.origin, "origin");
  const params = paramsOf(b.params);
  const n = params.operations;
  if (typeof b.vkeyHash !== "string" || !/^[0-9a-f]{64}$/.test(b.vkeyHash)) {
    throw bad("vkeyHash", "is not 64 lower-case hex digits");
  }
  count(b.windowStart, "windowStart", 0);
  count(b.treeSize, "treeSize", 1);
  strings(b.leaves, "leaves", n);
  if (!Array.isArray(b.inclusionProofs) || b.inclusionProofs.length !== n) {
    throw bad("inclusionProofs", `is not a list of ${n} proofs`);
  }
  b.inclusionProofs.forEach((p, i) => strings(p, `inclusionProofs[${i}]`));
  string(b.checkpoint, "checkpoint");
  anchorOf(b.anchor, "anchor");
  if (typeof b.proof !== "object" || b.proof === null) throw bad("proof", "is not an object");
  strings(b.publicSignals, "publicSignals", publicSignalCount(params));

  return b as unknown as ComplianceBundle;
}

/**
 * Checks the sample bundle's shape, and the shape of each window bundle in it.
 *
 * @throws ZkError ZK_BAD_BUNDLE naming the first bad field.
 */
export function checkSampleBundleShape(input: unknown): ComplianceSampleBundle {
  const s = record(input, "sample");
  if (s.format !== COMPLIANCE_SAMPLE_FORMAT) {
    throw bad("format", `is ${JSON.stringify(s.format)}, wanted ${COMPLIANCE_SAMPLE_FORMAT}`);
  }
  string(s.origin, "origin");
  paramsOf(s.params);
  count(s.count, "count", 1);
  count(s.treeSize, "treeSize", 1);
  string(s.checkpoint, "checkpoint");
  const anchor = anchorOf(s.anchor, "anchor");
  if (typeof anchor.blockHash !== "string" || !HEX32.test(anchor.blockHash)) {
    throw bad("anchor.blockHash", "is not bytes32 hex");
  }
  if (!Array.isArray(s.windows) || s.windows.length !== s.count) {
    throw bad("windows", `is not a list of ${String(s.count)} bundles`);
  }
  s.windows.forEach((w) => checkComplianceBundleShape(w));

  return s as unknown as ComplianceSampleBundle;
}

function paramsOf(value: unknown): CircuitParams {
  const p = record(value, "params");
  try {
    return checkCircuitParams(p as unknown as CircuitParams);
  } catch (cause) {
    throw new ZkError("ZK_BAD_BUNDLE", "bundle params are not circuit parameters", {}, { cause });
  }
}

function anchorOf(value: unknown, what: string): ComplianceAnchor {
  const a = record(value, what);
  count(a.chainId, `${what}.chainId`, 1);
  string(a.registry, `${what}.registry`);
  count(a.epoch, `${what}.epoch`, 1);
  for (const key of ["epochRoot", "policyRoot", "assignmentRoot"]) {
    if (typeof a[key] !== "string" || !HEX32.test(a[key] as string)) {
      throw bad(`${what}.${key}`, "is not bytes32 hex");
    }
  }
  strings(a.proof, `${what}.proof`);
  string(a.txHash, `${what}.txHash`);
  count(a.blockNumber, `${what}.blockNumber`, 0);

  return a as unknown as ComplianceAnchor;
}

function record(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw bad(what, "is not a JSON object");
  }
  return value as Record<string, unknown>;
}

function string(value: unknown, what: string): void {
  if (typeof value !== "string" || value.length === 0) throw bad(what, "is not a string");
}

function strings(value: unknown, what: string, length?: number): void {
  if (!Array.isArray(value) || value.some((v) => typeof v !== "string")) {
    throw bad(what, "is not a list of strings");
  }
  if (length !== undefined && value.length !== length) {
    throw bad(what, `holds ${value.length} entries, wanted ${length}`);
  }
}

function count(value: unknown, what: string, min: number): void {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < min) {
    throw bad(what, `is not an integer of at least ${min}`);
  }
}

function bad(field: string, why: string): ZkError {
  return new ZkError("ZK_BAD_BUNDLE", `bundle ${field} ${why}`, { field });
}
