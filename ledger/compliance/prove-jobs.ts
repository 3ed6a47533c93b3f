/**
 * Proving as asynchronous jobs: start one, poll its status, fetch its bundle. Jobs run one at
 * a time (proving already uses every core). A job's state lives in memory; its result, once
 * done, is written to the store (synced) under the tenant's compliance prefix.
 *
 * WARNING: a restart loses every queued or running job, and the state of failed ones. Their
 * ids then answer COMPLIANCE_UNKNOWN_JOB and the caller starts them again; finished results
 * survive. Statuses say so in `durable`.
 */
import { randomBytes } from "node:crypto";

import type { KvStore } from "../store/kv-store";
import { fromUtf8, utf8 } from "../verify/bytes";
import { MAX_SAMPLE_WINDOWS, type ComplianceBundle, type ComplianceSampleBundle } from "../zk";
import { complianceKeys } from "./compliance-keys";
import { ComplianceError } from "./errors";
import type { WindowProver } from "./window-prover";

/** What a job proves: one window, or a sampling audit of an epoch. */
export type ProveRequest =
  | { readonly kind: "window"; readonly windowStart: number; readonly epoch?: number }
  | { readonly kind: "sample"; readonly epoch: number; readonly count: number };

/** Where a job stands. */
export type JobState = "queued" | "running" | "done" | "failed";

/** A job's status as callers see it. Times are milliseconds since the Unix epoch. */
export interface JobStatus {
  readonly id: string;
  readonly tenant: string;
  readonly state: JobState;
  readonly request?: ProveRequest;
  readonly createdMs?: number;
  readonly startedMs?: number;
  readonly finishedMs?: number;
  /** For a failed job: its error code and message. */
  readonly error?: { readonly code: string; readonly message: string };
  /** False while the job lives only in memory: a restart would lose it. */
  readonly durable: boolean;
}

/** A finished job's bundle. */
export type JobResult = ComplianceBundle | ComplianceSampleBundle;

interface Job {
  id: string;
  tenant: string;
  request: ProveRequest;
  state: JobState;
  createdMs: number;
  startedMs?: number;
  finishedMs?: number;
  error?: { code: string; message: string };
}

/** Options of {@link ProveJobs}. */
export interface ProveJobsOptions {
  readonly prover: WindowProver;
  readonly store: KvStore;
  /** Most jobs queued or running at once; 16. */
  readonly maxJobs?: number;
  /** Finished or failed jobs kept in memory for status; 1,000. */
  readonly keepFinished?: number;
  readonly clock?: () => number;
}

/** The proving job runner. */
export class ProveJobs {
  private readonly _opts: ProveJobsOptions;
  private readonly _jobs = new Map<string, Job>();
  private readonly _queue: Job[] = [];
  private _running: Promise<void> | undefined;
  private _closed = false;

  constructor(options: ProveJobsOptions) {
    this._opts = options;
  }

  /** Operations per window (N) of the prover's circuit. */
  get operations(): number {
    return this._opts.prover.params.operations;
  }

  /**
   * Queues a job for `tenant` and returns its status at once.
   *
   * @throws ComplianceError COMPLIANCE_JOBS_FULL (retryable) when too many jobs wait.
   * @throws RangeError for a malformed request; Error once closed.
   */
  start(tenant: string, request: ProveRequest): JobStatus {
    if (this._closed) throw new Error("ProveJobs is closed");
    checkRequest(request);
    const limit = this._opts.maxJobs ?? 16;
    const waiting = this._queue.length + (this._running === undefined ? 0 : 1);
    if (waiting >= limit) {
      throw new ComplianceError("COMPLIANCE_JOBS_FULL", { queued: waiting, limit });
    }

    const job: Job = {
      id: randomBytes(16).toString("hex"),
      tenant,
      request: { ...request },
      state: "queued",
      createdMs: this._now(),
    };
    this._jobs.set(job.id, job);
    this._queue.push(job);
    this._pump();
    return statusOf(job);
  }

  /**
   * The status of job `id` of `tenant`. A job unknown in memory but with a stored result is
   * reported done (it finished before a restart).
   *
   * @throws ComplianceError COMPLIANCE_UNKNOWN_JOB when neither memory nor the store knows
   *   it, including another tenant's job.
   */
  async status(tenant: string, id: string): Promise<JobStatus> {
    const job = this._jobs.get(id);
    if (job !== undefined && job.tenant === tenant) return statusOf(job);

    if (
      !isJobId(id) ||
      (await this._opts.store.get(complianceKeys(tenant).result(id))) === undefined
    ) {
      throw new ComplianceError("COMPLIANCE_UNKNOWN_JOB", { jobId: id });
    }
    return { id, tenant, state: "done", durable: true };
  }

  /**
   * The bundle of a finished job.
   *
   * @throws ComplianceError COMPLIANCE_JOB_NOT_DONE while queued or running, or when failed;
   *   COMPLIANCE_UNKNOWN_JOB as {@link status}; COMPLIANCE_RECORDS_DAMAGED when unreadable.
   */
  async result(tenant: string, id: string): Promise<JobResult> {
    const status = await this.status(tenant, id);
    if (status.state !== "done") {
      throw new ComplianceError("COMPLIANCE_JOB_NOT_DONE", { jobId: id, state: status.state });
    }

    const key = complianceKeys(tenant).result(id);
    const value = await this._opts.store.get(key);
    if (value === undefined) throw new ComplianceError("COMPLIANCE_RECORDS_DAMAGED", { key });
    try {
      return JSON.parse(fromUtf8(value)) as JobResult;
    } catch (cause) {
      throw new ComplianceError("COMPLIANCE_RECORDS_DAMAGED", { key }, { cause });
    }
  }

  /** Resolves once no job is queued or running; for tests and orderly shutdown. */
  async idle(): Promise<void> {
    while (this._running !== undefined) await this._running;
  }

  /** Refuses new jobs, drops queued ones, and waits for the running one. */
  async close(): Promise<void> {
    this._closed = true;
    for (const job of this._queue.splice(0)) this._jobs.delete(job.id);
    await this.idle();
  }

  private _pump(): void {
    if (this._running !== undefined) return;
    const job = this._queue.shift();
    if (job === undefined) return;

    this._running = this._run(job).finally(() => {
      this._running = undefined;
      this._pump();
    });
  }

  private async _run(job: Job): Promise<void> {
    job.state = "running";
    job.startedMs = this._now();
    try {
      const { prover } = this._opts;
      const r = job.request;
      const bundle =
        r.kind === "window"
          ? await prover.proveWindow(job.tenant, r.windowStart, { epoch: r.epoch })
          : await prover.sampleAudit(job.tenant, r.epoch, r.count);

      const key = complianceKeys(job.tenant).result(job.id);
      await this._opts.store.batch([{ type: "put", key, value: utf8(JSON.stringify(bundle)) }], {
        sync: true,
      });
      job.state = "done";
    } catch (err) {
      job.state = "failed";
      const code = (err as { code?: unknown }).code;
      job.error = {
        code: typeof code === "string" ? code : "INTERNAL",
        message: err instanceof Error ? err.message : String(err),
      };
    }
    job.finishedMs = this._now();
    this._forgetOld();
  }

  private _forgetOld(): void {
    const keep = this._opts.keepFinished ?? 1_000;
    const finished = [...this._jobs.values()].filter((j) => j.finishedMs !== undefined);
    for (const job of finished.slice(0, Math.max(0, finished.length - keep))) {
      this._jobs.delete(job.id);
    }
  }

  private _now(): number {
    return (this._opts.clock ?? Date.now)();
  }
}

function statusOf(job: Job): JobStatus {
  return {
    id: job.id,
    tenant: job.tenant,
    state: job.state,
    request: job.request,
    createdMs: job.createdMs,
    startedMs: job.startedMs,
    finishedMs: job.finishedMs,
    error: job.error,
    durable: job.state === "done",
  };
}

function isJobId(id: string): boolean {
  return typeof id === "string" && /^[0-9a-f]{32}$/.test(id);
}

function checkRequest(r: ProveRequest): void {
  const whole = (v: unknown, min: number) => Number.isSafeInteger(v) && (v as number) >= min;
  if (r?.kind === "window") {
    if (!whole(r.windowStart, 0)) throw new RangeError("windowStart must be an integer >= 0");
    if (r.epoch !== undefined && !whole(r.epoch, 1)) throw new RangeError("epoch must be >= 1");
    return;
  }
  if (r?.kind === "sample") {
    if (!whole(r.epoch, 1)) throw new RangeError("epoch must be an integer >= 1");
    if (!whole(r.count, 1) || r.count > MAX_SAMPLE_WINDOWS) {
      throw new RangeError(`count must be an integer in [1, ${MAX_SAMPLE_WINDOWS}]`);
    }
    return;
  }
  throw new RangeError(`request kind must be "window" or "sample"`);
}
