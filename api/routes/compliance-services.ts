/**
 * What the compliance routes need beside the ledger, and how the compliance layer's errors
 * become the API's problems. Compliance failures map onto the API catalog: documents the
 * rules reject and missing prerequisites are validation failures (400), unknown jobs and
 * results not yet made are 404, a full job queue is 503 with Retry-After.
 */
import type { ComplianceStore } from "../../ledger/compliance/compliance-store";
import { isComplianceError } from "../../ledger/compliance/errors";
import type { ProveJobs } from "../../ledger/compliance/prove-jobs";
import { isZkError } from "../../ledger/zk";
import { ApiError } from "../errors";

/** The compliance services a deployment gives the API. */
export interface ComplianceServices {
  /** The tenants' policy and assignment versions. */
  readonly store: ComplianceStore;
  /** The proving job runner. */
  readonly jobs: ProveJobs;
}

/**
 * Runs `work` and rethrows compliance and zk failures as ApiErrors; anything else passes
 * through to the error handler unchanged.
 */
export async function asApiErrors<T>(work: () => Promise<T> | T): Promise<T> {
  try {
    return await work();
  } catch (err) {
    throw translate(err);
  }
}

function translate(err: unknown): unknown {
  if (isZkError(err)) {
    return new ApiError("API_VALIDATION_FAILED", err.message, { cause: err });
  }
  if (!isComplianceError(err)) return err;

  switch (err.code) {
    case "COMPLIANCE_NO_POLICY":
    case "COMPLIANCE_NO_ASSIGNMENTS":
    case "COMPLIANCE_OPERATION_REQUIRED":
    case "COMPLIANCE_BAD_OPERATION":
    case "COMPLIANCE_FUTURE_OPERATION":
      return new ApiError("API_VALIDATION_FAILED", err.message, { cause: err });
    case "COMPLIANCE_UNKNOWN_JOB":
    case "COMPLIANCE_JOB_NOT_DONE":
      return new ApiError("API_NOT_FOUND", err.message, { cause: err });
    case "COMPLIANCE_JOBS_FULL":
    case "COMPLIANCE_BUSY":
      return new ApiError("API_OVERLOADED", err.message, {
        cause: err,
        retryAfterSeconds: Math.max(1, Math.ceil((err.retryAfterMs ?? 1_000) / 1000)),
      });
    default:
      return err;
  }
}
