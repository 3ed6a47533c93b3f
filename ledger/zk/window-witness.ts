/**
 * Builds the circuit input (the witness's inputs) for one window of N operations: for each
 * operation, its opened fields and salt, a grant that allows it with that grant's path in the
 * policy tree, and an assignment that gives the actor the role with its path in the assignment
 * tree.
 *
 * Pure: no Node-only APIs.
 */
import type { AssignmentTree } from "./assignment-tree";
import { findAssignment } from "./assignment-tree";
import { checkCircuitParams, type CircuitParams } from "./circuit-params";
import { ZkError } from "./errors";
import { encodeOperation, operationCommitment } from "./operation-commitment";
import { findGrant, type PolicyTree } from "./policy-tree";
import type { PoseidonHash } from "./poseidon";
import { quadPath, type QuadPath } from "./quad-tree";
import type { Operation } from "./types";
import type { WindowStatement } from "./window-statement";

/**
 * One operation of the window. Leave the indices out to pick the first grant and assignment
 * that cover the operation. An explicit index is used as given, with no check in JavaScript:
 * the circuit still refuses a leaf that does not cover the operation, so witness generation
 * then fails.
 */
export interface WindowOperation {
  readonly operation: Operation;
  readonly grantIndex?: number;
  readonly assignmentIndex?: number;
}

/** A circuit input signal value: decimal strings, nested as the signal's array shape. */
export type CircuitInputValue = string | readonly CircuitInputValue[];

/** The statement a window proves and the full circuit input that proves it. */
export interface WindowWitness {
  readonly params: CircuitParams;
  readonly statement: WindowStatement;
  readonly input: Readonly<Record<string, CircuitInputValue>>;
}

/**
 * Builds the witness input for the operations at log indices [windowStart, windowStart + N).
 *
 * @throws RangeError when the trees' depths differ from `params` or windowStart is not a safe
 *   non-negative integer.
 * @throws ZkError ZK_WINDOW_SIZE when there are not exactly N operations; ZK_NOT_GRANTED or
 *   ZK_NOT_ASSIGNED (data: the operation's position in the window) when no grant or no
 *   assignment covers an operation; ZK_LEAF_INDEX_OUT_OF_RANGE for an explicit index past the
 *   leaves in use; ZK_BAD_NAME, ZK_BAD_TIME or ZK_BAD_SALT for a malformed operation.
 */
export function buildWindowWitness(
  hash: PoseidonHash,
  params: CircuitParams,
  policy: PolicyTree,
  assignments: AssignmentTree,
  windowStart: number,
  operations: readonly WindowOperation[],
): WindowWitness {
  checkCircuitParams(params);
  if (policy.tree.depth !== params.policyDepth) {
    throw new RangeError(`policy tree depth ${policy.tree.depth}, wanted ${params.policyDepth}`);
  }
  if (assignments.tree.depth !== params.assignmentDepth) {
    throw new RangeError(
      `assignment tree depth ${assignments.tree.depth}, wanted ${params.assignmentDepth}`,
    );
  }
  if (!Number.isSafeInteger(windowStart) || windowStart < 0) {
    throw new RangeError(`windowStart is ${windowStart}, wanted a safe non-negative integer`);
  }
  if (operations.length !== params.operations) {
    throw new ZkError("ZK_WINDOW_SIZE", `${operations.length} operations, wanted exactly N`, {
      operations: operations.length,
      n: params.operations,
    });
  }

  const rows = operations.map((item, position) =>
    openOperation(hash, policy, assignments, item, position),
  );

  const statement: WindowStatement = {
    windowStart,
    policyRoot: policy.root,
    assignmentRoot: assignments.root,
    commitments: rows.map((r) => r.commitment),
    times: rows.map((r) => r.time),
  };
  const column = (pick: (r: OpenedOperation) => CircuitInputValue) => rows.map(pick);
  const input: Record<string, CircuitInputValue> = {
    windowStart: String(windowStart),
    policyRoot: policy.root.toString(),
    assignmentRoot: assignments.root.toString(),
    commitment: column((r) => r.commitment.toString()),
    time: column((r) => String(r.time)),
    actor: column((r) => r.fields[0].toString()),
    role: column((r) => r.fields[1].toString()),
    action: column((r) => r.fields[2].toString()),
    resourceClass: column((r) => r.fields[3].toString()),
    salt: column((r) => r.fields[5].toString()),
    grantFrom: column((r) => String(r.grant.validFrom)),
    grantUntil: column((r) => String(r.grant.validUntil)),
    grantIndex: column((r) => String(r.grantPath.index)),
    grantSiblings: column((r) => siblingsInput(r.grantPath)),
    assignFrom: column((r) => String(r.assignment.from)),
    assignUntil: column((r) => String(r.assignment.until)),
    assignIndex: column((r) => String(r.assignmentPath.index)),
    assignSiblings: column((r) => siblingsInput(r.assignmentPath)),
  };
  return { params, statement, input };
}

interface OpenedOperation {
  readonly commitment: bigint;
  readonly time: number;
  readonly fields: readonly bigint[];
  readonly grant: { readonly validFrom: number; readonly validUntil: number };
  readonly grantPath: QuadPath;
  readonly assignment: { readonly from: number; readonly until: number };
  readonly assignmentPath: QuadPath;
}

function openOperation(
  hash: PoseidonHash,
  policy: PolicyTree,
  assignments: AssignmentTree,
  item: WindowOperation,
  position: number,
): OpenedOperation {
  const op: Operation = item.operation;
  const fields = encodeOperation(op);

  const grantIndex = item.grantIndex ?? findGrant(policy.policy, op);
  if (grantIndex < 0) {
    throw new ZkError("ZK_NOT_GRANTED", `no grant allows operation ${position} at its time`, {
      position,
      time: op.time,
    });
  }
  const grantPath = quadPath(policy.tree, grantIndex);

  const assignmentIndex = item.assignmentIndex ?? findAssignment(assignments.assignments, op);
  if (assignmentIndex < 0) {
    throw new ZkError("ZK_NOT_ASSIGNED", `operation ${position}'s actor lacks its role then`, {
      position,
      time: op.time,
    });
  }
  const assignmentPath = quadPath(assignments.tree, assignmentIndex);

  return {
    commitment: operationCommitment(hash, op),
    time: op.time,
    fields,
    grant: policy.policy.grants[grantIndex],
    grantPath,
    assignment: assignments.assignments.assignments[assignmentIndex],
    assignmentPath,
  };
}

function siblingsInput(path: QuadPath): CircuitInputValue {
  return path.siblings.map((level) => level.map((s) => s.toString()));
}
