/**
 * The error catalog of the compliance integration (`ledger/compliance`). Every expected
 * failure is a {@link ComplianceError} whose `code` is one of these stable strings; callers
 * branch on the code, never on the message, and read the details from `data`. Programmer
 * misuse throws TypeError or RangeError instead.
 */
export interface ComplianceErrorData {
  /** The tenant has no policy yet; set one first. */
  COMPLIANCE_NO_POLICY: { tenant: string };
  /** The tenant has no role assignments yet; set them first. */
  COMPLIANCE_NO_ASSIGNMENTS: { tenant: string };
  /** The tenant requires compliance and the event at `position` lacks `field`. */
  COMPLIANCE_OPERATION_REQUIRED: { tenant: string; position: number; field: string };
  /** The event at `position` cannot be committed to; `cause` holds the ZkError. */
  COMPLIANCE_BAD_OPERATION: { position: number };
  /** The event at `position` says it happened after now; its window could never verify. */
  COMPLIANCE_FUTURE_OPERATION: { position: number; timeSeconds: number; nowSeconds: number };
  /** Too many operations wait for a commitment. Retryable: wait `retryAfterMs`. */
  COMPLIANCE_BUSY: { queued: number; limit: number };
  /** The commitment pool was closed. */
  COMPLIANCE_POOL_CLOSED: Record<string, never>;
  /** A commitment worker failed; `cause` holds its error. The append was not made. */
  COMPLIANCE_WORKER_FAILED: Record<string, never>;
  /** The window [windowStart, windowStart + operations) is not inside the log. */
  COMPLIANCE_WINDOW_OUT_OF_RANGE: { windowStart: number; operations: number; treeSize: number };
  /** The entry at `index` carries no operation commitment, so no window holding it verifies. */
  COMPLIANCE_NO_COMMITMENT: { index: number };
  /** The entry at `index` was erased with its salt; its operation can no longer be proven. */
  COMPLIANCE_OPENING_ERASED: { index: number };
  /** The sealed opening of entry `index` does not recompute its leaf's commitment. */
  COMPLIANCE_OPENING_MISMATCH: { index: number };
  /** The window's entries were integrated under different policy or assignment versions. */
  COMPLIANCE_WINDOW_STRADDLES_ROOT_CHANGE: {
    windowStart: number;
    policyVersions: number[];
    assignmentVersions: number[];
  };
  /** The roots in force do not allow the operation at `index`; `cause` holds the ZkError. */
  COMPLIANCE_NOT_ALLOWED: { index: number; reason: "not-granted" | "not-assigned" };
  /** No anchored checkpoint covers [0, treeSize) with these roots yet; anchor, then retry. */
  COMPLIANCE_NOT_ANCHORED: { tenant: string; treeSize: number; policyRoot: string };
  /** The anchored checkpoint of `epoch` lacks what a sampling audit needs (its block hash). */
  COMPLIANCE_NO_SAMPLE_SEED: { tenant: string; epoch: number };
  /** No job with this id; jobs queued or running when the service restarted are lost. */
  COMPLIANCE_UNKNOWN_JOB: { jobId: string };
  /** The job has no result (yet): `state` says why. */
  COMPLIANCE_JOB_NOT_DONE: { jobId: string; state: string };
  /** Too many proving jobs are waiting. Retryable: wait `retryAfterMs`. */
  COMPLIANCE_JOBS_FULL: { queued: number; limit: number };
  /** A compliance record in the store cannot be read; `key` names it. */
  COMPLIANCE_RECORDS_DAMAGED: { key: string };
}

/** A stable code of the compliance layer, such as `"COMPLIANCE_NO_POLICY"`. */
export type ComplianceErrorCode = keyof ComplianceErrorData;

const MESSAGES: { [C in ComplianceErrorCode]: (d: ComplianceErrorData[C]) => string } = {
  COMPLIANCE_NO_POLICY: (d) => `tenant ${d.tenant} has no policy; set one first`,
  COMPLIANCE_NO_ASSIGNMENTS: (d) => `tenant ${d.tenant} has no role assignments; set them first`,
  COMPLIANCE_OPERATION_REQUIRED: (d) =>
    `tenant ${d.tenant} requires compliance: event ${d.position} lacks ${d.field}`,
  COMPLIANCE_BAD_OPERATION: (d) => `event ${d.position} cannot be committed to; see the cause`,
  COMPLIANCE_FUTURE_OPERATION: (d) =>
    `event ${d.position} has time ${d.timeSeconds} s, after now (${d.nowSeconds} s)`,
  COMPLIANCE_BUSY: (d) =>
    `${d.queued} operations wait for a commitment, limit ${d.limit}; retry shortly`,
  COMPLIANCE_POOL_CLOSED: () => "the commitment pool is closed",
  COMPLIANCE_WORKER_FAILED: () => "a commitment worker failed; nothing was appended",
  COMPLIANCE_WINDOW_OUT_OF_RANGE: (d) =>
    `window [${d.windowStart}, ${d.windowStart + d.operations}) is not inside ` +
    `the log of ${d.treeSize} entries`,
  COMPLIANCE_NO_COMMITMENT: (d) => `entry ${d.index} carries no operation commitment`,
  COMPLIANCE_OPENING_ERASED: (d) => `entry ${d.index} was erased; its operation cannot be proven`,
  COMPLIANCE_OPENING_MISMATCH: (d) =>
    `the sealed opening of entry ${d.index} does not match its leaf's commitment`,
  COMPLIANCE_WINDOW_STRADDLES_ROOT_CHANGE: (d) =>
    `window from ${d.windowStart} spans policy versions [${d.policyVersions}] and assignment ` +
    `versions [${d.assignmentVersions}]; one proof covers one version of each`,
  COMPLIANCE_NOT_ALLOWED: (d) =>
    d.reason === "not-granted"
      ? `no grant of the policy in force allows the operation of entry ${d.index}`
      : `the actor of entry ${d.index} did not hold the role at the operation's time`,
  COMPLIANCE_NOT_ANCHORED: (d) =>
    `no anchored checkpoint of ${d.tenant} covers ${d.treeSize} entries with policy root ` +
    `${d.policyRoot}; retry after the next epoch`,
  COMPLIANCE_NO_SAMPLE_SEED: (d) =>
    `epoch ${d.epoch} of ${d.tenant} has no anchored checkpoint with a block hash`,
  COMPLIANCE_UNKNOWN_JOB: (d) =>
    `no job ${d.jobId}; jobs queued or running when the service restarted are lost, ` +
    "start it again",
  COMPLIANCE_JOB_NOT_DONE: (d) => `job ${d.jobId} is ${d.state} and has no result`,
  COMPLIANCE_JOBS_FULL: (d) => `${d.queued} proving jobs wait, limit ${d.limit}; retry later`,
  COMPLIANCE_RECORDS_DAMAGED: (d) => `compliance record ${d.key} is missing or unreadable`,
};

/** Codes after which the same call may succeed later; their errors carry `retryAfterMs`. */
const RETRYABLE: ReadonlySet<ComplianceErrorCode> = new Set([
  "COMPLIANCE_BUSY",
  "COMPLIANCE_JOBS_FULL",
  "COMPLIANCE_NOT_ANCHORED",
]);

/**
 * An expected failure of the compliance layer. `code` is stable, `data` carries the offending
 * values, and `cause` (when present) the lower-level error. Retryable codes carry
 * `retryAfterMs`, the wait the caller should respect before trying again.
 */
export class ComplianceError<C extends ComplianceErrorCode = ComplianceErrorCode> extends Error {
  readonly code: C;
  readonly data: Readonly<ComplianceErrorData[C]>;
  readonly retryAfterMs?: number;

  constructor(
    code: C,
    data: ComplianceErrorData[C],
    options?: { cause?: unknown; retryAfterMs?: number },
  ) {
    super(MESSAGES[code](data), options);
    this.name = "ComplianceError";
    this.code = code;
    this.data = Object.freeze({ ...data });
    if (RETRYABLE.has(code)) this.retryAfterMs = options?.retryAfterMs ?? 1_000;
  }
}

/** True when `error` is a {@link ComplianceError}, with `code` when one is given. */
export function isComplianceError<C extends ComplianceErrorCode>(
  error: unknown,
  code?: C,
): error is ComplianceError<C> {
  return error instanceof ComplianceError && (code === undefined || error.code === code);
}
