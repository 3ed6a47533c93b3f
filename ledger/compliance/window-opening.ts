/**
 * Opening a window for proving: the leaves [windowStart, windowStart + N), the sealed opening
 * of each operation (checked against its leaf's commitment), and the one policy version and
 * one assignment version in force when the entries were integrated.
 */
import { isLedgerError } from "../errors";
import type { Ledger } from "../ledger";
import { decodeLeaf } from "../verify/leaf";
import { bytesToField, loadPoseidon, operationCommitment, type Operation } from "../zk";
import type { ComplianceStore, RootVersion } from "./compliance-store";
import { ComplianceError } from "./errors";
import { readOpening } from "./operation-opening";

/** One entry of an opened window. */
export interface OpenedEntry {
  readonly index: number;
  readonly leafData: Uint8Array;
  readonly operation: Operation;
}

/** A window's entries with the versions they were integrated under. */
export interface OpenedWindow {
  readonly windowStart: number;
  readonly entries: readonly OpenedEntry[];
  readonly policy: RootVersion;
  readonly assignments: RootVersion;
}

/**
 * Opens the window of `operations` entries from `windowStart` of `tenant`'s log.
 *
 * @throws RangeError when windowStart is not a non-negative safe integer.
 * @throws ComplianceError COMPLIANCE_WINDOW_OUT_OF_RANGE when the window passes the log's
 *   end; COMPLIANCE_NO_COMMITMENT for an entry without a commitment or opening;
 *   COMPLIANCE_OPENING_ERASED for an erased entry; COMPLIANCE_OPENING_MISMATCH when an
 *   opening does not recompute its leaf's commitment; COMPLIANCE_NO_POLICY or
 *   COMPLIANCE_NO_ASSIGNMENTS when an entry predates the first version;
 *   COMPLIANCE_WINDOW_STRADDLES_ROOT_CHANGE when the entries fall under different versions.
 * @throws LedgerError LEDGER_UNKNOWN_TENANT.
 */
export async function openWindow(
  ledger: Ledger,
  compliance: ComplianceStore,
  tenant: string,
  windowStart: number,
  operations: number,
): Promise<OpenedWindow> {
  if (!Number.isSafeInteger(windowStart) || windowStart < 0) {
    throw new RangeError(`windowStart is ${windowStart}, wanted a non-negative safe integer`);
  }
  const treeSize = ledger.checkpoint(tenant).size;
  if (windowStart + operations > treeSize) {
    throw new ComplianceError("COMPLIANCE_WINDOW_OUT_OF_RANGE", {
      windowStart,
      operations,
      treeSize,
    });
  }

  const hash = await loadPoseidon();
  const entries: OpenedEntry[] = [];
  const policies = new Map<number, RootVersion>();
  const assignments = new Map<number, RootVersion>();
  for (let index = windowStart; index < windowStart + operations; index++) {
    const entry = await ledger.entry(tenant, index);
    const committed = bytesToField(decodeLeaf(entry.leafData).opCommitment, "leaf commitment");
    if (committed === 0n) throw new ComplianceError("COMPLIANCE_NO_COMMITMENT", { index });

    const operation = readOpening(await privateRecord(ledger, tenant, index), index);
    if (operationCommitment(hash, operation) !== committed) {
      throw new ComplianceError("COMPLIANCE_OPENING_MISMATCH", { index });
    }

    const policy = compliance.versionAt(tenant, "policy", entry.timeMs);
    if (policy === undefined) throw new ComplianceError("COMPLIANCE_NO_POLICY", { tenant });
    const assigned = compliance.versionAt(tenant, "assignments", entry.timeMs);
    if (assigned === undefined) throw new ComplianceError("COMPLIANCE_NO_ASSIGNMENTS", { tenant });
    policies.set(policy.version, policy);
    assignments.set(assigned.version, assigned);
    entries.push({ index, leafData: entry.leafData, operation });
  }

  if (policies.size > 1 || assignments.size > 1) {
    throw new ComplianceError("COMPLIANCE_WINDOW_STRADDLES_ROOT_CHANGE", {
      windowStart,
      policyVersions: [...policies.keys()],
      assignmentVersions: [...assignments.keys()],
    });
  }
  return {
    windowStart,
    entries,
    policy: [...policies.values()][0],
    assignments: [...assignments.values()][0],
  };
}

async function privateRecord(ledger: Ledger, tenant: string, index: number) {
  try {
    return await ledger.privateRecord(tenant, index);
  } catch (err) {
    if (isLedgerError(err, "LEDGER_EVENT_ERASED")) {
      throw new ComplianceError("COMPLIANCE_OPENING_ERASED", { index }, { cause: err });
    }
    throw err;
  }
}
