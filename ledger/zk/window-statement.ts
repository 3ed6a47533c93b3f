/**
 * The public statement of a compliance proof and its public signals. The circuit takes them in
 * this order (circom orders public inputs by declaration):
 *
 *   [windowStart, policyRoot, assignmentRoot, commitment_0 .. commitment_{N-1},
 *    time_0 .. time_{N-1}]
 *
 * each a decimal string, as snarkjs exchanges signals.
 *
 * Pure: no Node-only APIs.
 */
import { publicSignalCount, type CircuitParams } from "./circuit-params";
import { ZkError } from "./errors";
import { checkFieldElement, parseFieldDecimal } from "./field";
import { checkTime } from "./time-bounds";

/**
 * What a proof claims: the operations at log indices [windowStart, windowStart + N), known by
 * their commitments and times, were allowed by the policy and assignment roots.
 */
export interface WindowStatement {
  readonly windowStart: number;
  readonly policyRoot: bigint;
  readonly assignmentRoot: bigint;
  readonly commitments: readonly bigint[];
  readonly times: readonly number[];
}

/**
 * Lays out a statement as public signals.
 *
 * @throws ZkError ZK_BAD_PUBLIC_SIGNALS when the statement does not have N commitments and N
 *   times or its window start is not a safe non-negative integer; ZK_NOT_FIELD_ELEMENT or
 *   ZK_BAD_TIME for a value out of range.
 */
export function statementToPublicSignals(
  params: CircuitParams,
  statement: WindowStatement,
): string[] {
  const n = params.operations;
  if (statement.commitments.length !== n || statement.times.length !== n) {
    throw new ZkError("ZK_BAD_PUBLIC_SIGNALS", `statement must hold ${n} commitments and times`, {
      commitments: statement.commitments.length,
      times: statement.times.length,
    });
  }
  checkWindowStart(statement.windowStart);

  const signals = [
    BigInt(statement.windowStart),
    checkFieldElement(statement.policyRoot, "policy root"),
    checkFieldElement(statement.assignmentRoot, "assignment root"),
    ...statement.commitments.map((c, i) => checkFieldElement(c, `commitment ${i}`)),
    ...statement.times.map((t, i) => BigInt(checkTime(t, `time ${i}`))),
  ];
  return signals.map((s) => s.toString());
}

/**
 * Reads a statement back from public signals.
 *
 * @throws ZkError ZK_BAD_PUBLIC_SIGNALS for the wrong count or a window start beyond 2^53;
 *   ZK_NOT_FIELD_ELEMENT for a signal that is not a decimal integer in [0, r); ZK_BAD_TIME for
 *   a time out of range.
 */
export function publicSignalsToStatement(
  params: CircuitParams,
  signals: readonly string[],
): WindowStatement {
  const n = params.operations;
  const count = publicSignalCount(params);
  if (!Array.isArray(signals) || signals.length !== count) {
    throw new ZkError("ZK_BAD_PUBLIC_SIGNALS", `wanted ${count} public signals`, {
      count: Array.isArray(signals) ? signals.length : undefined,
    });
  }

  const values = signals.map((s, i) => parseFieldDecimal(s, `public signal ${i}`));
  const start = values[0];
  if (start > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new ZkError("ZK_BAD_PUBLIC_SIGNALS", "window start exceeds 2^53 - 1", {
      windowStart: start.toString(),
    });
  }

  return {
    windowStart: Number(start),
    policyRoot: values[1],
    assignmentRoot: values[2],
    commitments: values.slice(3, 3 + n),
    times: values.slice(3 + n).map((t, i) => checkTime(Number(t), `time ${i}`)),
  };
}

function checkWindowStart(windowStart: number): void {
  if (!Number.isSafeInteger(windowStart) || windowStart < 0) {
    throw new ZkError("ZK_BAD_PUBLIC_SIGNALS", `window start ${windowStart} is not a log index`, {
      windowStart,
    });
  }
}
